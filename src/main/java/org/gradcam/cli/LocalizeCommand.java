package org.gradcam.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gradcam.cam.CamMethods;
import org.gradcam.data.Assets;
import org.gradcam.experiment.BoxScore;
import org.gradcam.experiment.InvalidSettingException;
import org.gradcam.experiment.LocalizationRun;
import org.gradcam.experiment.LocalizationTarget;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.localize.BoxMethod;
import org.gradcam.localize.UniformFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code gradcam localize}: the dog-localisation experiment end to end. Per dog image: a Grad-CAM
 * map of the dog concept, normalised to [0, 1], upsampled to the image size, boxed at each heatmap
 * threshold; then VOC AP and recall of all boxes against the dog ground truth of the same images.
 * The run itself is {@link LocalizationRun}, shared with {@code gradcam reproduce}.
 */
@Command(name = "localize", mixinStandardHelpOptions = true,
    description = {"Dog localisation with Grad-CAM boxes, evaluated with VOC AP / recall.",
        "Boxes are 0-based start, exclusive stop (the published convention) and are compared "
            + "with the 1-based VOC ground truth as they are, like the published experiment.",
        "Box score: the mean (or --score max) of the normalised, upsampled map inside the box."})
public final class LocalizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ImageLimitOptions imageLimit = new ImageLimitOptions();

  @Mixin DogDataOptions data = new DogDataOptions();

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output: boxes.csv, summary.md, missing_images.txt, cache/")
  Path out;

  @Option(names = "--model", defaultValue = "squeezenet1.1", paramLabel = "NAME|FILE",
      description = "a built-in model (${COMPLETION-CANDIDATES}) or a model file (.onnx, Keras "
          + ".h5/.keras) (default: ${DEFAULT-VALUE})", completionCandidates = Candidates.ModelNames.class)
  String modelName;

  @Mixin ModelFileOptions modelFile = new ModelFileOptions();

  @Option(names = "--layer", description = "target layer (default: the model's)")
  String layer;

  @Option(names = "--target", defaultValue = "top-dog",
      paramLabel = "top-dog|dog-sum|CLASS_NAME|INDEX", converter = TargetOption.class,
      description = "top-dog: each image's highest-scoring of the 118 ImageNet dog classes "
          + "151..268; dog-sum: the sum of those 118 logits; or one class of the model by its "
          + "label (from --labels) or its index (default: ${DEFAULT-VALUE})")
  LocalizationTarget target;

  @Option(names = "--thresholds", split = ",", defaultValue = "0.01,0.02,0.06", paramLabel = "T",
      description = "heatmap thresholds in [0, 1] (default: ${DEFAULT-VALUE})")
  List<Double> thresholds;

  @Option(names = "--method", defaultValue = CamMethods.DEFAULT, paramLabel = "NAME",
      completionCandidates = Candidates.CamMethodNames.class,
      description = "map method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  String camMethod;

  @Option(names = "--box-method", defaultValue = "course", paramLabel = "METHOD",
      converter = EnumOption.Boxes.class, completionCandidates = EnumOption.Boxes.class,
      description = "${COMPLETION-CANDIDATES}; course: the published box procedure (smooth, "
          + "map > T, fill holes, one box per component); paper: largest segment of map >= T * "
          + "max (default: ${DEFAULT-VALUE})")
  BoxMethod boxMethod;

  @Option(names = "--smooth", defaultValue = "" + UniformFilter.DEFAULT_SIZE, paramLabel = "SIZE",
      description = "uniform filter size of the course method (default: ${DEFAULT-VALUE})")
  int smooth;

  @Option(names = "--score", defaultValue = "mean", paramLabel = "SCORE",
      converter = EnumOption.Score.class, completionCandidates = EnumOption.Score.class,
      description = "box score: ${COMPLETION-CANDIDATES}, the mean or the maximum of the "
          + "normalised map inside the box (default: ${DEFAULT-VALUE})")
  BoxScore score;

  @Option(names = "--resize", defaultValue = "nearest", paramLabel = "nearest|bilinear",
      converter = InterpolationOption.class,
      completionCandidates = InterpolationOption.class,
      description = "nearest (Keras load_img default) | bilinear (default: ${DEFAULT-VALUE})")
  Interpolation resize;

  @Option(names = "--batch-size", defaultValue = "8", description = "images per graph run (default: ${DEFAULT-VALUE})")
  int batchSize;

  /** The option of each setting of {@link LocalizationRun.Settings} that can be invalid. */
  private static final Map<String, String> OPTIONS = Map.of("thresholds", "--thresholds",
      "smooth", "--smooth", "batchSize", "--batch-size");

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    BoxesCommand.requireSmoothSize(smooth);
    LocalizationRun.Result result;
    try {
      LocalizationRun.Settings settings = new LocalizationRun.Settings(modelName, layer, target,
          camMethod, thresholds.stream().mapToDouble(Double::doubleValue).toArray(), boxMethod,
          smooth, score, resize, batchSize);
      result = LocalizationRun.run(data.open(), settings, modelFile.options(), out,
          out.resolve("cache"), Assets.defaults(), stdout, System.err);
    } catch (InvalidSettingException e) {
      throw new IllegalArgumentException(OPTIONS.getOrDefault(e.setting(), e.setting()) + " "
          + e.problem(), e);
    } catch (LocalizationTarget.Unresolved e) {
      throw TargetOption.unresolved(spec, target, e);
    }
    stdout.println(result.summary());
    stdout.flush();
    return 0;
  }

  /** {@code --target}: parsed here, checked against the model's classes once it is loaded. */
  static final class TargetOption implements ITypeConverter<LocalizationTarget> {
    /** Known only once the model is loaded, but a bad {@code --target} all the same. */
    static ParameterException unresolved(CommandSpec spec, LocalizationTarget target,
        LocalizationTarget.Unresolved e) {
      return new ParameterException(spec.commandLine(), "Invalid value for option '--target': "
          + e.getMessage() + (target.kind() == LocalizationTarget.Kind.LABEL
              ? "; --labels FILE names a model file's classes" : ""), e,
          spec.findOption("--target"), target.text());
    }

    @Override
    public LocalizationTarget convert(String value) {
      try {
        return LocalizationTarget.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
