package org.gradcam.cli;

import java.nio.file.Path;
import java.util.List;
import org.gradcam.model.Models;
import org.gradcam.model.Preprocessing;
import picocli.CommandLine.Option;

/**
 * The options of a user's model file, shared by every command that takes {@code --model}: its
 * labels and its input preprocessing (the built-ins keep theirs).
 */
final class ModelFileOptions {
  @Option(names = "--labels", paramLabel = "FILE",
      description = "class names, one per line in output order (default: ImageNet's for "
          + "1000 outputs, else class_N)")
  Path labels;

  @Option(names = "--preprocess", paramLabel = "PRESET",
      description = "input preprocessing of a model file: torch | caffe | tf | raw01 | raw255 "
          + "(default: torch, raw01 for 1-channel models)")
  String preprocess;

  @Option(names = "--mean", split = ",", paramLabel = "M",
      description = "per-channel mean replacing the preset's, e.g. 0.5,0.5,0.5")
  List<Float> mean;

  @Option(names = "--std", split = ",", paramLabel = "S",
      description = "per-channel std replacing the preset's, e.g. 0.5,0.5,0.5")
  List<Float> std;

  Models.Options options() {
    if (preprocess != null && !Preprocessing.PRESETS.contains(preprocess)) {
      throw new IllegalArgumentException("unknown --preprocess '" + preprocess + "'; available: "
          + String.join(", ", Preprocessing.PRESETS));
    }
    return new Models.Options(labels, preprocess, floats(mean), floats(std));
  }

  private static float[] floats(List<Float> l) {
    if (l == null) {
      return null;
    }
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = l.get(i);
    }
    return f;
  }
}
