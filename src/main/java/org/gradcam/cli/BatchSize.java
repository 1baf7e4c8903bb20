package org.gradcam.cli;

import org.gradcam.model.Model;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code explain --batch-size N|auto}: images per pipeline job, or auto for the model's graph
 * batch, which is known only once the model is loaded.
 *
 * @param images the number given, or 0 for auto
 */
record BatchSize(int images) {
  static final BatchSize AUTO = new BatchSize(0);

  /** The images per job on {@code model}. */
  int of(Model model) {
    return images > 0 ? images : model.graphBatch();
  }

  /** {@code auto} or a number >= 1; anything else is picocli's usage error. */
  static final class Converter implements ITypeConverter<BatchSize> {
    @Override
    public BatchSize convert(String value) {
      String v = value.strip();
      if (v.equalsIgnoreCase("auto")) {
        return AUTO;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= 1) {
          return new BatchSize(n);
        }
      } catch (NumberFormatException e) {
        // falls through to the one message below
      }
      throw new TypeConversionException("expected auto or a number >= 1 but was '" + value
          + "'");
    }
  }
}
