package org.gradcam.data;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ground truth of one class, per image id, in reading order. An image may map to an empty list:
 * it is known (detections on it are false positives) but holds no object of the class.
 */
public record GroundTruth(Map<String, List<GroundTruthBox>> byImage) {
  public GroundTruth {
    Map<String, List<GroundTruthBox>> copy = new LinkedHashMap<>();
    byImage.forEach((id, boxes) -> copy.put(id, List.copyOf(boxes)));
    byImage = Collections.unmodifiableMap(copy);
  }

  public Set<String> imageIds() {
    return byImage.keySet();
  }

  public int boxCount() {
    return byImage.values().stream().mapToInt(List::size).sum();
  }

  public long difficultCount() {
    return byImage.values().stream().flatMap(List::stream).filter(GroundTruthBox::difficult).count();
  }

  /**
   * The ground truth of {@code imageIds} only, in this ground truth's order, e.g. a subset of a
   * dataset or the images actually present on disk. An id it does not know is an error, not an
   * image without objects.
   */
  public GroundTruth restrictedTo(Collection<String> imageIds) {
    Set<String> wanted = new java.util.HashSet<>(imageIds);
    for (String id : wanted) {
      if (!byImage.containsKey(id)) {
        throw new IllegalArgumentException("image '" + id + "' is not in the ground truth");
      }
    }
    Map<String, List<GroundTruthBox>> out = new LinkedHashMap<>();
    byImage.forEach((id, boxes) -> {
      if (wanted.contains(id)) {
        out.put(id, boxes);
      }
    });
    return new GroundTruth(out);
  }

  /** Images holding at least one box, in reading order. */
  public List<String> imagesWithObjects() {
    return byImage.entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey).toList();
  }
}
