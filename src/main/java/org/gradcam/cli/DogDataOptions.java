package org.gradcam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradcam.data.Assets;
import org.gradcam.experiment.DogDataset;
import picocli.CommandLine.Option;

/**
 * The dog-image inputs of {@code gradcam localize}, shared by {@code benchmark} and
 * {@code analyze-errors}: a VOC layout ({@code --voc}) or an image folder with XML annotations or
 * a {@code voc2007_test_objects}-style CSV, a data label, and an optional cap on the images.
 * Opening rules and messages are those of {@code localize}, so the commands accept the same
 * inputs and reject the same mistakes.
 */
public final class DogDataOptions {
  @Option(names = "--voc", paramLabel = "DIR",
      description = "VOC layout: DIR/JPEGImages and DIR/Annotations (XML)")
  Path voc;

  @Option(names = "--images", paramLabel = "DIR", description = "folder of <image_id>.jpg")
  Path images;

  /** The datasets of {@code gradcam reproduce}. */
  enum MainJobData {
    /** The genuine VOC2007 test dog images of the mirror, GT from voc2007_test_objects.csv. */
    VOC2007_TEST_4_IMAGES,
    /** The Oxford-IIIT Pet stand-in with derived whole-dog boxes. */
    OXFORD_PETS_STANDIN;

    String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** {@code --data NAME}. */
  static final class DataNames extends EnumOption<MainJobData> {
    DataNames() {
      super(MainJobData.class, MainJobData::id);
    }
  }

  @Option(names = "--data", paramLabel = "NAME", converter = DataNames.class,
      completionCandidates = DataNames.class, description = "a dataset of the main job, "
      + "resolved as its assets (cache, mirror, else download; digest-checked): "
      + "${COMPLETION-CANDIDATES}; the first with GT from voc2007_test_objects.csv, the second "
      + "with derived whole-dog boxes")
  MainJobData data;

  @Option(names = "--annotations", paramLabel = "DIR", description = "VOC XML annotations folder")
  Path annotations;

  @Option(names = "--objects-csv", paramLabel = "CSV",
      description = "voc2007_test_objects.csv-style ground truth instead of XML annotations")
  Path objectsCsv;

  @Option(names = "--dataset-label", paramLabel = "TEXT",
      description = "what the data is, printed on every table (default: the folder name)")
  String datasetLabel;

  @Option(names = "--max-images", paramLabel = "N", defaultValue = "0",
      description = "use only the first N dog images in annotation order (0: all; "
          + "default: ${DEFAULT-VALUE})")
  int maxImages;

  /** The dataset, cut to {@code --max-images}; a cut set says so in its label. */
  DogDataset open() throws IOException {
    if (maxImages < 0) {
      throw new IllegalArgumentException("--max-images must be >= 0, got " + maxImages);
    }
    if ((voc != null ? 1 : 0) + (images != null ? 1 : 0) + (data != null ? 1 : 0) != 1) {
      throw new IllegalArgumentException("give exactly one of --voc DIR, --images DIR or "
          + "--data NAME");
    }
    if (annotations != null && objectsCsv != null) {
      throw new IllegalArgumentException("give --annotations or --objects-csv, not both");
    }
    Path imageDir;
    Path gt;
    if (data != null) {
      if (annotations != null || objectsCsv != null) {
        throw new IllegalArgumentException("--data " + data.id() + " brings its own ground truth; "
            + "leave out --annotations and --objects-csv");
      }
      Path mirror = ReproduceCommand.defaultMirror(); // relative, as the tables print it
      Assets assets = new Assets(Assets.cacheRoot(), Files.isDirectory(mirror) ? mirror : null);
      if (data == MainJobData.VOC2007_TEST_4_IMAGES) {
        imageDir = ReproduceCommand.shown(assets.directory("voc2007-test-images"));
        gt = ReproduceCommand.shown(assets.file("voc2007-test-objects"));
      } else {
        imageDir = ReproduceCommand.shown(assets.directory("oxford-pets-dogs").resolve("images"));
        gt = ReproduceCommand.shown(assets.directory("oxford-pets-dogs-boxes")
            .resolve("Annotations"));
      }
    } else if (voc != null) {
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
    // The ground truth is a CSV of objects (given, or the VOC test set's asset) or XML files.
    boolean csv = objectsCsv != null || data == MainJobData.VOC2007_TEST_4_IMAGES;
    if (csv ? !Files.isRegularFile(gt) : !Files.isDirectory(gt)) {
      throw new IOException((csv ? "No such objects CSV: " : "No such annotations folder: ") + gt);
    }
    DogDataset data = DogDataset.open(imageDir, gt, datasetLabel);
    if (maxImages > 0 && maxImages < data.files().size()) {
      String label = datasetLabel != null ? datasetLabel
          : data.label() + ", first " + maxImages + " of " + data.files().size() + " found images";
      data = data.first(maxImages, label);
    }
    return data;
  }
}
