package org.gradcam.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses images per graph run by a short calibration: each candidate size (1, 2, 4, 8, 16,
 * capped by memory and by the number of images) is run once to warm up (all sizes before any
 * timing), then timed twice; the choice is the smallest size within
 * {@value #TOLERANCE_PERCENT}% of the best images/s (a bigger batch only adds latency and memory
 * when it is not clearly faster, and timings on a shared machine wobble by a few percent).
 *
 * <p>Below {@value #MIN_IMAGES_TO_CALIBRATE} images the calibration would cost more than it can
 * save, so the size is then simply {@code min(images, 8, memory cap)}, the former default.
 *
 * <p>Memory cap: {@code budget / bytesPerImage}, where the caller estimates the bytes per image
 * as input plus every layer's activations twice (forward values kept for the backward pass, and
 * their gradients); see {@link #bytesPerImage}.
 */
public final class AutoBatchSize {
  public static final int[] CANDIDATES = {1, 2, 4, 8, 16};
  public static final int MIN_IMAGES_TO_CALIBRATE = 32;
  public static final int TOLERANCE_PERCENT = 5;
  /** Default memory for one batch's input and activations. */
  public static final long DEFAULT_BUDGET_BYTES = 1L << 30;
  private static final int DEFAULT_WITHOUT_CALIBRATION = 8;

  /** Wall time of one run of {@code batchSize} images. */
  @FunctionalInterface
  public interface Timer {
    double seconds(int batchSize) throws Exception;
  }

  /** The chosen size, the images/s measured per candidate (empty without calibration), why. */
  public record Choice(int batchSize, Map<Integer, Double> imagesPerSecond, String reason) {
    /** One line for stderr, e.g. {@code batch size 8 (auto: 1: 150 img/s, 2: 210 img/s, ...)}. */
    public String describe() {
      StringBuilder s = new StringBuilder("batch size " + batchSize + " (auto: " + reason);
      if (!imagesPerSecond.isEmpty()) {
        s.append("; graph img/s");
        imagesPerSecond.forEach((b, v) -> s.append(String.format(java.util.Locale.ROOT,
            " %d: %.1f", b, v)));
      }
      return s.append(')').toString();
    }
  }

  private AutoBatchSize() {}

  /** Bytes of one image's float32 input and layer outputs, the latter counted twice. */
  public static long bytesPerImage(long inputFloats, long activationFloats) {
    return 4 * (inputFloats + 2 * activationFloats);
  }

  public static Choice choose(int images, long bytesPerImage, long budgetBytes, Timer timer)
      throws Exception {
    int memoryCap = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / bytesPerImage));
    if (images < MIN_IMAGES_TO_CALIBRATE) {
      int b = Math.max(1, Math.min(images, Math.min(DEFAULT_WITHOUT_CALIBRATION, memoryCap)));
      return new Choice(b, Map.of(), images + " images, too few to calibrate"
          + (memoryCap < DEFAULT_WITHOUT_CALIBRATION ? ", memory cap " + memoryCap : ""));
    }
    List<Integer> sizes = new ArrayList<>();
    for (int b : CANDIDATES) {
      if (b <= memoryCap && b <= images) {
        sizes.add(b);
      }
    }
    // All warm-ups first: the first runs after loading a model are slow whatever their size,
    // which would otherwise count against the smallest batches.
    for (int b : sizes) {
      timer.seconds(b);
    }
    Map<Integer, Double> rates = new LinkedHashMap<>();
    for (int b : sizes) {
      double best = Math.min(timer.seconds(b), timer.seconds(b));
      rates.put(b, b / Math.max(best, 1e-9));
    }
    double fastest = rates.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    int chosen = rates.entrySet().stream()
        .filter(e -> e.getValue() >= fastest * (1 - TOLERANCE_PERCENT / 100.0))
        .mapToInt(Map.Entry::getKey).min().orElseThrow();
    return new Choice(chosen, rates, "smallest within " + TOLERANCE_PERCENT
        + "% of the fastest" + (memoryCap < CANDIDATES[CANDIDATES.length - 1]
            ? ", memory cap " + memoryCap : ""));
  }
}
