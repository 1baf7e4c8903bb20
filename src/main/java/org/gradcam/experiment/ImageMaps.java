package org.gradcam.experiment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Target;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;

/** Grad-CAM maps of a set of image files, computed in batches, one {@link ImageMap} per image. */
public final class ImageMaps {
  private ImageMaps() {}

  /**
   * The map of each file for {@code target}, in the order of {@code files}, with the model's input
   * resized by nearest neighbour (the Keras {@code load_img} default, as in {@code gradcam
   * localize}).
   */
  public static Map<String, ImageMap> compute(Explainer explainer, Map<String, Path> files,
      Target target, int batchSize) throws IOException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    Model model = explainer.model();
    int len = model.spec().inputLength();
    List<String> ids = new ArrayList<>(files.keySet());
    Map<String, ImageMap> out = new LinkedHashMap<>();
    for (int start = 0; start < ids.size(); start += batchSize) {
      List<String> chunk = ids.subList(start, Math.min(ids.size(), start + batchSize));
      int[][] sizes = new int[chunk.size()][];
      float[] batch = new float[chunk.size() * len];
      for (int i = 0; i < chunk.size(); i++) {
        BufferedImage img = Images.read(files.get(chunk.get(i)));
        sizes[i] = new int[] {img.getWidth(), img.getHeight()};
        System.arraycopy(model.spec().input(img, Interpolation.NEAREST), 0, batch, i * len, len);
      }
      for (Explanation e : explainer.explain(batch, chunk.size(), target)) {
        String id = chunk.get(e.image());
        out.put(id, ImageMap.of(id, e, sizes[e.image()][0], sizes[e.image()][1]));
      }
    }
    return out;
  }
}
