package org.gradcam.cli;

import java.nio.file.Path;
import java.util.List;
import org.gradcam.model.Predictions;
import org.gradcam.model.Models;
import org.gradcam.model.Preprocessing;
import picocli.CommandLine.Option;

/**
 * The options of a user's model file, shared by every command that takes {@code --model}: its
 * labels and its input preprocessing (the built-ins keep theirs); for every model, torchvision's
 * resize and center crop and the output activation.
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

  @Option(names = "--resize-short", paramLabel = "N",
      description = "torchvision's eval transform: resize the short side to N (long side "
          + "int(N * long / short)) with --resize's filter, then center-crop to the model's "
          + "input size (or --center-crop); maps are drawn on the crop's part of the image")
  Integer resizeShort;

  @Option(names = "--center-crop", paramLabel = "N|HxW",
      description = "the center crop after --resize-short: N (square) or HxW (height x width); "
          + "must be the model's input size (the default)")
  String centerCrop;

  @Option(names = "--output-activation", paramLabel = "softmax|sigmoid",
      description = "how the probabilities come from the logits: softmax, or sigmoid for a "
          + "multi-label model (default: sigmoid when an ONNX file's output is a Sigmoid, "
          + "else softmax)")
  String outputActivation;

  Models.Options options() {
    if (preprocess != null && !Preprocessing.PRESETS.contains(preprocess)) {
      throw new IllegalArgumentException("unknown --preprocess '" + preprocess + "'; available: "
          + String.join(", ", Preprocessing.PRESETS));
    }
    if (outputActivation != null && !Predictions.ACTIVATIONS.contains(outputActivation)) {
      throw new IllegalArgumentException("unknown --output-activation '" + outputActivation
          + "'; available: " + String.join(", ", Predictions.ACTIVATIONS));
    }
    return new Models.Options(labels, preprocess, floats(mean), floats(std), resizeShort,
        crop(centerCrop), outputActivation);
  }

  /** {@code N} or {@code HxW} as {height, width}; null for null. */
  static int[] crop(String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.strip().toLowerCase(java.util.Locale.ROOT).split("x", -1);
    try {
      if (parts.length == 1) {
        int n = Integer.parseInt(parts[0]);
        return new int[] {n, n};
      }
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
    } catch (NumberFormatException e) {
      // falls through to the one message below
    }
    throw new IllegalArgumentException("--center-crop must be N or HxW (height x width), got '"
        + text + "'");
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
