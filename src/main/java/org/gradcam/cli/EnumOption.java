package org.gradcam.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.gradcam.eval.ApMethod;
import org.gradcam.eval.DifficultMode;
import org.gradcam.experiment.BoxScore;
import org.gradcam.image.Colormap;
import org.gradcam.localize.BoxMethod;

/**
 * An enum-typed option by the names the help shows (lower case, e.g. {@code mean|max}): picocli's
 * own enum conversion would show the constants' Java names ({@code MEAN}) instead. The
 * converter, candidates and message are {@link NameOption}'s: "Invalid value for option
 * '--score': expected one of [mean, max] (case-insensitive) but was 'median'".
 */
abstract class EnumOption<E extends Enum<E>> extends NameOption<E> {
  /** The constants as their lower-case names. */
  EnumOption(Class<E> type) {
    this(type, e -> e.name().toLowerCase(Locale.ROOT));
  }

  EnumOption(Class<E> type, Function<E, String> name) {
    super(List.of(type.getEnumConstants()), name);
  }

  /** {@code --score mean|max}. */
  static final class Score extends EnumOption<BoxScore> {
    Score() {
      super(BoxScore.class);
    }
  }

  /** {@code --box-method course|paper}. */
  static final class Boxes extends EnumOption<BoxMethod> {
    Boxes() {
      super(BoxMethod.class, BoxMethod::id);
    }
  }

  /** {@code --ap all-point|11-point}. */
  static final class Ap extends EnumOption<ApMethod> {
    Ap() {
      super(ApMethod.class, ApMethod::id);
    }
  }

  /** {@code --difficult count|ignore}. */
  static final class Difficult extends EnumOption<DifficultMode> {
    Difficult() {
      super(DifficultMode.class);
    }
  }

  /** {@code --colormap jet|viridis|...}: the maps of {@link Colormap}, by matplotlib's names. */
  static final class Colormaps extends EnumOption<Colormap> {
    Colormaps() {
      super(Colormap.class, Colormap::matplotlibName);
    }
  }
}
