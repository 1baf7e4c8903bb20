package org.gradcam.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.TestData;
import org.gradcam.cli.CliTest;
import org.gradcam.image.Colormap;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis on the pets' test split with the fine-tuned 3-class ONNX model: run by ONNX
 * Runtime, whose accuracy must be the one PyTorch measured (the model's README: 279 of 298), and
 * through our importer by {@code analyze-errors}, whose every prediction must be ONNX Runtime's. The model's preprocessing is
 * torchvision's (BILINEAR to 224x224, ImageNet mean/std, NCHW), which is the built-in SqueezeNet
 * 1.1's {@code ModelSpec} with BILINEAR resizing.
 */
class PetsTestSplitTest extends CliTest {
  static final Path MODEL = TestData.path("models/pets3-squeezenet");
  static final Path TEST = TestData.path("oxford-iiit-pet-3class/test");

  @Test
  void analyzeErrorsOnTheImportedModelPredictsWhatOnnxRuntimePredicts(@TempDir Path dir)
      throws Exception {
    List<String> labels = Files.readAllLines(MODEL.resolve("labels.txt"));
    ImageFolder data = ImageFolder.open(TEST, labels);
    List<ClassifiedImage> ort;
    try (OrtLogits logits = new OrtLogits(MODEL.resolve("model.onnx"), 3, 224, 224)) {
      ort = Classification.run(SqueezeNet11.spec(), 3, logits, data, Interpolation.BILINEAR, 3,
          16, n -> { });
    }
    Path analysis = dir.resolve("out");
    assertThat(run("analyze-errors", "--model", MODEL.resolve("model.onnx").toString(),
        "--labels", MODEL.resolve("labels.txt").toString(), "--preprocess", "torch",
        "--resize", "bilinear", "--data-dir", TEST.toString(), "--top-errors", "2",
        "--out", analysis.toString())).as(err.toString()).isZero();
    Map<String, String> predicted = new HashMap<>();
    List<String> details = Files.readAllLines(analysis.resolve(ErrorAnalysis.DETAILS));
    for (String line : details.subList(1, 299)) {
      String[] f = line.split(",", -1);
      predicted.put(f[0], f[2]);
    }
    int[][] counts = new int[3][3];
    for (ClassifiedImage i : ort) {
      String key = TEST.relativize(i.file()).toString();
      assertThat(predicted.get(key)).as(key).isEqualTo(labels.get(i.predicted()));
      counts[i.trueClass()][i.predicted()]++;
    }
    JsonNode s = new ObjectMapper().readTree(analysis.resolve(ErrorAnalysis.SUMMARY).toFile());
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        assertThat(s.get("confusion_matrix").get("counts").get(t).get(p).asInt())
            .isEqualTo(counts[t][p]);
      }
    }
    assertThat(s.get("errors").asInt()).isEqualTo(19);
  }

  @Test
  void accuracyIsTheReadmesAndEveryListedErrorIsAnError(@TempDir Path dir) throws Exception {
    List<String> labels = Files.readAllLines(MODEL.resolve("labels.txt"));
    ImageFolder data = ImageFolder.open(TEST, labels);
    assertThat(data.samples()).hasSize(298);
    List<ClassifiedImage> images;
    try (OrtLogits ort = new OrtLogits(MODEL.resolve("model.onnx"), 3, 224, 224)) {
      images = Classification.run(SqueezeNet11.spec(), 3, ort, data, Interpolation.BILINEAR, 3,
          16, n -> { });
    }
    ErrorAnalysis a = new ErrorAnalysis(data, labels, images, new ErrorAnalysis.Settings(
        "pets3-squeezenet (ONNX Runtime)", TEST, "torchvision eval", Interpolation.BILINEAR, 5,
        0, 0, "-", "-", Colormap.JET, 0.4));
    assertThat(a.matrix().correct()).isEqualTo(279);
    assertThat(a.matrix().total()).isEqualTo(298);
    // the PNG with alpha named .jpg was read by its content and classified
    assertThat(images).anyMatch(i -> i.file().getFileName().toString().equals("Abyssinian_5.jpg"));

    Path out = dir.resolve("out");
    a.write(out, null);
    JsonNode s = new ObjectMapper().readTree(out.resolve(ErrorAnalysis.SUMMARY).toFile());
    assertThat(s.get("errors").asInt()).isEqualTo(19);
    assertThat(s.get("confusion_matrix").get("columns")).hasSize(3);
    long listed = 0;
    for (String line : Files.readAllLines(out.resolve(ErrorAnalysis.DETAILS)).subList(1, 299)) {
      String[] f = line.split(",", -1);
      // the true class is the folder the file is in
      assertThat(f[0]).startsWith(f[1] + "/");
      assertThat(Boolean.parseBoolean(f[4])).isEqualTo(f[1].equals(f[2]));
      listed += f[1].equals(f[2]) ? 0 : 1;
    }
    assertThat(listed).isEqualTo(19);
    for (JsonNode e : s.get("top_errors")) {
      assertThat(e.get("true").asText()).isNotEqualTo(e.get("predicted").asText());
    }
  }
}
