package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.gradcam.data.Assets;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocBox;
import org.gradcam.eval.DetectionSelections;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.PublishedReproduction;
import org.gradcam.eval.ThresholdResult;
import org.gradcam.eval.VocEvaluator;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.LocalizationRun;
import org.gradcam.image.BoxDrawing;
import org.gradcam.image.Images;
import org.gradcam.io.AtomicFiles;
import org.gradcam.kernel.NotebookHtml;
import org.gradcam.plot.ApVsThresholdChart;
import org.gradcam.plot.PrCurveChart;
import picocli.CommandLine;

/**
 * The run job of {@code gradcam reproduce}: every output generated into the staging folder, each
 * recorded in the {@link ReproduceReadme} with what it is. The Grad-CAM runs share a per-image
 * cache in a temporary folder, deleted afterwards.
 */
final class ReproduceJob {
  private final Path stage;
  private final Path results;
  private final PrintWriter log;
  private final ReproduceReadme readme = new ReproduceReadme();
  /** No nbconvert here: the previous run's notebooks/*.html stay instead of being deleted. */
  private boolean keepNotebookPages;

  ReproduceJob(Path stage, Path results, PrintWriter log) {
    this.stage = stage;
    this.results = results;
    this.log = log;
  }

  boolean keepNotebookPages() {
    return keepNotebookPages;
  }

  int files() {
    return readme.size();
  }

  /** Writes every output into the staging folder, README and manifest last. */
  void generate(ReproduceCommand.Inputs inputs, Assets assets, LocalizationRun.Settings settings,
      Integer maxImages, double pictureThreshold, boolean withSpeed,
      BooleanSupplier nbconvertAvailable) throws Exception {
    progress("published pickles: reproducing the published table");
    PublishedReproduction published = new PublishedReproduction(inputs.pickles(),
        inputs.vocObjects());
    published.write(stage.resolve("published-reproduction.md"));
    readme.add("published-reproduction.md", "published-table");
    publishedCharts(published);

    Path cacheRoot = Files.createTempDirectory("gradcam-reproduce-cache");
    try {
      DogDataset voc = DogDataset.open(inputs.vocImages(), inputs.vocObjects(), null);
      voc = voc.first(voc.files().size(), String.format(Locale.ROOT,
          "VOC2007 test, only %d of its %d dog images (%s)", voc.files().size(),
          voc.annotated(), String.join(", ", voc.files().keySet())));
      int boxes = voc.groundTruth().boxCount();
      runDataset(voc, "voc2007-4-images", "VOC2007 test, " + voc.files().size() + " of "
          + voc.annotated() + " dog images", ReproduceCommand.VOC_DIR, settings, cacheRoot,
          assets, voc.files().size(), "voc2007", pictureThreshold, ReproduceReadme.text(
              "voc-run", "images", "" + voc.files().size(), "annotated", "" + voc.annotated(),
              "boxes", "" + boxes, "step", String.format(Locale.ROOT, "%.0f", 100.0 / boxes)));

      DogDataset pets = DogDataset.open(inputs.petImages(), inputs.petBoxes(), null);
      int all = pets.files().size();
      int n = maxImages == null ? all : Math.min(maxImages, all);
      String size = n == all ? all + " images" : "first " + n + " of " + all + " images";
      pets = pets.first(n, "Oxford-IIIT Pet american_bulldog (" + size
          + ", derived whole-dog boxes; STAND-IN, not VOC2007)");
      runDataset(pets, "standin-oxford-pets", "STAND-IN Oxford-IIIT Pet, " + size
          + " (not VOC2007)", ReproduceCommand.STANDIN_DIR, settings, cacheRoot, assets,
          ReproduceCommand.STANDIN_PICTURES, "standin", pictureThreshold,
          ReproduceReadme.text("standin-run", "size", size));
    } finally {
      ResultsFolder.deleteTree(cacheRoot);
    }

    if (withSpeed) {
      speed();
    }
    notebookPages(nbconvertAvailable);
    readme.writeReadme(stage, results, withSpeed);
    readme.writeManifest(stage);
  }

  /** {@code gradcam speed} into benchmarks.md (slow). */
  private void speed() throws IOException {
    progress("speed: timing forward pass vs Grad-CAM (slow)");
    CommandLine speed = new CommandLine(new SpeedCommand());
    speed.setOut(new PrintWriter(java.io.Writer.nullWriter()));
    speed.setErr(log);
    int rc = speed.execute("--seconds", "4", "--out", stage.resolve("benchmarks.md").toString());
    if (rc != 0) {
      throw new IllegalStateException("gradcam speed failed with exit code " + rc);
    }
    // It names the file it wrote: the final one, not the staging copy.
    Path bench = stage.resolve("benchmarks.md");
    AtomicFiles.writeString(bench, Files.readString(bench).replace(
        stage.resolve("benchmarks.md").toString(), results.resolve("benchmarks.md").toString()));
  }

  /** {@code notebooks/*.html}: the committed notebooks as HTML, when nbconvert is installed. */
  private void notebookPages(BooleanSupplier nbconvertAvailable) throws IOException {
    List<Path> notebooks = NotebookHtml.notebooks(Assets.home().resolve("notebooks"));
    if (notebooks.isEmpty()) {
      return;
    }
    String dir = ReproduceCommand.NOTEBOOKS_DIR;
    if (!nbconvertAvailable.getAsBoolean()) {
      keepNotebookPages = true;
      progress("notebooks: `jupyter nbconvert` is not installed (apt-get install "
          + "jupyter-nbconvert), so " + dir + "/*.html are kept as they are");
      return;
    }
    progress("notebooks: HTML copies of the " + notebooks.size() + " committed notebooks");
    for (Path html : NotebookHtml.export(notebooks, stage.resolve(dir))) {
      readme.add(dir + "/" + html.getFileName(), "notebook-page");
    }
  }

  /** PR curves and AP vs heatmap threshold of the published pickles (last row per image). */
  private void publishedCharts(PublishedReproduction published) throws IOException {
    progress("published pickles: charts");
    String label = "published VOC2007 pickles, last row per image";
    Map<Double, List<Detection>> dets = new TreeMap<>();
    published.detections().forEach((t, d) ->
        dets.put(Double.parseDouble(t), DetectionSelections.lastPerImage(d)));
    charts("published-voc2007", label, published.groundTruth(), dets,
        ReproduceReadme.text("published-detections"));
  }

  private void charts(String prefix, String label, GroundTruth gt,
      Map<Double, List<Detection>> dets, String what) throws IOException {
    Protocol protocol = Protocol.PUBLISHED;
    for (double iou : LocalizationRun.IOUS) {
      String file = "plots/" + prefix + "-pr-iou-" + LocalizationRun.fmt(iou) + ".png";
      PrCurveChart.save(PrCurveChart.of(label, iou, gt, dets, protocol), stage.resolve(file));
      readme.add(file, "pr-curves", "what", what);
    }
    Map<Double, List<ThresholdResult>> byThreshold = new TreeMap<>();
    dets.forEach((t, d) -> byThreshold.put(t,
        VocEvaluator.evaluate(gt, d, LocalizationRun.IOUS, protocol)));
    String file = "plots/" + prefix + "-ap-vs-threshold.png";
    ApVsThresholdChart.save(ApVsThresholdChart.of(label,
        PublishedReproduction.protocolLabel(protocol), byThreshold), stage.resolve(file));
    readme.add(file, "ap-vs-threshold", "what", what);
  }

  /** One Grad-CAM run (the code of `gradcam localize`), its charts and its box pictures. */
  private void runDataset(DogDataset data, String prefix, String shortLabel, String dir,
      LocalizationRun.Settings settings, Path cacheRoot, Assets assets, int pictures,
      String picturePrefix, double pictureThreshold, String description) throws IOException {
    progress("Grad-CAM run: " + data.label());
    Path out = stage.resolve(dir);
    LocalizationRun.Result run = LocalizationRun.run(data, settings, out,
        cacheRoot.resolve(prefix), assets, log, System.err);
    for (String f : ReproduceCommand.RUN_FILES) {
      if (f.equals("missing_images.txt") && data.missing().isEmpty()) {
        Files.deleteIfExists(out.resolve(f)); // an empty list says nothing
        continue;
      }
      readme.add(dir + "/" + f, f, "run", description, "settings", settings.describe(),
          "missing", "" + data.missing().size());
    }
    Map<Double, List<Detection>> dets = new TreeMap<>();
    for (double t : settings.thresholds()) {
      dets.put(t, run.detections(t));
    }
    charts(prefix, shortLabel, data.groundTruth(), dets,
        ReproduceReadme.text("our-boxes", "data", data.label()));

    progress("box pictures: " + shortLabel);
    int drawn = 0;
    String t = LocalizationRun.fmt(pictureThreshold);
    for (String id : data.files().keySet()) {
      if (drawn++ == pictures) {
        break;
      }
      BufferedImage image = Images.read(data.files().get(id));
      List<VocBox> gt = data.groundTruth().byImage().get(id).stream()
          .map(GroundTruthBox::box).toList();
      String file = "boxes/" + picturePrefix + "-" + id + "-threshold-" + t + ".png";
      BufferedImage picture = BoxDrawing.on(image).groundTruth(gt)
          .ours(run.boxes(id, pictureThreshold)).image();
      Images.writeCompressedPng(BoxDrawing.withCaption(picture, id + " (" + shortLabel
          + "): green = ground truth, red = Grad-CAM boxes at heatmap threshold " + t),
          stage.resolve(file));
      readme.add(file, "box-pictures", "data", data.label(), "threshold", t);
    }
  }

  private void progress(String message) {
    ReproduceCommand.progress(log, message);
  }
}
