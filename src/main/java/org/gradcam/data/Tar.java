package org.gradcam.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradcam.io.AtomicFiles;

/**
 * A minimal reader of uncompressed tar archives (POSIX ustar and GNU tar, e.g. the VOC
 * {@code VOCtest_06-Nov-2007.tar}), so the project needs no archive library: regular files and
 * directories are extracted; GNU long names ({@code L}) and the ustar name prefix are honoured;
 * pax headers ({@code x}, {@code g}) may only carry metadata we ignore, except a pax
 * {@code path}, which is applied; links and devices are skipped. Entries that would land outside
 * the destination ({@code ..}, absolute paths) are refused.
 */
public final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  /** Extracts {@code tar} below {@code dest}; returns the number of regular files written. */
  public static int extract(Path tar, Path dest) throws IOException {
    if (!Files.isRegularFile(tar)) {
      throw new IOException("No such tar file: " + tar);
    }
    Path root = Files.createDirectories(dest).toAbsolutePath().normalize();
    int[] files = {0};
    forEachFile(tar, (name, size, in) -> {
      Path target = inside(root, name, tar);
      Files.createDirectories(target.getParent());
      AtomicFiles.write(target, out -> copy(in, out, size));
      files[0]++;
    }, (name, tarFile) -> Files.createDirectories(inside(root, name, tarFile)));
    return files[0];
  }

  /** What to do with one regular file of the archive. */
  public interface FileVisitor {
    /**
     * @param in the entry's bytes; reading fewer than {@code size} is allowed (the rest is
     *     skipped), reading more is not possible
     */
    void visit(String name, long size, InputStream in) throws IOException;
  }

  private interface DirectoryVisitor {
    void visit(String name, Path tar) throws IOException;
  }

  /**
   * Streams every regular file of {@code tar} to {@code visitor} in archive order, without
   * writing anything to disk (e.g. to read the XML annotations of the 430 MB VOC test tar).
   */
  public static void forEachFile(Path tar, FileVisitor visitor) throws IOException {
    forEachFile(tar, visitor, (name, tarFile) -> {});
  }

  private static void forEachFile(Path tar, FileVisitor visitor, DirectoryVisitor dirs)
      throws IOException {
    if (!Files.isRegularFile(tar)) {
      throw new IOException("No such tar file: " + tar);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
      byte[] h = new byte[BLOCK];
      String longName = null;
      while (true) {
        if (!readBlock(in, h)) {
          break; // no end-of-archive marker: accept, as GNU tar does with a warning
        }
        if (isZero(h)) {
          break;
        }
        checkChecksum(h, tar);
        String name = string(h, 0, 100);
        long size = octal(h, 124, 12, tar);
        char type = (char) h[156];
        if (string(h, 257, 6).startsWith("ustar")) {
          String prefix = string(h, 345, 155);
          if (!prefix.isEmpty()) {
            name = prefix + "/" + name;
          }
        }
        if (type == 'L' || type == 'x') {
          String data = new String(readData(in, size), StandardCharsets.UTF_8);
          longName = type == 'L' ? data.replace("\0", "") : paxPath(data, longName);
          continue;
        }
        if (longName != null) {
          name = longName;
          longName = null;
        }
        if (type == '0' || type == '\0' || type == '7') {
          Bounded entry = new Bounded(in, size);
          visitor.visit(name, size, entry);
          entry.skipRest();
          skip(in, padding(size));
        } else if (type == '5') {
          dirs.visit(name, tar);
          skip(in, size + padding(size));
        } else {
          skip(in, size + padding(size)); // links, devices, global pax headers, ...
        }
      }
    }
  }

  /** One entry's bytes: stops at its end so a visitor cannot read into the next header. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("truncated tar entry: " + left + " bytes missing");
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("truncated tar entry: " + left + " bytes missing");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() {
      // The archive stays open for the next entry.
    }

    void skipRest() throws IOException {
      if (left > 0) {
        in.skipNBytes(left);
        left = 0;
      }
    }
  }

  private static String paxPath(String records, String current) {
    for (String rec : records.split("\n")) {
      int space = rec.indexOf(' ');
      if (space > 0 && rec.startsWith("path=", space + 1)) {
        return rec.substring(space + 1 + "path=".length());
      }
    }
    return current;
  }

  private static Path inside(Path root, String name, Path tar) throws IOException {
    Path p = root.resolve(name).normalize();
    if (name.startsWith("/") || !p.startsWith(root) || p.equals(root)) {
      throw new IOException(tar + ": entry '" + name + "' would be written outside " + root);
    }
    return p;
  }

  private static boolean readBlock(InputStream in, byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("truncated tar header");
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar extended header too large: " + size);
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new EOFException("truncated tar entry");
    }
    skip(in, padding(size));
    return data;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("truncated tar entry: " + left + " bytes missing");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkChecksum(byte[] h, Path tar) throws IOException {
    long stored;
    try {
      stored = octal(h, 148, 8, tar);
    } catch (IOException e) {
      stored = -1;
    }
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != stored) {
      throw new IOException(tar + ": bad tar header checksum (not a tar file, or corrupt)");
    }
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len, Path tar) throws IOException {
    if ((b[off] & 0x80) != 0) { // GNU base-256 for sizes >= 8 GiB
      long v = b[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (b[i] & 0xff);
      }
      return v;
    }
    String s = string(b, off, len).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException(tar + ": bad octal field '" + s + "' in tar header", e);
    }
  }
}
