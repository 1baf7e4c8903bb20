package org.gradcam.cli;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.gradcam.eval.ApMethod;
import org.gradcam.eval.DifficultMode;
import org.gradcam.experiment.BoxScore;
import org.gradcam.localize.BoxMethod;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An enum-typed option by the names the help shows (lower case, e.g. {@code mean|max}): its
 * converter and its completion candidates, so the help text comes from the enum
 * ({@code ${COMPLETION-CANDIDATES}}) and a wrong value is picocli's "Invalid value for option
 * '--score': expected one of [mean, max] (case-insensitive) but was 'median'". picocli's own enum
 * conversion would show the constants' Java names ({@code MEAN}) instead.
 */
abstract class EnumOption<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
  private final Map<String, E> byName = new LinkedHashMap<>();

  /** The constants as their lower-case names. */
  EnumOption(Class<E> type) {
    this(type, e -> e.name().toLowerCase(Locale.ROOT));
  }

  EnumOption(Class<E> type, Function<E, String> name) {
    for (E e : type.getEnumConstants()) {
      byName.put(name.apply(e), e);
    }
  }

  /** The names, in declaration order. */
  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  @Override
  public E convert(String value) {
    for (Map.Entry<String, E> e : byName.entrySet()) {
      if (e.getKey().equalsIgnoreCase(value.strip())) {
        return e.getValue();
      }
    }
    throw new TypeConversionException(
        "expected one of " + names() + " (case-insensitive) but was '" + value + "'");
  }

  @Override
  public Iterator<String> iterator() {
    return names().iterator();
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
}
