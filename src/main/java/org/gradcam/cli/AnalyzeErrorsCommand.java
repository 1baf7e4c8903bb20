package org.gradcam.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.ImageMap;
import org.gradcam.experiment.ImageMaps;
import org.gradcam.experiment.LocalizationErrorReport;
import org.gradcam.experiment.LocalizationErrors;
import org.gradcam.experiment.LocalizationTarget;
import org.gradcam.experiment.MethodBenchmark;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradcam analyze-errors}: per ground-truth dog box, why the localisation at one heatmap
 * threshold failed (categories and their definitions in {@link LocalizationErrors}), as
 * {@code errors.csv}, a count table {@code errors.md} and a gallery PNG per category
 * ({@link LocalizationErrorReport}); the maps come from the shared stage ({@link ImageMaps}).
 * With {@code --data-dir}, a classifier's mistakes instead ({@link ClassificationErrorOptions}).
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
      description = "${COMPLETION-CANDIDATES}, or your own model file (.onnx, Keras "
          + ".h5/.keras) (default: ${DEFAULT-VALUE})")
  String modelName;

  @Option(names = "--target", paramLabel = "top-dog|dog-sum|CLASS_NAME|INDEX",
      converter = LocalizeCommand.TargetOption.class, description = "localization mode: the "
          + "class explained, as localize takes it: top-dog (the default), dog-sum, or one class "
          + "of the model by its label (from --labels) or its index")
  LocalizationTarget target;

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

  static final String CSV_HEADER = LocalizationErrorReport.CSV_HEADER;

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
      if (target != null) {
        throw new IllegalArgumentException("--target is for the localization mode; the "
            + "classification mode explains each image's predicted and true classes");
      }
      return classification.run(modelName, modelFile.options(), layer, method, batchSize, out,
          stdout);
    }
    if (classification.given()) {
      throw new IllegalArgumentException("--data-dir is for --mode classification");
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
    String methodName = CamMethods.byName(method).name();
    LocalizationTarget explained = target == null ? LocalizationTarget.TOP_DOG : target;

    DogDataset dataset = data.open();
    Map<String, ImageMap> maps;
    String layerName;
    // The file options as explain takes them: the crop (maps then lie on the crop's part of
    // each image, ImageMaps), and a model file's labels and preprocessing.
    Models.Options options = modelFile.options();
    try (Model model = Models.load(modelName, Assets.defaults(), options)) {
      Target t;
      try {
        t = explained.resolve(model);
      } catch (LocalizationTarget.Unresolved e) {
        throw LocalizeCommand.TargetOption.unresolved(spec, explained, e);
      }
      layerName = layer == null ? model.defaultLayer() : layer;
      stdout.printf(Locale.ROOT, "%s: %d images, %d dog boxes%n", dataset.label(),
          dataset.files().size(), dataset.groundTruth().boxCount());
      stdout.flush();
      Explainer explainer = new Explainer(model, layerName, CamMethods.byName(methodName));
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("analyze-errors")
          .setInitialMax(dataset.files().size()).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
        maps = ImageMaps.compute(explainer, dataset.files(), t, batchSize, bar::stepBy);
      }
    }
    String md = new LocalizationErrorReport(dataset, maps, new LocalizationErrorReport.Settings(
        modelName, layerName, methodName, threshold, gallerySize, command())).write(out);
    stdout.println(md);
    stdout.flush();
    return 0;
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
}
