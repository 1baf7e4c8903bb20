package org.gradcam.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gradcam.model.Models;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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

  @Option(names = "--preprocess", paramLabel = "PRESET", converter = NameOption.Preset.class,
      completionCandidates = NameOption.Preset.class,
      description = "input preprocessing of a model file: ${COMPLETION-CANDIDATES} "
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

  @Option(names = "--center-crop", paramLabel = "N|HxW", converter = CropSizeConverter.class,
      description = "the center crop after --resize-short: N (square) or HxW (height x width); "
          + "must be the model's input size (the default)")
  CropSize centerCrop;

  @Option(names = "--output-activation", paramLabel = "NAME",
      converter = NameOption.Activation.class, completionCandidates = NameOption.Activation.class,
      description = "how the probabilities come from the logits: ${COMPLETION-CANDIDATES}; "
          + "sigmoid for a multi-label model (default: sigmoid when an ONNX file's output is a "
          + "Sigmoid, else softmax)")
  String outputActivation;

  /** The command these options are mixed into: its {@code --model}, and its usage errors. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /**
   * The options for the library. The flags' own rules are checked here, naming the flags, before
   * {@link Models#load} would refuse the same in model terms.
   */
  Models.Options options() {
    if (centerCrop != null && resizeShort == null) {
      throw usage("--center-crop needs --resize-short N (torchvision's Resize(N) then "
          + "CenterCrop)");
    }
    Object model = command == null || command.findOption("--model") == null ? null
        : command.findOption("--model").getValue();
    if (model instanceof String name && !Models.isFile(name)
        && (preprocess != null || mean != null || std != null)) {
      throw usage("built-in model " + name + " keeps its own preprocessing; --preprocess, --mean "
          + "and --std are for model files");
    }
    return new Models.Options(labels, preprocess, floats(mean), floats(std), resizeShort,
        centerCrop == null ? null : new int[] {centerCrop.height(), centerCrop.width()},
        outputActivation);
  }

  private RuntimeException usage(String message) {
    return command == null ? new IllegalArgumentException(message)
        : new ParameterException(command.commandLine(), message);
  }

  /** {@code --center-crop N} (square) or {@code HxW}; its sign is the library's to check. */
  record CropSize(int height, int width) {}

  /** {@code N} or {@code HxW} as a {@link CropSize}. */
  static final class CropSizeConverter implements ITypeConverter<CropSize> {
    @Override
    public CropSize convert(String text) {
      String[] parts = text.strip().toLowerCase(Locale.ROOT).split("x", -1);
      try {
        if (parts.length == 1) {
          int n = Integer.parseInt(parts[0]);
          return new CropSize(n, n);
        }
        if (parts.length == 2) {
          return new CropSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
      } catch (NumberFormatException e) {
        // falls through to the one message below
      }
      throw new TypeConversionException("expected N or HxW (height x width) but was '" + text
          + "'");
    }
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
