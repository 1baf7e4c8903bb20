package org.gradcam.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.gradcam.image.Resize.Interpolation;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --resize nearest|bilinear}: converter and completion candidates, so a wrong value gets
 * picocli's "Invalid value for option '--resize': expected one of [nearest, bilinear]" instead
 * of Java's enum message, and the names stay lower case as the help shows them.
 */
final class InterpolationOption implements ITypeConverter<Interpolation>, Iterable<String> {
  static final List<String> NAMES = Arrays.stream(Interpolation.values())
      .map(i -> i.name().toLowerCase(Locale.ROOT)).toList();

  @Override
  public Interpolation convert(String value) {
    for (Interpolation i : Interpolation.values()) {
      if (i.name().equalsIgnoreCase(value.strip())) {
        return i;
      }
    }
    throw new TypeConversionException(
        "expected one of " + NAMES + " (case-insensitive) but was '" + value + "'");
  }

  @Override
  public Iterator<String> iterator() {
    return NAMES.iterator();
  }
}
