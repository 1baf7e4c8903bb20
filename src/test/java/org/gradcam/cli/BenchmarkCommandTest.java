package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gradcam.TestData;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.data.Assets;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.VocObjectsCsv;
import org.gradcam.experiment.ExplanationBenchmark;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.VocEvaluator;
import org.gradcam.experiment.BoxScore;
import org.gradcam.experiment.ImageMap;
import org.gradcam.experiment.ImageMaps;
import org.gradcam.experiment.ThresholdSweep;
import org.gradcam.localize.CourseBoxExtractor;
import org.gradcam.localize.Precision;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradcam benchmark} on 2 genuine VOC2007 test dog images, 2 methods, SqueezeNet 1.1. */
class BenchmarkCommandTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test");
  static final Path CSV = VOC.resolve("voc2007_test_objects.csv");
  static final List<String> IDS = List.of("000001", "001150");
  static final List<String> METHODS = List.of("gradcam", "layercam");

  /** A folder with only the two images, so the dataset is them and nothing else. */
  static Path twoImages(Path dir) throws Exception {
    Path images = dir.resolve("JPEGImages");
    Files.createDirectories(images);
    for (String id : IDS) {
      Files.copy(VOC.resolve("JPEGImages/" + id + ".jpg"), images.resolve(id + ".jpg"));
    }
    return images;
  }

  @Test
  void writesTheTableCsvAndChartsWithTheNumbersOfTheLibrary(@TempDir Path dir) throws Exception {
    Path images = twoImages(dir);
    Path o = dir.resolve("out");
    assertThat(run("benchmark", "--images", images.toString(), "--objects-csv", CSV.toString(),
        "--models", "squeezenet1.1", "--methods", String.join(",", METHODS),
        "--dataset-label", "two VOC test images", "--out", o.toString()))
        .as(err.toString()).isZero();

    String md = Files.readString(o.resolve("benchmark.md"));
    assertThat(md).contains("# CAM benchmark: two VOC test images")
        .contains("./gradcam benchmark --images " + images)
        .contains("heatmap threshold **0.06** (the published one)")
        .contains("./gradcam fetch voc2007-test-tar --extract")
        .containsPattern("on this machine \\(\\d+ cores; 1-minute load average -?\\d+\\.\\d at the "
            + "start, -?\\d+\\.\\d at the end")
        .contains("| model | method | images | AP@0.5 (%) | pointing | energy pointing |"
            + " deletion AUC | insertion AUC | ms/image |")
        .contains("| squeezenet1.1 | gradcam | 2 |").contains("| squeezenet1.1 | layercam | 2 |");
    assertThat(out.toString()).contains(md.strip());
    for (String chart : List.of("ap50", "pointing", "energy", "deletion", "insertion", "ms")) {
      Path png = o.resolve("chart-" + chart + ".png");
      assertThat(ImageIO.read(png.toFile())).as(chart).isNotNull();
    }

    List<String> lines = Files.readAllLines(o.resolve("benchmark.csv"));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo(BenchmarkCommand.CSV_HEADER);
    List<String> header = List.of(lines.get(0).split(","));

    // The same numbers computed directly: ExplanationBenchmark on the VOC loader's images, and
    // the AP from ImageMaps, the published box procedure and VocEvaluator.
    GroundTruth all = VocObjectsCsv.groundTruth(VocObjectsCsv.read(CSV), "dog");
    GroundTruth gt = all.restrictedTo(IDS);
    List<ExplanationBenchmark.Image> vocImages =
        ExplanationBenchmark.loadVoc(images, CSV, "dog", 0);
    assertThat(vocImages).extracting(ExplanationBenchmark.Image::id).isEqualTo(IDS);
    Map<String, Path> files = new LinkedHashMap<>();
    IDS.forEach(id -> files.put(id, images.resolve(id + ".jpg")));
    try (Model model = Models.load("squeezenet1.1", Assets.defaults())) {
      for (int i = 0; i < METHODS.size(); i++) {
        Map<String, String> row = new LinkedHashMap<>();
        String[] f = lines.get(i + 1).split(",");
        for (int c = 0; c < header.size(); c++) {
          row.put(header.get(c), f[c]);
        }
        assertThat(row.get("method")).isEqualTo(METHODS.get(i));
        assertThat(row.get("model")).isEqualTo("squeezenet1.1");
        assertThat(row.get("layer")).isEqualTo("fire9");
        assertThat(row.get("dataset")).isEqualTo("two VOC test images");
        assertThat(row.get("images")).isEqualTo("2");

        Explainer explainer = new Explainer(model, "fire9", CamMethods.byName(METHODS.get(i)));
        var dogs = org.gradcam.cam.Target.bestOf(org.gradcam.cam.Target.range(151, 268));
        var summary = ExplanationBenchmark.summarize(new ExplanationBenchmark(explainer, dogs,
            "dog", ExplanationBenchmark.Settings.defaults()).run(vocImages));
        assertSevenDigits(row, "pointing_accuracy", summary.pointingAccuracy());
        assertThat(Long.parseLong(row.get("pointing_hits"))).isEqualTo(summary.hits());
        assertSevenDigits(row, "energy_pointing", summary.meanEnergy());
        assertSevenDigits(row, "mean_best_iou", summary.meanBestIou());
        assertSevenDigits(row, "deletion_auc", summary.meanDeletionAuc());
        assertSevenDigits(row, "insertion_auc", summary.meanInsertionAuc());
        assertThat(d(row, "ms_explain")).isPositive();
        assertThat(d(row, "ms_total")).isGreaterThanOrEqualTo(d(row, "ms_explain"));

        Map<String, ImageMap> maps = ImageMaps.compute(explainer, files, dogs, 1);
        var dets = ThresholdSweep.run(maps, new double[] {0.06},
            new CourseBoxExtractor(20, Precision.FLOAT32), BoxScore.MEAN).detectionsAt(0.06);
        double ap = 100 * VocEvaluator.evaluate(gt, dets, new double[] {0.5},
            Protocol.PUBLISHED).get(0).ap();
        assertThat(d(row, "threshold")).isEqualTo(0.06);
        assertThat(Integer.parseInt(row.get("boxes"))).isEqualTo(dets.size());
        assertSevenDigits(row, "ap50_percent", ap);
        assertThat(md).contains(String.format(java.util.Locale.ROOT,
            "| squeezenet1.1 | %s | 2 | %.3f | %.3f | %.3f | %.3f | %.3f |", METHODS.get(i), ap,
            summary.pointingAccuracy(), summary.meanEnergy(), summary.meanDeletionAuc(),
            summary.meanInsertionAuc()));
      }
    }
  }

  /** The CSV writes 7 significant digits (float32's precision): half a unit of the last one. */
  private static void assertSevenDigits(Map<String, String> row, String column, double expected) {
    assertThat(d(row, column)).as(column)
        .isCloseTo(expected, within(5e-7 * Math.abs(expected) + 1e-15));
  }

  private static double d(Map<String, String> row, String column) {
    return Double.parseDouble(row.get(column));
  }

  @Test
  void badInputIsAnErrorLineAndExitCode2(@TempDir Path dir) throws Exception {
    Path images = twoImages(dir);
    String o = dir.resolve("out").toString();
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"--methods", "gradcam,nosuchcam"});
    cases.add(new String[] {"--models", "resnet50"});
    cases.add(new String[] {"--methods", "gradcam,gradcam"});
    cases.add(new String[] {"--max-images", "-1"});
    cases.add(new String[] {"--threshold", "1.5"});
    for (String[] extra : cases) {
      List<String> args = new ArrayList<>(List.of("benchmark", "--images", images.toString(),
          "--objects-csv", CSV.toString(), "--out", o));
      args.addAll(List.of(extra));
      assertThat(run(args.toArray(String[]::new))).as(String.join(" ", extra)).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", extra)).startsWith("error: ");
    }
    assertThat(run("benchmark", "--images", dir.resolve("nope").toString(), "--objects-csv",
        CSV.toString(), "--out", o)).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("nope");
    assertThat(run("benchmark", "--images", images.toString(), "--out", o)).isEqualTo(2);
    assertThat(err.toString()).contains("--images needs --annotations DIR or --objects-csv CSV");
    assertThat(Files.exists(dir.resolve("out/benchmark.csv"))).isFalse();
  }

  @Test
  void vgg16WithoutItsWeightsFailsBeforeAnyWork(@TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(Vgg16Present.present(),
        "the VGG16 weights are present here; the missing-weights message cannot be seen");
    Path images = twoImages(dir);
    assertThat(run("benchmark", "--images", images.toString(), "--objects-csv", CSV.toString(),
        "--models", "squeezenet1.1,vgg16", "--methods", "gradcam",
        "--out", dir.resolve("out").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("VGG16 ImageNet weights")
        .contains("gradcam fetch vgg16");
    assertThat(Files.exists(dir.resolve("out/benchmark.csv"))).isFalse();
  }

  /** Whether the VGG16 weights resolve here (cache or mirror), without downloading. */
  static final class Vgg16Present {
    static boolean present() {
      try {
        return Assets.defaults().isLocal("vgg16");
      } catch (Exception e) {
        return false;
      }
    }
  }
}
