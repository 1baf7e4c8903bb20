package org.gradcam.classify;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Target;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.OverlayPanels;
import org.gradcam.io.StagedFiles;

/**
 * The Grad-CAM pictures of an {@link ErrorAnalysis}: the most confident mistakes (photo, map of
 * the predicted class, map of the true class) and the seeded per-class gallery, staged with the
 * analysis' other files.
 */
final class ErrorPictures {
  private final ErrorAnalysis analysis;
  private final List<String> labels;
  private final ErrorAnalysis.Settings settings;
  private final Explainer explainer;

  ErrorPictures(ErrorAnalysis analysis, List<String> labels, ErrorAnalysis.Settings settings,
      Explainer explainer) {
    this.analysis = analysis;
    this.labels = labels;
    this.settings = settings;
    this.explainer = explainer;
  }

  /** A class name as a folder name: all but letters, digits, {@code . _ -} becomes {@code _}. */
  static String slug(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
  }

  /**
   * For each of the {@code topErrors} most confident mistakes: the photo, the Grad-CAM map of the
   * predicted class and that of the true class, side by side, captioned.
   */
  void writeErrorMaps(Path dir, StagedFiles staged) throws IOException {
    List<ClassifiedImage> top = analysis.errorsByConfidence().stream().limit(settings.topErrors())
        .toList();
    Map<String, Integer> used = new LinkedHashMap<>();
    for (ClassifiedImage e : top) {
      BufferedImage photo = Images.read(e.file());
      float[] x = explainer.model().spec().input(photo, settings.resize());
      Explanation pred = explainer.explain(x, 1, new Target.ClassIndex(e.predicted())).get(0);
      Explanation truth = explainer.explain(x, 1, new Target.ClassIndex(e.trueClass())).get(0);
      List<BufferedImage> pictures = List.of(photo, overlay(explainer, photo, pred),
          overlay(explainer, photo, truth));
      List<String> captions = List.of(analysis.relative(e.file()),
          String.format(Locale.ROOT, "predicted: %s (p %.3f)", labels.get(e.predicted()),
              e.confidence()),
          String.format(Locale.ROOT, "true: %s (p %.3f)", labels.get(e.trueClass()),
              e.trueProbability()));
      String folder = slug(labels.get(e.trueClass())) + "_as_" + slug(labels.get(e.predicted()));
      String stem = stem(e.file());
      String name = String.format(Locale.ROOT, "%s_conf%.2f_gradcam", stem, e.confidence());
      int seen = used.merge(folder + "/" + name, 1, Integer::sum);
      Path file = dir.resolve(folder).resolve(name + (seen > 1 ? "_" + seen : "") + ".png");
      Images.writePng(OverlayPanels.strip(pictures, captions, 256), staged.stage(file));
    }
  }

  /** Per class folder, a grid of {@code numSamples} seeded random images' predicted maps. */
  void writeGallery(Path dir, StagedFiles staged) throws IOException {
    for (Map.Entry<Integer, List<ClassifiedImage>> c
        : analysis.samples(settings.numSamples(), settings.seed()).entrySet()) {
      List<BufferedImage> pictures = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (ClassifiedImage i : c.getValue()) {
        BufferedImage photo = Images.read(i.file());
        float[] x = explainer.model().spec().input(photo, settings.resize());
        Explanation e = explainer.explain(x, 1, new Target.ClassIndex(i.predicted())).get(0);
        pictures.add(overlay(explainer, photo, e));
        captions.add(String.format(Locale.ROOT, "%s: %s %s (p %.3f)", stem(i.file()),
            i.correct() ? "right," : "WRONG, as", labels.get(i.predicted()), i.confidence()));
      }
      if (!pictures.isEmpty()) {
        Images.writePng(OverlayPanels.grid(pictures, captions, 4, 224),
            staged.stage(dir.resolve(slug(labels.get(c.getKey())) + ".png")));
      }
    }
  }

  private BufferedImage overlay(Explainer explainer, BufferedImage photo, Explanation e) {
    // Through the model's contract: with a center crop the map lies on the crop's part only.
    return Overlay.blend(photo, explainer.model().spec().mapOnImage(e.heatmap().normalized(),
        e.heatmap().height(), e.heatmap().width(), photo.getWidth(), photo.getHeight()),
        settings.colormap(), settings.alpha());
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
