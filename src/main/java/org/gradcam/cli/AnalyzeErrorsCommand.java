package org.gradcam.cli;

import static org.gradcam.eval.SignificantDigits.float32;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.data.Assets;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.experiment.BoxScore;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.ImageMap;
import org.gradcam.experiment.ImageMaps;
import org.gradcam.experiment.LocalizationErrors;
import org.gradcam.experiment.LocalizationErrors.Analysis;
import org.gradcam.experiment.LocalizationErrors.Category;
import org.gradcam.experiment.MethodBenchmark;
import org.gradcam.experiment.ScoredBox;
import org.gradcam.image.BoxDrawing;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.localize.Box;
import org.gradcam.localize.Precision;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import org.gradcam.io.AtomicFiles;

/**
 * {@code gradcam analyze-errors}: per ground-truth dog box, why the localisation at one heatmap
 * threshold failed (categories and their definitions in {@link LocalizationErrors}), as
 * {@code errors.csv}, a count table {@code errors.md} and a gallery PNG per category.
 */
@Command(name = "analyze-errors", mixinStandardHelpOptions = true,
    description = {"Two modes. localization (the default without --data-dir): why dog "
        + "localisations fail: each ground-truth dog box gets a category "
        + "(ok, no box, box too big, box too small, wrong dog, two dogs merged, misplaced) "
        + "from the published-procedure boxes at one heatmap threshold; "
        + "writes errors.csv, errors.md and gallery-<category>.png to --out.",
        "classification (with --data-dir DIR, an ImageFolder): the classifier's mistakes; "
        + "writes error_summary.json, error_details.csv, confusion_matrix.png, "
        + "confidence_histogram.png, errors_by_class.png and gradcam_errors/<TRUE>_as_<PRED>/ "
        + "to --out."})
public final class AnalyzeErrorsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ImageLimitOptions imageLimit = new ImageLimitOptions();

  @Mixin DogDataOptions data = new DogDataOptions();

  /** The analysis to run: dog boxes, or a classifier's mistakes on labelled images. */
  enum Mode { localization, classification }

  @Option(names = "--mode", paramLabel = "localization|classification",
      description = "what to analyse (default: classification with --data-dir, else "
          + "localization)")
  Mode mode;

  @Mixin ClassificationErrorOptions classification = new ClassificationErrorOptions();

  @Mixin ModelFileOptions modelFile = new ModelFileOptions();

  @Option(names = "--model", defaultValue = "squeezenet1.1", paramLabel = "NAME|FILE",
      completionCandidates = Candidates.ModelNames.class,
      description = "${COMPLETION-CANDIDATES}, or in classification mode your own "
          + "model file (.onnx, Keras .h5/.keras) (default: ${DEFAULT-VALUE})")
  String modelName;

  @Option(names = "--layer", description = "target layer (default: the model's)")
  String layer;

  @Option(names = "--method", defaultValue = CamMethods.DEFAULT, paramLabel = "NAME",
      description = "CAM method (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--threshold", defaultValue = "" + MethodBenchmark.PUBLISHED_THRESHOLD,
      paramLabel = "T", description = "heatmap threshold of the boxes (default: ${DEFAULT-VALUE}, "
          + "as published)")
  double threshold;

  @Option(names = "--gallery-size", defaultValue = "6", paramLabel = "N",
      description = "pictures per category gallery (default: ${DEFAULT-VALUE})")
  int gallerySize;

  @Option(names = "--batch-size", defaultValue = "8",
      description = "images per graph run (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output: errors.csv, errors.md, gallery-<category>.png")
  Path out;

  static final String CSV_HEADER = "image_id,gt_index,difficult,gt_xmin,gt_ymin,gt_xmax,gt_ymax,"
      + "best_xmin,best_ymin,best_xmax,best_ymax,best_score,iou,gt_covered,box_on_gt,area_ratio,"
      + "boxes,fallback,target_class,category";

  private static final Color OTHER_BOXES = new Color(255, 160, 0);
  private static final Color OTHER_DOGS = new Color(255, 255, 0);

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    Mode chosen = mode != null ? mode
        : classification.given() ? Mode.classification : Mode.localization;
    if (chosen == Mode.classification) {
      if (!classification.given()) {
        throw new IllegalArgumentException("--mode classification needs --data-dir DIR (an "
            + "ImageFolder: one sub-folder per class)");
      }
      if (data.voc != null || data.images != null || data.data != null) {
        throw new IllegalArgumentException("--data-dir (classification mode) takes no dog data "
            + "(--voc, --images, --data: localization mode)");
      }
      return classification.run(modelName, modelFile.options(), layer, method, batchSize, out,
          stdout);
    }
    if (classification.given()) {
      throw new IllegalArgumentException("--data-dir is for --mode classification");
    }
    if (modelFile.resizeShort != null) {
      // Localization mode runs the built-in models on their own contract only.
      throw new IllegalArgumentException("--resize-short is for the classification mode "
          + "(--data-dir) of analyze-errors");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("--threshold must be in [0, 1], got " + threshold);
    }
    if (gallerySize < 0) {
      throw new IllegalArgumentException("--gallery-size must be >= 0, got " + gallerySize);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
    }
    if (!Models.NAMES.contains(modelName)) {
      throw new IllegalArgumentException("unknown model '" + modelName + "'; known: "
          + String.join(", ", Models.NAMES));
    }
    String methodName = CamMethods.byName(method).name();
    String layerName = layer == null ? Models.spec(modelName).defaultLayer() : layer;
    DogDataset dataset = data.open();
    stdout.printf(Locale.ROOT, "%s: %d images, %d dog boxes%n", dataset.label(),
        dataset.files().size(), dataset.groundTruth().boxCount());
    stdout.flush();

    Map<String, ImageMap> maps = new LinkedHashMap<>();
    try (Model model = Models.load(modelName, Assets.defaults());
        ProgressBar bar = new ProgressBarBuilder().setTaskName("analyze-errors")
            .setInitialMax(dataset.files().size()).setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
      Explainer explainer = new Explainer(model, layerName, CamMethods.byName(methodName));
      List<String> ids = new ArrayList<>(dataset.files().keySet());
      for (int start = 0; start < ids.size(); start += batchSize) {
        Map<String, Path> chunk = new LinkedHashMap<>();
        ids.subList(start, Math.min(ids.size(), start + batchSize))
            .forEach(id -> chunk.put(id, dataset.files().get(id)));
        maps.putAll(ImageMaps.compute(explainer, chunk, MethodBenchmark.dogTarget(), batchSize));
        bar.stepBy(chunk.size());
      }
    }

    List<Analysis> analyses = new ArrayList<>();
    Map<String, List<ScoredBox>> boxesByImage = new LinkedHashMap<>();
    for (ImageMap m : maps.values()) {
      List<ScoredBox> boxes = m.boxes(MethodBenchmark.extractor(), threshold, BoxScore.MEAN);
      boxesByImage.put(m.imageId(), boxes);
      analyses.addAll(LocalizationErrors.analyze(m.imageId(),
          dataset.groundTruth().byImage().get(m.imageId()), boxes, fallback(m, threshold)));
    }

    Files.createDirectories(out);
    writeCsv(out.resolve("errors.csv"), analyses, maps);
    List<String> galleries = writeGalleries(dataset, analyses, boxesByImage, maps);
    String md = markdown(dataset, analyses, layerName, methodName, galleries);
    AtomicFiles.writeString(out.resolve("errors.md"), md);
    stdout.println(md);
    stdout.flush();
    return 0;
  }

  /** Whether the published procedure fell back to the full image: no map value above it. */
  static boolean fallback(ImageMap m, double threshold) {
    for (float v : m.values()) {
      if (Precision.FLOAT32.exceeds(v, threshold)) {
        return false;
      }
    }
    return true;
  }

  private static void writeCsv(Path file, List<Analysis> analyses, Map<String, ImageMap> maps)
      throws java.io.IOException {
    AtomicFiles.writeText(file, w -> {
      w.write(CSV_HEADER + "\n");
      for (Analysis a : analyses) {
        org.gradcam.data.Box g = a.groundTruth().box();
        String best = a.best().map(b -> b.box().xmin() + "," + b.box().ymin() + ","
            + b.box().xmax() + "," + b.box().ymax() + "," + float32(b.score())).orElse(",,,,");
        w.write(String.join(",", a.imageId(), "" + a.index(), "" + a.groundTruth().difficult(),
            num(g.xmin()), num(g.ymin()), num(g.xmax()), num(g.ymax()), best, float32(a.iou()),
            float32(a.gtCovered()), float32(a.boxOnGt()), float32(a.areaRatio()), "" + a.boxes(),
            "" + a.fallback(), "" + maps.get(a.imageId()).targetClass(), a.category().label())
            + "\n");
      }
    });
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private List<String> writeGalleries(DogDataset dataset, List<Analysis> analyses,
      Map<String, List<ScoredBox>> boxesByImage, Map<String, ImageMap> maps)
      throws java.io.IOException {
    List<String> written = new ArrayList<>();
    if (gallerySize == 0) {
      return written;
    }
    for (Category c : Category.values()) {
      List<BufferedImage> pictures = new ArrayList<>();
      Set<String> shown = new HashSet<>();
      for (Analysis a : analyses) {
        if (a.category() != c || pictures.size() == gallerySize || !shown.add(a.imageId())) {
          continue;
        }
        pictures.add(drawing(dataset, a, boxesByImage.get(a.imageId()), maps.get(a.imageId())));
      }
      if (!pictures.isEmpty()) {
        String name = "gallery-" + c.slug() + ".png";
        BufferedImage grid = BoxDrawing.grid(pictures, 3, 300, 225);
        AtomicFiles.write(out.resolve(name), o -> ImageIO.write(grid, "png", o));
        written.add(name);
      }
    }
    return written;
  }

  /**
   * The map over the photo; the analysed dog green, other dogs yellow, other predicted boxes
   * orange, the best box red; caption: id, category, IoU.
   */
  private static BufferedImage drawing(DogDataset dataset, Analysis a, List<ScoredBox> boxes,
      ImageMap map) throws java.io.IOException {
    BufferedImage photo = Images.read(dataset.files().get(a.imageId()));
    BufferedImage overlay = Overlay.blend(photo, map.values(), Colormap.JET, 0.35);
    BoxDrawing d = BoxDrawing.on(overlay, Math.max(2, Math.min(photo.getWidth(),
        photo.getHeight()) / 120));
    List<GroundTruthBox> gts = dataset.groundTruth().byImage().get(a.imageId());
    List<Box> others = new ArrayList<>();
    for (int i = 0; i < gts.size(); i++) {
      if (i != a.index()) {
        org.gradcam.data.Box g = gts.get(i).box();
        others.add(new Box((int) Math.max(0, g.xmin() - 1), (int) Math.max(0, g.ymin() - 1),
            (int) g.xmax(), (int) g.ymax()));
      }
    }
    d.boxes(others, OTHER_DOGS);
    d.boxes(boxes.stream().map(ScoredBox::box)
        .filter(b -> a.best().isEmpty() || !b.equals(a.best().get().box())).toList(), OTHER_BOXES);
    d.groundTruth(List.of(a.groundTruth().box()));
    a.best().ifPresent(b -> d.ours(List.of(b.box())));
    d.caption(String.format(Locale.ROOT, "%s #%d %s IoU %.2f", a.imageId(), a.index(),
        a.category().label(), a.iou()));
    return d.image();
  }

  /** The arguments after this subcommand's name, as typed. */
  private List<String> ownArgs() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    int at = args.indexOf(spec.name());
    return at < 0 ? args : args.subList(at + 1, args.size());
  }

  private String command() {
    StringBuilder sb = new StringBuilder("./gradcam analyze-errors");
    for (String arg : ownArgs()) {
      sb.append(' ').append(arg.matches("[A-Za-z0-9_./,=+:@-]+") ? arg
          : "'" + arg.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  private String markdown(DogDataset dataset, List<Analysis> analyses, String layerName,
      String methodName, List<String> galleries) {
    String label = dataset.label();
    StringBuilder s = new StringBuilder();
    s.append("# Localisation errors: ").append(label).append("\n\n");
    s.append("```bash\n").append(command()).append("\n```\n\n");
    s.append(String.format(Locale.ROOT, "- Data: **%s**: %d images, %d dog boxes (%d "
        + "difficult); images `%s`, ground truth `%s`. These counts describe this data only.%n",
        label, dataset.files().size(), dataset.groundTruth().boxCount(),
        dataset.groundTruth().difficultCount(), Assets.display(dataset.images()),
        Assets.display(dataset.groundTruthSource())));
    s.append(String.format(Locale.ROOT, "- Map: %s on %s at `%s`, each image's best ImageNet dog "
        + "class (151..268), divided by its maximum, upsampled to the image. Boxes: the "
        + "published procedure (uniform filter 20, map > %s, holes filled, one box per "
        + "component) at heatmap threshold **%s**.%n", methodName, modelName, layerName,
        fmt(threshold), fmt(threshold)));
    s.append("- One row per ground-truth dog box; its best box is the predicted box of highest "
        + "IoU (devkit +1, boxes compared as published). Categories, first that applies: "
        + "**no box** (no box, or only the full-image fallback when no map pixel exceeds the "
        + "threshold); **ok** (IoU >= 0.5); **two dogs merged** (the box holds >= 50% of >= 2 "
        + "dogs, this one included); **wrong dog** (the box has a higher IoU with another dog, "
        + "or touches no dog); **box too big** (holds >= 90% of the dog, IoU < 0.5: over 1.7x "
        + "the dog's area); **box too small** (>= 90% of the box on the dog, IoU < 0.5: under "
        + "0.59x its area); **misplaced** (anything else: a partial, shifted overlap). Exact "
        + "definitions: `org.gradcam.experiment.LocalizationErrors`.\n\n");
    Map<Category, Integer> boxes = new EnumMap<>(Category.class);
    Map<Category, Set<String>> images = new EnumMap<>(Category.class);
    for (Analysis a : analyses) {
      boxes.merge(a.category(), 1, Integer::sum);
      images.computeIfAbsent(a.category(), k -> new HashSet<>()).add(a.imageId());
    }
    Table t = Table.create(label);
    StringColumn cat = StringColumn.create("category");
    IntColumn n = IntColumn.create("dog boxes");
    DoubleColumn share = DoubleColumn.create("share (%)");
    IntColumn imgs = IntColumn.create("images");
    for (Category c : Category.values()) {
      int k = boxes.getOrDefault(c, 0);
      cat.append(c.label());
      n.append(k);
      share.append(100.0 * k / analyses.size());
      imgs.append(images.getOrDefault(c, Set.of()).size());
    }
    cat.append("total");
    n.append(analyses.size());
    share.append(100.0);
    imgs.append(dataset.files().size());
    t.addColumns(cat, n, share, imgs);
    s.append("## ").append(label).append("\n\n").append(MarkdownTables.render(t, 1));
    s.append("\nPer box: `errors.csv`. Galleries (up to ").append(gallerySize)
        .append(" images each; analysed dog green, other dogs yellow, best box red, other boxes "
            + "orange): ");
    galleries.forEach(g -> s.append('`').append(g).append("` "));
    s.append("\n");
    return s.toString();
  }

  private static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
