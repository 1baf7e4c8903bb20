package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gradcam.TestData;
import org.gradcam.model.Predictions;
import org.gradcam.classify.ErrorAnalysis;
import org.gradcam.classify.OrtLogits;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze-errors --data-dir} with the built-in SqueezeNet 1.1 against ONNX Runtime on the
 * mirror's ONNX export of the same weights: the same input tensors (from {@code ModelSpec}), so
 * every prediction, the confusion matrix, accuracy and per-class metrics must agree.
 */
class ClassificationErrorsCommandTest extends CliTest {
  static final Path DATA = TestData.MIRROR;
  static final Path ONNX = DATA.resolve("models/squeezenet1.1-onnx/squeezenet1.1.onnx");
  static final Path DOGS = DATA.resolve("oxford-iiit-pet-dogs/images");
  static final Path PETS = DATA.resolve("oxford-iiit-pet-3class/test");

  /** Real photos under ImageNet class names: dogs as boxer / bull mastiff, cats as two cats. */
  static Path imageFolder(Path dir) throws Exception {
    Path root = dir.resolve("data");
    copy(DOGS, root.resolve("boxer"), "american_bulldog_10", "american_bulldog_100",
        "american_bulldog_101", "american_bulldog_102", "american_bulldog_103");
    copy(DOGS, root.resolve("bull_mastiff"), "american_bulldog_104", "american_bulldog_105",
        "american_bulldog_106", "american_bulldog_107");
    // Abyssinian_5.jpg is a PNG with alpha under a .jpg name
    copy(PETS.resolve("Abyssinian"), root.resolve("Egyptian cat"), "Abyssinian_5",
        "Abyssinian_2", "Abyssinian_20", "Abyssinian_201");
    copy(PETS.resolve("Bengal"), root.resolve("tiger cat"), "Bengal_1", "Bengal_19",
        "Bengal_192");
    Files.writeString(root.resolve("boxer/notes.txt"), "not an image");
    return root;
  }

  private static void copy(Path from, Path to, String... stems) throws Exception {
    Files.createDirectories(to);
    for (String s : stems) {
      Files.copy(from.resolve(s + ".jpg"), to.resolve(s + ".jpg"));
    }
  }

  /** One image as the oracle saw it. */
  record Oracle(String file, int truth, float[] logits, int top1, double[] p) {}

  static List<Oracle> oracle(Path root, Map<String, Integer> folders) throws Exception {
    List<Oracle> out = new ArrayList<>();
    try (OrtLogits ort = new OrtLogits(ONNX, 3, 224, 224)) {
      for (Map.Entry<String, Integer> f : folders.entrySet()) {
        List<Path> files;
        try (Stream<Path> s = Files.list(root.resolve(f.getKey()))) {
          files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        for (Path file : files) {
          float[] x = SqueezeNet11.spec().input(Images.read(file), Interpolation.NEAREST);
          float[] z = ort.of(x, 1);
          out.add(new Oracle(f.getKey() + "/" + file.getFileName(), f.getValue(), z,
              Predictions.topIndices(z, 0, z.length, 1)[0], Predictions.softmax(z, 0, z.length)));
        }
      }
    }
    return out;
  }

  @Test
  void confusionMatrixAccuracyMetricsAndEveryErrorEqualOnnxRuntimes(@TempDir Path dir)
      throws Exception {
    Path root = imageFolder(dir);
    Path o = dir.resolve("out");
    assertThat(run("analyze-errors", "--data-dir", root.toString(), "--out", o.toString(),
        "--top-errors", "4", "--num-samples", "2", "--seed", "11", "--batch-size", "3"))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("16 images in 4 classes").contains("seed 11")
        .contains("1 other files skipped");

    // folders sorted by name, as ImageFolder lists them
    Map<String, Integer> folders = new LinkedHashMap<>();
    folders.put("Egyptian cat", 285);
    folders.put("boxer", 242);
    folders.put("bull_mastiff", 243);
    folders.put("tiger cat", 282);
    List<Oracle> ort = oracle(root, folders);
    assertThat(ort).hasSize(16);

    List<String> csv = Files.readAllLines(o.resolve(ErrorAnalysis.DETAILS));
    assertThat(csv.get(0)).isEqualTo(ErrorAnalysis.CSV_HEADER);
    assertThat(csv).hasSize(17);
    int errors = 0;
    for (int i = 0; i < ort.size(); i++) {
      Oracle e = ort.get(i);
      String[] f = csv.get(i + 1).split(",", -1);
      assertThat(f[0]).isEqualTo(e.file());
      assertThat(f[1]).isEqualTo(ImageNetLabels.get(e.truth()).name());
      int ours = indexOf(f[2]);
      if (ours != e.top1()) {
        // only a float32 near-tie may pick another class: then both logits agree within 1e-3
        assertThat((double) e.logits()[ours]).as(e.file())
            .isCloseTo(e.logits()[e.top1()], within(1e-3));
      }
      assertThat(Double.parseDouble(f[3])).as(e.file()).isCloseTo(e.p()[ours], within(1e-4));
      assertThat(Boolean.parseBoolean(f[4])).isEqualTo(ours == e.truth());
      assertThat(Double.parseDouble(f[5])).isCloseTo(e.p()[e.truth()], within(1e-4));
      assertThat(f[6].split(";")).hasSize(5);
      assertThat(f[6]).startsWith(f[2] + ":");
      errors += ours == e.truth() ? 0 : 1;
    }

    // the confusion matrix, accuracy and per-class metrics from ORT's top-1 alone
    JsonNode s = new ObjectMapper().readTree(o.resolve(ErrorAnalysis.SUMMARY).toFile());
    List<Integer> columns = new ArrayList<>(folders.values());
    ort.stream().map(Oracle::top1).filter(c -> !columns.contains(c)).distinct().sorted()
        .forEach(columns::add);
    long[][] counts = new long[4][columns.size()];
    for (Oracle e : ort) {
      counts[columns.indexOf(e.truth())][columns.indexOf(e.top1())]++;
    }
    JsonNode cm = s.get("confusion_matrix");
    assertThat(cm.get("columns")).hasSize(columns.size());
    for (int c = 0; c < columns.size(); c++) {
      assertThat(cm.get("columns").get(c).asText())
          .isEqualTo(ImageNetLabels.get(columns.get(c)).name());
    }
    long correct = 0;
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < columns.size(); c++) {
        assertThat(cm.get("counts").get(r).get(c).asLong()).as("%d,%d", r, c)
            .isEqualTo(counts[r][c]);
      }
      correct += counts[r][r];
    }
    assertThat(s.get("images").asInt()).isEqualTo(16);
    assertThat(s.get("skipped_files").asInt()).isEqualTo(1);
    assertThat(s.get("errors").asLong()).isEqualTo(16 - correct).isEqualTo(errors);
    assertThat(s.get("accuracy").asDouble()).isCloseTo(correct / 16.0, within(1e-12));
    for (int k = 0; k < columns.size(); k++) {
      long tp = k < 4 ? counts[k][k] : 0;
      long support = 0;
      long predicted = 0;
      for (int c = 0; c < columns.size() && k < 4; c++) {
        support += counts[k][c];
      }
      for (int r = 0; r < 4; r++) {
        predicted += counts[r][k];
      }
      double p = predicted == 0 ? 0 : (double) tp / predicted;
      double rec = support == 0 ? 0 : (double) tp / support;
      JsonNode m = s.get("per_class").get(k);
      assertThat(m.get("index").asInt()).isEqualTo(columns.get(k));
      assertThat(m.get("support").asLong()).isEqualTo(support);
      assertThat(m.get("precision").asDouble()).isCloseTo(p, within(1e-12));
      assertThat(m.get("recall").asDouble()).isCloseTo(rec, within(1e-12));
      assertThat(m.get("f1").asDouble()).isCloseTo(p + rec == 0 ? 0 : 2 * p * rec / (p + rec),
          within(1e-12));
    }
    double meanWrong = ort.stream().filter(e -> e.top1() != e.truth())
        .mapToDouble(e -> e.p()[e.top1()]).average().orElseThrow();
    assertThat(s.get("mean_confidence_errors").asDouble()).isCloseTo(meanWrong, within(1e-4));
    assertThat(s.get("model").asText()).isEqualTo("squeezenet1.1");
    assertThat(s.get("seed").asLong()).isEqualTo(11);
    assertThat(s.get("preprocessing").asText()).contains("224x224").contains("nearest");

    // Grad-CAM pictures: exactly the 4 most confident real errors, in <TRUE>_as_<PRED>/
    List<Oracle> worst = ort.stream().filter(e -> e.top1() != e.truth())
        .sorted(Comparator.comparingDouble((Oracle e) -> -e.p()[e.top1()])).limit(4).toList();
    Set<String> expected = new HashSet<>();
    for (Oracle e : worst) {
      expected.add(slug(ImageNetLabels.get(e.truth()).name()) + "_as_"
          + slug(ImageNetLabels.get(e.top1()).name()) + "/"
          + e.file().substring(e.file().indexOf('/') + 1).replace(".jpg", ""));
    }
    Set<String> found = new HashSet<>();
    try (Stream<Path> pics = Files.walk(o.resolve(ErrorAnalysis.GRADCAM_DIR))) {
      for (Path p : pics.filter(Files::isRegularFile).toList()) {
        assertThat(ImageIO.read(p.toFile()).getWidth()).isEqualTo(3 * 256 + 2 * 4);
        String name = p.getFileName().toString();
        found.add(p.getParent().getFileName() + "/" + name.substring(0, name.indexOf("_conf")));
      }
    }
    assertThat(found).isEqualTo(expected);
    for (String png : List.of(ErrorAnalysis.CONFUSION, ErrorAnalysis.HISTOGRAM,
        ErrorAnalysis.BY_CLASS, "gallery/Egyptian_cat.png", "gallery/boxer.png",
        "gallery/bull_mastiff.png", "gallery/tiger_cat.png")) {
      assertThat(ImageIO.read(o.resolve(png).toFile())).as(png).isNotNull();
    }
  }

  private static int indexOf(String name) {
    for (int i = 0; i < 1000; i++) {
      if (ImageNetLabels.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no ImageNet class " + name);
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Test
  void foldersThatAreNotTheModelsLabelsAreOneErrorListingBoth(@TempDir Path dir)
      throws Exception {
    // the pets split's folders against the built-in ImageNet model: Bengal, Abyssinian and
    // american_bulldog are not ImageNet class names
    assertThat(run("analyze-errors", "--data-dir", PETS.toString(), "--out",
        dir.resolve("o").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").doesNotContain("\tat ")
        .contains("match no label of the model: Abyssinian, Bengal, american_bulldog")
        .contains("folders: Abyssinian, Bengal, american_bulldog")
        .contains("1000 labels: tench, goldfish");
    assertThat(err.toString().lines().count()).isEqualTo(1);
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void aFailedWriteLeavesNoFileAndBadOptionsAreErrorLines(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("data");
    copy(DOGS, root.resolve("boxer"), "american_bulldog_10");
    Path o = Files.createDirectories(dir.resolve("out"));
    // a folder where the last chart goes: the files staged before it must not appear
    Files.createDirectories(o.resolve(ErrorAnalysis.BY_CLASS));
    assertThat(run("analyze-errors", "--data-dir", root.toString(), "--out", o.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("is a directory");
    try (Stream<Path> left = Files.list(o)) {
      assertThat(left.map(p -> p.getFileName().toString()).toList())
          .containsExactly(ErrorAnalysis.BY_CLASS);
    }
    assertThat(run("analyze-errors", "--data-dir", root.toString(), "--out", o.toString(),
        "--voc", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("takes no dog data");
    assertThat(run("analyze-errors", "--mode", "classification", "--out", o.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("needs --data-dir");
    assertThat(run("analyze-errors", "--data-dir", root.toString(), "--out", o.toString(),
        "--num-samples", "-1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("--num-samples");
    Files.write(root.resolve("boxer/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2});
    assertThat(run("analyze-errors", "--data-dir", root.toString(), "--out", o.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("broken.jpg");
  }
}
