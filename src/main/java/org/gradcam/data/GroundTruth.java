package org.gradcam.data;

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

  /** Images holding at least one box, in reading order. */
  public List<String> imagesWithObjects() {
    return byImage.entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey).toList();
  }
}
