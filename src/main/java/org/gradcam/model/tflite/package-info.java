/**
 * A reader for TensorFlow Lite model files ({@code .tflite}): a FlatBuffer laid out by the TFLite
 * schema ({@code tensorflow/lite/schema/schema.fbs}, file identifier {@code TFL3}).
 *
 * <p>Provenance: the schema accessors are generated code, the classes flatc (23.5.26) made from
 * TensorFlow's {@code schema.fbs} that Maven Central serves as package
 * {@code org.tensorflow.lite.schema} of {@code org.tensorflow:tensorflow-lite-metadata}, run on
 * the project's one flatbuffers-java runtime. The only hand-written accessor,
 * {@link org.gradcam.model.tflite.BufferExtent}, reads the two {@code Buffer} fields that schema
 * predates. {@link org.gradcam.model.tflite.TfliteReader} turns the generated tables into the
 * plain immutable Java records of {@link org.gradcam.model.tflite.TfliteModel}, which also
 * dequantises weights. Only what a float rebuild of a CNN needs is read: tensors (shape, type,
 * buffer, quantisation), operators (opcode, inputs, outputs, the builtin options of convolution,
 * depthwise convolution, pooling, add, reshape and softmax) and buffers.
 */
package org.gradcam.model.tflite;
