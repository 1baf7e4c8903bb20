package org.gradcam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gradcam.cam.CamMethods;
import org.gradcam.data.Assets;
import org.gradcam.experiment.BoxScore;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.LocalizationRun;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.localize.UniformFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Option(names = "--voc", paramLabel = "DIR",
      description = "VOC layout: DIR/JPEGImages and DIR/Annotations (XML)")
  Path voc;

  @Option(names = "--images", paramLabel = "DIR", description = "folder of <image_id>.jpg")
  Path images;

  @Option(names = "--annotations", paramLabel = "DIR", description = "VOC XML annotations folder")
  Path annotations;

  @Option(names = "--objects-csv", paramLabel = "CSV",
      description = "voc2007_test_objects.csv-style ground truth instead of XML annotations")
  Path objectsCsv;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output: boxes.csv, summary.md, missing_images.txt, cache/")
  Path out;

  @Option(names = "--dataset-label", paramLabel = "TEXT",
      description = "what the data is, printed on every table (default: the folder name)")
  String datasetLabel;

  @Option(names = "--model", defaultValue = "squeezenet1.1",
      description = "squeezenet1.1 | vgg16 (default: ${DEFAULT-VALUE})")
  String modelName;

  @Option(names = "--layer", description = "target layer (default: the model's)")
  String layer;

  @Option(names = "--target", defaultValue = "top-dog", paramLabel = "top-dog|dog-sum",
      description = "top-dog: each image's highest-scoring of the 118 ImageNet dog classes "
          + "151..268; dog-sum: the sum of those 118 logits (default: ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--thresholds", split = ",", defaultValue = "0.01,0.02,0.06", paramLabel = "T",
      description = "heatmap thresholds in [0, 1] (default: ${DEFAULT-VALUE})")
  List<Double> thresholds;

  @Option(names = "--method", defaultValue = CamMethods.DEFAULT, paramLabel = "NAME",
      description = "map method: " + CamMethods.NAMES_TEXT + " (default: ${DEFAULT-VALUE})")
  String camMethod;

  @Option(names = "--box-method", defaultValue = "course", paramLabel = "course|paper",
      description = "course: the published box procedure (smooth, map > T, fill holes, one box "
          + "per component); paper: largest segment of map >= T * max (default: ${DEFAULT-VALUE})")
  String boxMethod;

  @Option(names = "--smooth", defaultValue = "" + UniformFilter.DEFAULT_SIZE, paramLabel = "SIZE",
      description = "uniform filter size of the course method (default: ${DEFAULT-VALUE})")
  int smooth;

  @Option(names = "--score", defaultValue = "mean", paramLabel = "mean|max",
      description = "box score: mean or max of the normalised map inside the box "
          + "(default: ${DEFAULT-VALUE})")
  String score;

  @Option(names = "--resize", defaultValue = "nearest",
      description = "nearest (Keras load_img default) | bilinear (default: ${DEFAULT-VALUE})")
  String resize;

  @Option(names = "--batch-size", defaultValue = "8", description = "images per graph run (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    BoxScore boxScore = switch (score) {
      case "mean" -> BoxScore.MEAN;
      case "max" -> BoxScore.MAX;
      default -> throw new IllegalArgumentException("--score must be mean or max, got " + score);
    };
    Interpolation interpolation = Interpolation.valueOf(resize.toUpperCase(Locale.ROOT));
    LocalizationRun.Settings settings = new LocalizationRun.Settings(modelName, layer, target,
        camMethod, thresholds.stream().mapToDouble(Double::doubleValue).toArray(), boxMethod,
        smooth, boxScore, interpolation, batchSize);
    DogDataset data = openDataset();
    LocalizationRun.Result result = LocalizationRun.run(data, settings, out, out.resolve("cache"),
        Assets.defaults(), stdout, System.err);
    stdout.println(result.summary());
    stdout.flush();
    return 0;
  }

  private DogDataset openDataset() throws IOException {
    if ((voc == null) == (images == null)) {
      throw new IllegalArgumentException("give exactly one of --voc DIR or --images DIR");
    }
    if (annotations != null && objectsCsv != null) {
      throw new IllegalArgumentException("give --annotations or --objects-csv, not both");
    }
    Path imageDir;
    Path gt;
    if (voc != null) {
      if (!Files.isDirectory(voc)) {
        throw new IOException("No such VOC folder: " + voc);
      }
      imageDir = voc.resolve("JPEGImages");
      gt = objectsCsv != null ? objectsCsv : annotations != null ? annotations
          : voc.resolve("Annotations");
    } else {
      if (annotations == null && objectsCsv == null) {
        throw new IllegalArgumentException("--images needs --annotations DIR or --objects-csv CSV");
      }
      imageDir = images;
      gt = objectsCsv != null ? objectsCsv : annotations;
    }
    if (objectsCsv != null && !Files.isRegularFile(objectsCsv)) {
      throw new IOException("No such objects CSV: " + objectsCsv);
    }
    if (objectsCsv == null && !Files.isDirectory(gt)) {
      throw new IOException("No such annotations folder: " + gt);
    }
    return DogDataset.open(imageDir, gt, datasetLabel);
  }
}
