package org.gradcam.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocAnnotations;
import org.gradcam.data.VocObjectsCsv;

/**
 * The images a localisation run works on: every image whose annotation has at least one object
 * of the class and whose JPEG exists. Annotated images without a file are kept in
 * {@link #missing()} so they can be reported, never silently dropped.
 *
 * @param label what the data is, printed with every table
 * @param images the image folder
 * @param groundTruth the class's boxes of the found images only, the GT of the evaluation
 * @param files the image file of each found image, in annotation order
 * @param missing annotated images of the class with no file in {@code images}
 */
public record DogDataset(String label, Path images, String groundTruthSource,
    GroundTruth groundTruth, Map<String, Path> files, List<String> missing) {

  public static final String CLASS = "dog";

  public DogDataset {
    files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    missing = List.copyOf(missing);
  }

  /** Number of annotated images with the class, found or not. */
  public int annotated() {
    return files.size() + missing.size();
  }

  /**
   * @param images folder holding {@code <id>.jpg} (or {@code .jpeg})
   * @param annotations a VOC {@code Annotations/} folder (XML) or a {@code voc2007_test_objects}
   *     style CSV file
   * @param label the dataset label, or null to derive it from the folder names (plus
   *     "N of M dog images" when images are missing)
   */
  public static DogDataset open(Path images, Path annotations, String label) throws IOException {
    if (!Files.isDirectory(images)) {
      throw new IOException("No such images folder: " + images);
    }
    GroundTruth all;
    if (Files.isDirectory(annotations)) {
      all = VocAnnotations.read(annotations, CLASS);
    } else if (Files.isRegularFile(annotations)) {
      all = VocObjectsCsv.groundTruth(VocObjectsCsv.read(annotations), CLASS);
    } else {
      throw new IOException("No such annotations folder or objects CSV: " + annotations);
    }
    List<String> withClass = all.imagesWithObjects();
    if (withClass.isEmpty()) {
      throw new IllegalArgumentException("no dog images found: no image in " + annotations
          + " has an object of class '" + CLASS + "'");
    }
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, List<GroundTruthBox>> gt = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String id : withClass) {
      Path file = imageFile(images, id);
      if (file == null) {
        missing.add(id);
      } else {
        files.put(id, file);
        gt.put(id, all.byImage().get(id));
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no dog images found: none of the " + withClass.size()
          + " images with a '" + CLASS + "' object in " + annotations + " has a JPEG in " + images);
    }
    if (label == null) {
      // A subset must not pass for the whole set: say how much of it is there.
      label = deriveLabel(images) + (missing.isEmpty() ? ""
          : ", " + files.size() + " of " + withClass.size() + " dog images");
    }
    return new DogDataset(label, images,
        annotations.toString(), new GroundTruth(gt), files, missing);
  }

  /**
   * The first {@code n} found images (all of them when there are at most {@code n}), with their
   * GT only, under a new label: a quick subset must say what it is.
   */
  public DogDataset first(int n, String newLabel) {
    if (n < 1) {
      throw new IllegalArgumentException("image limit must be at least 1, got " + n);
    }
    Map<String, Path> kept = new LinkedHashMap<>();
    Map<String, List<GroundTruthBox>> gt = new LinkedHashMap<>();
    for (var e : files.entrySet()) {
      if (kept.size() == n) {
        break;
      }
      kept.put(e.getKey(), e.getValue());
      gt.put(e.getKey(), groundTruth.byImage().get(e.getKey()));
    }
    return new DogDataset(newLabel, images, groundTruthSource, new GroundTruth(gt), kept,
        missing);
  }

  /** The folder's name, or its parent's for generic names such as {@code images}, {@code JPEGImages}. */
  static String deriveLabel(Path images) {
    Path p = images.toAbsolutePath().normalize();
    String name = p.getFileName() == null ? p.toString() : p.getFileName().toString();
    if ((name.equalsIgnoreCase("images") || name.equalsIgnoreCase("JPEGImages"))
        && p.getParent() != null && p.getParent().getFileName() != null) {
      return p.getParent().getFileName().toString();
    }
    return name;
  }

  private static Path imageFile(Path dir, String id) {
    for (String ext : new String[] {".jpg", ".jpeg", ".JPG", ".JPEG"}) {
      Path f = dir.resolve(id + ext);
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    return null;
  }
}
