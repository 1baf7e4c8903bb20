package org.gradcam.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.gradcam.cam.BatchExplainer;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Target;
import org.gradcam.image.Resize.Interpolation;

/** Grad-CAM maps of a set of image files, computed in batches, one {@link ImageMap} per image. */
public final class ImageMaps {
  private ImageMaps() {}

  /**
   * The map of each file for {@code target}, in the order of {@code files}, with the model's input
   * resized by nearest neighbour (the Keras {@code load_img} default, as in {@code gradcam
   * localize}); with a center crop in the model's contract the map lies on the crop's part of
   * the image ({@link ImageMap#of(String, Explanation, int, int, org.gradcam.model.ModelSpec)}).
   */
  public static Map<String, ImageMap> compute(Explainer explainer, Map<String, Path> files,
      Target target, int batchSize) throws IOException {
    return compute(explainer, files, target, batchSize, n -> { });
  }

  /** As above; {@code progress} gets the number of images of each finished batch. */
  public static Map<String, ImageMap> compute(Explainer explainer, Map<String, Path> files,
      Target target, int batchSize, IntConsumer progress) throws IOException {
    List<String> ids = new ArrayList<>(files.keySet());
    Map<String, ImageMap> out = new LinkedHashMap<>();
    new BatchExplainer(explainer, target, Interpolation.NEAREST).batchSize(batchSize)
        .progress(progress).files(ids.stream().map(files::get).toList(), batch -> {
          for (BatchExplainer.Explained image : batch.images()) {
            String id = ids.get(image.index());
            for (Explanation e : image.explanations()) {
              out.put(id, ImageMap.of(id, e, image.picture().getWidth(),
                  image.picture().getHeight(), explainer.model().spec()));
            }
          }
        });
    return out;
  }
}
