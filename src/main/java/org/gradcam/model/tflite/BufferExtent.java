package org.gradcam.model.tflite;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;

/**
 * The two schema.fbs fields the generated classes lack: {@code Buffer.offset} and
 * {@code Buffer.size} (slots 1 and 2, ulong), which newer converters write instead of
 * {@code data} to keep a buffer outside the FlatBuffer (models over 2 GB, or on request). The
 * generated {@code org.tensorflow.lite.schema.Buffer} comes from a schema older than these
 * fields and is final, so this reads them by vtable slot ({@code 4 + 2 * slot}), reaching the
 * i-th buffer as the generated {@code Model.buffers(i)} does (Model slot 4). Both are 0 when
 * absent.
 */
final class BufferExtent extends Table {
  private static final int MODEL_BUFFERS = 4 + 2 * 4;
  private static final int BUFFER_OFFSET = 4 + 2 * 1;
  private static final int BUFFER_SIZE = 4 + 2 * 2;

  private BufferExtent() {}

  /** The extent of buffer {@code i} of the model whose FlatBuffer is {@code file}. */
  static BufferExtent of(ByteBuffer file, int i) {
    BufferExtent t = new BufferExtent();
    t.__reset(file.getInt(file.position()) + file.position(), file); // the root Model table
    int o = t.__offset(MODEL_BUFFERS);
    if (o == 0 || i < 0 || i >= t.__vector_len(o)) {
      throw new IndexOutOfBoundsException("buffer " + i + " of a model with "
          + (o == 0 ? 0 : t.__vector_len(o)));
    }
    t.__reset(t.__indirect(t.__vector(o) + 4 * i), file);
    return t;
  }

  long offset() {
    int o = __offset(BUFFER_OFFSET);
    return o != 0 ? bb.getLong(o + bb_pos) : 0;
  }

  long size() {
    int o = __offset(BUFFER_SIZE);
    return o != 0 ? bb.getLong(o + bb_pos) : 0;
  }
}
