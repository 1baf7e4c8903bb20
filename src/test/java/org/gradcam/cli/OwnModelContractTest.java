package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.image.CenterCrop;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize;
import org.gradcam.model.onnx.OnnxTestGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's model contract beyond the pets3 file: a 1-channel non-square ONNX model (1 x 28 x 36)
 * through explain (every map method), localize and benchmark; labels from the file's metadata;
 * a multi-label (Sigmoid) model with {@code --class NAME}; torchvision's resize and center crop
 * with the map drawn on the crop's part of the original image. ONNX Runtime is the oracle.
 */
class OwnModelContractTest extends CliTest {
  static final Path BENGAL =
      TestData.path("oxford-iiit-pet-3class/test/Bengal/Bengal_1.jpg");
  static final Path VOC = TestData.path("voc2007-test");

  @TempDir Path tmp;

  private Path grey(String name, boolean sigmoid, String labelsKey, String labels)
      throws Exception {
    var g = OnnxTestGraphs.greyNonSquare(1, 28, 36, 3, 7);
    if (labelsKey != null) {
      g.metadata.put(labelsKey, labels);
    }
    return OnnxTestGraphs.writeGreyNonSquare(g, tmp, name, sigmoid);
  }

  /** The photo as the model's contract says, computed here: Pillow NEAREST, Pillow L, / 255. */
  private static float[] greyInput(BufferedImage photo) {
    float[] rgb = Images.toHwcFloats(Resize.resize(photo, 36, 28, Resize.Interpolation.NEAREST));
    float[] x = new float[28 * 36];
    for (int i = 0; i < x.length; i++) {
      int r = (int) rgb[3 * i];
      int g = (int) rgb[3 * i + 1];
      int b = (int) rgb[3 * i + 2];
      x[i] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255f;
    }
    return x;
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.gradcam.cam.CamMethods#names")
  void greyNonSquareModelExplainsWithEveryMethodLabelledFromItsMetadata(String method)
      throws Exception {
    Path model = grey("grey", false, "labels", "[\"cat\", \"dog\", \"bird\"]");
    float[] ort = OnnxTestGraphs.ort(model, "input", greyInput(Images.read(BENGAL)),
        new long[] {1, 1, 28, 36});
    int top = 0;
    for (int i = 1; i < 3; i++) {
      top = ort[i] > ort[top] ? i : top;
    }
    int width = Images.read(BENGAL).getWidth();
    Path png = tmp.resolve(method.replace("+", "p") + ".png");
    Path npy = tmp.resolve(method.replace("+", "p") + ".npy");
    assertThat(run("explain", "--model", model.toString(), "--image", BENGAL.toString(),
        "--method", method, "--out", png.toString(), "--heatmap-out", npy.toString(),
        "--json")).as(method + ": " + err).isZero();
    JsonNode j = json();
    assertThat(j.get("input").toString())
        .isEqualTo("{\"height\":28,\"width\":36,\"channels\":1,\"layout\":\"NCHW\"}");
    assertThat(j.get("preprocess").get("preset").asText()).isEqualTo("raw01");
    assertThat(j.get("layer").asText()).isEqualTo("relu_map");
    assertThat(j.get("heatmap_shape").toString()).isEqualTo("[14,18]");
    assertThat(Npy.read(npy).shape()).containsExactly(14, 18);
    assertThat(Images.read(png).getWidth()).isEqualTo(width);
    for (JsonNode p : j.get("top5")) {
      int i = p.get("index").asInt();
      assertThat(p.get("label").asText()).isEqualTo(List.of("cat", "dog", "bird").get(i));
      assertThat(p.get("logit").asDouble()).as(method).isCloseTo(ort[i],
          within(1e-4 * Math.max(1, Math.abs(ort[i]))));
    }
    assertThat(j.get("target").get("index").asInt()).isEqualTo(top);
    double[] map = Npy.read(npy).values();
    for (double v : map) {
      assertThat(v).as(method).isFinite();
    }
  }

  @Test
  void greyNonSquareModelLocalizesAndBenchmarksWithATargetLabel() throws Exception {
    Path model = grey("grey", false, "classes", "cat\ndog\nbird\n");
    Path loc = tmp.resolve("loc");
    assertThat(run("localize", "--model", model.toString(), "--target", "dog", "--images",
        VOC.resolve("JPEGImages").toString(), "--objects-csv",
        VOC.resolve("voc2007_test_objects.csv").toString(), "--out", loc.toString()))
        .as(err.toString()).isZero();
    List<String> targets = Files.readAllLines(loc.resolve("targets.csv"));
    assertThat(targets).hasSize(5);
    targets.subList(1, 5).forEach(l -> assertThat(l.split(",")[1]).isEqualTo("1"));
    assertThat(Files.readAllLines(loc.resolve("boxes.csv")).size()).isGreaterThan(4);

    // With torchvision's crop the map lies in the crop's rectangle of the original image; the
    // course procedure's uniform filter (size 20) lets a box reach at most 10 px beyond it.
    Path cropped = tmp.resolve("cropped");
    assertThat(run("localize", "--model", model.toString(), "--target", "1", "--resize-short",
        "40", "--images", VOC.resolve("JPEGImages").toString(), "--objects-csv",
        VOC.resolve("voc2007_test_objects.csv").toString(), "--out", cropped.toString()))
        .as(err.toString()).isZero();
    assertThat(Files.readString(cropped.resolve("summary.md")))
        .contains("resize short side 40, center crop to the model's input size");
    CenterCrop crop = new CenterCrop(40, 28, 36);
    List<String> boxes = Files.readAllLines(cropped.resolve("boxes.csv"));
    assertThat(boxes.size()).isGreaterThan(4);
    for (String line : boxes.subList(1, boxes.size())) {
      String[] f = line.split(",");
      BufferedImage img = Images.read(VOC.resolve("JPEGImages/" + f[0] + ".jpg"));
      CenterCrop.Region r = crop.region(img.getWidth(), img.getHeight());
      assertThat(Double.parseDouble(f[2])).as(line).isGreaterThanOrEqualTo(r.x0() - 10);
      assertThat(Double.parseDouble(f[3])).as(line).isGreaterThanOrEqualTo(r.y0() - 10);
      assertThat(Double.parseDouble(f[4])).as(line).isLessThanOrEqualTo(r.x1() + 10);
      assertThat(Double.parseDouble(f[5])).as(line).isLessThanOrEqualTo(r.y1() + 10);
    }

    Path bench = tmp.resolve("bench");
    assertThat(run("benchmark", "--model", model.toString(), "--target", "dog", "--methods",
        "gradcam,scorecam", "--images", VOC.resolve("JPEGImages").toString(), "--objects-csv",
        VOC.resolve("voc2007_test_objects.csv").toString(), "--out", bench.toString()))
        .as(err.toString()).isZero();
    List<String> rows = Files.readAllLines(bench.resolve("benchmark.csv"));
    assertThat(rows).hasSize(3);
    List<String> header = List.of(rows.get(0).split(","));
    for (String row : rows.subList(1, 3)) {
      // The dataset label (first field) is quoted: it holds a comma.
      String[] f = row.replaceFirst("^\"[^\"]*\",", "dataset,").split(",");
      assertThat(f[header.indexOf("model")]).isEqualTo(model.toString());
      assertThat(f[header.indexOf("layer")]).isEqualTo("relu_map");
      assertThat(f[header.indexOf("images")]).isEqualTo("4");
      for (String auc : List.of("deletion_auc", "insertion_auc")) {
        assertThat(Double.parseDouble(f[header.indexOf(auc)])).as(auc).isBetween(0.0, 1.0);
      }
    }
    assertThat(Files.readString(bench.resolve("benchmark.md"))).contains("Target: class dog of "
        + "the model");
    // The ImageNet dog set on a 3-class model is one clear error.
    assertThat(run("benchmark", "--model", model.toString(), "--images",
        VOC.resolve("JPEGImages").toString(), "--objects-csv",
        VOC.resolve("voc2007_test_objects.csv").toString(), "--out", tmp.resolve("b2").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("ImageNet dog")
        .doesNotContain("\tat ");
  }

  @Test
  void sigmoidModelShowsEachOutputsProbabilityAndClassPicksTheOutputByName() throws Exception {
    Path model = grey("multi", true, "labels", "[\"cat\", \"dog\", \"bird\"]");
    // ORT runs the file with its Sigmoid: its outputs are the probabilities themselves.
    float[] p = OnnxTestGraphs.ort(model, "input", greyInput(Images.read(BENGAL)),
        new long[] {1, 1, 28, 36});
    for (String cls : List.of("bird", "2")) {
      assertThat(run("explain", "--model", model.toString(), "--image", BENGAL.toString(),
          "--class", cls, "--out", tmp.resolve("m.png").toString(), "--json"))
          .as(err.toString()).isZero();
      JsonNode j = json();
      assertThat(j.get("output_activation").asText()).isEqualTo("sigmoid");
      assertThat(j.get("target").get("index").asInt()).isEqualTo(2);
      assertThat(j.get("target").get("label").asText()).isEqualTo("bird");
      double sum = 0;
      for (JsonNode e : j.get("top5")) {
        int i = e.get("index").asInt();
        assertThat(e.get("probability").asDouble()).isCloseTo(p[i], within(1e-5));
        // The logit is the Sigmoid's input: log(p / (1 - p)).
        assertThat(e.get("logit").asDouble()).isCloseTo(Math.log(p[i] / (1 - p[i])),
            within(1e-3));
        sum += e.get("probability").asDouble();
      }
      assertThat(sum).isNotCloseTo(1.0, within(1e-3)); // independent outputs, not a softmax
    }
    assertThat(run("explain", "--model", model.toString(), "--image", BENGAL.toString(),
        "--class", "horse", "--out", tmp.resolve("h.png").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: Invalid value for option '--class': 'horse' "
        + "is not a label of the model (3 classes; its labels: cat, dog, bird)");
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(tmp.resolve("h.png")).doesNotExist();
    // Declared for a logits-only export; unknown activations are refused.
    Path plain = grey("plain", false, null, null);
    assertThat(run("explain", "--model", plain.toString(), "--image", BENGAL.toString(),
        "--output-activation", "sigmoid", "--out", tmp.resolve("s.png").toString(), "--json"))
        .as(err.toString()).isZero();
    assertThat(json().get("output_activation").asText()).isEqualTo("sigmoid");
    assertThat(json().get("top5").get(0).get("label").asText()).startsWith("class_");
    assertThat(run("explain", "--model", plain.toString(), "--image", BENGAL.toString(),
        "--output-activation", "tanh", "--out", tmp.resolve("t.png").toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("error: Invalid value for option "
        + "'--output-activation': expected one of [softmax, sigmoid] (case-insensitive) but was "
        + "'tanh' (see 'gradcam explain --help')");
  }

  @Test
  void metadataLabelsOfTheWrongCountOrFormAreOneError() throws Exception {
    String[][] cases = {
        {"labels", "[\"cat\", \"dog\"]", "2 labels for model"},
        {"labels", "[\"cat\", 3, \"bird\"]", "non-empty strings"},
        {"labels", "[\"cat\", ", "not a JSON list"},
        {"classes", "cat\n\ndog\nbird", "blank line 2"},
    };
    for (String[] c : cases) {
      Path model = grey("bad" + c[2].hashCode(), false, c[0], c[1]);
      assertThat(run("explain", "--model", model.toString(), "--image", BENGAL.toString(),
          "--out", tmp.resolve("x.png").toString())).as(c[1]).isEqualTo(2);
      assertThat(err.toString()).as(c[1]).startsWith("error: ").contains("metadata")
          .contains(c[2]).doesNotContain("\tat ");
      assertThat(err.toString().strip().lines()).hasSize(1);
    }
    // --labels wins over the metadata.
    Path model = grey("both", false, "labels", "[\"cat\", \"dog\"]");
    Path labels = tmp.resolve("labels.txt");
    Files.writeString(labels, "a\nb\nc\n");
    assertThat(run("explain", "--model", model.toString(), "--labels", labels.toString(),
        "--image", BENGAL.toString(), "--out", tmp.resolve("y.png").toString(), "--json"))
        .as(err.toString()).isZero();
    assertThat(List.of("a", "b", "c")).contains(json().get("target").get("label").asText());
  }

  @Test
  void centerCropFeedsTheCropAndDrawsTheMapOnItsPartOfTheOriginal() throws Exception {
    Path model = grey("grey", false, null, null);
    // A 400x300 photo-like picture: short side 256 gives 341x256; the crop is 28x36 (the input).
    BufferedImage photo = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(3);
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 400; x++) {
        photo.setRGB(x, y, (x * 255 / 400) << 16 | (y * 255 / 300) << 8 | r.nextInt(256));
      }
    }
    Path image = tmp.resolve("photo.png");
    Images.writePng(photo, image);
    Path png = tmp.resolve("crop.png");
    Path npy = tmp.resolve("crop.npy");
    assertThat(run("explain", "--model", model.toString(), "--image", image.toString(),
        "--resize-short", "36", "--center-crop", "28x36", "--out", png.toString(),
        "--heatmap-out", npy.toString(), "--json")).as(err.toString()).isZero();
    JsonNode j = json();
    assertThat(j.get("center_crop").toString())
        .isEqualTo("{\"resize_short\":36,\"height\":28,\"width\":36}");
    // By hand: 400x300 -> short side 36: 48x36 (int(36 * 400 / 300)); crop 28x36 at left
    // round(6.0) = 6, top round(4.0) = 4; back by 400/48 and 300/36: x [50, 350), y [33, 267).
    CenterCrop.Region region = new CenterCrop.Region(50, 33, 350, 267);
    // The model saw exactly the crop: ORT on it, made here from the resized picture.
    BufferedImage resized = Resize.resize(photo, 48, 36, Resize.Interpolation.NEAREST);
    float[] ort = OnnxTestGraphs.ort(model, "input",
        greyInput(resized.getSubimage(6, 4, 36, 28)), new long[] {1, 1, 28, 36});
    for (JsonNode p : j.get("top5")) {
      int i = p.get("index").asInt();
      assertThat(p.get("logit").asDouble()).isCloseTo(ort[i],
          within(1e-4 * Math.max(1, Math.abs(ort[i]))));
    }
    // The overlay is the original's size; outside the crop it is the blend of a zero map.
    BufferedImage overlay = Images.read(png);
    assertThat(overlay.getWidth()).isEqualTo(400);
    assertThat(overlay.getHeight()).isEqualTo(300);
    BufferedImage zero = Overlay.blend(photo, new float[400 * 300], Colormap.JET, 0.4);
    int insideDiffers = 0;
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 400; x++) {
        boolean in = x >= region.x0() && x < region.x1() && y >= region.y0() && y < region.y1();
        if (!in) {
          assertThat(overlay.getRGB(x, y)).as("(%d, %d)", x, y).isEqualTo(zero.getRGB(x, y));
        } else if (overlay.getRGB(x, y) != zero.getRGB(x, y)) {
          insideDiffers++;
        }
      }
    }
    double max = java.util.Arrays.stream(Npy.read(npy).values()).max().orElseThrow();
    assertThat(max).isPositive();
    assertThat(insideDiffers).isGreaterThan(1000);

    // --center-crop must be the model's input and needs --resize-short; too small is refused.
    String[][] bad = {
        {"--resize-short", "36", "--center-crop", "28"},
        {"--center-crop", "28x36"},
        {"--resize-short", "20"},
        {"--resize-short", "36", "--center-crop", "28by36"},
    };
    String[] messages = {"the center crop 28x28 (height x width) must be the model's input "
        + "size 28x36", "--center-crop needs --resize-short N", "larger than the image resized",
        "Invalid value for option '--center-crop': expected N or HxW (height x width) but was "
        + "'28by36'"};
    for (int i = 0; i < bad.length; i++) {
      List<String> args = new ArrayList<>(List.of("explain", "--model", model.toString(),
          "--image", image.toString(), "--out", tmp.resolve("bad.png").toString()));
      args.addAll(List.of(bad[i]));
      assertThat(run(args.toArray(String[]::new))).as(String.join(" ", bad[i])).isEqualTo(2);
      assertThat(err.toString()).startsWith("error: ").contains(messages[i])
          .doesNotContain("\tat ");
      assertThat(tmp.resolve("bad.png")).doesNotExist();
    }
  }

  @Test
  void analyzeErrorsFeedsTheCropAndSaysSoInItsSummary() throws Exception {
    Path model = grey("grey", false, "labels", "[\"Abyssinian\", \"Bengal\", "
        + "\"american_bulldog\"]");
    Path data = tmp.resolve("data");
    Path pets = TestData.path("oxford-iiit-pet-3class/test");
    for (String c : List.of("Abyssinian", "Bengal", "american_bulldog")) {
      Files.createDirectories(data.resolve(c));
      try (var files = Files.list(pets.resolve(c))) {
        for (Path f : files.sorted().limit(2).toList()) {
          Files.copy(f, data.resolve(c).resolve(f.getFileName()));
        }
      }
    }
    Path o = tmp.resolve("errors");
    assertThat(run("analyze-errors", "--model", model.toString(), "--data-dir", data.toString(),
        "--resize-short", "40", "--resize", "bilinear", "--out", o.toString()))
        .as(err.toString()).isZero();
    JsonNode s = new ObjectMapper().readTree(o.resolve("error_summary.json").toFile());
    assertThat(s.get("preprocessing").asText())
        .contains("resize short side 40, center crop 28x36 (Pillow bilinear)");
  }
}
