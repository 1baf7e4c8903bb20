package org.gradcam.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradcam.data.Detection;
import org.gradcam.data.EvaluationInputs;
import org.gradcam.data.GroundTruth;
import org.gradcam.eval.ApMethod;
import org.gradcam.eval.DifficultMode;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.ResultTables;
import org.gradcam.eval.ThresholdResult;
import org.gradcam.eval.VocEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gradcam evaluate}: VOC AP and recall of detections against ground truth. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "VOC AP and recall (percent) of detections, per IoU threshold. Defaults are the "
        + "published experiment's protocol (all-point AP, every GT box counted).")
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--gt", required = true,
      description = "GT: published pickle (.pickle), VOC Annotations folder, or the VOC objects CSV")
  Path gt;

  @Option(names = "--detections", required = true,
      description = "detections: published pickle (.pickle) or CSV image_id,xmin,ymin,xmax,ymax,score")
  Path detections;

  @Option(names = "--class", defaultValue = "dog", description = "class for XML/CSV GT (default: ${DEFAULT-VALUE})")
  String className;

  @Option(names = "--iou", split = ",", defaultValue = "0.3,0.4,0.5",
      description = "IoU thresholds in (0, 1) (default: ${DEFAULT-VALUE})")
  List<Double> ious;

  @Option(names = "--ap", defaultValue = "all-point", paramLabel = "METHOD",
      converter = EnumOption.Ap.class, completionCandidates = EnumOption.Ap.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  ApMethod method;

  @Option(names = "--difficult", defaultValue = "count", paramLabel = "RULE",
      converter = EnumOption.Difficult.class, completionCandidates = EnumOption.Difficult.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  DifficultMode mode;

  @Option(names = "--json", description = "print {\"0.3\": {\"ap\": .., \"recall\": ..}, ...}")
  boolean json;

  @Override
  public Integer call() throws Exception {
    double[] thresholds = ious.stream().mapToDouble(Double::doubleValue).toArray();
    java.util.Set<Double> seen = new java.util.HashSet<>();
    for (double t : thresholds) {
      if (!(t > 0 && t < 1)) {
        throw new IllegalArgumentException("IoU threshold must be in (0, 1), got " + t);
      }
      if (!seen.add(t)) {
        // Each threshold is a column of the result table: a repeat would be the same column.
        throw new IllegalArgumentException("--iou lists " + t + " twice; give each threshold once");
      }
    }
    GroundTruth truth = EvaluationInputs.groundTruth(gt, className);
    List<Detection> dets = EvaluationInputs.detections(detections);
    List<ThresholdResult> results = VocEvaluator.evaluate(truth, dets, thresholds,
        Protocol.PUBLISHED.with(method).with(mode));
    spec.commandLine().getOut().println(json ? ResultTables.json(results)
        : ResultTables.of(detections.getFileName().toString(), results).print());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
