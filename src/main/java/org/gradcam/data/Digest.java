package org.gradcam.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File digests as the asset table states them: sha256, md5, or a git blob id. */
public final class Digest {
  private Digest() {}

  public static String of(Path file, String algorithm) throws IOException {
    MessageDigest md = switch (algorithm) {
      case "sha256" -> instance("SHA-256");
      case "md5" -> instance("MD5");
      case "gitblob" -> {
        // git hashes "blob <size>\0" followed by the content with SHA-1.
        MessageDigest sha1 = instance("SHA-1");
        sha1.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
        yield sha1;
      }
      default -> throw new IllegalArgumentException("unknown digest algorithm " + algorithm);
    };
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest instance(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
