package org.gradcam.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradcam.model.Models;
import org.gradcam.data.Assets;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.eval.DifficultMode;
import org.gradcam.eval.Protocol;
import org.gradcam.experiment.LocalizationMetrics.Cell;
import org.gradcam.io.Template;

/**
 * The {@code summary.md} of a localisation run: how it was made, then AP and recall per heatmap
 * threshold and for the full-image baseline. The prose is in {@code localization-summary.md}
 * and {@code localization-summary.properties} beside this class.
 */
final class LocalizationReport {
  private static final Map<String, String> PHRASES =
      Template.phrases(LocalizationReport.class, "localization-summary.properties");

  private LocalizationReport() {}

  static String summary(DogDataset data, Map<String, ImageBoxesCache.Entry> results,
      LocalizationRun.Settings settings) {
    GroundTruth gt = data.groundTruth();
    String label = data.label();
    StringBuilder s = new StringBuilder(Template.fill("localization-summary.md",
        Template.text(LocalizationReport.class, "localization-summary.md"), Map.ofEntries(
            Map.entry("label", label),
            Map.entry("images", "" + data.files().size()),
            Map.entry("annotated", "" + data.annotated()),
            Map.entry("missing", "" + data.missing().size()),
            Map.entry("boxes", "" + gt.boxCount()),
            Map.entry("difficult", "" + gt.difficultCount()),
            Map.entry("imageDir", Assets.display(data.images())),
            Map.entry("groundTruth", Assets.display(data.groundTruthSource())),
            Map.entry("settings", settings.describe()),
            Map.entry("target", phrase(switch (settings.target().kind()) {
              case TOP_DOG -> "target.top-dog";
              case DOG_SUM -> "target.dog-sum";
              default -> "target.class";
            }, Map.of("target", settings.target().text()))),
            Map.entry("boxMethod", phrase("boxes." + settings.boxMethod().id(),
                Map.of("smooth", "" + settings.smooth()))),
            Map.entry("score", settings.score().name().toLowerCase(Locale.ROOT)))));
    for (double t : settings.thresholds()) {
      List<Detection> dets = LocalizationRun.detections(results, t);
      s.append('\n').append(phrase("section.threshold", Map.of("label", label,
          "threshold", LocalizationRun.fmt(t)))).append("\n\n");
      s.append(phrase("section.count", Map.of("boxes", "" + dets.size(),
          "images", "" + results.size(), "label", label))).append("\n\n");
      table(s, gt, dets);
    }
    s.append('\n').append(phrase("section.baseline", Map.of("label", label))).append("\n\n");
    table(s, gt, LocalizationRun.fullImageBoxes(results));
    return s.toString();
  }

  /** The summary's note on torchvision's resize and center crop, empty without one. */
  static String cropNote(Models.Options o) {
    if (o.resizeShort() == null) {
      return "";
    }
    return "\n" + phrase("input.crop", Map.of("short", "" + o.resizeShort(), "crop",
        o.centerCrop() == null ? phrase("input.crop.default", Map.of())
            : o.centerCrop()[0] + "x" + o.centerCrop()[1])) + "\n";
  }

  private static String phrase(String key, Map<String, String> values) {
    String p = PHRASES.get(key);
    if (p == null) {
      throw new IllegalStateException("localization-summary.properties has no " + key);
    }
    return Template.fill("localization-summary.properties " + key, p, values);
  }

  /** AP and recall at {@link LocalizationRun#IOUS}, difficult boxes counted and ignored. */
  private static void table(StringBuilder s, GroundTruth gt, List<Detection> dets) {
    double[] ious = LocalizationRun.IOUS;
    List<Cell> counted = LocalizationMetrics.evaluate(gt, dets, ious, Protocol.PUBLISHED);
    List<Cell> ignored = LocalizationMetrics.evaluate(gt, dets, ious,
        Protocol.PUBLISHED.with(DifficultMode.IGNORE));
    s.append("| protocol | metric |");
    for (double iou : ious) {
      s.append(" IoU ").append(LocalizationRun.fmt(iou)).append(" |");
    }
    s.append("\n| --- | --- |").append(" ---: |".repeat(ious.length)).append('\n');
    String c = PHRASES.get("protocol.counted");
    String i = PHRASES.get("protocol.ignored");
    row(s, c, "ap", counted, true);
    row(s, c, "recall", counted, false);
    row(s, i, "ap", ignored, true);
    row(s, i, "recall", ignored, false);
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
}
