package org.gradcam.model;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A model's class names in output order: a user's labels (one per output), else ImageNet's for
 * a 1000-class model, else {@code class_0, class_1, ...}; and the one lookup of a class by its
 * label, for every place that takes a class by name.
 */
public final class ClassNames {
  /** How many close labels an unknown label's message names. */
  static final int CLOSE_LABELS = 5;

  private ClassNames() {}

  /**
   * The output of {@code label} among a model's {@code labels} (in output order), exactly as
   * written.
   *
   * @throws UnknownLabel saying what the model has instead: all its labels when there are few,
   *     else those close to {@code label}
   */
  public static int indexOf(List<String> labels, String label) {
    int c = labels.indexOf(label);
    if (c < 0) {
      List<String> close = CloseNames.of(label, labels, CLOSE_LABELS);
      throw new UnknownLabel("'" + label + "' is not a label of the model (" + labels.size()
          + " classes; " + (labels.size() <= CLOSE_LABELS ? "its labels: "
              + String.join(", ", labels) : close.isEmpty() ? "none is close to it"
              : "close: " + String.join(", ", close)) + ")");
    }
    return c;
  }

  /** A class label the model does not have. */
  public static final class UnknownLabel extends IllegalArgumentException {
    UnknownLabel(String message) {
      super(message);
    }
  }

  /** The user's labels, checked against the model's output size. */
  static List<String> checked(List<String> names, int outputs, String model) {
    if (names.size() != outputs) {
      throw new IllegalArgumentException(names.size() + " labels for model " + model + ", which "
          + "has " + outputs + " outputs: the labels file needs one line per output");
    }
    return List.copyOf(names);
  }

  /** {@code labels} when given (not null), else the default names for {@code outputs}. */
  static List<String> of(List<String> labels, int outputs) {
    if (labels != null) {
      return labels;
    }
    return IntStream.range(0, outputs)
        .mapToObj(i -> outputs == ImageNetLabels.COUNT ? ImageNetLabels.get(i).name()
            : "class_" + i)
        .toList();
  }
}
