package org.gradcam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gradcam.image.ImageEncoding;

/**
 * The paths of an {@code explain} run, checked before any work: the images a list of files and
 * folders names, the output name of each (path-based where stems collide), whether {@code --out}
 * must be a file or a folder, and that no output overwrites an input.
 */
final class ExplainPaths {
  private ExplainPaths() {}

  /**
   * {@link #checkOutputKind(Path, String, String, boolean)} for the overlay: one map's file must
   * have the format's extension (a .jpg name without {@code --format jpg} says so).
   */
  static void checkOutputKind(Path path, String option, ImageEncoding.Format format,
      boolean several) {
    if (!several && !Files.isDirectory(path) && path.getFileName() != null
        && !format.matches(path.getFileName().toString())) {
      for (ImageEncoding.Format other : ImageEncoding.Format.values()) {
        if (other.matches(path.getFileName().toString())) {
          throw new IllegalArgumentException(option + " " + path + " names a "
              + other.extension() + " file but the format is " + format.option() + "; give "
              + "--format " + other.option() + " or a name ending in " + format.extension());
        }
      }
    }
    if (!several && !Files.isDirectory(path) && path.getFileName() != null
        && format.matches(path.getFileName().toString())) {
      return; // also .jpeg for jpg
    }
    checkOutputKind(path, option, format.extension(), several);
  }

  /** {@code --out} is a file for one map, a directory for several: anything else is an error. */
  static void checkOutputKind(Path path, String option, String extension, boolean several) {
    if (several) {
      if (Files.exists(path) && !Files.isDirectory(path)) {
        throw new IllegalArgumentException(option + " " + path + " is a file, but several maps "
            + "are written (several images or --top-k > 1): give a directory");
      }
      if (!Files.exists(path) && path.getFileName() != null && path.getFileName().toString()
          .toLowerCase(Locale.ROOT).endsWith(extension)) {
        throw new IllegalArgumentException(option + " " + path + " names a " + extension
            + " file, but several maps are written (several images or --top-k > 1): give a "
            + "directory");
      }
    } else if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(option + " " + path + " is a directory, but one map "
          + "is written: give a file name (e.g. " + path.resolve("map" + extension) + ")");
    } else if (path.getFileName() == null || !path.getFileName().toString()
        .toLowerCase(Locale.ROOT).endsWith(extension)) {
      // Else "--out maps" with one image would quietly write a file named maps.
      throw new IllegalArgumentException(option + " " + path + " does not end in " + extension
          + ", but one map is written, to a file: give a name ending in " + extension
          + " (a directory is for several maps)");
    }
  }

  static Set<Path> realPaths(List<Path> files) throws IOException {
    Set<Path> out = new HashSet<>();
    for (Path f : files) {
      if (Files.exists(f)) {
        out.add(f.toRealPath());
      }
    }
    return out;
  }

  static void refuseInput(Path target, Set<Path> inputs) throws IOException {
    Path where = target.toAbsolutePath().normalize(); // as StagedFiles will write it
    if (Files.exists(where) && inputs.contains(where.toRealPath())) {
      throw new IllegalArgumentException("the output " + target + " would overwrite the input "
          + "of the same name; give --out (or --heatmap-out) a folder that does not hold the "
          + "inputs");
    }
  }

  /**
   * The output name of each input: its stem, or, for inputs whose stems are equal, the path
   * from their common folder with separators and dots as '_' ({@code a/dog.jpg} and
   * {@code b/dog.jpg} give {@code a_dog_jpg} and {@code b_dog_jpg}), said on {@code err}. The
   * same file twice, or names still equal after that, are errors.
   */
  static Map<Path, String> outputNames(List<Path> files, PrintWriter err) throws IOException {
    Map<Path, Path> seen = new HashMap<>();
    for (Path f : files) {
      Path key = Files.exists(f) ? f.toRealPath() : f.toAbsolutePath().normalize();
      Path before = seen.putIfAbsent(key, f);
      if (before != null) {
        throw new IllegalArgumentException("the image " + f + " is given twice"
            + (before.equals(f) ? "" : " (also as " + before + ")"));
      }
    }
    Map<String, List<Path>> byStem = new LinkedHashMap<>();
    for (Path f : files) {
      byStem.computeIfAbsent(ExplainJob.stem(f), k -> new ArrayList<>()).add(f);
    }
    Map<Path, String> names = new LinkedHashMap<>();
    for (Map.Entry<String, List<Path>> group : byStem.entrySet()) {
      List<Path> same = group.getValue();
      if (same.size() == 1) {
        names.put(same.get(0), group.getKey());
        continue;
      }
      Path common = same.get(0).toAbsolutePath().normalize().getParent();
      for (Path f : same) {
        while (!f.toAbsolutePath().normalize().startsWith(common)) {
          common = common.getParent();
        }
      }
      List<String> renamed = new ArrayList<>();
      for (Path f : same) {
        String rel = common.relativize(f.toAbsolutePath().normalize()).toString();
        String name = rel.replace(f.getFileSystem().getSeparator(), "_").replace('.', '_');
        names.put(f, name);
        renamed.add(name);
      }
      err.println("explain: " + same.stream().map(Path::toString)
          .collect(Collectors.joining(", ")) + " would all be named " + group.getKey()
          + "; written as " + String.join(", ", renamed));
      err.flush();
    }
    Map<String, Path> taken = new HashMap<>();
    for (Map.Entry<Path, String> e : names.entrySet()) {
      Path other = taken.putIfAbsent(e.getValue(), e.getKey());
      if (other != null) {
        throw new IllegalArgumentException("the outputs of " + other + " and " + e.getKey()
            + " would both be named " + e.getValue() + "; rename one of them");
      }
    }
    return names;
  }

  /** The images of {@code paths}: each file as given, each folder's .jpg/.jpeg/.png files sorted. */
  static List<Path> listImages(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          List<Path> found = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)
              .matches(".*\\.(jpe?g|png)")).sorted().toList();
          if (found.isEmpty()) {
            throw new IOException("no .jpg/.jpeg/.png images in directory " + p);
          }
          out.addAll(found);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
