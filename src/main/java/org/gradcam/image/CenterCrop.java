package org.gradcam.image;

import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * torchvision's evaluation transform {@code Resize(resizeShort)} then {@code
 * CenterCrop((cropHeight, cropWidth))} on a PIL image (torchvision 0.14), pixel for pixel:
 *
 * <ul>
 *   <li>the short side becomes {@code resizeShort}, the long side {@code int(resizeShort * long /
 *       short)} (truncated, as {@code _compute_resized_output_size}), resized by {@link Resize}
 *       (Pillow's filters);
 *   <li>the crop's top-left corner is {@code int(round((resized - crop) / 2.0))} on each axis:
 *       Python's {@code round}, halves to even.
 * </ul>
 *
 * <p>torchvision pads with zeros when the crop is larger than the resized image; that case is
 * refused here, naming the sizes, since a padded border is rarely what a user meant.
 *
 * <p>The map of a cropped input covers only the crop. {@link #region} is that crop's rectangle in
 * the original image (the crop edges scaled back by the resize factors, rounded to whole pixels),
 * and {@link #mapOnImage} upsamples a map onto it with the picture's other pixels 0: the model
 * never saw them, so an overlay shows no attribution there and no box reaches outside the crop.
 */
public record CenterCrop(int resizeShort, int cropHeight, int cropWidth) {

  public CenterCrop {
    if (resizeShort < 1 || cropHeight < 1 || cropWidth < 1) {
      throw new IllegalArgumentException("the short side's resize and the center crop must be "
          + "positive, got " + resizeShort + " and " + cropHeight + "x" + cropWidth);
    }
  }

  /** A rectangle of the original image, {@code [x0, x1) x [y0, y1)} in pixels. */
  public record Region(int x0, int y0, int x1, int y1) {
    public int width() {
      return x1 - x0;
    }

    public int height() {
      return y1 - y0;
    }
  }

  /** The size {@code {width, height}} of a {@code width x height} image after the resize. */
  public int[] resized(int width, int height) {
    int shortSide = Math.min(width, height);
    int longSide = Math.max(width, height);
    // Python's int(n * long / short): an exact product, one true division, truncation.
    int newLong = (int) ((double) ((long) resizeShort * longSide) / shortSide);
    return width <= height ? new int[] {resizeShort, newLong} : new int[] {newLong, resizeShort};
  }

  /** The crop's top-left corner {@code {left, top}} in the resized image. */
  public int[] offsets(int resizedWidth, int resizedHeight) {
    if (cropWidth > resizedWidth || cropHeight > resizedHeight) {
      throw new IllegalArgumentException("the " + cropHeight + "x" + cropWidth + " center crop "
          + "(height x width) is larger than the image resized to short side " + resizeShort
          + " (" + resizedHeight + "x" + resizedWidth + "); resize the short side to at least "
          + "the crop's size");
    }
    // Math.rint rounds halves to even, as Python 3's round.
    return new int[] {(int) Math.rint((resizedWidth - cropWidth) / 2.0),
        (int) Math.rint((resizedHeight - cropHeight) / 2.0)};
  }

  /** The picture the model sees: resized on its short side, then center-cropped. */
  public BufferedImage apply(BufferedImage image, Resize.Interpolation interpolation) {
    int[] size = resized(image.getWidth(), image.getHeight());
    int[] at = offsets(size[0], size[1]);
    BufferedImage resized = size[0] == image.getWidth() && size[1] == image.getHeight()
        ? Images.toRgb(image) : Resize.resize(image, size[0], size[1], interpolation);
    // A copy, not getSubimage's view: a plain TYPE_INT_RGB raster, as Resize returns.
    int[] px = resized.getRGB(at[0], at[1], cropWidth, cropHeight, null, 0, cropWidth);
    for (int i = 0; i < px.length; i++) {
      px[i] &= 0xFFFFFF;
    }
    return Images.fromPackedRgb(px, cropWidth, cropHeight);
  }

  /** The crop's rectangle in a {@code width x height} original image. */
  public Region region(int width, int height) {
    int[] size = resized(width, height);
    int[] at = offsets(size[0], size[1]);
    double sx = (double) width / size[0];
    double sy = (double) height / size[1];
    int x0 = (int) Math.round(at[0] * sx);
    int y0 = (int) Math.round(at[1] * sy);
    int x1 = Math.min(width, (int) Math.round((at[0] + cropWidth) * sx));
    int y1 = Math.min(height, (int) Math.round((at[1] + cropHeight) * sy));
    return new Region(x0, y0, Math.max(x1, x0 + 1), Math.max(y1, y0 + 1));
  }

  /**
   * A map of the crop ({@code mapHeight x mapWidth}) on the whole {@code width x height}
   * original: bilinearly upsampled ({@link HeatmapUpsampler}) onto {@link #region}, 0 elsewhere.
   */
  public float[] mapOnImage(float[] map, int mapHeight, int mapWidth, int width, int height) {
    Region r = region(width, height);
    float[] inside = HeatmapUpsampler.upsample(map, mapHeight, mapWidth, r.height(), r.width());
    float[] out = new float[width * height];
    for (int y = 0; y < r.height(); y++) {
      System.arraycopy(inside, y * r.width(), out, (r.y0() + y) * width + r.x0(), r.width());
    }
    return out;
  }

  /** For summaries and JSON: what was done, e.g. "resize short side 256, center crop 224x224". */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "resize short side %d, center crop %dx%d", resizeShort,
        cropHeight, cropWidth);
  }
}
