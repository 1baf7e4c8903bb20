package org.gradcam.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A built-in architecture with the user's own weights (e.g. a fine-tuned VGG16), read from a
 * file the asset manager does not know: there is no digest to check it against, so callers say
 * so ({@link #note}). Shapes and layer names are checked as for the built-in files.
 */
public final class UserWeights {
  private UserWeights() {}

  /** Where the note says the weights came from, for stderr and {@code --json}. */
  public static String note(Path file) {
    return "user file " + file + ", digest not checked";
  }

  public static Model load(String architecture, Path file) throws IOException {
    switch (architecture) {
      case Vgg16.NAME:
        if (!Files.isRegularFile(file)) {
          throw new IOException("weights " + file + ": no such file (vgg16 takes a Keras HDF5 "
              + "file in the layout of vgg16_weights_tf_dim_ordering_tf_kernels.h5)");
        }
        return Vgg16.load(file);
      case SqueezeNet11.NAME:
        if (!Files.isDirectory(file)) {
          throw new IOException("weights " + file + ": not a directory (squeezenet1.1 takes a "
              + "directory of squeezenet0_convN_weight.npy / _bias.npy files, OIHW)");
        }
        return SqueezeNet11.load(file);
      default:
        throw new IllegalArgumentException("own weights are supported for " + Vgg16.NAME
            + " (Keras HDF5) and " + SqueezeNet11.NAME + " (.npy directory), not for model '"
            + architecture + "'");
    }
  }
}
