package org.gradcam.cli;

import java.util.List;
import org.gradcam.cam.Target;
import org.gradcam.model.Model;
import picocli.CommandLine.Option;

/** What {@code explain} explains: {@code --class N|NAME} or {@code --top-k K} (else the top-1). */
final class ExplainTarget {
  @Option(names = "--class", paramLabel = "N|NAME",
      description = "explain output N, or the class of that label (--labels, the file's "
          + "metadata, or ImageNet's names); for a multi-label model, the output to explain")
  String classIndex;

  @Option(names = "--top-k", paramLabel = "K", description = "one map for each of the K top classes")
  Integer topK;

  /** Whether {@code --top-k} was given (the outputs are then named by class). */
  static boolean isTopK(ExplainTarget t) {
    return t != null && t.topK != null;
  }

  /**
   * The target on {@code model}. Before loading ({@code model} null) a class name stands as
   * top-1, which nothing before loading depends on; after, it must be a label of the model.
   */
  static Target of(ExplainTarget t, Model model) {
    if (t == null) {
      return Target.top1();
    }
    if (t.classIndex == null) {
      return Target.topK(t.topK);
    }
    String v = t.classIndex.strip();
    if (v.matches("\\d+")) {
      return Target.classIndex(Integer.parseInt(v));
    }
    if (model == null) {
      return Target.top1();
    }
    int c = model.labels().indexOf(v);
    if (c < 0) {
      List<String> labels = model.labels();
      throw new IllegalArgumentException("--class '" + v + "' is neither an output index nor a "
          + "label of model " + model.name() + " (labels: " + String.join(", ",
              labels.size() > 10 ? labels.subList(0, 10) : labels)
          + (labels.size() > 10 ? ", ..." : "") + ")");
    }
    return Target.classIndex(c);
  }
}
