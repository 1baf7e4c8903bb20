package org.gradcam.cli;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gradcam.model.Predictions;
import org.gradcam.model.Preprocessing;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option taking one of a fixed set of names (a registry's, or an enum's in {@link
 * EnumOption}): its converter and its completion candidates, so the help lists the names
 * ({@code ${COMPLETION-CANDIDATES}}) and a wrong value is picocli's "Invalid value for option
 * '--preprocess': expected one of [torch, ...] (case-insensitive) but was 'imagenet'".
 */
abstract class NameOption<T> implements ITypeConverter<T>, Iterable<String> {
  private final Map<String, T> byName = new LinkedHashMap<>();

  /** Each value under its name, in the order of {@code values}. */
  NameOption(List<T> values, Function<T, String> name) {
    for (T v : values) {
      byName.put(name.apply(v), v);
    }
  }

  /** The names, in declaration order. */
  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  @Override
  public T convert(String value) {
    for (Map.Entry<String, T> e : byName.entrySet()) {
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

  /** {@code --preprocess}: the presets of {@link Preprocessing#PRESETS}. */
  static final class Preset extends NameOption<String> {
    Preset() {
      super(Preprocessing.PRESETS, Function.identity());
    }
  }

  /** {@code --output-activation}: {@link Predictions#ACTIVATIONS}. */
  static final class Activation extends NameOption<String> {
    Activation() {
      super(Predictions.ACTIVATIONS, Function.identity());
    }
  }
}
