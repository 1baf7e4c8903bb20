package org.gradcam.experiment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Whether a regenerated result file says the same as the previous one, up to the rounding of
 * TensorFlow's CPU kernels. Two CPUs (AVX2, AVX-512) or two kernel paths (oneDNN on or off)
 * compute a map's values a few float32 ulps apart; a box score then moves in its 7th digit and a
 * colour in an overlay may step once. {@code reproduce} keeps the previous file when the new one
 * differs by no more than that, so a rerun elsewhere changes a committed file only where a result
 * really changed.
 *
 * <ul>
 *   <li>Text: the same text between numbers, the same count of numbers, and each pair of numbers
 *       within {@value #ABSOLUTE}: about 20 times the largest difference measured between oneDNN
 *       on and off on the box scores, which lie in [0, 1] (5.6e-7), and 10 times finer than the
 *       0.0001 resolution of the AP and recall tables, so a changed AP is always a change. (The
 *       results' numbers that come from float32 maps are scores in [0, 1]; the others are counts,
 *       coordinates and percentages that rounding cannot move.)
 *   <li>PNG: the same size, at most {@value #PIXEL_SHARE} of the pixels different and none by
 *       more than {@value #CHANNEL_STEP} levels in a channel (one step of a 256-entry colormap);
 *       a box moved by one pixel changes a larger share.
 *   <li>Any other file: the same bytes.
 * </ul>
 */
public final class RoundingTolerance {
  public static final double ABSOLUTE = 1e-5;
  public static final double PIXEL_SHARE = 0.001;
  public static final int CHANNEL_STEP = 16;
  private static final Pattern NUMBER =
      Pattern.compile("-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
  private static final List<String> TEXT = List.of(".csv", ".md", ".txt", ".json", ".tsv");

  private RoundingTolerance() {}

  /** True when {@code fresh} differs from {@code previous} at most by kernel rounding. */
  public static boolean same(Path previous, Path fresh) throws IOException {
    byte[] a = Files.readAllBytes(previous);
    byte[] b = Files.readAllBytes(fresh);
    if (Arrays.equals(a, b)) {
      return true;
    }
    String name = fresh.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".png")) {
      return sameImage(ImageIO.read(previous.toFile()), ImageIO.read(fresh.toFile()));
    }
    if (TEXT.stream().anyMatch(name::endsWith)) {
      return sameText(new String(a, StandardCharsets.UTF_8), new String(b, StandardCharsets.UTF_8));
    }
    return false;
  }

  static boolean sameText(String a, String b) {
    Matcher ma = NUMBER.matcher(a);
    Matcher mb = NUMBER.matcher(b);
    int ia = 0;
    int ib = 0;
    while (true) {
      boolean fa = ma.find();
      boolean fb = mb.find();
      if (fa != fb) {
        return false;
      }
      String between = a.substring(ia, fa ? ma.start() : a.length());
      if (!between.equals(b.substring(ib, fb ? mb.start() : b.length()))) {
        return false;
      }
      if (!fa) {
        return true;
      }
      double x = Double.parseDouble(ma.group());
      double y = Double.parseDouble(mb.group());
      if (Math.abs(x - y) > ABSOLUTE) {
        return false;
      }
      ia = ma.end();
      ib = mb.end();
    }
  }

  static boolean sameImage(BufferedImage a, BufferedImage b) {
    if (a == null || b == null || a.getWidth() != b.getWidth()
        || a.getHeight() != b.getHeight()) {
      return false;
    }
    long differing = 0;
    long allowed = (long) Math.floor(PIXEL_SHARE * a.getWidth() * a.getHeight());
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        if (p == q) {
          continue;
        }
        for (int shift = 0; shift < 32; shift += 8) {
          if (Math.abs(((p >>> shift) & 0xff) - ((q >>> shift) & 0xff)) > CHANNEL_STEP) {
            return false;
          }
        }
        if (++differing > allowed) {
          return false;
        }
      }
    }
    return true;
  }
}
