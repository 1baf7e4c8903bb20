package org.gradcam.model;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A model's class names in output order: a user's labels (one per output), else ImageNet's for
 * a 1000-class model, else {@code class_0, class_1, ...}.
 */
final class ClassNames {
  private ClassNames() {}

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
