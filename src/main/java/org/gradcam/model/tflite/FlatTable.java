package org.gradcam.model.tflite;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;

/**
 * Typed reads of a FlatBuffers table's fields by vtable slot, over {@link Table}'s protected
 * primitives, each returning the schema default when the field is absent; vectors are checked
 * to lie inside the buffer, so a corrupt file fails here rather than reading past it. The
 * TFLite tables of {@link TfliteSchema} are built on it.
 */
abstract class FlatTable extends Table {
  final <T extends FlatTable> T init(int pos, ByteBuffer buffer) {
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
  <T extends FlatTable> T tableElement(int slot, int i, T into) {
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
  <T extends FlatTable> T table(int slot, T into) {
    int o = __offset(vt(slot));
    return o != 0 ? into.init(__indirect(o + bb_pos), bb) : null;
  }
}
