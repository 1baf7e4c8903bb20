package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gradcam.TestData;
import org.gradcam.image.ImageEncoding;
import org.gradcam.image.Images;
import org.gradcam.image.Resize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** speed's stage, decode-only and perturbation rows, on two VOC photos and one large JPEG. */
class EndToEndSpeedTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test/JPEGImages");
  @TempDir Path tmp;

  @Test
  void stagesDecodeLimitFastDecodeAndPerturbationRows() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("jpegs"));
    Files.copy(VOC.resolve("000001.jpg"), dir.resolve("a.jpg"));
    Files.copy(VOC.resolve("001150.jpg"), dir.resolve("b.jpg"));
    var photo = Images.read(VOC.resolve("001150.jpg"));
    Images.write(Resize.resize(photo, 1000, 750, Resize.Interpolation.BILINEAR),
        dir.resolve("c.jpg"), ImageEncoding.jpeg(95));
    Path md = tmp.resolve("benchmarks.md");
    assertThat(run("speed", "--only", "throughput", "--models", "squeezenet1.1", "--batches", "8",
        "--seconds", "0.05", "--images", dir.toString(), "--repeats", "1", "--threads", "1,1",
        "--out", md.toString())).as(err.toString()).isZero();
    String text = Files.readString(md);
    assertThat(text).contains("## Where explain's time goes", "| decode (Images.read) |",
        "| graph (Grad-CAM, graph batch 8) |", "| encode PNG |", "| encode JPEG quality 90 |",
        "| decode only, full, 1 thread |", "| explain pipelined, JPEG 90, --fast-decode |",
        "| deletion + insertion | 58 |");
    // Only the 1000x750 JPEG is at least twice 224 on its short side.
    assertThat(text).contains("--fast-decode on squeezenet1.1: 1 of 3 files reduced");
    assertThat(text).containsPattern("\\| Score-CAM \\(fire9, \\d+ of 512 channels informative\\) \\|");
  }
}
