package org.gradcam.model.tflite;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Hand-written FlatBuffers accessors for the few TFLite schema fields this toolkit reads
 * ({@code tensorflow/lite/schema/schema.fbs}). A field's vtable slot is its declaration index
 * in the table (a union takes two: its {@code _type} byte, then the value); the vtable offset is
 * {@code 4 + 2 * slot}. Every accessor returns the schema default when the field is absent.
 * Package-private: callers use {@link TfliteModel}.
 */
final class TfliteSchema {
  static final String FILE_IDENTIFIER = "TFL3";

  private TfliteSchema() {}

  /** {@code table Model}: version, operator_codes, subgraphs, description, buffers. */
  static final class Model extends FlatTable {
    static Model root(ByteBuffer buffer) {
      buffer.order(ByteOrder.LITTLE_ENDIAN);
      return new Model().init(buffer.getInt(buffer.position()) + buffer.position(), buffer);
    }

    static boolean hasIdentifier(ByteBuffer buffer) {
      return Table.__has_identifier(buffer, FILE_IDENTIFIER);
    }

    int version() {
      return intField(0, 0);
    }

    int operatorCodesLength() {
      return vectorLength(1);
    }

    OperatorCode operatorCode(int i) {
      return tableElement(1, i, new OperatorCode());
    }

    int subgraphsLength() {
      return vectorLength(2);
    }

    SubGraph subgraph(int i) {
      return tableElement(2, i, new SubGraph());
    }

    String description() {
      return stringField(3);
    }

    int buffersLength() {
      return vectorLength(4);
    }

    Buffer buffer(int i) {
      return tableElement(4, i, new Buffer());
    }
  }

  /**
   * {@code table OperatorCode}: deprecated_builtin_code (byte, slot 0; the only code in files
   * written before the int32 field existed), custom_code, version, builtin_code (int32, slot 3).
   */
  static final class OperatorCode extends FlatTable {
    int builtinCode() {
      // TFLite's own rule (schema_utils GetBuiltinCode): the larger of the two fields.
      return Math.max(intField(3, 0), byteField(0, 0));
    }

    String customCode() {
      return stringField(1);
    }

    int version() {
      return intField(2, 1);
    }
  }

  /** {@code table SubGraph}: tensors, inputs, outputs, operators, name. */
  static final class SubGraph extends FlatTable {
    int tensorsLength() {
      return vectorLength(0);
    }

    Tensor tensor(int i) {
      return tableElement(0, i, new Tensor());
    }

    int[] inputs() {
      return intVector(1);
    }

    int[] outputs() {
      return intVector(2);
    }

    int operatorsLength() {
      return vectorLength(3);
    }

    Operator operator(int i) {
      return tableElement(3, i, new Operator());
    }

    String name() {
      return stringField(4);
    }
  }

  /** {@code table Tensor}: shape, type, buffer, name, quantization. */
  static final class Tensor extends FlatTable {
    int[] shape() {
      return intVector(0);
    }

    int type() {
      return byteField(1, 0);
    }

    int buffer() {
      return intField(2, 0);
    }

    String name() {
      return stringField(3);
    }

    QuantizationParameters quantization() {
      return table(4, new QuantizationParameters());
    }
  }

  /**
   * {@code table QuantizationParameters}: min, max, scale, zero_point, details (union: slots 4
   * and 5), quantized_dimension (slot 6).
   */
  static final class QuantizationParameters extends FlatTable {
    float[] min() {
      return floatVector(0);
    }

    float[] max() {
      return floatVector(1);
    }

    float[] scale() {
      return floatVector(2);
    }

    long[] zeroPoint() {
      return longVector(3);
    }

    int detailsType() {
      return ubyteField(4);
    }

    int quantizedDimension() {
      return intField(6, 0);
    }
  }

  /**
   * {@code table Operator}: opcode_index, inputs, outputs, builtin_options (union: type in slot
   * 3, value in slot 4).
   */
  static final class Operator extends FlatTable {
    int opcodeIndex() {
      return intField(0, 0);
    }

    int[] inputs() {
      return intVector(1);
    }

    int[] outputs() {
      return intVector(2);
    }

    int builtinOptionsType() {
      return ubyteField(3);
    }

    Options builtinOptions() {
      return table(4, new Options());
    }
  }

  /**
   * The value of a {@code BuiltinOptions} union member; its fields are read by slot according to
   * the member's table ({@code Conv2DOptions}, {@code DepthwiseConv2DOptions}, ...).
   */
  static final class Options extends FlatTable {
    int intAt(int slot, int dflt) {
      return intField(slot, dflt);
    }

    int byteAt(int slot) {
      return byteField(slot, 0);
    }

    float floatAt(int slot, float dflt) {
      return floatField(slot, dflt);
    }

    int[] intsAt(int slot) {
      return intVector(slot);
    }
  }

  /** {@code table Buffer}: data (slot 0); newer files may hold offset/size (slots 1, 2) instead. */
  static final class Buffer extends FlatTable {
    byte[] data() {
      return byteVector(0);
    }

    long offset() {
      int o = __offset(vt(1));
      return o != 0 ? bb.getLong(o + bb_pos) : 0;
    }

    long size() {
      int o = __offset(vt(2));
      return o != 0 ? bb.getLong(o + bb_pos) : 0;
    }
  }
}
