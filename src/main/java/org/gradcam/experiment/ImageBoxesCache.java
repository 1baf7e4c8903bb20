package org.gradcam.experiment;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.gradcam.data.Digest;
import org.gradcam.data.PixelBox;
import org.gradcam.io.AtomicFiles;
import org.gradcam.io.Csv;

/**
 * The per-image cache of a localisation run: one small CSV per image, {@code <id>.csv}, holding
 * the run's settings key, the sha256 of the image file the boxes were computed from, the
 * explained class, every box of every threshold and, last, a sha256 of all the lines before it.
 * A file is written to a temporary name and then moved into place, so an interrupted run leaves
 * either a complete file or none; on restart, an image is not recomputed only when its entry
 * verifies: same settings, same image content (an image replaced under the same id is
 * recomputed) and an intact file (a truncated or edited entry is recomputed, not trusted).
 */
public final class ImageBoxesCache {
  static final String HEADER = "threshold,xmin,ymin,xmax,ymax,score";
  static final String CHECKSUM = "# checksum sha256=";
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

  /** The sha256 of an image file, as {@link #read} and {@link #write} take it. */
  public static String imageDigest(Path image) throws IOException {
    return Digest.of(image, "sha256");
  }

  /**
   * The cached entry, if there is an intact one written with this cache's key for an image of
   * content {@code imageDigest} ({@link #imageDigest}).
   */
  public Optional<Entry> read(String imageId, String imageDigest) throws IOException {
    Path f = file(imageId);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    String text;
    try {
      text = Files.readString(f, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      return Optional.empty(); // binary garbage
    }
    int last = text.lastIndexOf(CHECKSUM);
    if (last < 0 || !text.endsWith("\n")
        || !text.substring(last + CHECKSUM.length(), text.length() - 1)
            .equals(sha256(text.substring(0, last)))) {
      return Optional.empty(); // truncated or edited
    }
    List<String> lines = text.substring(0, last).lines().toList();
    if (lines.size() < 4 || !lines.get(0).equals("# " + key)
        || !lines.get(1).equals("# image sha256=" + imageDigest)
        || !lines.get(2).startsWith("# ") || !lines.get(3).equals(HEADER)) {
      return Optional.empty();
    }
    try {
      String[] info = lines.get(2).substring(2).split(" ");
      int target = Integer.parseInt(value(info[0], "target_class"));
      int width = Integer.parseInt(value(info[1], "width"));
      int height = Integer.parseInt(value(info[2], "height"));
      List<ScoredBox> boxes = Csv.read(new StringReader(String.join("\n", lines.subList(3,
          lines.size()))), f.toString(), List.of(HEADER.split(",")), v -> new ScoredBox(
              Double.parseDouble(v[0]), new PixelBox(Integer.parseInt(v[1]),
              Integer.parseInt(v[2]), Integer.parseInt(v[3]), Integer.parseInt(v[4])),
              Double.parseDouble(v[5])));
      return Optional.of(new Entry(target, width, height, boxes));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged entry is recomputed, not trusted
    }
  }

  private static String value(String field, String name) {
    if (!field.startsWith(name + "=")) {
      throw new IllegalArgumentException("expected " + name + "=, got " + field);
    }
    return field.substring(name.length() + 1);
  }

  /**
   * Writes the entry of an image of content {@code imageDigest} atomically (temporary file, then
   * a move onto the final name).
   */
  public void write(String imageId, String imageDigest, Entry entry) throws IOException {
    StringBuilder w = new StringBuilder();
    w.append("# " + key + "\n# image sha256=" + imageDigest + "\n# target_class="
        + entry.targetClass() + " width=" + entry.width() + " height=" + entry.height() + "\n"
        + HEADER + "\n");
    for (ScoredBox b : entry.boxes()) {
      Csv.writeRecord(w, b.threshold(), b.box().xmin(), b.box().ymin(), b.box().xmax(),
          b.box().ymax(), b.score());
    }
    String body = w.toString();
    AtomicFiles.writeString(file(imageId), body + CHECKSUM + sha256(body) + "\n");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
