package org.gradcam.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * A pixel mask ({@code width x height}, row-major) read from a one-channel image: a
 * segmentation of the object a map should focus on, e.g. a lung mask or an Oxford-IIIT Pet
 * trimap. {@code rule} says which pixel values were counted inside.
 */
public record BinaryMask(int width, int height, boolean[] inside, String rule) {

  /** Oxford-IIIT Pet trimaps: 1 = pet, 2 = background, 3 = the uncertain border band. */
  public static final Set<Integer> TRIMAP_VALUES = Set.of(1, 2, 3);

  /** The pixels counted inside. */
  public long insideCount() {
    long n = 0;
    for (boolean b : inside) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /**
   * Reads the first band's raw sample values (no colour conversion, so a trimap's 1, 2, 3 stay
   * 1, 2, 3). {@code insideValues} are the values counted inside; null chooses: a trimap (only
   * values 1..3) counts its pet pixels, value 1 only (the border band 3 is neither pet nor
   * background for sure, so it is left out); any other mask counts every non-zero pixel.
   */
  public static BinaryMask read(Path file, Set<Integer> insideValues) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "mask file not found");
    }
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + ": not a readable mask image (PNG, one channel)");
    }
    Raster r = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    int[] values = r.getSamples(0, 0, w, h, 0, (int[]) null);
    TreeSet<Integer> seen = new TreeSet<>();
    for (int v : values) {
      seen.add(v);
    }
    Set<Integer> counted;
    String rule;
    if (insideValues != null) {
      counted = insideValues;
      rule = "pixel values " + insideValues.stream().sorted().map(String::valueOf)
          .collect(Collectors.joining(",")) + " inside";
    } else if (TRIMAP_VALUES.containsAll(seen)) {
      counted = Set.of(1);
      rule = "trimap: value 1 (pet) inside; 2 (background) and 3 (border) outside";
    } else {
      counted = null;
      rule = "non-zero pixels inside";
    }
    boolean[] inside = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      inside[i] = counted == null ? values[i] != 0 : counted.contains(values[i]);
    }
    return new BinaryMask(w, h, inside, rule);
  }
}
