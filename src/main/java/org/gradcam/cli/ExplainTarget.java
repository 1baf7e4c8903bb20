package org.gradcam.cli;

import org.gradcam.cam.Target;
import org.gradcam.model.ClassNames;
import org.gradcam.model.Model;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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
   * top-1, which nothing before loading depends on; after, it must be a label of the model, else
   * it is a usage error of {@code command}'s {@code --class}.
   */
  static Target of(ExplainTarget t, Model model, CommandSpec command) {
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
    try {
      return Target.classIndex(ClassNames.indexOf(model.labels(), v));
    } catch (ClassNames.UnknownLabel e) {
      // Known only once the model is loaded, but a bad --class all the same, as localize's
      // --target.
      throw new ParameterException(command.commandLine(), "Invalid value for option '--class': "
          + e.getMessage() + "; --labels FILE names a model file's classes", e,
          command.findOption("--class"), v);
    }
  }
}
