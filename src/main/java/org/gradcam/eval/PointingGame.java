package org.gradcam.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;
import org.gradcam.image.HeatmapUpsampler;

/**
 * The pointing game (Zhang et al. 2016, "Top-down Neural Attention by Excitation Backprop") as
 * TorchRay's {@code torchray/benchmark/pointing_game.py} plays it on PASCAL VOC 2007 test:
 *
 * <ol>
 *   <li>The map is resized to the image size (bilinear, half-pixel centres: TorchRay's
 *       {@code F.interpolate(..., align_corners=False)}, our {@link HeatmapUpsampler}) and the
 *       point is its maximum; ties go to the first maximum in raster order, as
 *       {@code torch.argmax} over the flattened map returns the first maximal index.
 *   <li>The class's ground truth is the union of all its boxes, difficult ones included
 *       ({@code voc_as_mask}), as 0-based pixels ({@link PixelBox#fromVoc}).
 *   <li>Hit when some ground-truth pixel lies <em>strictly</em> closer than {@code tolerance}
 *       (15 px) to the point: TorchRay's acceptance disc is {@code (u-x)^2 + (v-y)^2 <
 *       tolerance^2} over integer pixel positions. For boxes this is the squared distance from
 *       the point to the nearest box pixel, so a point exactly 15 px from a box is a miss.
 *   <li>An image/class pair whose boxes are all VOC-difficult is skipped (neither hit nor miss).
 * </ol>
 *
 * <p>Accuracy is {@code hits / (hits + misses)}. TorchRay's headline number averages the per-class
 * accuracies over all 20 classes; {@link Tally#classMeanAccuracy()} gives that mean over the
 * classes that were played (the two agree when every class has at least one pair; TorchRay would
 * count a class without pairs as accuracy 0).
 */
public final class PointingGame {
  /** TorchRay's default tolerance in pixels. */
  public static final int TORCHRAY_TOLERANCE = 15;

  private PointingGame() {}

  /** A pixel position, 0-based, {@code x} the column. */
  public record Point(int x, int y) {}

  /** The result of one image/class pair. */
  public enum Outcome {
    HIT, MISS, SKIPPED
  }

  /**
   * The first maximum in raster order of a {@code width x height} row-major map.
   *
   * @throws IllegalArgumentException for a size mismatch or a NaN value
   */
  public static Point argmax(float[] map, int width, int height) {
    if (width <= 0 || height <= 0 || map.length != (long) width * height) {
      throw new IllegalArgumentException("map has " + map.length + " values, expected "
          + width + "x" + height);
    }
    int best = 0;
    for (int i = 0; i < map.length; i++) {
      if (Float.isNaN(map[i])) {
        throw new IllegalArgumentException("map has NaN at index " + i);
      }
      if (map[i] > map[best]) {
        best = i;
      }
    }
    return new Point(best % width, best / width);
  }

  /** The point of a layer-resolution map: upsampled to the image, then its first maximum. */
  public static Point peak(Heatmap map, int imageWidth, int imageHeight) {
    float[] up = HeatmapUpsampler.upsample(map.raw(), map.height(), map.width(), imageHeight,
        imageWidth);
    return argmax(up, imageWidth, imageHeight);
  }

  /** Whether some pixel of some box is strictly closer than {@code tolerance} to {@code p}. */
  public static boolean hits(Point p, List<PixelBox> rects, int tolerance) {
    if (tolerance < 0) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
    }
    long limit = (long) tolerance * tolerance;
    for (PixelBox r : rects) {
      if (r.squaredDistanceTo(p.x(), p.y()) < limit) {
        return true;
      }
    }
    return false;
  }

  /**
   * One image/class pair.
   *
   * @param classBoxes all VOC boxes (1-based inclusive) of the class in the image
   */
  public static Outcome evaluate(Point p, List<GroundTruthBox> classBoxes, int imageWidth,
      int imageHeight, int tolerance) {
    if (classBoxes.stream().allMatch(GroundTruthBox::difficult)) {
      return Outcome.SKIPPED;
    }
    List<PixelBox> rects = new ArrayList<>();
    for (GroundTruthBox b : classBoxes) {
      rects.add(PixelBox.fromVoc(b.box(), imageWidth, imageHeight));
    }
    return hits(p, rects, tolerance) ? Outcome.HIT : Outcome.MISS;
  }

  /** Hits and misses per class, in first-seen class order. Not thread-safe. */
  public static final class Tally {
    private final Map<String, long[]> counts = new LinkedHashMap<>();

    public void add(String className, Outcome outcome) {
      long[] c = counts.computeIfAbsent(className, k -> new long[2]);
      switch (outcome) {
        case HIT -> c[0]++;
        case MISS -> c[1]++;
        case SKIPPED -> { }
      }
    }

    public long hits() {
      return counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    public long misses() {
      return counts.values().stream().mapToLong(c -> c[1]).sum();
    }

    /** {@code hits / (hits + misses)} over all pairs; NaN when no pair was played. */
    public double accuracy() {
      long n = hits() + misses();
      return n == 0 ? Double.NaN : hits() / (double) n;
    }

    /** Accuracy of one class; NaN when it has no played pair. */
    public double accuracy(String className) {
      long[] c = counts.get(className);
      return c == null || c[0] + c[1] == 0 ? Double.NaN : c[0] / (double) (c[0] + c[1]);
    }

    /** Mean of the per-class accuracies over the classes with at least one played pair. */
    public double classMeanAccuracy() {
      return counts.keySet().stream().mapToDouble(this::accuracy).filter(a -> !Double.isNaN(a))
          .average().orElse(Double.NaN);
    }
  }
}
