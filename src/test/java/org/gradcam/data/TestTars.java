package org.gradcam.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes small ustar archives for tests (names up to 100 bytes, regular files only). */
public final class TestTars {
  private TestTars() {}

  public static Path write(Path tar, Map<String, byte[]> files) throws IOException {
    try (OutputStream out = Files.newOutputStream(tar)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        byte[] h = new byte[512];
        put(h, 0, e.getKey(), 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", e.getValue().length), 12);
        put(h, 136, "00000000000", 12);
        h[156] = '0';
        put(h, 257, "ustar", 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) {
          h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
          sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        out.write(h);
        out.write(e.getValue());
        out.write(new byte[(512 - e.getValue().length % 512) % 512]);
      }
      out.write(new byte[1024]);
    }
    return tar;
  }

  private static void put(byte[] h, int off, String s, int len) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    if (b.length > len) {
      throw new IllegalArgumentException("tar field too long: " + s);
    }
    System.arraycopy(b, 0, h, off, b.length);
  }
}
