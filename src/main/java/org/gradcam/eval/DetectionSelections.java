package org.gradcam.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.data.Detection;

/** Diagnostic rewrites of a detection list, used to test hypotheses about published numbers. */
public final class DetectionSelections {
  private DetectionSelections() {}

  public static List<Detection> firstPerImage(List<Detection> d) {
    Map<String, Detection> out = new LinkedHashMap<>();
    d.forEach(x -> out.putIfAbsent(x.imageId(), x));
    return List.copyOf(out.values());
  }

  /** Keeps, per image, the last row, at the image's first position in the list. */
  public static List<Detection> lastPerImage(List<Detection> d) {
    Map<String, Detection> out = new LinkedHashMap<>();
    d.forEach(x -> out.put(x.imageId(), x));
    return List.copyOf(out.values());
  }

  /** Reverses the list, which reverses the order of tied scores under a stable ranking. */
  public static List<Detection> reversed(List<Detection> d) {
    List<Detection> out = new ArrayList<>(d);
    Collections.reverse(out);
    return out;
  }

  /** Moves min corners by +1: numpy slice starts (0-based) to VOC's 1-based inclusive pixels. */
  public static List<Detection> oneBased(List<Detection> d) {
    return d.stream().map(x -> new Detection(x.imageId(), x.box().shiftMin(1, 1), x.score()))
        .toList();
  }
}
