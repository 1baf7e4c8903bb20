package org.gradcam.experiment;

import java.util.List;
import java.util.Objects;
import org.gradcam.cam.Target;
import org.gradcam.model.ClassNames;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.Model;

/**
 * What the localisation experiment explains on each image: the ImageNet dog set (each image's
 * best dog class, or the sum of the dog logits) or one class of the model, by index or by label.
 * Parsed from its text without the model ({@link #parse}); a class is checked against the
 * model's outputs and labels in one place, {@link #resolve}, once the model is loaded.
 *
 * @param kind which of the four forms
 * @param text the text it was parsed from (also its name in settings and cache keys)
 */
public record LocalizationTarget(Kind kind, String text) {
  /** The forms a target takes. */
  public enum Kind { TOP_DOG, DOG_SUM, INDEX, LABEL }

  public static final LocalizationTarget TOP_DOG = new LocalizationTarget(Kind.TOP_DOG, "top-dog");
  public static final LocalizationTarget DOG_SUM = new LocalizationTarget(Kind.DOG_SUM, "dog-sum");

  public LocalizationTarget {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(text);
  }

  /**
   * {@code top-dog}, {@code dog-sum}, a class index (digits) or else a class label.
   *
   * @throws IllegalArgumentException for an empty text or an index beyond {@code int}
   */
  public static LocalizationTarget parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("a target is top-dog, dog-sum, a class index or a "
          + "class label, got an empty value");
    }
    if (text.equals(TOP_DOG.text)) {
      return TOP_DOG;
    }
    if (text.equals(DOG_SUM.text)) {
      return DOG_SUM;
    }
    if (text.matches("\\d+")) {
      try {
        Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("class index " + text + " is out of range");
      }
      return new LocalizationTarget(Kind.INDEX, text);
    }
    return new LocalizationTarget(Kind.LABEL, text);
  }

  /** Whether this is the ImageNet dog set (top-dog or dog-sum). */
  public boolean dogSet() {
    return kind == Kind.TOP_DOG || kind == Kind.DOG_SUM;
  }

  /**
   * The target on this model: the dog set (a 1000-class model only), or the class of this index
   * or label.
   *
   * @throws Unresolved if the model has no such class
   */
  public Target resolve(Model model) {
    return resolve(model.numClasses(), model.labels());
  }

  /** As {@link #resolve(Model)}, for a model of {@code numClasses} outputs named {@code labels}. */
  public Target resolve(int numClasses, List<String> labels) {
    switch (kind) {
      case TOP_DOG, DOG_SUM -> {
        if (numClasses != ImageNetLabels.COUNT) {
          throw new Unresolved(text + " is the ImageNet dog classes, but the model has "
              + numClasses + " outputs; give a class index or label");
        }
        int[] dogs = Target.range(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG);
        return kind == Kind.TOP_DOG ? Target.bestOf(dogs) : Target.classSet(dogs);
      }
      case INDEX -> {
        int c = Integer.parseInt(text);
        if (c >= numClasses) {
          throw new Unresolved("class " + c + " is out of range: the model has " + numClasses
              + " classes (0.." + (numClasses - 1) + ")");
        }
        return Target.classIndex(c);
      }
      default -> {
        try {
          return Target.classIndex(ClassNames.indexOf(labels, text));
        } catch (ClassNames.UnknownLabel e) {
          throw new Unresolved(e.getMessage());
        }
      }
    }
  }

  /** The name of class {@code c} in {@code targets.csv}: as given, or ImageNet's for the dogs. */
  public String className(int c) {
    // The model's labels are not loaded when every image comes from the cache.
    return dogSet() ? ImageNetLabels.get(c).name() : kind == Kind.INDEX ? "class " + c : text;
  }


  @Override
  public String toString() {
    return text;
  }

  /** The model has no class of this target; the message says what it has instead. */
  public static final class Unresolved extends IllegalArgumentException {
    Unresolved(String message) {
      super(message);
    }
  }
}
