package org.gradcam.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gradcam.io.AtomicFiles;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1 to 3) holding a C-ordered
 * float32, float64, int32, int64 or uint8 array. Values are exposed as {@code double[]} or
 * {@code float[]}, since every caller here works in floating point.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private final Dtype dtype;
  private final long[] shape;
  /** A float32 file's values as read (no detour through double), else null. */
  private final float[] floats;
  /** Any other dtype's values, else null. */
  private final double[] doubles;

  private Npy(Dtype dtype, long[] shape, float[] floats, double[] doubles) {
    this.dtype = dtype;
    this.shape = shape;
    this.floats = floats;
    this.doubles = doubles;
  }

  /**
   * The element types a file may hold, with NumPy's type code (its {@code descr} without the
   * byte order), e.g. for callers that compute in the file's own precision as NumPy would.
   */
  public enum Dtype {
    FLOAT32("f4"), FLOAT64("f8"), INT8("i1"), INT32("i4"), INT64("i8"), UINT8("u1");

    private final String code;

    Dtype(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** The element type of the file (the values are exposed as floats or doubles whatever it is). */
  public Dtype dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The values in C order, as doubles (a new array). */
  public double[] values() {
    if (doubles != null) {
      return doubles.clone();
    }
    double[] out = new double[floats.length];
    for (int i = 0; i < floats.length; i++) {
      out[i] = floats[i];
    }
    return out;
  }

  /** The values in C order, as floats (a new array). */
  public float[] floats() {
    if (floats != null) {
      return floats.clone();
    }
    float[] out = new float[doubles.length];
    for (int i = 0; i < doubles.length; i++) {
      out[i] = (float) doubles[i];
    }
    return out;
  }

  public static Npy read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No such .npy file: " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  static Npy read(InputStream in, String name) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
      throw new IOException(name + " is not a .npy file (bad magic)");
    }
    int major = magic[6];
    int headerLength;
    if (major == 1) {
      byte[] len = in.readNBytes(2);
      headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    } else if (major == 2 || major == 3) {
      byte[] len = in.readNBytes(4);
      headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
    } else {
      throw new IOException(name + ": unsupported .npy version " + major);
    }
    String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IOException(name + ": malformed .npy header: " + header.trim());
    }
    if (f.group(1).equals("True")) {
      throw new IOException(name + ": Fortran-ordered arrays are not supported");
    }
    long[] shape = Arrays.stream(s.group(1).split(","))
        .map(String::trim).filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    char kind = d.group(2).charAt(0);
    int size = Integer.parseInt(d.group(3));
    String code = kind + "" + size;
    Dtype dtype = Arrays.stream(Dtype.values()).filter(t -> t.code().equals(code)).findFirst()
        .orElseThrow(() -> new IOException(name + ": unsupported dtype " + code));
    long bytes = count * size;
    if (bytes > Integer.MAX_VALUE) {
      throw new IOException(name + ": array too large (" + bytes + " bytes)");
    }
    byte[] raw = in.readNBytes((int) bytes);
    if (raw.length != bytes) {
      throw new IOException(name + ": truncated, expected " + bytes + " data bytes, found " + raw.length);
    }
    // Bulk typed views: weights are read before the JIT has compiled anything, when a loop
    // per element cost SqueezeNet a third of a second of start-up.
    ByteBuffer buf = ByteBuffer.wrap(raw).order(order);
    int n = (int) count;
    if (dtype == Dtype.FLOAT32) {
      float[] floats = new float[n];
      buf.asFloatBuffer().get(floats);
      return new Npy(dtype, shape, floats, null);
    }
    double[] values = new double[n];
    switch (dtype) {
      case FLOAT64 -> buf.asDoubleBuffer().get(values);
      case INT32 -> {
        int[] ints = new int[n];
        buf.asIntBuffer().get(ints);
        for (int i = 0; i < n; i++) {
          values[i] = ints[i];
        }
      }
      case INT64 -> {
        long[] longs = new long[n];
        buf.asLongBuffer().get(longs);
        for (int i = 0; i < n; i++) {
          values[i] = longs[i];
        }
      }
      case UINT8, INT8 -> {
        for (int i = 0; i < n; i++) {
          values[i] = dtype == Dtype.UINT8 ? raw[i] & 0xff : raw[i];
        }
      }
      default -> throw new IllegalStateException("FLOAT32 is read above");
    }
    return new Npy(dtype, shape, null, values);
  }

  /** Writes a float32 little-endian C-ordered array. */
  public static void writeFloat32(Path file, float[] data, long... shape) throws IOException {
    byte[] bytes = float32Bytes(data, shape);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      AtomicFiles.write(file, bytes);
    } catch (IOException e) {
      throw WriteErrors.of(".npy file", file, e);
    }
  }

  /** The bytes {@link #writeFloat32} writes, e.g. for an HTTP download of the same file. */
  public static byte[] float32Bytes(float[] data, long... shape) {
    long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (count != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + count + " values, got " + data.length);
    }
    StringBuilder dims = new StringBuilder();
    for (long dim : shape) {
      dims.append(dim).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
        : "(" + dims.substring(0, Math.max(0, dims.length() - 2)) + ")";
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
    // Header (magic + version + length + dict + newline) is padded to a multiple of 64 bytes.
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
    buf.asFloatBuffer().put(data);
    return buf.array();
  }

  /** The data part of {@link #float32Bytes}: the values as little-endian float32. */
  public static byte[] float32Data(float[] data) {
    ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    return buf.array();
  }
}
