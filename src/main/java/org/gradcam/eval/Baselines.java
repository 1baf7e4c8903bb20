package org.gradcam.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.data.Detection;
import org.gradcam.data.VocBox;
import org.gradcam.data.VocObject;

/**
 * The course's two trivial detectors: one box per image, centred, covering {@code area} of the
 * image (1 = the full image, 0.5 = the centred half), i.e. {@code [w(1-s)/2, h(1-s)/2, w(1+s)/2,
 * h(1+s)/2]} with {@code s = sqrt(area)}, all scored {@link #SCORE}. Like the course code the
 * corners are plain fractions of width and height ({@code [0, 0, w, h]} for the full image), not
 * snapped to VOC's 1-based pixel grid.
 */
public final class Baselines {
  public static final double SCORE = 1.0;

  private Baselines() {}

  /** One centred box per image holding {@code className} (or every image, if className is null). */
  public static List<Detection> centredBoxes(List<VocObject> objects, String className,
      double area) {
    if (!(area > 0.0 && area <= 1.0)) {
      throw new IllegalArgumentException("box area fraction must be in (0, 1], got " + area);
    }
    Map<String, VocObject> firstPerImage = new LinkedHashMap<>();
    for (VocObject o : objects) {
      if (className == null || o.className().equals(className)) {
        firstPerImage.putIfAbsent(o.imageId(), o);
      }
    }
    double s = Math.sqrt(area);
    List<Detection> out = new ArrayList<>();
    for (VocObject o : firstPerImage.values()) {
      double w = o.width();
      double h = o.height();
      out.add(new Detection(o.imageId(),
          new VocBox((1 - s) / 2 * w, (1 - s) / 2 * h, (1 + s) / 2 * w, (1 + s) / 2 * h), SCORE));
    }
    return out;
  }
}
