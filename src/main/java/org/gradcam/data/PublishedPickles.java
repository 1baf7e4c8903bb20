package org.gradcam.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the published experiment's pickles: {@code all_gt_dogs.pickle} (image path -> int32 Nx4
 * {@code [xmin,ymin,xmax,ymax]}) and {@code all_detected_dogs<t>.pickle} (image path -> float64 Nx5
 * {@code [xmin,ymin,xmax,ymax,score]}). Keys are mapped to image ids with {@link ImageIds}.
 *
 * <p>Coordinates are kept as stored. GT boxes are the XML's 1-based inclusive corners (they equal
 * the CSV exactly). Detections are numpy slice bounds of the thresholded heatmap: 0-based
 * {@code start} for the min corner and exclusive {@code stop} for the max corner, so in VOC terms
 * a detection's min corner sits one pixel up-left of the pixel it means. The published evaluation
 * compared the two as if they shared one convention; so does reproducing it.
 */
public final class PublishedPickles {
  private PublishedPickles() {}

  /** GT boxes per image id, pickle order; no box is difficult (the pickle has no such flag). */
  public static GroundTruth readGroundTruth(Path file) throws IOException {
    Map<String, List<GroundTruthBox>> out = new LinkedHashMap<>();
    for (Map.Entry<String, NdArray> e : readArrays(file, 4).entrySet()) {
      NdArray array = e.getValue();
      List<GroundTruthBox> boxes = new ArrayList<>();
      for (int r = 0; r < array.rows(); r++) {
        boxes.add(new GroundTruthBox(boxAt(array, r, file, e.getKey()), false));
      }
      out.put(e.getKey(), boxes);
    }
    return new GroundTruth(out);
  }

  /** Detections in pickle order: images in dict order, rows in array order. */
  public static List<Detection> readDetections(Path file) throws IOException {
    List<Detection> out = new ArrayList<>();
    for (Map.Entry<String, NdArray> e : readArrays(file, 5).entrySet()) {
      NdArray array = e.getValue();
      for (int r = 0; r < array.rows(); r++) {
        double score = array.get(r, 4);
        if (!Double.isFinite(score)) {
          // A NaN score sorts anywhere and an infinite one always first: the AP would be arbitrary.
          throw new IOException(file + ": image " + e.getKey() + ", row " + r + ": score is "
              + score + ", not a finite number");
        }
        out.add(new Detection(e.getKey(), boxAt(array, r, file, e.getKey()), score));
      }
    }
    return out;
  }

  /** Row {@code r} as a box; a non-finite or inverted box is an error naming file, image, row. */
  private static VocBox boxAt(NdArray a, int r, Path file, String id) throws IOException {
    try {
      return new VocBox(a.get(r, 0), a.get(r, 1), a.get(r, 2), a.get(r, 3)).requireOrdered();
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": image " + id + ", row " + r + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, NdArray> readArrays(Path file, int columns) throws IOException {
    Object root = NumpyPickle.load(file);
    if (!(root instanceof Map<?, ?> map)) {
      throw new IOException(file + ": expected a dict of image path -> array, found "
          + (root == null ? "None" : root.getClass().getSimpleName()));
    }
    Map<String, NdArray> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof NdArray array)) {
        throw new IOException(file + ": entry " + e.getKey() + " is not image path -> numpy array");
      }
      boolean empty = array.values().length == 0;
      if (!empty && (array.shape().length != 2 || array.shape()[1] != columns)) {
        throw new IOException(file + ": array of " + key + " has shape "
            + java.util.Arrays.toString(array.shape()) + ", expected Nx" + columns);
      }
      String id = ImageIds.fromPath(key);
      if (out.put(id, empty ? new NdArray(new int[] {0, columns}, new double[0]) : array) != null) {
        throw new IOException(file + ": image id " + id + " occurs twice");
      }
    }
    return out;
  }
}
