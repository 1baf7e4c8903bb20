package org.gradcam.experiment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.eval.DifficultMode;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.SignificantDigits;
import org.gradcam.experiment.LocalizationMetrics.Cell;
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
import org.gradcam.io.AtomicFiles;

/**
 * The dog-localisation experiment on one dataset, end to end: per image a Grad-CAM map of the
 * dog concept, normalised to [0, 1], upsampled to the image size and boxed at each heatmap
 * threshold; then {@code boxes.csv}, {@code targets.csv}, {@code missing_images.txt} and
 * {@code summary.md} (VOC AP and recall against the dog GT of the same images). Both
 * {@code gradcam localize} and {@code gradcam reproduce} run it through {@link #run}.
 */
public final class LocalizationRun {
  /** The IoU thresholds of the published table. */
  public static final double[] IOUS = {0.3, 0.4, 0.5};
  /** All boxes, {@code image_id,threshold,xmin,ymin,xmax,ymax,score}. */
  public static final String BOXES_HEADER = "image_id,threshold,xmin,ymin,xmax,ymax,score";

  private LocalizationRun() {}

  /**
   * What determines the boxes.
   *
   * @param layer target layer, or null for the model's default
   * @param target {@code top-dog} or {@code dog-sum} (the ImageNet dog classes), or one class of
   *     the model as its index or its label
   * @param modelName a built-in model's name or a model file's path ({@link Models})
   * @param camMethod the map's method, a name of {@link CamMethods}
   * @param boxMethod {@code course} or {@code paper}
   */
  public record Settings(String modelName, String layer, String target, String camMethod,
      double[] thresholds, String boxMethod, int smooth, BoxScore score,
      Interpolation interpolation, int batchSize) {

    public Settings {
      thresholds = thresholds.clone();
      if (thresholds.length == 0) {
        throw new IllegalArgumentException("--thresholds needs at least one value");
      }
      for (double t : thresholds) {
        if (!(t >= 0 && t <= 1)) {
          throw new IllegalArgumentException("heatmap threshold must be in [0, 1], got " + t);
        }
      }
      if (Arrays.stream(thresholds).distinct().count() != thresholds.length) {
        throw new IllegalArgumentException("--thresholds has a value twice: " + list(thresholds));
      }
      if (!boxMethod.equals("course") && !boxMethod.equals("paper")) {
        throw new IllegalArgumentException("--box-method must be course or paper, got "
            + boxMethod);
      }
      CamMethods.byName(camMethod);
      if (target.isBlank()) {
        throw new IllegalArgumentException("--target must be top-dog, dog-sum, a class index or "
            + "a class label, got an empty value");
      }
      if (smooth < 1) {
        throw new IllegalArgumentException("--smooth must be at least 1, got " + smooth);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
      }
      if (!Models.NAMES.contains(modelName) && !Models.isFile(modelName)) {
        throw new IllegalArgumentException("unknown model '" + modelName + "'; known: "
            + String.join(", ", Models.NAMES));
      }
    }

    /** The defaults of {@code gradcam localize}: SqueezeNet 1.1, top-dog, course boxes, 0.01/0.02/0.06. */
    public static Settings defaults() {
      return new Settings("squeezenet1.1", null, "top-dog", CamMethods.DEFAULT,
          new double[] {0.01, 0.02, 0.06}, "course", UniformFilter.DEFAULT_SIZE, BoxScore.MEAN, Interpolation.NEAREST, 8);
    }

    @Override
    public double[] thresholds() {
      return thresholds.clone();
    }

    public String layerName() {
      // A model file's default layer is known only once it is imported.
      return layer != null ? layer : Models.isFile(modelName) ? "default"
          : Models.spec(modelName).defaultLayer();
    }

    boolean dogSet() {
      return DogTargets.dogSet(target);
    }

    /**
     * The target on this model: the ImageNet dog set (only on a 1000-class model), or one class
     * by index or label, checked against the model's outputs.
     */
    Target target(Model model) {
      return DogTargets.of(target, model);
    }

    /** One line naming every setting; also the cache key. */
    public String describe() {
      return String.format(Locale.ROOT,
          "model=%s layer=%s target=%s map=%s boxes=%s smooth=%d resize=%s score=%s thresholds=%s",
          modelName, layerName(), target, camMethod, boxMethod, smooth, interpolation, score,
          list(thresholds));
    }

    BoxExtractor extractor() {
      return boxMethod.equals("paper") ? new PaperBoxExtractor()
          : new CourseBoxExtractor(smooth, Precision.FLOAT32);
    }
  }

  /**
   * The outcome of a run.
   *
   * @param entries every found image's result, in dataset order
   * @param computed images explained in this run (the others came from the cache)
   */
  public record Result(DogDataset data, Settings settings,
      Map<String, ImageBoxesCache.Entry> entries, int computed, String summary) {

    /** Detections of one heatmap threshold, in dataset order. */
    public List<Detection> detections(double threshold) {
      return LocalizationRun.detections(entries, threshold);
    }

    /** Our boxes of one image at one heatmap threshold (0-based start, exclusive stop). */
    public List<Box> boxes(String imageId, double threshold) {
      return entries.get(imageId).boxes().stream().filter(b -> b.threshold() == threshold)
          .map(ScoredBox::box).toList();
    }
  }

  /**
   * Runs the experiment and writes {@code boxes.csv}, {@code targets.csv},
   * {@code missing_images.txt} and {@code summary.md} into {@code out}.
   *
   * @param cacheDir per-image cache folder (images with a matching entry are not recomputed)
   * @param log short progress lines ("found ...", "images: ..."), e.g. stdout or stderr
   * @param progress where the progress bar goes
   */
  public static Result run(DogDataset data, Settings settings, Path out, Path cacheDir,
      Assets assets, PrintWriter log, PrintStream progress) throws IOException {
    return run(data, settings, Models.Options.DEFAULT, out, cacheDir, assets, log, progress);
  }

  /** As above, {@code fileOptions} (labels, preprocessing) applying to a model file. */
  public static Result run(DogDataset data, Settings settings, Models.Options fileOptions,
      Path out, Path cacheDir, Assets assets, PrintWriter log, PrintStream progress)
      throws IOException {
    log.printf(Locale.ROOT, "found %d of %d annotated dog images in %s%s%n", data.files().size(),
        data.annotated(), data.images(), data.missing().isEmpty() ? ""
            : " (" + data.missing().size() + " missing on disk, listed in "
                + out.resolve("missing_images.txt") + ")");
    log.flush();
    Files.createDirectories(out);

    String key = settings.describe() + fileKey(settings.modelName(), fileOptions)
        + (fileOptions.resizeShort() == null ? "" : " resize-short=" + fileOptions.resizeShort()
            + " center-crop=" + Arrays.toString(fileOptions.centerCrop()));
    ImageBoxesCache cache = new ImageBoxesCache(cacheDir, key);
    Map<String, ImageBoxesCache.Entry> results = new LinkedHashMap<>();
    List<String> todo = new ArrayList<>();
    // Entries are keyed on the image's content too: a file replaced under the same id is redone.
    Map<String, String> digests = new LinkedHashMap<>();
    for (String id : data.files().keySet()) {
      digests.put(id, ImageBoxesCache.imageDigest(data.files().get(id)));
      Optional<ImageBoxesCache.Entry> hit = cache.read(id, digests.get(id));
      if (hit.isPresent()) {
        results.put(id, hit.get());
      } else {
        todo.add(id);
      }
    }
    int cached = results.size();
    if (!todo.isEmpty()) {
      double[] ts = settings.thresholds();
      BoxExtractor extractor = settings.extractor();
      int batchSize = settings.batchSize();
      try (Model model = Models.load(settings.modelName(), assets,
              Models.isFile(settings.modelName()) ? fileOptions : fileOptions.forBuiltIn());
          ProgressBar bar = new ProgressBarBuilder().setTaskName("localize")
              .setInitialMax(todo.size()).setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(progress)).build()) {
        Target dogTarget = settings.target(model);
        Explainer explainer = new Explainer(model, settings.layer() != null ? settings.layer()
            : Models.isFile(settings.modelName()) ? model.defaultLayer() : settings.layerName(),
            CamMethods.byName(settings.camMethod()));
        for (int start = 0; start < todo.size(); start += batchSize) {
          List<String> chunk = todo.subList(start, Math.min(todo.size(), start + batchSize));
          List<BufferedImage> originals = new ArrayList<>();
          int len = model.spec().inputLength();
          float[] batch = new float[chunk.size() * len];
          for (int i = 0; i < chunk.size(); i++) {
            BufferedImage img = Images.read(data.files().get(chunk.get(i)));
            originals.add(img);
            System.arraycopy(model.spec().input(img, settings.interpolation()), 0, batch,
                i * len, len);
          }
          for (Explanation e : explainer.explain(batch, chunk.size(), dogTarget)) {
            BufferedImage img = originals.get(e.image());
            ImageBoxesCache.Entry entry = new ImageBoxesCache.Entry(e.targetClass(),
                img.getWidth(), img.getHeight(), boxes(model.spec().mapOnImage(
                    e.heatmap().normalized(), e.heatmap().height(), e.heatmap().width(),
                    img.getWidth(), img.getHeight()), img.getWidth(), img.getHeight(), ts,
                    extractor, settings.score()));
            String id = chunk.get(e.image());
            cache.write(id, digests.get(id), entry);
            results.put(id, entry);
          }
          bar.stepBy(chunk.size());
        }
      }
    }
    log.printf(Locale.ROOT, "images: %d computed, %d from cache%s%n", todo.size(), cached,
        todo.isEmpty() ? " (model not loaded)" : "");
    log.flush();

    // Results in dataset order, whatever order images were computed or cached in.
    Map<String, ImageBoxesCache.Entry> ordered = new LinkedHashMap<>();
    data.files().keySet().forEach(id -> ordered.put(id, results.get(id)));
    // Written only now, with the others: a run failing on an image leaves none of them.
    AtomicFiles.writeLines(out.resolve("missing_images.txt"), data.missing());
    writeBoxes(out.resolve("boxes.csv"), ordered);
    writeTargets(out.resolve("targets.csv"), ordered, settings);
    String summary = summary(data, ordered, settings) + (fileOptions.resizeShort() == null ? ""
        : "\nInput: torchvision's eval transform, resize short side " + fileOptions.resizeShort()
            + ", center crop " + (fileOptions.centerCrop() == null ? "to the model's input size"
                : fileOptions.centerCrop()[0] + "x" + fileOptions.centerCrop()[1])
            + "; the maps lie on the crop's part of each image (0 elsewhere), boxes in "
            + "original-image pixels; the course method's smoothing lets a box reach up to half "
            + "its filter size beyond the crop.\n");
    AtomicFiles.writeString(out.resolve("summary.md"), summary);
    return new Result(data, settings, java.util.Collections.unmodifiableMap(ordered),
        todo.size(), summary);
  }

  /**
   * Boxes of one map at every threshold: the map normalised to [0, 1] (divided by its maximum)
   * and upsampled bilinearly to the image size, so box coordinates are image pixels.
   */
  public static List<ScoredBox> boxes(Heatmap heatmap, int width, int height,
      double[] thresholds, BoxExtractor extractor, BoxScore score) {
    return boxes(HeatmapUpsampler.upsample(heatmap.normalized(), heatmap.height(),
        heatmap.width(), height, width), width, height, thresholds, extractor, score);
  }

  /** As above for a map already normalised and on the image ({@code ModelSpec#mapOnImage}). */
  static List<ScoredBox> boxes(float[] up, int width, int height, double[] thresholds,
      BoxExtractor extractor, BoxScore score) {
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

  /** Detections of one heatmap threshold, in the map's order. */
  public static List<Detection> detections(Map<String, ImageBoxesCache.Entry> results,
      double threshold) {
    List<Detection> out = new ArrayList<>();
    results.forEach((id, entry) -> entry.boxes().stream()
        .filter(b -> b.threshold() == threshold).forEach(b -> out.add(b.toDetection(id))));
    return out;
  }

  /** One full-image box {@code [0, 0, width, height]} per image, score 1. */
  public static List<Detection> fullImageBoxes(Map<String, ImageBoxesCache.Entry> results) {
    List<Detection> full = new ArrayList<>();
    results.forEach((id, e) -> full.add(new Detection(id,
        new org.gradcam.data.Box(0, 0, e.width(), e.height()), 1.0)));
    return full;
  }

  private static void writeBoxes(Path file, Map<String, ImageBoxesCache.Entry> results)
      throws IOException {
    AtomicFiles.writeText(file, w -> {
      w.write(BOXES_HEADER + "\n");
      for (var e : results.entrySet()) {
        for (ScoredBox b : e.getValue().boxes()) {
          w.write(e.getKey() + "," + b.threshold() + "," + b.box().xmin() + "," + b.box().ymin()
              + "," + b.box().xmax() + "," + b.box().ymax() + ","
              + SignificantDigits.float32(b.score()) + "\n");
        }
      }
    });
  }

  /**
   * What a cache entry of a model file depends on beyond the settings: the file's content and
   * the options applied to it (a file replaced under the same path is redone).
   */
  private static String fileKey(String modelName, Models.Options o) throws IOException {
    if (!Models.isFile(modelName)) {
      return "";
    }
    return " file-sha256=" + ImageBoxesCache.imageDigest(Path.of(modelName))
        + " labels=" + (o.labels() == null ? "default"
            : ImageBoxesCache.imageDigest(o.labels()))
        + " preprocess=" + o.preprocess() + " mean=" + Arrays.toString(o.mean())
        + " std=" + Arrays.toString(o.std());
  }

  private static void writeTargets(Path file, Map<String, ImageBoxesCache.Entry> results,
      Settings settings) throws IOException {
    AtomicFiles.writeText(file, w -> {
      w.write("image_id,target_class,target_name\n");
      for (var e : results.entrySet()) {
        int c = e.getValue().targetClass();
        // A single-class target is named as given (the model's labels are not loaded when every
        // image comes from the cache); the dog set by ImageNet's names.
        String name = c < 0 ? "sum of dog classes 151..268"
            : settings.dogSet() ? ImageNetLabels.get(c).name()
            : settings.target().matches("\\d+") ? "class " + c : settings.target();
        w.write(e.getKey() + "," + c + "," + name.replace(",", ";") + "\n");
      }
    });
  }

  private static String summary(DogDataset data, Map<String, ImageBoxesCache.Entry> results,
      Settings settings) {
    GroundTruth gt = data.groundTruth();
    StringBuilder s = new StringBuilder();
    String label = data.label();
    s.append("# Grad-CAM dog localisation: ").append(label).append("\n\n");
    s.append(String.format(Locale.ROOT, "- Data: **%s**. %d images with a dog box and a JPEG "
        + "(of %d annotated dog images; %d missing on disk), %d dog boxes, %d of them "
        + "difficult.%n", label, data.files().size(), data.annotated(), data.missing().size(),
        gt.boxCount(), gt.difficultCount()));
    s.append("- Images: `").append(Assets.display(data.images())).append("`; ground truth: `")
        .append(Assets.display(data.groundTruthSource())).append("` (class `dog`). Only the images found are "
            + "evaluated: the GT is that of those images.\n");
    s.append("- Settings: ").append(settings.describe()).append(".\n");
    s.append("- Target: ").append(settings.target().equals("top-dog")
        ? "top-dog, each image's highest-scoring ImageNet dog class (151..268), see targets.csv"
        : settings.target().equals("dog-sum") ? "dog-sum, the sum of the 118 ImageNet dog logits 151..268"
        : "class " + settings.target() + " of the model").append(".\n");
    s.append("- Map: Grad-CAM, divided by its maximum, bilinearly upsampled to the image size. "
        + "Boxes: ").append(settings.boxMethod().equals("course")
            ? "the published procedure (uniform filter " + settings.smooth() + ", map > "
                + "threshold, holes filled, one box per 4-connected component; full-image box "
                + "if no pixel exceeds the threshold)"
            : "largest 4-connected segment of map >= threshold * max").append(".\n");
    s.append("- Box score: the ").append(settings.score().name().toLowerCase(Locale.ROOT))
        .append(" of the normalised map inside the box (the published code gave every box the "
            + "same score).\n");
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
    for (double t : settings.thresholds()) {
      List<Detection> dets = detections(results, t);
      s.append("\n## ").append(label).append(": heatmap threshold ").append(fmt(t))
          .append("\n\n");
      s.append(String.format(Locale.ROOT, "%d boxes on %d images (%s).%n%n", dets.size(),
          results.size(), label));
      table(s, LocalizationMetrics.evaluate(gt, dets, IOUS, Protocol.PUBLISHED),
          LocalizationMetrics.evaluate(gt, dets, IOUS,
              Protocol.PUBLISHED.with(DifficultMode.IGNORE)));
    }
    List<Detection> full = fullImageBoxes(results);
    s.append("\n## ").append(label).append(": baseline, one full-image box per image\n\n");
    table(s, LocalizationMetrics.evaluate(gt, full, IOUS, Protocol.PUBLISHED),
        LocalizationMetrics.evaluate(gt, full, IOUS,
            Protocol.PUBLISHED.with(DifficultMode.IGNORE)));
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

  /** {@code 0.02} for 0.02: thresholds are typed by people. */
  public static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  static String list(double[] ts) {
    return Arrays.stream(ts).mapToObj(LocalizationRun::fmt).collect(Collectors.joining(","));
  }
}
