package org.gradcam.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A labelled image data set in the ImageFolder layout ({@code DIR/<class>/<image>}), each class
 * folder matched to one of the model's labels. Images are listed by name (an image extension,
 * as torchvision's {@code ImageFolder} filters them) but later decoded by content, so a PNG
 * named {@code .jpg} is read as the PNG it is.
 */
public final class ImageFolder {
  /** One image and the index of its true class among the model's labels. */
  public record Sample(Path file, int label) {}

  /** Extensions torchvision's {@code IMG_EXTENSIONS} accepts (lower case). */
  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif",
      "tiff", "webp", "gif");

  private final Path root;
  private final List<String> folders;
  private final int[] classes;
  private final List<Sample> samples;
  private final int skipped;

  private ImageFolder(Path root, List<String> folders, int[] classes, List<Sample> samples,
      int skipped) {
    this.root = root;
    this.folders = List.copyOf(folders);
    this.classes = classes;
    this.samples = List.copyOf(samples);
    this.skipped = skipped;
  }

  /**
   * Opens {@code dir}: its sub-folders, sorted by name, are the classes; each must name one of
   * {@code labels} (exactly, else ignoring case with {@code _} for a space, as folder names
   * often spell "golden retriever"). A folder without such a label, a label two folders map to,
   * or a class folder without images is an {@link IllegalArgumentException} that lists both sides.
   */
  public static ImageFolder open(Path dir, List<String> labels) throws IOException {
    return open(dir, labels, List.of());
  }

  /**
   * As {@link #open(Path, List)}, where a folder may also be named by {@code aliases} (one per
   * label, e.g. the ImageNet WordNet ids {@code n02085620} that ImageNet's own folders use).
   */
  public static ImageFolder open(Path dir, List<String> labels, List<String> aliases)
      throws IOException {
    if (!Files.exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no such data folder");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is a file, not an ImageFolder directory "
          + "(one sub-folder per class)");
    }
    List<Path> dirs;
    try (Stream<Path> s = Files.list(dir)) {
      dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
    if (dirs.isEmpty()) {
      throw new IllegalArgumentException(dir + " has no class sub-folders; expected the "
          + "ImageFolder layout DIR/<class>/<image>, one folder per label (" + shown(labels) + ")");
    }
    List<String> names = dirs.stream().map(p -> p.getFileName().toString()).toList();
    int[] classes = new int[names.size()];
    List<String> unmatched = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      classes[i] = match(names.get(i), labels);
      if (classes[i] < 0 && !aliases.isEmpty()) {
        classes[i] = aliases.indexOf(names.get(i));
      }
      if (classes[i] < 0) {
        unmatched.add(names.get(i));
      }
      for (int j = 0; j < i; j++) {
        if (classes[i] >= 0 && classes[j] == classes[i]) {
          throw new IllegalArgumentException("class folders '" + names.get(j) + "' and '"
              + names.get(i) + "' of " + dir + " both match label '" + labels.get(classes[i])
              + "'");
        }
      }
    }
    if (!unmatched.isEmpty()) {
      throw new IllegalArgumentException("class folders of " + dir + " that match no label of "
          + "the model: " + String.join(", ", unmatched) + "; folders: " + String.join(", ", names)
          + "; the model's " + labels.size() + " labels: " + shown(labels));
    }
    List<Sample> samples = new ArrayList<>();
    int skipped = 0;
    List<String> empty = new ArrayList<>();
    for (int i = 0; i < dirs.size(); i++) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(dirs.get(i))) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      int before = samples.size();
      for (Path f : files) {
        if (isImageName(f)) {
          samples.add(new Sample(f, classes[i]));
        } else {
          skipped++;
        }
      }
      if (samples.size() == before) {
        empty.add(names.get(i));
      }
    }
    if (!empty.isEmpty()) {
      throw new IllegalArgumentException("class folders of " + dir + " without any image ("
          + String.join(", ", EXTENSIONS.stream().sorted().toList()) + "): "
          + String.join(", ", empty) + "; every class folder needs at least one");
    }
    return new ImageFolder(dir, names, classes, samples, skipped);
  }

  /** The label index {@code folder} names, or -1; a name two labels share is an error. */
  static int match(String folder, List<String> labels) {
    int exact = labels.indexOf(folder);
    if (exact >= 0) {
      int again = labels.subList(exact + 1, labels.size()).indexOf(folder);
      if (again >= 0) {
        throw new IllegalArgumentException("class folder '" + folder + "' matches two labels: "
            + exact + " and " + (exact + 1 + again) + "; the labels must be unique");
      }
      return exact;
    }
    String key = normalise(folder);
    int found = -1;
    for (int i = 0; i < labels.size(); i++) {
      if (normalise(labels.get(i)).equals(key)) {
        if (found >= 0) {
          throw new IllegalArgumentException("class folder '" + folder + "' matches two labels: "
              + found + " '" + labels.get(found) + "' and " + i + " '" + labels.get(i)
              + "'; name the folder exactly as one of them");
        }
        found = i;
      }
    }
    return found;
  }

  private static String normalise(String s) {
    return s.strip().replace('_', ' ').toLowerCase(Locale.ROOT);
  }

  static boolean isImageName(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return !n.startsWith(".") && dot > 0
        && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The labels, all of them when few, else the first 20 and the count. */
  private static String shown(List<String> labels) {
    return labels.size() <= 40 ? String.join(", ", labels)
        : String.join(", ", labels.subList(0, 20)) + ", ... (" + labels.size() + " in all)";
  }

  public Path root() {
    return root;
  }

  /** The class folder names, sorted. */
  public List<String> folders() {
    return folders;
  }

  /** The label index of each folder of {@link #folders()}. */
  public int[] classes() {
    return classes.clone();
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Files in the class folders that were not taken for images (no image extension). */
  public int skipped() {
    return skipped;
  }
}
