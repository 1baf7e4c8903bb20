package org.gradcam.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.classify.Classification;
import org.gradcam.classify.ClassifiedImage;
import org.gradcam.classify.ErrorAnalysis;
import org.gradcam.classify.ImageFolder;
import org.gradcam.data.Assets;
import org.gradcam.image.Colormap;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import picocli.CommandLine.Option;

/**
 * The classification mode of {@code analyze-errors}: a classifier's mistakes on a labelled
 * ImageFolder ({@link ErrorAnalysis}), as opposed to the localisation mode's dog boxes.
 */
public final class ClassificationErrorOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", description = "classification mode: an "
      + "ImageFolder, one sub-folder per class named as the model's label (ImageNet models: the "
      + "class name, '_' for ' ', or the WordNet id)")
  Path dataDir;

  @Option(names = "--top-k", defaultValue = "5", paramLabel = "K",
      description = "classification mode: classes listed per image in error_details.csv "
          + "(default: ${DEFAULT-VALUE})")
  int topK;

  @Option(names = "--top-errors", defaultValue = "20", paramLabel = "N",
      description = "classification mode: Grad-CAM pictures of the N most confident mistakes "
          + "(default: ${DEFAULT-VALUE})")
  int topErrors;

  @Option(names = "--num-samples", defaultValue = "0", paramLabel = "N",
      description = "classification mode: a gallery of N seeded random images per class "
          + "(default: ${DEFAULT-VALUE}, none)")
  int numSamples;

  @Option(names = "--seed", paramLabel = "S",
      description = "classification mode: seed of the gallery (default: a random one, printed)")
  Long seed;

  @Option(names = "--resize", defaultValue = "nearest", paramLabel = "nearest|bilinear",
      converter = InterpolationOption.class, completionCandidates = InterpolationOption.class,
      description = "classification mode: resize to the model's input as Pillow's NEAREST "
          + "(Keras load_img) or BILINEAR (default: ${DEFAULT-VALUE})")
  Interpolation resize;

  @Option(names = "--colormap", defaultValue = "jet", paramLabel = "NAME",
      converter = EnumOption.Colormaps.class, completionCandidates = EnumOption.Colormaps.class,
      description = "classification mode: colour map of the overlays, ${COMPLETION-CANDIDATES} "
          + "(default: ${DEFAULT-VALUE})")
  Colormap colormap;

  @Option(names = "--alpha", defaultValue = "0.4",
      description = "classification mode: overlay opacity (default: ${DEFAULT-VALUE})")
  double alpha;

  /** Whether these options select the classification mode. */
  boolean given() {
    return dataDir != null;
  }

  /** WordNet ids as folder aliases of a model with ImageNet's classes, else none. */
  static List<String> aliasesOf(Model model) {
    List<String> out = new ArrayList<>();
    if (model.hasImageNetClasses()) {
      for (int i = 0; i < 1000; i++) {
        out.add(ImageNetLabels.get(i).wnid());
      }
    }
    return out;
  }

  int run(String modelName, Models.Options modelOptions, String layer, String method,
      int batchSize, Path out, PrintWriter stdout) throws Exception {
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
    }
    if (topErrors < 0) {
      throw new IllegalArgumentException("--top-errors must be >= 0, got " + topErrors);
    }
    if (numSamples < 0) {
      throw new IllegalArgumentException("--num-samples must be >= 0, got " + numSamples);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
    }
    String methodName = CamMethods.byName(method).name();
    long s = seed != null ? seed : new SecureRandom().nextInt(1 << 30);
    try (Model model = Models.load(modelName, Assets.defaults(), modelOptions)) {
      List<String> labels = model.labels();
      ImageFolder data = ImageFolder.open(dataDir, labels, aliasesOf(model));
      String layerName = layer == null ? model.defaultLayer() : layer;
      Explainer explainer = new Explainer(model, layerName, CamMethods.byName(methodName));
      stdout.printf(Locale.ROOT, "%s: %d images in %d classes (%s)%s; seed %d%n", dataDir,
          data.samples().size(), data.folders().size(), String.join(", ", data.folders()),
          data.skipped() > 0 ? ", " + data.skipped() + " other files skipped" : "", s);
      stdout.flush();
      List<ClassifiedImage> images;
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("classify")
          .setInitialMax(data.samples().size()).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
        images = Classification.run(model, data, resize, topK, batchSize, bar::stepBy);
      }
      String preprocessing = String.format(Locale.ROOT, "decoded by content, RGB, %s, then "
          + "%s's preprocess_input (%s)", model.spec().resizing(resize), modelName,
          model.spec().channelsFirst() ? "channels first" : "channels last");
      ErrorAnalysis analysis = new ErrorAnalysis(data, labels, images, new ErrorAnalysis.Settings(
          modelName, dataDir, preprocessing, resize, topErrors, numSamples, s, layerName,
          methodName, colormap, alpha));
      List<Path> written = analysis.write(out, explainer);
      var m = analysis.matrix();
      stdout.printf(Locale.ROOT, "accuracy %.4f (%d of %d), macro F1 %.4f; mean confidence "
          + "correct %.4f, errors %.4f%n", m.accuracy(), m.correct(), m.total(), m.macroF1(),
          analysis.meanConfidence(true), analysis.meanConfidence(false));
      for (var c : m.metrics().subList(0, m.rows())) {
        stdout.printf(Locale.ROOT, "  %-30s precision %.4f recall %.4f F1 %.4f support %d%n",
            c.name(), c.precision(), c.recall(), c.f1(), c.support());
      }
      if (m.columns() > m.rows()) {
        stdout.printf(Locale.ROOT, "  and %d classes outside the data set predicted%n",
            m.columns() - m.rows());
      }
      stdout.printf(Locale.ROOT, "wrote %d files to %s (gallery seed %d)%n", written.size(), out,
          s);
      stdout.flush();
    }
    return 0;
  }
}
