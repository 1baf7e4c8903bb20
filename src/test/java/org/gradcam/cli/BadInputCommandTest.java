package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.image.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that gave a silent wrong result or an unclear message: each is now one {@code error:}
 * line on stderr, exit code 2, and nothing written.
 */
class BadInputCommandTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test/JPEGImages");
  static final Path PICKLES = Path.of("src/test/resources/org/gradcam/data/pickles");
  static final Path GT =
      TestData.path("published/rayanramoul-GradCAM/results/all_gt_dogs.pickle");
  @TempDir Path tmp;

  /** Exit 2, a single {@code error:} line containing {@code message}, nothing on stdout. */
  void assertError(int exit, String message) {
    assertOneLineError(exit, message);
  }

  @Test
  void truncatedJpegIsAnErrorAndWritesNothing() throws Exception {
    byte[] whole = Files.readAllBytes(VOC.resolve("001150.jpg"));
    Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(whole, 20000));
    Path png = tmp.resolve("cut.png");
    assertError(run("explain", "--image", cut.toString(), "--out", png.toString()),
        cut + ": truncated or corrupt JPEG (");
    assertThat(png).doesNotExist();
  }

  @Test
  void imagesOverThePixelLimitAreRefusedAndTheLimitIsPerRun() throws Exception {
    Path huge = org.gradcam.image.ImagesTestAccess.pngClaiming(tmp.resolve("huge.png"), 20000,
        20000);
    Path png = tmp.resolve("huge-out.png");
    assertError(run("explain", "--image", huge.toString(), "--out", png.toString()),
        "20000x20000 = 400 megapixels, above the limit of 100 megapixels");
    assertThat(png).doesNotExist();

    String voc = VOC.resolve("001150.jpg").toString();
    assertError(run("explain", "--image", voc, "--out", png.toString(), "--max-pixels", "100000"),
        "500x375 = 0.2 megapixels, above the limit of 0.1 megapixels");
    assertThat(run("explain", "--image", voc, "--out", png.toString())).as(err.toString()).isZero();
    assertThat(Images.maxPixels()).as("the default again").isEqualTo(Images.DEFAULT_MAX_PIXELS);
    assertError(run("explain", "--image", voc, "--out", png.toString(), "--max-pixels", "0"),
        "Invalid value for option '--max-pixels': must be at least 1 but was '0'");
  }

  @Test
  void nonFiniteInputNpyIsAnError() throws Exception {
    float[] x = new float[3 * 224 * 224];
    x[224 * 224 + 5 * 224 + 7] = Float.NaN;
    Path npy = tmp.resolve("nan.npy");
    Npy.writeFloat32(npy, x, 1, 3, 224, 224);
    Path png = tmp.resolve("nan.png");
    assertError(run("explain", "--input-npy", npy.toString(), "--out", png.toString()),
        npy + " holds NaN at index [0, 1, 5, 7]: an input must be finite numbers only");
    x[224 * 224 + 5 * 224 + 7] = Float.NEGATIVE_INFINITY;
    Npy.writeFloat32(npy, x, 1, 3, 224, 224);
    assertError(run("explain", "--input-npy", npy.toString(), "--out", png.toString()),
        "holds -Infinity at index [0, 1, 5, 7]");
    assertThat(png).doesNotExist();
  }

  @Test
  void topKAboveTheClassesIsAnError() {
    assertError(run("explain", "--image", VOC.resolve("000001.jpg").toString(), "--top-k", "1001",
        "--out", tmp.resolve("k").toString()),
        "--top-k 1001 is more than the 1000 classes of model squeezenet1.1");
  }

  @Test
  void oneByOneLayersOfMobileNetV2AreNotTargets() {
    for (String layer : new String[] {"Logits", "global_average_pooling2d"}) {
      assertError(run("explain", "--model", "mobilenet_v2", "--layer", layer, "--image",
          VOC.resolve("000001.jpg").toString(), "--out", tmp.resolve("m.png").toString()),
          "layer '" + layer + "' of model mobilenet_v2 has output shape [1, 1, ");
      assertThat(err.toString()).contains("valid target layers: Conv1, ").contains("Conv_1")
          .doesNotContain("Conv_1, ");
    }
  }

  @Test
  void unknownResizeIsPicocliClearMessage() {
    assertError(run("explain", "--image", VOC.resolve("000001.jpg").toString(), "--resize", "foo",
        "--out", tmp.resolve("r.png").toString()), "Invalid value for option '--resize': "
        + "expected one of [nearest, bilinear] (case-insensitive) but was 'foo'");
    assertError(run("localize", "--voc", TestData.path("voc2007-test").toString(), "--resize",
        "cubic", "--out", tmp.resolve("l").toString()), "expected one of [nearest, bilinear]");
    assertThat(new InterpolationOption().convert("BiLinear"))
        .isEqualTo(org.gradcam.image.Resize.Interpolation.BILINEAR);
  }

  @Test
  void hugeSmoothSizeIsARangeError() throws Exception {
    Path map = tmp.resolve("h.npy");
    Npy.writeFloat32(map, new float[] {0.1f, 0.9f, 0.3f, 0.2f}, 2, 2);
    assertError(run("boxes", "--heatmap", map.toString(), "--threshold", "0.5", "--smooth",
        "2147483647"), "--smooth must be between 1 and 1048576, got 2147483647");
    assertError(run("localize", "--voc", TestData.path("voc2007-test").toString(), "--smooth",
        "0", "--out", tmp.resolve("l").toString()),
        "--smooth must be between 1 and 1048576, got 0");
  }

  @Test
  void repeatedIouThresholdIsAnError() {
    assertError(run("evaluate", "--gt", GT.toString(), "--detections",
        PICKLES.resolve("detections_protocol4.pickle").toString(), "--iou", "0.5,0.5"),
        "--iou lists 0.5 twice; give each threshold once");
  }

  @Test
  void maliciousPickleIsRefusedByName() {
    Path evil = PICKLES.resolve("os_system_protocol4.pickle");
    assertError(run("evaluate", "--gt", GT.toString(), "--detections", evil.toString()),
        evil + ": refused: the pickle tries to construct posix.system");
  }

  @Test
  void speedChecksItsOptionsBeforeMeasuring() {
    // assertError also requires an empty stdout: no table was measured or printed.
    assertError(run("speed", "--batches", "0"), "--batches must be numbers >= 1, got 0");
    assertError(run("speed", "--images", "/nonexistent"), "--images: no such directory: "
        + "/nonexistent");
    assertError(run("speed", "--threads", "0,0"), "--threads takes LOADERS,WRITERS, two numbers "
        + ">= 1, got 0,0");
    assertError(run("speed", "--threads", "2"), "got 2");
    assertError(run("speed", "--models", "mobilenet_v2"), "speed does not time mobilenet_v2");
    assertError(run("speed", "--seconds", "0"), "--seconds must be a number > 0");
  }

  @Test
  void outputUnderARegularFileSaysSo() throws Exception {
    Path blocker = Files.writeString(tmp.resolve("plain-file"), "x");
    String image = VOC.resolve("000001.jpg").toString();
    Path npy = blocker.resolve("h.npy");
    assertError(run("explain", "--image", image, "--out", tmp.resolve("ok.png").toString(),
        "--heatmap-out", npy.toString()),
        "Cannot write " + npy + ": " + blocker + " is a file, not a directory");
    Path png = blocker.resolve("o.png");
    assertError(run("explain", "--image", image, "--out", png.toString()),
        "Cannot write " + png + ": " + blocker + " is a file, not a directory");
  }

  @Test
  void usageErrorsAreOneLineToo() {
    assertError(run("evaluate", "--gt", GT.toString()), "Missing required option: "
        + "'--detections=<detections>' (see 'gradcam evaluate --help')");
    assertError(run("boxes", "--heatmap", "x.npy", "--threshold", "0.5", "--smoth", "3"),
        "Unknown options: '--smoth', '3' (did you mean --smooth?) (see 'gradcam boxes --help')");
  }
}
