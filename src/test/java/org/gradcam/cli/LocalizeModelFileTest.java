package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code localize --model FILE --target CLASS_NAME|INDEX}: the mirror's SqueezeNet 1.1 ONNX file
 * (the built-in's weights) gives the built-in's boxes; a class target by index or label.
 */
class LocalizeModelFileTest extends CliTest {
  static final String ONNX =
      TestData.path("models/squeezenet1.1-onnx/squeezenet1.1.onnx").toString();
  static final Path PETS3 = TestData.path("models/pets3-squeezenet");

  private int localize(Path dir, String... extra) {
    List<String> args = new ArrayList<>(List.of("localize", "--images",
        LocalizeCommandTest.IMAGES, "--objects-csv", LocalizeCommandTest.CSV,
        "--out", dir.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  /** boxes.csv rows as [id, threshold, xmin, ymin, xmax, ymax] and the scores apart. */
  private static void assertSameBoxes(Path a, Path b) throws Exception {
    List<String> x = Files.readAllLines(a.resolve("boxes.csv"));
    List<String> y = Files.readAllLines(b.resolve("boxes.csv"));
    assertThat(y).hasSameSizeAs(x);
    assertThat(x.size()).isGreaterThan(1);
    for (int i = 0; i < x.size(); i++) {
      String[] f = x.get(i).split(",");
      String[] g = y.get(i).split(",");
      assertThat(List.of(g).subList(0, 6)).as("row %d", i).isEqualTo(List.of(f).subList(0, 6));
      if (i > 0) {
        // Same weights, other op order (importer vs built-in graph): the gradients differ by
        // float32 rounding, which the max-normalised map carries into the box means (~1e-4).
        assertThat(Double.parseDouble(g[6])).as("score of row %d", i)
            .isCloseTo(Double.parseDouble(f[6]), org.assertj.core.data.Offset.offset(1e-3));
      }
    }
  }

  @Test
  void onnxFileOfTheBuiltInWeightsGivesTheBuiltInBoxes(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(Path.of(ONNX)), "the mirror's SqueezeNet ONNX file");
    Path builtIn = tmp.resolve("built-in");
    Path file = tmp.resolve("file");
    assertThat(localize(builtIn)).as(err.toString()).isZero();
    assertThat(localize(file, "--model", ONNX)).as(err.toString()).isZero();
    assertSameBoxes(builtIn, file);
    assertThat(Files.readAllLines(file.resolve("targets.csv")))
        .isEqualTo(Files.readAllLines(builtIn.resolve("targets.csv")));

    // One class by index and by its label (ImageNet's names, the default for 1000 outputs):
    // the same class map, so the same boxes.
    String pug = org.gradcam.model.ImageNetLabels.get(254).name();
    Path byIndex = tmp.resolve("file-254");
    Path byLabel = tmp.resolve("file-pug");
    assertThat(localize(byIndex, "--model", ONNX, "--target", "254")).as(err.toString()).isZero();
    assertThat(localize(byLabel, "--model", ONNX, "--target", pug)).as(err.toString()).isZero();
    assertSameBoxes(byIndex, byLabel);
    assertThat(Files.readAllLines(byIndex.resolve("targets.csv")).subList(1, 5))
        .allSatisfy(l -> assertThat(l).endsWith(",254,class 254"));
    assertThat(Files.readAllLines(byLabel.resolve("targets.csv")).subList(1, 5))
        .allSatisfy(l -> assertThat(l).endsWith(",254," + pug));
  }

  @Test
  void targetByLabelOfAModelFile(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(PETS3.resolve("model.onnx")), "the mirror's pets3 model");
    String model = PETS3.resolve("model.onnx").toString();
    String labels = PETS3.resolve("labels.txt").toString();
    int bulldog = Files.readAllLines(PETS3.resolve("labels.txt")).indexOf("american_bulldog");
    assertThat(bulldog).isNotNegative();
    assertThat(localize(tmp.resolve("a"), "--model", model, "--labels", labels,
        "--resize", "bilinear", "--target", "american_bulldog")).as(err.toString()).isZero();
    assertThat(Files.readAllLines(tmp.resolve("a/targets.csv")).subList(1, 5))
        .allSatisfy(l -> assertThat(l).endsWith("," + bulldog + ",american_bulldog"));
    // The same class by index: the same boxes.
    assertThat(localize(tmp.resolve("b"), "--model", model, "--labels", labels,
        "--resize", "bilinear", "--target", String.valueOf(bulldog))).as(err.toString()).isZero();
    assertSameBoxes(tmp.resolve("a"), tmp.resolve("b"));
  }

  @Test
  void badTargetsAreOneErrorLine(@TempDir Path tmp) {
    assumeTrue(Files.isRegularFile(PETS3.resolve("model.onnx")), "the mirror's pets3 model");
    String model = PETS3.resolve("model.onnx").toString();
    String labels = PETS3.resolve("labels.txt").toString();
    assertThat(localize(tmp.resolve("a"), "--model", model, "--labels", labels,
        "--target", "poodle")).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("error: ").contains("'poodle' is not a label");
    assertThat(localize(tmp.resolve("b"), "--model", model, "--target", "top-dog")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("the model has 3 outputs");
    assertThat(localize(tmp.resolve("c"), "--model", model, "--target", "3")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("out of range");
  }

  @Test
  void aTargetLabelWithACommaIsQuotedInTargetsCsv(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(PETS3.resolve("model.onnx")), "the mirror's pets3 model");
    // The label as given, RFC 4180-quoted: formerly its comma became a ';'.
    String label = "bulldog, \"American\"";
    Path labels = tmp.resolve("labels.txt");
    Files.write(labels, Files.readAllLines(PETS3.resolve("labels.txt")).stream()
        .map(l -> l.equals("american_bulldog") ? label : l).toList());
    assertThat(localize(tmp.resolve("a"), "--model", PETS3.resolve("model.onnx").toString(),
        "--labels", labels.toString(), "--resize", "bilinear", "--target", label))
        .as(err.toString()).isZero();
    Path targets = tmp.resolve("a/targets.csv");
    assertThat(Files.readAllLines(targets).get(1)).endsWith(",\"bulldog, \"\"American\"\"\"");
    try (var csv = org.apache.commons.csv.CSVParser.parse(targets,
        java.nio.charset.StandardCharsets.UTF_8, org.apache.commons.csv.CSVFormat.RFC4180)) {
      List<org.apache.commons.csv.CSVRecord> rows = csv.getRecords();
      assertThat(rows).hasSize(5);
      assertThat(rows.subList(1, 5)).allSatisfy(r -> assertThat(r.get(2)).isEqualTo(label));
    }
  }
}
