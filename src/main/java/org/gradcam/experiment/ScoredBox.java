package org.gradcam.experiment;

import org.gradcam.data.Detection;
import org.gradcam.data.PixelBox;

/**
 * One box found at one heatmap threshold, with its ranking score. The box keeps the published
 * experiment's convention: 0-based start, exclusive stop (a {@code scipy.ndimage.find_objects}
 * slice), see {@link #toDetection}.
 */
public record ScoredBox(double threshold, PixelBox box, double score) {

  /**
   * The box as a detection for {@link org.gradcam.eval.VocEvaluator}, coordinates unchanged: the
   * published evaluation compared these 0-based, exclusive-stop boxes with the 1-based, inclusive
   * VOC ground truth as they are, and we keep that for comparability
   * ({@link PixelBox#asPublishedDetection}; the exact VOC equivalent is {@link PixelBox#toVoc}).
   */
  public Detection toDetection(String imageId) {
    return new Detection(imageId, box.asPublishedDetection(), score);
  }
}
