package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.TestData;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.data.Detection;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocObjectsCsv;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.VocEvaluator;
import org.gradcam.experiment.BoxScore;
import org.gradcam.experiment.ExplanationBenchmark;
import org.gradcam.experiment.ImageMap;
import org.gradcam.experiment.ImageMaps;
import org.gradcam.experiment.LocalizationRun;
import org.gradcam.experiment.MethodBenchmark;
import org.gradcam.experiment.ThresholdSweep;
import org.gradcam.image.CenterCrop;
import org.gradcam.image.Images;
import org.gradcam.io.Csv;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.onnx.OnnxTestGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 9: torchvision's resize and center crop in the commands that refused it, benchmark,
 * serve and analyze-errors' localisation mode. Their maps lie on the crop's part of each image
 * (the hand-computed metrics: {@code ExplanationBenchmarkCropTest}; serve's overlay and boxes:
 * {@code ServeCropTest}); here each command takes the options and hands the crop on.
 */
class CropEverywhereTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test");
  static final Path CSV = VOC.resolve("voc2007_test_objects.csv");
  static final Path PETS3_DIR = TestData.path("models/pets3-squeezenet");
  /** The course procedure's uniform filter (size 20) lets a box reach 10 px beyond the map. */
  static final int FILTER_REACH = 10;

  @TempDir Path tmp;

  private static void assertInside(PixelBox b, CenterCrop.Region r) {
    assertThat(b.xmin()).as(b.toString()).isGreaterThanOrEqualTo(r.x0() - FILTER_REACH);
    assertThat(b.ymin()).as(b.toString()).isGreaterThanOrEqualTo(r.y0() - FILTER_REACH);
    assertThat(b.xmax()).as(b.toString()).isLessThanOrEqualTo(r.x1() + FILTER_REACH);
    assertThat(b.ymax()).as(b.toString()).isLessThanOrEqualTo(r.y1() + FILTER_REACH);
  }

  /** The rows of a CSV file the command wrote under {@code header}, by column name. */
  private static List<Map<String, String>> rows(Path file, String header) throws Exception {
    List<String> names = List.of(header.split(","));
    return Csv.read(file, "CSV", names, fields -> {
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < fields.length; i++) {
        row.put(names.get(i), fields[i]);
      }
      return row;
    });
  }

  /** The CSV writes 7 significant digits (float32's precision): half a unit of the last one. */
  private static void assertSevenDigits(Map<String, String> row, String column, double expected) {
    assertThat(Double.parseDouble(row.get(column))).as(column)
        .isCloseTo(expected, within(5e-7 * Math.abs(expected) + 1e-15));
  }

  @Test
  void benchmarkScoresTheMapsOfTheCroppedModel() throws Exception {
    Path model = OnnxTestGraphs.writeGreyNonSquare(
        OnnxTestGraphs.greyNonSquare(1, 28, 36, 3, 7), tmp, "grey", false);
    Path images = tmp.resolve("JPEGImages");
    Files.createDirectories(images);
    List<String> ids = List.of("000001", "001150");
    Map<String, Path> files = new LinkedHashMap<>();
    for (String id : ids) {
      files.put(id, Files.copy(VOC.resolve("JPEGImages/" + id + ".jpg"),
          images.resolve(id + ".jpg")));
    }
    Path o = tmp.resolve("bench");
    assertThat(run("benchmark", "--model", model.toString(), "--target", "1", "--methods",
        "gradcam", "--resize-short", "40", "--images", images.toString(), "--objects-csv",
        CSV.toString(), "--out", o.toString())).as(err.toString()).isZero();
    List<Map<String, String>> rows = rows(o.resolve("benchmark.csv"),
        BenchmarkCommand.CSV_HEADER);
    assertThat(rows).hasSize(1);
    Map<String, String> row = rows.get(0);
    assertThat(row.get("images")).isEqualTo("2");

    // The library's numbers for the same model behind the same crop: the command hands it on.
    try (Model cropped = Models.load(model.toString(), Assets.defaults(),
        new Models.Options(null, null, null, null, 40, null, null))) {
      Explainer explainer = new Explainer(cropped, cropped.defaultLayer(), new GradCam());
      Target target = Target.classIndex(1);
      var summary = ExplanationBenchmark.summarize(new ExplanationBenchmark(explainer, target,
          "dog", ExplanationBenchmark.Settings.defaults())
          .run(ExplanationBenchmark.loadVoc(images, CSV, "dog", 0)));
      assertThat(Long.parseLong(row.get("pointing_hits"))).isEqualTo(summary.hits());
      assertSevenDigits(row, "energy_pointing", summary.meanEnergy());
      assertSevenDigits(row, "mean_best_iou", summary.meanBestIou());
      assertSevenDigits(row, "deletion_auc", summary.meanDeletionAuc());
      assertSevenDigits(row, "insertion_auc", summary.meanInsertionAuc());

      // AP's boxes come from the maps on the crop's part of each image, and lie there.
      Map<String, ImageMap> maps = ImageMaps.compute(explainer, files, target, 1);
      List<Detection> dets = MethodBenchmark.boxes(maps, MethodBenchmark.PUBLISHED_THRESHOLD);
      double ap = 100 * VocEvaluator.evaluate(VocObjectsCsv.groundTruth(VocObjectsCsv.read(CSV),
          "dog").restrictedTo(ids), dets, new double[] {0.5}, Protocol.PUBLISHED).get(0).ap();
      assertThat(Integer.parseInt(row.get("boxes"))).isEqualTo(dets.size());
      assertSevenDigits(row, "ap50_percent", ap);
      assertThat(dets).isNotEmpty();
      for (Detection d : dets) {
        BufferedImage img = Images.read(files.get(d.imageId()));
        CenterCrop.Region r = cropped.spec().crop().region(img.getWidth(), img.getHeight());
        assertThat(r.width() < img.getWidth() || r.height() < img.getHeight()).isTrue();
        if (!maps.get(d.imageId()).fallback(MethodBenchmark.PUBLISHED_THRESHOLD)) {
          assertInside(PixelBox.fromVoc(d.box()), r);
        }
      }
    }
  }

  @Test
  void analyzeErrorsLocalizationBoxesTheBuiltInsMapsOnTheCrop() throws Exception {
    Path o = tmp.resolve("errors");
    assertThat(run("analyze-errors", "--resize-short", "256", "--center-crop", "224",
        "--data", "voc2007-test-4-images", "--gallery-size", "1", "--out", o.toString()))
        .as(err.toString()).isZero();
    assertThat(Files.readString(o.resolve("errors.md"))).contains("--resize-short 256");
    CenterCrop crop = new CenterCrop(256, 224, 224);
    int checked = 0;
    for (Map<String, String> r : rows(o.resolve("errors.csv"), AnalyzeErrorsCommand.CSV_HEADER)) {
      if (r.get("best_xmin").isEmpty() || r.get("fallback").equals("true")) {
        continue;
      }
      BufferedImage img = Images.read(VOC.resolve("JPEGImages/" + r.get("image_id") + ".jpg"));
      CenterCrop.Region region = crop.region(img.getWidth(), img.getHeight());
      // 500 x 375: resized to 341 x 256, the crop's corner (58, 16) (round(58.5) is 58, halves
      // to even), scaled back by 500 / 341 and 375 / 256: x 85..412, y 23..351 of the photo.
      if (img.getWidth() == 500 && img.getHeight() == 375) {
        assertThat(region).isEqualTo(new CenterCrop.Region(85, 23, 413, 352));
      }
      assertInside(new PixelBox(Integer.parseInt(r.get("best_xmin")),
          Integer.parseInt(r.get("best_ymin")), Integer.parseInt(r.get("best_xmax")),
          Integer.parseInt(r.get("best_ymax"))), region);
      checked++;
    }
    assertThat(checked).as("dog boxes with a best box").isGreaterThanOrEqualTo(2);
  }

  @Test
  void serveLoadsItsModelFilesAndBuiltInsBehindTheCrop() throws Exception {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--model", PETS3_DIR.resolve("model.onnx").toString(),
        "--model", "squeezenet1.1", "--labels", PETS3_DIR.resolve("labels.txt").toString(),
        "--resize-short", "256", "--center-crop", "224");
    Map<String, Model> models = ServeCommand.loadModels(serve.modelNames,
        serve.modelFile.options());
    try {
      assertThat(models.keySet()).containsExactly("model", "squeezenet1.1");
      for (Model m : models.values()) {
        assertThat(m.spec().crop()).as(m.name()).isEqualTo(new CenterCrop(256, 224, 224));
      }
      // The labels are the file's only; the built-in keeps its ImageNet classes.
      assertThat(models.get("model").labels()).containsExactly("Abyssinian", "Bengal",
          "american_bulldog");
      assertThat(models.get("squeezenet1.1").numClasses()).isEqualTo(1000);
    } finally {
      models.values().forEach(Model::close);
    }
  }

  @Test
  void analyzeErrorsLocalizesAModelFileOnItsTargetClassAsLocalizeDoes() throws Exception {
    Path model = OnnxTestGraphs.writeGreyNonSquare(OnnxTestGraphs.greyNonSquare(1, 28, 36, 3, 7),
        tmp, "grey", false);
    Path labels = Files.writeString(tmp.resolve("labels.txt"), "cat\ndog\nbird\n");
    Path a = tmp.resolve("a");
    assertThat(run("analyze-errors", "--model", model.toString(), "--labels", labels.toString(),
        "--target", "dog", "--data", "voc2007-test-4-images", "--gallery-size", "1", "--out",
        a.toString())).as(err.toString()).isZero();
    Path loc = tmp.resolve("loc");
    assertThat(run("localize", "--model", model.toString(), "--labels", labels.toString(),
        "--target", "dog", "--thresholds", "0.06", "--data", "voc2007-test-4-images", "--out",
        loc.toString())).as(err.toString()).isZero();
    Map<String, List<String>> localized = new LinkedHashMap<>();
    for (Map<String, String> b : rows(loc.resolve("boxes.csv"), LocalizationRun.BOXES_HEADER)) {
      localized.computeIfAbsent(b.get("image_id"), k -> new ArrayList<>()).add(
          b.get("xmin") + "," + b.get("ymin") + "," + b.get("xmax") + "," + b.get("ymax"));
    }
    List<Map<String, String>> rows = rows(a.resolve("errors.csv"),
        AnalyzeErrorsCommand.CSV_HEADER);
    assertThat(rows).isNotEmpty();
    for (Map<String, String> r : rows) {
      assertThat(r.get("target_class")).as(r.toString()).isEqualTo("1");
      List<String> boxes = localized.get(r.get("image_id"));
      assertThat(Integer.parseInt(r.get("boxes"))).as(r.toString()).isEqualTo(boxes.size());
      if (!r.get("best_xmin").isEmpty()) {
        assertThat(boxes).as(r.toString()).contains(r.get("best_xmin") + "," + r.get("best_ymin")
            + "," + r.get("best_xmax") + "," + r.get("best_ymax"));
      }
    }
    // The ImageNet dog set on a 3-class model, and --target in the classification mode: one
    // clear error each.
    assertOneLineError(run("analyze-errors", "--model", model.toString(), "--data",
        "voc2007-test-4-images", "--out", tmp.resolve("b").toString()), "ImageNet dog");
    assertOneLineError(run("analyze-errors", "--model", model.toString(), "--target", "1",
        "--data-dir", TestData.path("oxford-iiit-pet-3class/test").toString(), "--out",
        tmp.resolve("c").toString()), "--target is for the localization mode");
  }
}
