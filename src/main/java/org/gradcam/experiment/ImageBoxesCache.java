package org.gradcam.experiment;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gradcam.localize.Box;

/**
 * The per-image cache of a localisation run: one small CSV per image, {@code <id>.csv}, holding
 * the run's settings key, the explained class and every box of every threshold. A file is written
 * to a temporary name and then moved into place, so an interrupted run leaves either a complete
 * file or none; on restart, images with a file whose key matches are not recomputed.
 */
public final class ImageBoxesCache {
  static final String HEADER = "threshold,xmin,ymin,xmax,ymax,score";
  private final Path dir;
  private final String key;

  /**
   * Result of one image: the class explained (-1 for a class sum), the image size and the
   * scored boxes.
   */
  public record Entry(int targetClass, int width, int height, List<ScoredBox> boxes) {
    public Entry {
      boxes = List.copyOf(boxes);
    }
  }

  /**
   * @param dir the cache folder, created when missing
   * @param key the settings that determine the boxes; an entry written under another key is
   *     ignored (recomputed), so changing e.g. the model never reuses stale boxes
   */
  public ImageBoxesCache(Path dir, String key) throws IOException {
    if (key.contains("\n")) {
      throw new IllegalArgumentException("cache key must be one line");
    }
    this.dir = Files.createDirectories(dir);
    this.key = key;
  }

  public Path file(String imageId) {
    if (imageId.isEmpty() || imageId.contains("/") || imageId.contains("\\")
        || imageId.startsWith(".")) {
      throw new IllegalArgumentException("image id cannot name a cache file: '" + imageId + "'");
    }
    return dir.resolve(imageId + ".csv");
  }

  /** The cached entry, if there is a complete one written with this cache's key. */
  public Optional<Entry> read(String imageId) throws IOException {
    Path f = file(imageId);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    if (lines.size() < 3 || !lines.get(0).equals("# " + key)
        || !lines.get(1).startsWith("# ") || !lines.get(2).equals(HEADER)) {
      return Optional.empty();
    }
    try {
      String[] info = lines.get(1).substring(2).split(" ");
      int target = Integer.parseInt(value(info[0], "target_class"));
      int width = Integer.parseInt(value(info[1], "width"));
      int height = Integer.parseInt(value(info[2], "height"));
      List<ScoredBox> boxes = new ArrayList<>();
      for (String line : lines.subList(3, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] v = line.split(",", -1);
        boxes.add(new ScoredBox(Double.parseDouble(v[0]), new Box(Integer.parseInt(v[1]),
            Integer.parseInt(v[2]), Integer.parseInt(v[3]), Integer.parseInt(v[4])),
            Double.parseDouble(v[5])));
      }
      return Optional.of(new Entry(target, width, height, boxes));
    } catch (RuntimeException e) {
      return Optional.empty(); // a damaged entry is recomputed, not trusted
    }
  }

  private static String value(String field, String name) {
    if (!field.startsWith(name + "=")) {
      throw new IllegalArgumentException("expected " + name + "=, got " + field);
    }
    return field.substring(name.length() + 1);
  }

  /** Writes the entry atomically (temporary file, then a move onto the final name). */
  public void write(String imageId, Entry entry) throws IOException {
    Path f = file(imageId);
    Path tmp = Files.createTempFile(dir, imageId + ".", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write("# " + key + "\n# target_class=" + entry.targetClass() + " width="
            + entry.width() + " height=" + entry.height() + "\n" + HEADER + "\n");
        for (ScoredBox b : entry.boxes()) {
          w.write(b.threshold() + "," + b.box().xmin() + "," + b.box().ymin() + ","
              + b.box().xmax() + "," + b.box().ymax() + "," + b.score() + "\n");
        }
      }
      try {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
