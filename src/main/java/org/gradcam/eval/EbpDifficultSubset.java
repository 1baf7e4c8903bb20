package org.gradcam.eval;

import java.util.List;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocObject;

/**
 * The "difficult" subset of the pointing game on VOC 2007 test, as defined in the Excitation
 * Backprop paper (Zhang et al. 2016): an image/class pair is difficult when the class's boxes
 * cover less than a quarter of the image and the image shows at least one other class.
 *
 * <p>TorchRay does not compute this; it reads a precomputed per-image, per-class flag table
 * ({@code torchray/benchmark/pointing_game_ebp_voc07_difficult.txt}, from the EBP release). That
 * table is not part of this repository. The rule below is reconstructed from the paper's wording
 * and pinned against the table: on the first 339 test images of the table (000001..000655, 171
 * difficult pairs) it reproduces every flag exactly, and the readings differing in the details
 * below each disagree on several pairs:
 *
 * <ul>
 *   <li>area: the <em>union</em> of all the class's boxes, difficult boxes included, counted in
 *       whole pixels (VOC boxes are 1-based inclusive), must be {@code < width * height / 4};
 *       the summed box areas give different flags where boxes of the class overlap;
 *   <li>distractor: another class with at least one non-difficult object in the image;
 *   <li>the class itself has a non-difficult object. The table flags no pair whose boxes are all
 *       difficult; the pointing game skips such pairs anyway ({@link PointingGame#evaluate}).
 * </ul>
 *
 * <p>Needs every annotated object of the image, of all classes (as in
 * {@code voc2007_test_objects.csv}), not only those of the evaluated class.
 */
public final class EbpDifficultSubset {
  private EbpDifficultSubset() {}

  /**
   * @param imageObjects every annotated object of one image, all classes
   * @param className the evaluated class
   */
  public static boolean isDifficult(List<VocObject> imageObjects, String className) {
    if (imageObjects.isEmpty()) {
      return false;
    }
    int width = imageObjects.get(0).width();
    int height = imageObjects.get(0).height();
    boolean easyObject = false;
    boolean distractor = false;
    boolean[] covered = new boolean[width * height];
    long area = 0;
    for (VocObject o : imageObjects) {
      if (o.width() != width || o.height() != height || !o.imageId().equals(imageObjects.get(0)
          .imageId())) {
        throw new IllegalArgumentException("objects of several images (or sizes) given: "
            + imageObjects.get(0).imageId() + " and " + o.imageId());
      }
      if (!o.className().equals(className)) {
        distractor |= !o.difficult();
        continue;
      }
      easyObject |= !o.difficult();
      PixelBox r = PixelBox.fromVoc(o.box(), width, height);
      for (int y = r.ymin(); y < r.ymax(); y++) {
        for (int x = r.xmin(); x < r.xmax(); x++) {
          if (!covered[y * width + x]) {
            covered[y * width + x] = true;
            area++;
          }
        }
      }
    }
    return easyObject && distractor && area * 4 < (long) width * height;
  }
}
