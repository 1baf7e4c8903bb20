package org.gradcam.experiment;

import org.gradcam.cam.Target;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.Model;

/**
 * The {@code --target} of the dog experiments ({@code localize}, {@code benchmark}) on a model:
 * {@code top-dog} (each image's best ImageNet dog class 151..268), {@code dog-sum} (the sum of
 * those logits), or one class of the model by index or by label, for a model of one's own.
 */
public final class DogTargets {
  private DogTargets() {}

  /** Whether {@code target} names the ImageNet dog set rather than one class. */
  public static boolean dogSet(String target) {
    return target.equals("top-dog") || target.equals("dog-sum");
  }

  /**
   * The target on this model: the ImageNet dog set (only on a 1000-class model), or one class
   * by index or label, checked against the model's outputs.
   */
  public static Target of(String target, Model model) {
    if (dogSet(target)) {
      if (model.numClasses() != ImageNetLabels.COUNT) {
        throw new IllegalArgumentException("--target " + target + " is the ImageNet dog "
            + "classes, but the model has " + model.numClasses() + " outputs; give a class "
            + "index or label");
      }
      int[] dogs = Target.range(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG);
      return target.equals("top-dog") ? Target.bestOf(dogs) : Target.classSet(dogs);
    }
    if (target.matches("\\d+")) {
      int c = Integer.parseInt(target);
      if (c >= model.numClasses()) {
        throw new IllegalArgumentException("--target " + c + " is out of range: the model has "
            + model.numClasses() + " classes (0.." + (model.numClasses() - 1) + ")");
      }
      return Target.classIndex(c);
    }
    int c = model.labels().indexOf(target);
    if (c < 0) {
      throw new IllegalArgumentException("--target '" + target + "' is not a label of the "
          + "model (" + model.numClasses() + " classes; give --labels FILE, or a class index)");
    }
    return Target.classIndex(c);
  }
}
