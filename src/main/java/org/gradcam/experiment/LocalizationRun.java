package org.gradcam.experiment;

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
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.BatchExplainer;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.data.Detection;
import org.gradcam.data.PixelBox;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.localize.BoxExtractor;
import org.gradcam.localize.BoxMethod;
import org.gradcam.localize.Precision;
import org.gradcam.localize.UniformFilter;
import org.gradcam.model.Model;
import org.gradcam.model.Models;

/**
 * The dog-localisation experiment on one dataset, end to end: per image a Grad-CAM map of the
 * dog concept, normalised to [0, 1], upsampled to the image size and boxed at each heatmap
 * threshold; then {@code boxes.csv}, {@code targets.csv}, {@code missing_images.txt} and
 * {@code summary.md} (VOC AP and recall against the dog GT of the same images). Both
 * {@code gradcam localize} and {@code gradcam reproduce} run it through {@link #run}.
 *
 * <p>Its jobs are apart: this class runs (the maps from {@link BatchExplainer}, their boxes from
 * {@link ImageMap}), {@link LocalizationCache} skips the images already done,
 * {@link LocalizationFiles} writes the files and {@link LocalizationReport} the summary.
 * Invalid settings are {@link InvalidSettingException}s naming the setting, so a command line
 * can name its own option.
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
   * @param target the ImageNet dog set or one class of the model, checked against the model once
   *     it is loaded
   * @param modelName a built-in model's name or a model file's path ({@link Models})
   * @param camMethod the map's method, a name of {@link CamMethods}
   */
  public record Settings(String modelName, String layer, LocalizationTarget target,
      String camMethod, double[] thresholds, BoxMethod boxMethod, int smooth, BoxScore score,
      Interpolation interpolation, int batchSize) {

    public Settings {
      java.util.Objects.requireNonNull(target);
      java.util.Objects.requireNonNull(boxMethod);
      thresholds = thresholds.clone();
      if (thresholds.length == 0) {
        throw new InvalidSettingException("thresholds", "needs at least one value");
      }
      for (double t : thresholds) {
        if (!(t >= 0 && t <= 1)) {
          throw new IllegalArgumentException("heatmap threshold must be in [0, 1], got " + t);
        }
      }
      if (Arrays.stream(thresholds).distinct().count() != thresholds.length) {
        throw new InvalidSettingException("thresholds", "has a value twice: "
            + list(thresholds));
      }
      CamMethods.byName(camMethod);
      if (smooth < 1) {
        throw new InvalidSettingException("smooth", "must be at least 1, got " + smooth);
      }
      if (batchSize < 1) {
        throw new InvalidSettingException("batchSize", "must be >= 1, got " + batchSize);
      }
      if (!Models.NAMES.contains(modelName) && !Models.isFile(modelName)) {
        throw new IllegalArgumentException("unknown model '" + modelName + "'; known: "
            + String.join(", ", Models.NAMES));
      }
    }

    /** The defaults of {@code gradcam localize}: SqueezeNet 1.1, top-dog, course boxes, 0.01/0.02/0.06. */
    public static Settings defaults() {
      return new Settings("squeezenet1.1", null, LocalizationTarget.TOP_DOG, CamMethods.DEFAULT,
          new double[] {0.01, 0.02, 0.06}, BoxMethod.COURSE, UniformFilter.DEFAULT_SIZE, BoxScore.MEAN, Interpolation.NEAREST, 8);
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

    /** One line naming every setting; also the cache key. */
    public String describe() {
      return String.format(Locale.ROOT,
          "model=%s layer=%s target=%s map=%s boxes=%s smooth=%d resize=%s score=%s thresholds=%s",
          modelName, layerName(), target, camMethod, boxMethod.id(), smooth, interpolation, score,
          list(thresholds));
    }

    BoxExtractor extractor() {
      return boxMethod.extractor(smooth, Precision.FLOAT32);
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
    public List<PixelBox> boxes(String imageId, double threshold) {
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

    LocalizationCache cache = new LocalizationCache(cacheDir, settings, fileOptions, data.files());
    Map<String, ImageBoxesCache.Entry> results = new LinkedHashMap<>(cache.hits());
    List<String> todo = cache.todo();
    if (!todo.isEmpty()) {
      double[] ts = settings.thresholds();
      BoxExtractor extractor = settings.extractor();
      try (Model model = Models.load(settings.modelName(), assets,
              Models.isFile(settings.modelName()) ? fileOptions : fileOptions.forBuiltIn());
          ProgressBar bar = new ProgressBarBuilder().setTaskName("localize")
              .setInitialMax(todo.size()).setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(progress)).build()) {
        Target dogTarget = settings.target().resolve(model);
        Explainer explainer = new Explainer(model, settings.layer() != null ? settings.layer()
            : Models.isFile(settings.modelName()) ? model.defaultLayer() : settings.layerName(),
            CamMethods.byName(settings.camMethod()));
        new BatchExplainer(explainer, dogTarget, settings.interpolation())
            .batchSize(settings.batchSize()).progress(bar::stepBy)
            .files(todo.stream().map(data.files()::get).toList(), batch -> {
              for (BatchExplainer.Explained image : batch.images()) {
                String id = todo.get(image.index());
                int width = image.picture().getWidth();
                int height = image.picture().getHeight();
                for (Explanation e : image.explanations()) {
                  ImageBoxesCache.Entry entry = new ImageBoxesCache.Entry(e.targetClass(), width,
                      height, ImageMap.of(id, e, width, height, model.spec()).boxes(extractor, ts,
                          settings.score()));
                  cache.store(id, entry);
                  results.put(id, entry);
                }
              }
            });
      }
    }
    log.printf(Locale.ROOT, "images: %d computed, %d from cache%s%n", todo.size(),
        cache.hits().size(), todo.isEmpty() ? " (model not loaded)" : "");
    log.flush();

    // Results in dataset order, whatever order images were computed or cached in.
    Map<String, ImageBoxesCache.Entry> ordered = new LinkedHashMap<>();
    data.files().keySet().forEach(id -> ordered.put(id, results.get(id)));
    String summary = LocalizationReport.summary(data, ordered, settings)
        + LocalizationReport.cropNote(fileOptions);
    LocalizationFiles.write(out, data, ordered, settings, summary);
    return new Result(data, settings, java.util.Collections.unmodifiableMap(ordered),
        todo.size(), summary);
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
        PixelBox.fullImage(e.width(), e.height()).asPublishedDetection(), 1.0)));
    return full;
  }

  /** {@code 0.02} for 0.02: thresholds are typed by people. */
  public static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  static String list(double[] ts) {
    return Arrays.stream(ts).mapToObj(LocalizationRun::fmt).collect(Collectors.joining(","));
  }
}
