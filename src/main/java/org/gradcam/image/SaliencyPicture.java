package org.gradcam.image;

import java.awt.image.BufferedImage;

/**
 * An input-resolution saliency (Guided Backprop, Guided Grad-CAM) as a picture, the way
 * pytorch-grad-cam's {@code deprocess_image} (after keras-grad-cam) draws it: centred on its
 * mean, divided by its standard deviation (+1e-5), scaled by 0.1 and shifted to 0.5, clipped to
 * [0, 1], times 255 truncated to a byte. A zero gradient on a flat saliency is mid-grey; the
 * channels are drawn as red, green and blue, a grey model's one channel as grey.
 */
public final class SaliencyPicture {
  private SaliencyPicture() {}

  /**
   * @param hwc {@code height x width x 3} (or {@code x 1}) values, row-major, channels-last
   * @param bgr whether the channels are blue, green, red (a caffe-preprocessed model's input)
   */
  public static BufferedImage render(float[] hwc, int height, int width, boolean bgr) {
    long plane = (long) height * width;
    if (hwc.length != 3 * plane && hwc.length != plane) {
      throw new IllegalArgumentException("a " + height + "x" + width + " saliency needs "
          + 3 * plane + " values (3 channels) or " + plane + " (1), got " + hwc.length);
    }
    int channels = (int) (hwc.length / plane);
    double mean = 0;
    for (float v : hwc) {
      mean += v;
    }
    mean /= hwc.length;
    double var = 0;
    for (float v : hwc) {
      var += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(var / hwc.length); // numpy's std: population, ddof 0
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < height * width; p++) {
      int rgb = 0;
      for (int c = 0; c < 3; c++) {
        int from = channels == 1 ? p : p * 3 + (bgr ? 2 - c : c);
        double v = (hwc[from] - mean) / (std + 1e-5) * 0.1 + 0.5;
        int b = (int) (Math.min(1, Math.max(0, v)) * 255); // np.uint8 truncates
        rgb = (rgb << 8) | b;
      }
      out.setRGB(p % width, p / width, rgb);
    }
    return out;
  }
}
