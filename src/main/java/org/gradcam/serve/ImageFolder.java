package org.gradcam.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A data set in the ImageFolder layout ({@code DIR/CLASS/IMAGE}, as torchvision reads it) for
 * the gallery: indexed once, when the server starts. Images are recognised by their content
 * (an ImageIO decoder claims the first bytes), not by their extension, so a PNG named .jpg is
 * listed and a README is not. Requests name an image by its id ({@code CLASS/FILE}) and are
 * answered from the index only: no path of a request ever reaches the file system, and files
 * whose real path lies outside the data set (a symlink out of it) are not indexed.
 */
public final class ImageFolder {
  /** Names of split folders, which say little alone: {@code pets/test} is named pets-test. */
  private static final List<String> SPLITS = List.of("train", "test", "val", "valid",
      "validation");

  /** One image: its id (class, '/', path inside the class folder), class, file and MIME type. */
  public record Image(String id, String className, String name, Path file, String mimeType) {}

  private final String name;
  private final Path root;
  private final Map<String, List<Image>> classes;
  private final Map<String, Image> byId;

  private ImageFolder(String name, Path root, Map<String, List<Image>> classes) {
    this.name = name;
    this.root = root;
    this.classes = classes;
    Map<String, Image> ids = new LinkedHashMap<>();
    classes.values().forEach(list -> list.forEach(i -> ids.put(i.id(), i)));
    this.byId = Collections.unmodifiableMap(ids);
  }

  /**
   * Parses a command-line value, {@code NAME=DIR} or {@code DIR}, and indexes the folder. Without
   * a name the folder's own name is used, prefixed with its parent's when it is a split name
   * (train, test, val, ...).
   */
  public static ImageFolder parse(String spec) throws IOException {
    int eq = spec.indexOf('=');
    if (eq > 0 && spec.substring(0, eq).matches("[A-Za-z0-9._-]+")) {
      return index(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
    }
    return index(defaultName(Path.of(spec)), Path.of(spec));
  }

  static String defaultName(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    String own = abs.getFileName() == null ? "dataset" : abs.getFileName().toString();
    if (SPLITS.contains(own.toLowerCase(Locale.ROOT)) && abs.getParent() != null
        && abs.getParent().getFileName() != null) {
      own = abs.getParent().getFileName() + "-" + own;
    }
    // A name is a path segment of the API: keep it to safe characters.
    return own.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** Indexes {@code dir}: every sub-folder is a class, every image below it one of its images. */
  public static ImageFolder index(String name, Path dir) throws IOException {
    if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new IllegalArgumentException("name '" + name + "': use letters, digits, "
          + "'.', '_' and '-' (not starting with '.')");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory");
    }
    Path root = dir.toRealPath();
    Map<String, List<Image>> classes = new TreeMap<>();
    List<Path> folders;
    try (Stream<Path> s = Files.list(root)) {
      folders = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
    }
    for (Path folder : folders) {
      String cls = folder.getFileName().toString();
      List<Image> images = new ArrayList<>();
      List<Path> files;
      try (Stream<Path> s = Files.walk(folder)) {
        files = s.filter(Files::isRegularFile).filter(p -> !hiddenBelow(folder, p)).sorted()
            .toList();
      }
      for (Path f : files) {
        Path real = f.toRealPath();
        if (!real.startsWith(root)) {
          continue; // a link out of the data set: never served
        }
        String mime = mimeType(real);
        if (mime != null) {
          String rel = folder.relativize(f).toString().replace('\\', '/');
          images.add(new Image(cls + "/" + rel, cls, rel, real, mime));
        }
      }
      if (!images.isEmpty()) {
        images.sort((a, b) -> a.id().compareTo(b.id()));
        classes.put(cls, List.copyOf(images));
      }
    }
    if (classes.isEmpty()) {
      throw new IllegalArgumentException(dir + ": no class folder with images (the "
          + "ImageFolder layout is DIR/CLASS/IMAGE; a flat folder of images has no classes)");
    }
    return new ImageFolder(name, root, Collections.unmodifiableMap(classes));
  }

  private static boolean hidden(Path p) {
    return p.getFileName().toString().startsWith(".");
  }

  private static boolean hiddenBelow(Path folder, Path p) {
    for (Path part : folder.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The MIME type of the format an ImageIO decoder recognises in the file, or null. */
  static String mimeType(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        String[] types = reader.getOriginatingProvider().getMIMETypes();
        return types != null && types.length > 0 ? types[0] : "application/octet-stream";
      } finally {
        reader.dispose();
      }
    }
  }

  public String name() {
    return name;
  }

  public Path root() {
    return root;
  }

  /** Class names, sorted, each with its images sorted by id. */
  public Map<String, List<Image>> classes() {
    return classes;
  }

  public int size() {
    return byId.size();
  }

  /** The image of this id, or a 404 naming it. */
  Image image(String id) {
    Image i = id == null ? null : byId.get(id);
    if (i == null) {
      throw ApiError.notFound("data set '" + name + "' has no image '" + id + "' (ids come from "
          + "/api/datasets/" + name + "/sample)");
    }
    return i;
  }

  /** The images of a class, or a 404 listing the classes. */
  List<Image> images(String cls) {
    List<Image> list = cls == null ? null : classes.get(cls);
    if (list == null) {
      throw ApiError.notFound("data set '" + name + "' has no class '" + cls + "'; classes: "
          + String.join(", ", classes.keySet()));
    }
    return list;
  }

  /**
   * {@code n} images of a class drawn by {@code seed}: the class's images sorted by id, shuffled
   * by {@code Collections.shuffle(list, new java.util.Random(seed))}, the first {@code n} (all of
   * them when the class has fewer). The same seed gives the same sample, on every JVM.
   */
  List<Image> sample(String cls, int n, long seed) {
    List<Image> list = new ArrayList<>(images(cls));
    Collections.shuffle(list, new Random(seed));
    return List.copyOf(list.subList(0, Math.min(n, list.size())));
  }
}
