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

  /** Common helpers over {@link Table}'s protected primitives. */
  abstract static class Base extends Table {
    final <T extends Base> T init(int pos, ByteBuffer buffer) {
      __reset(pos, buffer);
      @SuppressWarnings("unchecked")
      T self = (T) this;
      return self;
    }

    static int vt(int slot) {
      return 4 + 2 * slot;
    }

    int intField(int slot, int dflt) {
      int o = __offset(vt(slot));
      return o != 0 ? bb.getInt(o + bb_pos) : dflt;
    }

    int byteField(int slot, int dflt) {
      int o = __offset(vt(slot));
      return o != 0 ? bb.get(o + bb_pos) : dflt;
    }

    int ubyteField(int slot) {
      int o = __offset(vt(slot));
      return o != 0 ? bb.get(o + bb_pos) & 0xFF : 0;
    }

    float floatField(int slot, float dflt) {
      int o = __offset(vt(slot));
      return o != 0 ? bb.getFloat(o + bb_pos) : dflt;
    }

    String stringField(int slot) {
      int o = __offset(vt(slot));
      return o != 0 ? __string(o + bb_pos) : null;
    }

    int vectorLength(int slot) {
      int o = __offset(vt(slot));
      return o != 0 ? __vector_len(o) : 0;
    }

    /** Start of a vector of {@code n} elements, after checking it lies inside the buffer. */
    int checkedVector(int o, int n, int elementSize) {
      int start = __vector(o);
      if (n < 0 || start < 0 || (long) start + (long) n * elementSize > bb.limit()) {
        throw new IndexOutOfBoundsException("vector of " + n + " x " + elementSize
            + " bytes at " + start + " exceeds the file (" + bb.limit() + " bytes)");
      }
      return start;
    }

    int[] intVector(int slot) {
      int o = __offset(vt(slot));
      if (o == 0) {
        return new int[0];
      }
      int n = __vector_len(o);
      int start = checkedVector(o, n, 4);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = bb.getInt(start + 4 * i);
      }
      return out;
    }

    float[] floatVector(int slot) {
      int o = __offset(vt(slot));
      if (o == 0) {
        return new float[0];
      }
      int n = __vector_len(o);
      int start = checkedVector(o, n, 4);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = bb.getFloat(start + 4 * i);
      }
      return out;
    }

    long[] longVector(int slot) {
      int o = __offset(vt(slot));
      if (o == 0) {
        return new long[0];
      }
      int n = __vector_len(o);
      int start = checkedVector(o, n, 8);
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = bb.getLong(start + 8 * i);
      }
      return out;
    }

    byte[] byteVector(int slot) {
      int o = __offset(vt(slot));
      if (o == 0) {
        return new byte[0];
      }
      int n = __vector_len(o);
      int start = checkedVector(o, n, 1);
      byte[] out = new byte[n];
      bb.get(start, out);
      return out;
    }

    /** Element {@code i} of a vector of tables, or null when the vector is absent. */
    <T extends Base> T tableElement(int slot, int i, T into) {
      int o = __offset(vt(slot));
      if (o == 0) {
        return null;
      }
      int n = __vector_len(o);
      if (i < 0 || i >= n) {
        throw new IndexOutOfBoundsException("element " + i + " of a vector of " + n);
      }
      return into.init(__indirect(checkedVector(o, n, 4) + 4 * i), bb);
    }

    /** A (non-union or union-value) sub-table, or null when absent. */
    <T extends Base> T table(int slot, T into) {
      int o = __offset(vt(slot));
      return o != 0 ? into.init(__indirect(o + bb_pos), bb) : null;
    }
  }

  /** {@code table Model}: version, operator_codes, subgraphs, description, buffers. */
  static final class Model extends Base {
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
  static final class OperatorCode extends Base {
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
  static final class SubGraph extends Base {
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
  static final class Tensor extends Base {
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
  static final class QuantizationParameters extends Base {
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
  static final class Operator extends Base {
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
  static final class Options extends Base {
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
  static final class Buffer extends Base {
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
