/**
 * A reader for TensorFlow Lite model files ({@code .tflite}): a FlatBuffer laid out by the TFLite
 * schema ({@code tensorflow/lite/schema/schema.fbs}, file identifier {@code TFL3}).
 *
 * <p>Provenance: no generated code. {@link org.gradcam.model.tflite.TfliteSchema} holds a few
 * hand-written accessors on top of {@code com.google.flatbuffers.Table} (flatbuffers-java), one
 * per schema field this toolkit reads; each names the schema table and the field's slot (its
 * declaration order in {@code schema.fbs}, which FlatBuffers keeps stable across schema versions).
 * {@link org.gradcam.model.tflite.TfliteModel} turns them into plain immutable Java records and
 * dequantises weights. Only what a float rebuild of a CNN needs is read: tensors (shape, type,
 * buffer, quantisation), operators (opcode, inputs, outputs, the builtin options of convolution,
 * depthwise convolution, pooling, add, reshape and softmax) and buffers.
 */
package org.gradcam.model.tflite;
