package org.gradcam.cli;

import org.gradcam.image.Images;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --max-pixels}, shared by every command that decodes images: larger images are refused
 * from their header, before a byte of pixels is decoded, so a tiny file claiming a huge size
 * cannot take gigabytes of memory and disk.
 */
public final class ImageLimitOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  // A setter, so picocli applies the default on every parse: one command's value never leaks
  // into the next command run in the same JVM (tests, the notebook kernel).
  @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + Images.DEFAULT_MAX_PIXELS,
      description = "refuse images of more than N pixels (width x height, read from the file's "
          + "header before decoding) (default: ${DEFAULT-VALUE})")
  void setMaxPixels(long limit) {
    if (limit < 1) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--max-pixels': must be at least 1 but was '" + limit + "'");
    }
    Images.setMaxPixels(limit);
  }
}
