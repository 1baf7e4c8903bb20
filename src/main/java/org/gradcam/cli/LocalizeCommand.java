package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.eval.DifficultMode;
import org.gradcam.eval.Protocol;
import org.gradcam.experiment.BoxScore;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.ImageBoxesCache;
import org.gradcam.experiment.LocalizationMetrics;
import org.gradcam.experiment.LocalizationMetrics.Cell;
import org.gradcam.experiment.ScoredBox;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.localize.Box;
import org.gradcam.localize.BoxExtractor;
import org.gradcam.localize.CourseBoxExtractor;
import org.gradcam.localize.PaperBoxExtractor;
import org.gradcam.localize.Precision;
import org.gradcam.localize.UniformFilter;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradcam localize}: the dog-localisation experiment end to end. Per dog image: a Grad-CAM
 * map of the dog concept, normalised to [0, 1], upsampled to the image size, boxed at each heatmap
 * threshold; then VOC AP and recall of all boxes against the dog ground truth of the same images.
 */
@Command(name = "localize", mixinStandardHelpOptions = true,
    description = {"Dog localisation with Grad-CAM boxes, evaluated with VOC AP / recall.",
        "Boxes are 0-based start, exclusive stop (the published convention) and are compared "
            + "with the 1-based VOC ground truth as they are, like the published experiment.",
        "Box score: the mean (or --score max) of the normalised, upsampled map inside the box."})
public final class LocalizeCommand implements Callable<Integer> {
  static final double[] IOUS = {0.3, 0.4, 0.5};

  @Spec CommandSpec spec;

  @Option(names = "--voc", paramLabel = "DIR",
      description = "VOC layout: DIR/JPEGImages and DIR/Annotations (XML)")
  Path voc;

  @Option(names = "--images", paramLabel = "DIR", description = "folder of <image_id>.jpg")
  Path images;

  @Option(names = "--annotations", paramLabel = "DIR", description = "VOC XML annotations folder")
  Path annotations;

  @Option(names = "--objects-csv", paramLabel = "CSV",
      description = "voc2007_test_objects.csv-style ground truth instead of XML annotations")
  Path objectsCsv;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output: boxes.csv, summary.md, missing_images.txt, cache/")
  Path out;

  @Option(names = "--dataset-label", paramLabel = "TEXT",
      description = "what the data is, printed on every table (default: the folder name)")
  String datasetLabel;

  @Option(names = "--model", defaultValue = "squeezenet1.1",
      description = "squeezenet1.1 | vgg16 (default: ${DEFAULT-VALUE})")
  String modelName;

  @Option(names = "--layer", description = "target layer (default: the model's)")
  String layer;

  @Option(names = "--target", defaultValue = "top-dog", paramLabel = "top-dog|dog-sum",
      description = "top-dog: each image's highest-scoring of the 118 ImageNet dog classes "
          + "151..268; dog-sum: the sum of those 118 logits (default: ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--thresholds", split = ",", defaultValue = "0.01,0.02,0.06", paramLabel = "T",
      description = "heatmap thresholds in [0, 1] (default: ${DEFAULT-VALUE})")
  List<Double> thresholds;

  @Option(names = "--method", defaultValue = "course", paramLabel = "course|paper",
      description = "course: the published box procedure (smooth, map > T, fill holes, one box "
          + "per component); paper: largest segment of map >= T * max (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--smooth", defaultValue = "" + UniformFilter.DEFAULT_SIZE, paramLabel = "SIZE",
      description = "uniform filter size of the course method (default: ${DEFAULT-VALUE})")
  int smooth;

  @Option(names = "--score", defaultValue = "mean", paramLabel = "mean|max",
      description = "box score: mean or max of the normalised map inside the box "
          + "(default: ${DEFAULT-VALUE})")
  String score;

  @Option(names = "--resize", defaultValue = "nearest",
      description = "nearest (Keras load_img default) | bilinear (default: ${DEFAULT-VALUE})")
  String resize;

  @Option(names = "--batch-size", defaultValue = "8", description = "images per graph run (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    double[] ts = validThresholds();
    if (!method.equals("course") && !method.equals("paper")) {
      throw new IllegalArgumentException("--method must be course or paper, got " + method);
    }
    if (!target.equals("top-dog") && !target.equals("dog-sum")) {
      throw new IllegalArgumentException("--target must be top-dog or dog-sum, got " + target);
    }
    if (smooth < 1) {
      throw new IllegalArgumentException("--smooth must be at least 1, got " + smooth);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
    }
    BoxScore boxScore = switch (score) {
      case "mean" -> BoxScore.MEAN;
      case "max" -> BoxScore.MAX;
      default -> throw new IllegalArgumentException("--score must be mean or max, got " + score);
    };
    Interpolation interpolation = Interpolation.valueOf(resize.toUpperCase(Locale.ROOT));
    if (!Models.NAMES.contains(modelName)) {
      throw new IllegalArgumentException("unknown model '" + modelName + "'; known: "
          + String.join(", ", Models.NAMES));
    }
    String layerName = layer == null ? Models.spec(modelName).defaultLayer() : layer;
    DogDataset data = openDataset();

    stdout.printf(Locale.ROOT, "found %d of %d annotated dog images in %s%s%n", data.files().size(),
        data.annotated(), data.images(), data.missing().isEmpty() ? ""
            : " (" + data.missing().size() + " missing on disk, listed in "
                + out.resolve("missing_images.txt") + ")");
    stdout.flush();
    Files.createDirectories(out);
    Files.write(out.resolve("missing_images.txt"), data.missing(), StandardCharsets.UTF_8);

    Target dogTarget = target.equals("top-dog")
        ? Target.bestOf(Target.range(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG))
        : Target.classSet(Target.range(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG));
    BoxExtractor extractor = method.equals("paper") ? new PaperBoxExtractor()
        : new CourseBoxExtractor(smooth, Precision.FLOAT32);
    String settings = String.format(Locale.ROOT,
        "model=%s layer=%s target=%s method=%s smooth=%d resize=%s score=%s thresholds=%s",
        modelName, layerName, target, method, smooth, interpolation, boxScore, listOf(ts));
    ImageBoxesCache cache = new ImageBoxesCache(out.resolve("cache"), settings);

    Map<String, ImageBoxesCache.Entry> results = new LinkedHashMap<>();
    List<String> todo = new ArrayList<>();
    for (String id : data.files().keySet()) {
      Optional<ImageBoxesCache.Entry> hit = cache.read(id);
      if (hit.isPresent()) {
        results.put(id, hit.get());
      } else {
        todo.add(id);
      }
    }
    int cached = results.size();
    if (!todo.isEmpty()) {
      try (Model model = Models.load(modelName, Assets.defaults());
          ProgressBar bar = new ProgressBarBuilder().setTaskName("localize")
              .setInitialMax(todo.size()).setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
        Explainer explainer = new Explainer(model, layerName, new GradCam());
        for (int start = 0; start < todo.size(); start += batchSize) {
          List<String> chunk = todo.subList(start, Math.min(todo.size(), start + batchSize));
          List<BufferedImage> originals = new ArrayList<>();
          int len = model.spec().inputLength();
          float[] batch = new float[chunk.size() * len];
          for (int i = 0; i < chunk.size(); i++) {
            BufferedImage img = Images.read(data.files().get(chunk.get(i)));
            originals.add(img);
            System.arraycopy(model.spec().input(img, interpolation), 0, batch, i * len, len);
          }
          for (Explanation e : explainer.explain(batch, chunk.size(), dogTarget)) {
            BufferedImage img = originals.get(e.image());
            ImageBoxesCache.Entry entry = new ImageBoxesCache.Entry(e.targetClass(),
                img.getWidth(), img.getHeight(), boxes(e.heatmap(), img.getWidth(), img.getHeight(), ts, extractor, boxScore));
            String id = chunk.get(e.image());
            cache.write(id, entry);
            results.put(id, entry);
          }
          bar.stepBy(chunk.size());
        }
      }
    }
    stdout.printf(Locale.ROOT, "images: %d computed, %d from cache%s%n", todo.size(), cached,
        todo.isEmpty() ? " (model not loaded)" : "");

    // Results in dataset order, whatever order images were computed or cached in.
    Map<String, ImageBoxesCache.Entry> ordered = new LinkedHashMap<>();
    data.files().keySet().forEach(id -> ordered.put(id, results.get(id)));
    writeBoxes(out.resolve("boxes.csv"), ordered);
    writeTargets(out.resolve("targets.csv"), ordered);
    String summary = summary(data, ordered, ts, settings);
    Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
    stdout.println(summary);
    stdout.flush();
    return 0;
  }

  private double[] validThresholds() {
    double[] ts = thresholds.stream().mapToDouble(Double::doubleValue).toArray();
    if (ts.length == 0) {
      throw new IllegalArgumentException("--thresholds needs at least one value");
    }
    for (double t : ts) {
      if (!(t >= 0 && t <= 1)) {
        throw new IllegalArgumentException("heatmap threshold must be in [0, 1], got " + t);
      }
    }
    if (java.util.Arrays.stream(ts).distinct().count() != ts.length) {
      throw new IllegalArgumentException("--thresholds has a value twice: " + listOf(ts));
    }
    return ts;
  }

  private DogDataset openDataset() throws IOException {
    if ((voc == null) == (images == null)) {
      throw new IllegalArgumentException("give exactly one of --voc DIR or --images DIR");
    }
    if (annotations != null && objectsCsv != null) {
      throw new IllegalArgumentException("give --annotations or --objects-csv, not both");
    }
    Path imageDir;
    Path gt;
    if (voc != null) {
      if (!Files.isDirectory(voc)) {
        throw new IOException("No such VOC folder: " + voc);
      }
      imageDir = voc.resolve("JPEGImages");
      gt = objectsCsv != null ? objectsCsv : annotations != null ? annotations
          : voc.resolve("Annotations");
    } else {
      if (annotations == null && objectsCsv == null) {
        throw new IllegalArgumentException("--images needs --annotations DIR or --objects-csv CSV");
      }
      imageDir = images;
      gt = objectsCsv != null ? objectsCsv : annotations;
    }
    if (objectsCsv != null && !Files.isRegularFile(objectsCsv)) {
      throw new IOException("No such objects CSV: " + objectsCsv);
    }
    if (objectsCsv == null && !Files.isDirectory(gt)) {
      throw new IOException("No such annotations folder: " + gt);
    }
    return DogDataset.open(imageDir, gt, datasetLabel);
  }

  /**
   * Boxes of one map at every threshold: the map normalised to [0, 1] (divided by its maximum)
   * and upsampled bilinearly to the image size, so box coordinates are image pixels.
   */
  static List<ScoredBox> boxes(Heatmap heatmap, int width, int height, double[] thresholds,
      BoxExtractor extractor, BoxScore score) {
    float[] up = HeatmapUpsampler.upsample(heatmap.normalized(), heatmap.height(),
        heatmap.width(), height, width);
    double[][] rows = new double[height][width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        rows[y][x] = up[y * width + x];
      }
    }
    List<ScoredBox> out = new ArrayList<>();
    for (double t : thresholds) {
      for (Box b : extractor.extract(rows, t)) {
        out.add(new ScoredBox(t, b, score.of(up, width, b)));
      }
    }
    return out;
  }

  /** All boxes, {@code image_id,threshold,xmin,ymin,xmax,ymax,score}. */
  static final String BOXES_HEADER = "image_id,threshold,xmin,ymin,xmax,ymax,score";

  private static void writeBoxes(Path file, Map<String, ImageBoxesCache.Entry> results)
      throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(BOXES_HEADER + "\n");
      for (var e : results.entrySet()) {
        for (ScoredBox b : e.getValue().boxes()) {
          w.write(e.getKey() + "," + b.threshold() + "," + b.box().xmin() + "," + b.box().ymin()
              + "," + b.box().xmax() + "," + b.box().ymax() + "," + b.score() + "\n");
        }
      }
    }
  }

  private static void writeTargets(Path file, Map<String, ImageBoxesCache.Entry> results)
      throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("image_id,target_class,target_name\n");
      for (var e : results.entrySet()) {
        int c = e.getValue().targetClass();
        w.write(e.getKey() + "," + c + "," + (c < 0 ? "sum of dog classes 151..268"
            : ImageNetLabels.get(c).name().replace(",", ";")) + "\n");
      }
    }
  }

  /** Detections of one heatmap threshold, in dataset order. */
  static List<Detection> detections(Map<String, ImageBoxesCache.Entry> results, double threshold) {
    List<Detection> out = new ArrayList<>();
    results.forEach((id, entry) -> entry.boxes().stream().filter(b -> b.threshold() == threshold)
        .forEach(b -> out.add(b.toDetection(id))));
    return out;
  }

  private String summary(DogDataset data, Map<String, ImageBoxesCache.Entry> results,
      double[] ts, String settings) {
    GroundTruth gt = data.groundTruth();
    StringBuilder s = new StringBuilder();
    String label = data.label();
    s.append("# Grad-CAM dog localisation: ").append(label).append("\n\n");
    s.append(String.format(Locale.ROOT, "- Data: **%s**. %d images with a dog box and a JPEG "
        + "(of %d annotated dog images; %d missing on disk), %d dog boxes, %d of them "
        + "difficult.%n", label, data.files().size(), data.annotated(), data.missing().size(),
        gt.boxCount(), gt.difficultCount()));
    s.append("- Images: `").append(data.images()).append("`; ground truth: `")
        .append(data.groundTruthSource()).append("` (class `dog`). Only the images found are "
            + "evaluated: the GT is that of those images.\n");
    s.append("- Settings: ").append(settings).append(".\n");
    s.append("- Target: ").append(target.equals("top-dog")
        ? "top-dog, each image's highest-scoring ImageNet dog class (151..268), see targets.csv"
        : "dog-sum, the sum of the 118 ImageNet dog logits 151..268").append(".\n");
    s.append("- Map: Grad-CAM, divided by its maximum, bilinearly upsampled to the image size. "
        + "Boxes: ").append(method.equals("course")
            ? "the published procedure (uniform filter " + smooth + ", map > threshold, holes "
                + "filled, one box per 4-connected component; full-image box if no pixel "
                + "exceeds the threshold)"
            : "largest 4-connected segment of map >= threshold * max").append(".\n");
    s.append("- Box score: the ").append(score).append(" of the normalised map inside the box "
        + "(the published code gave every box the same score).\n");
    s.append("- Coordinates: boxes are 0-based start, exclusive stop and are compared with the "
        + "1-based VOC ground truth as they are, as in the published experiment.\n");
    s.append("- AP: all-point VOC AP, IoU with +1, match if IoU > threshold; percent. "
        + "\"difficult counted\" is the published protocol, \"difficult ignored\" the VOC "
        + "standard.\n");
    s.append("- These numbers describe **").append(label).append("** only. They are comparable "
        + "to the published VOC2007 table only if this is the full VOC2007 test dog set "
        + "(433 images, 530 boxes).\n");
    s.append("- Baseline: one full-image box `[0, 0, width, height]` per image, all with the "
        + "same score; on close-up photos it is a strong detector, read the Grad-CAM tables "
        + "against it.\n");
    List<Detection> full = new ArrayList<>();
    results.forEach((id, e) -> full.add(new Detection(id,
        new org.gradcam.data.Box(0, 0, e.width(), e.height()), 1.0)));
    for (double t : ts) {
      List<Detection> dets = detections(results, t);
      s.append("\n## ").append(label).append(": heatmap threshold ").append(fmt(t))
          .append("\n\n");
      s.append(String.format(Locale.ROOT, "%d boxes on %d images (%s).%n%n", dets.size(),
          results.size(), label));
      List<Cell> counted = LocalizationMetrics.evaluate(gt, dets, IOUS, Protocol.PUBLISHED);
      List<Cell> ignored = LocalizationMetrics.evaluate(gt, dets, IOUS,
          Protocol.PUBLISHED.with(DifficultMode.IGNORE));
      table(s, counted, ignored);
    }
    s.append("\n## ").append(label).append(": baseline, one full-image box per image\n\n");
    table(s, LocalizationMetrics.evaluate(gt, full, IOUS, Protocol.PUBLISHED),
        LocalizationMetrics.evaluate(gt, full, IOUS, Protocol.PUBLISHED.with(DifficultMode.IGNORE)));
    return s.toString();
  }

  private static void table(StringBuilder s, List<Cell> counted, List<Cell> ignored) {
    s.append("| protocol | metric |");
    for (double iou : IOUS) {
      s.append(" IoU ").append(fmt(iou)).append(" |");
    }
    s.append("\n| --- | --- |").append(" ---: |".repeat(IOUS.length)).append('\n');
    row(s, "difficult counted (published)", "ap", counted, true);
    row(s, "difficult counted (published)", "recall", counted, false);
    row(s, "difficult ignored (VOC)", "ap", ignored, true);
    row(s, "difficult ignored (VOC)", "recall", ignored, false);
  }

  private static void row(StringBuilder s, String protocol, String metric, List<Cell> cells,
      boolean ap) {
    s.append("| ").append(protocol).append(" | ").append(metric).append(" |");
    for (Cell c : cells) {
      double v = ap ? c.apPercent() : c.recallPercent();
      s.append(' ').append(Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v))
          .append(" |");
    }
    s.append('\n');
  }

  private static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String listOf(double[] ts) {
    return java.util.Arrays.stream(ts).mapToObj(LocalizeCommand::fmt)
        .collect(Collectors.joining(","));
  }
}
