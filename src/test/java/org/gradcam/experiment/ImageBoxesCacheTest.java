package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.gradcam.data.PixelBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-image cache's file format: what caches written before still hold must read back. */
class ImageBoxesCacheTest {
  private static final String DIGEST = "ab".repeat(32);

  @Test
  void writesTheDocumentedFormatAndReadsItBack(@TempDir Path dir) throws Exception {
    ImageBoxesCache cache = new ImageBoxesCache(dir, "model=m threshold=0.06");
    var entry = new ImageBoxesCache.Entry(169, 353, 500, List.of(
        new ScoredBox(0.06, new PixelBox(120, 43, 132, 59), 0.06507954),
        new ScoredBox(0.5, new PixelBox(0, 0, 353, 500), 0.1)));

    cache.write("000001", DIGEST, entry);

    String body = "# model=m threshold=0.06\n# image sha256=" + DIGEST + "\n"
        + "# target_class=169 width=353 height=500\nthreshold,xmin,ymin,xmax,ymax,score\n"
        + "0.06,120,43,132,59,0.06507954\n0.5,0,0,353,500,0.1\n";
    assertThat(Files.readString(cache.file("000001")))
        .isEqualTo(body + "# checksum sha256=" + sha256(body) + "\n");
    assertThat(cache.read("000001", DIGEST)).contains(entry);
    assertThat(cache.read("000001", "cd".repeat(32))).isEmpty();
  }

  @Test
  void aRowThatDoesNotParseIsNotTrusted(@TempDir Path dir) throws Exception {
    ImageBoxesCache cache = new ImageBoxesCache(dir, "k");
    String head = "# k\n# image sha256=" + DIGEST + "\n# target_class=1 width=2 height=3\n"
        + ImageBoxesCache.HEADER + "\n";
    for (String rows : List.of("0.06,1,2,3\n", "0.06,1,2,x,4,0.5\n", "0.06,\"1,2,3,4,0.5\n")) {
      String body = head + rows;
      Files.writeString(cache.file("i"), body + "# checksum sha256=" + sha256(body) + "\n");
      assertThat(cache.read("i", DIGEST)).as(rows).isEmpty();
    }
    String good = head + "0.06,1,2,3,4,0.5\n";
    Files.writeString(cache.file("i"), good + "# checksum sha256=" + sha256(good) + "\n");
    assertThat(cache.read("i", DIGEST)).isPresent();
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
