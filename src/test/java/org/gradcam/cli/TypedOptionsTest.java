package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.eval.ApMethod;
import org.gradcam.eval.DifficultMode;
import org.gradcam.experiment.BoxScore;
import org.gradcam.image.Colormap;
import org.gradcam.localize.BoxMethod;
import org.gradcam.model.Predictions;
import org.gradcam.model.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enum- and value-typed options: a bad value is picocli's one-line usage error naming the
 * valid values, raised before any work, and the help lists the values from the enum.
 */
class TypedOptionsTest extends CliTest {
  static final String IMAGES = LocalizeCommandTest.IMAGES;
  static final String CSV = LocalizeCommandTest.CSV;
  @TempDir Path tmp;

  private int localize(String... extra) {
    List<String> args = new ArrayList<>(List.of("localize", "--images", IMAGES, "--objects-csv",
        CSV, "--out", tmp.resolve("o").toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void badValuesOfLocalizeArePicocliErrorsListingTheValues() {
    assertOneLineError(localize("--score", "median"), "Invalid value for option '--score': expected "
        + "one of [mean, max] (case-insensitive) but was 'median' (see 'gradcam localize --help')");
    assertOneLineError(localize("--box-method", "grabcut"), "Invalid value for option '--box-method': "
        + "expected one of [course, paper] (case-insensitive) but was 'grabcut'");
    assertOneLineError(localize("--target", " "), "Invalid value for option '--target': a target is "
        + "top-dog, dog-sum, a class index or a class label, got an empty value");
    assertOneLineError(localize("--target", "99999999999"), "Invalid value for option '--target': "
        + "class index 99999999999 is out of range");
    assertOneLineError(run("localize", "--data", "coco", "--out", tmp.resolve("o").toString()),
        "Invalid value for option '--data': expected one of [voc2007-test-4-images, "
            + "oxford-pets-standin] (case-insensitive) but was 'coco'");
    assertThat(tmp.resolve("o")).as("nothing written").doesNotExist();
  }

  @Test
  void badValuesOfBoxesAndEvaluateArePicocliErrors() {
    // Parsing fails before the (missing) files are read.
    assertOneLineError(run("boxes", "--heatmap", "missing.npy", "--threshold", "0.5", "--method",
        "grabcut"), "Invalid value for option '--box-method': expected one of [course, paper] "
        + "(case-insensitive) but was 'grabcut' (see 'gradcam boxes --help')");
    assertOneLineError(run("evaluate", "--gt", "missing.pickle", "--detections", "missing.csv", "--ap",
        "12-point"), "Invalid value for option '--ap': expected one of [all-point, 11-point] "
        + "(case-insensitive) but was '12-point'");
    assertOneLineError(run("evaluate", "--gt", "missing.pickle", "--detections", "missing.csv",
        "--difficult", "skip"), "Invalid value for option '--difficult': expected one of "
        + "[count, ignore] (case-insensitive) but was 'skip'");
  }

  /** A label the model does not have is known once it is loaded, and is a usage error too. */
  @Test
  void anUnknownClassLabelNamesCloseLabels() {
    assertThat(localize("--target", "tigercat")).as(err.toString()).isEqualTo(2);
    // stdout has the run's progress ("found 4 of 433 ..."): the model was loaded.
    assertThat(err.toString().strip().lines()).as("one line").hasSize(1);
    assertThat(err.toString()).startsWith("error: Invalid value for option '--target': "
        + "'tigercat' is not a label of the model (1000 classes; close: tiger cat")
        .contains("(see 'gradcam localize --help')");
    assertThat(tmp.resolve("o/summary.md")).doesNotExist();
  }

  @Test
  void helpListsTheValuesOfEachEnum() {
    assertThat(run("localize", "--help")).isZero();
    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help).contains("box score: mean, max,").contains("course, paper; course:")
        .contains("voc2007-test-4-images, oxford-pets-standin;");
    assertThat(run("boxes", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("Box procedure, course, paper");
    assertThat(run("evaluate", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("all-point, 11-point (default: "
        + "all-point)").contains("count, ignore (default: count)");
  }

  @Test
  void convertersTakeEveryConstantByItsNameInAnyCase() {
    assertThat(new EnumOption.Score().convert("MAX")).isEqualTo(BoxScore.MAX);
    assertThat(new EnumOption.Score().convert("mean")).isEqualTo(BoxScore.MEAN);
    assertThat(new EnumOption.Boxes().convert("Paper")).isEqualTo(BoxMethod.PAPER);
    assertThat(new EnumOption.Ap().convert("11-POINT")).isEqualTo(ApMethod.ELEVEN_POINT);
    assertThat(new EnumOption.Difficult().convert("ignore")).isEqualTo(DifficultMode.IGNORE);
    assertThat(new DogDataOptions.DataNames().convert("oxford-pets-standin"))
        .isEqualTo(DogDataOptions.MainJobData.OXFORD_PETS_STANDIN);
    assertThat(new EnumOption.Score()).containsExactly("mean", "max");
    assertThat(new EnumOption.Ap()).containsExactly("all-point", "11-point");
  }

  static final String IMAGE = ExplainCommandTest.VOC.resolve("001150.jpg").toString();

  private int explain(String... extra) {
    List<String> args = new ArrayList<>(List.of("explain", "--image", IMAGE, "--out",
        tmp.resolve("o.png").toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void badValuesOfExplainAndModelOptionsArePicocliErrorsListingTheValues() {
    assertOneLineError(explain("--preprocess", "imagenet"), "Invalid value for option "
        + "'--preprocess': expected one of [torch, caffe, tf, raw01, raw255] (case-insensitive) "
        + "but was 'imagenet' (see 'gradcam explain --help')");
    assertOneLineError(explain("--output-activation", "tanh"), "Invalid value for option "
        + "'--output-activation': expected one of [softmax, sigmoid] (case-insensitive) but was "
        + "'tanh'");
    assertOneLineError(explain("--colormap", "cividis"), "Invalid value for option '--colormap': "
        + "expected one of [jet, viridis, inferno, magma, plasma, hot, turbo, gray, rainbow, cool, "
        + "spring, summer, autumn, winter, bone] (case-insensitive) but was 'cividis'");
    assertOneLineError(explain("--batch-size", "-1"), "Invalid value for option '--batch-size': "
        + "expected auto or a number >= 1 but was '-1'");
    assertOneLineError(explain("--resize-short", "36", "--center-crop", "28by36"), "Invalid value "
        + "for option '--center-crop': expected N or HxW (height x width) but was '28by36'");
    assertOneLineError(run("analyze-errors", "--colormap", "cividis"), "Invalid value for option "
        + "'--colormap': expected one of [jet, viridis,");
    assertOneLineError(run("speed", "--only", "tables"), "Invalid value for option '--only': "
        + "expected one of [throughput, ort, cold-start] (case-insensitive) but was 'tables' "
        + "(see 'gradcam speed --help')");
    assertThat(tmp.resolve("o.png")).as("nothing written").doesNotExist();
  }

  /** Rules between the model-file flags are the command line's, named by its flags. */
  @Test
  void modelFileFlagsThatCannotApplyAreUsageErrorsNamingTheFlags() {
    assertOneLineError(explain("--center-crop", "224"), "error: --center-crop needs "
        + "--resize-short N (torchvision's Resize(N) then CenterCrop) (see 'gradcam explain "
        + "--help')");
    assertOneLineError(explain("--preprocess", "tf"), "error: built-in model squeezenet1.1 keeps "
        + "its own preprocessing; --preprocess, --mean and --std are for model files (see "
        + "'gradcam explain --help')");
    assertOneLineError(explain("--model", "vgg16", "--mean", "0.5,0.5,0.5"), "error: built-in "
        + "model vgg16 keeps its own preprocessing");
    assertThat(tmp.resolve("o.png")).as("nothing written").doesNotExist();
  }

  /** As localize's --target, explain's --class is checked against the loaded model's labels. */
  @Test
  void anUnknownClassOfExplainNamesCloseLabels() {
    assertThat(explain("--class", "tigercat")).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().strip().lines()).as("one line").hasSize(1);
    assertThat(err.toString()).startsWith("error: Invalid value for option '--class': "
        + "'tigercat' is not a label of the model (1000 classes; close: tiger cat")
        .contains("; --labels FILE names a model file's classes (see 'gradcam explain --help')");
    assertThat(tmp.resolve("o.png")).doesNotExist();
  }

  @Test
  void theNewConvertersTakeEveryNameAndGiveWhatTheLibraryTakes() {
    assertThat(new NameOption.Preset()).containsExactlyElementsOf(Preprocessing.PRESETS);
    assertThat(new NameOption.Preset().convert("TORCH")).isEqualTo("torch");
    assertThat(new NameOption.Activation()).containsExactlyElementsOf(Predictions.ACTIVATIONS);
    assertThat(new NameOption.Activation().convert(" sigmoid")).isEqualTo("sigmoid");
    assertThat(new EnumOption.Colormaps()).containsExactlyElementsOf(Colormap.names());
    for (Colormap c : Colormap.values()) {
      assertThat(new EnumOption.Colormaps().convert(c.matplotlibName().toUpperCase()))
          .isEqualTo(c);
    }
    assertThat(new SpeedCommand.PartOption()).containsExactly("throughput", "ort", "cold-start");
    assertThat(new SpeedCommand.PartOption().convert("cold-start"))
        .isEqualTo(SpeedCommand.Part.COLD_START);
    assertThat(new BatchSize.Converter().convert("auto")).isEqualTo(BatchSize.AUTO);
    assertThat(new BatchSize.Converter().convert("3")).isEqualTo(new BatchSize(3));
    assertThat(new ModelFileOptions.CropSizeConverter().convert("224"))
        .isEqualTo(new ModelFileOptions.CropSize(224, 224));
    assertThat(new ModelFileOptions.CropSizeConverter().convert("28X36"))
        .isEqualTo(new ModelFileOptions.CropSize(28, 36));
  }
}
