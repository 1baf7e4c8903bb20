package org.gradcam.serve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.gradcam.cam.BatchExplainer;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.PixelBox;
import org.gradcam.experiment.ImageMap;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.localize.CourseBoxExtractor;
import org.gradcam.localize.Precision;
import org.gradcam.model.ModelSpec;

/**
 * The work of one explain request, with the command line's own steps: {@link Images#read} (with
 * its checks and pixel limit), the commands' {@link BatchExplainer} for one image,
 * {@link Overlay#blend}, and the {@code localize} boxes of the map normalised and placed on the
 * image ({@link ImageMap}; with a center crop on the crop's part only, as {@code explain}).
 * Everything a request computes lives in its own objects; the only thing shared is the read-only
 * model.
 */
final class ExplainService {
  private static final SecureRandom IDS = new SecureRandom();

  private final long maxPixels;
  private final Path scratch;

  ExplainService(long maxPixels, Path scratch) {
    this.maxPixels = maxPixels;
    this.scratch = scratch;
  }

  /** Decodes an upload through the same reader as the command line, from a private file. */
  BufferedImage decode(byte[] bytes, String filename) {
    if (bytes.length == 0) {
      throw new ApiError(400, filename + ": the upload is empty (0 bytes), not an image");
    }
    Path file = null;
    try {
      file = Files.createTempFile(scratch, "upload-", suffix(filename));
      Files.write(file, bytes);
      return Images.read(file, maxPixels);
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (file != null) {
        message = message.replace(file.toString(), filename);
      }
      message = message.replace("(--max-pixels raises it)", "(the server's --max-pixels)");
      throw new ApiError(message.contains("above the limit") ? 413 : 415, message);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // A leftover in the server's own scratch folder, removed at stop.
        }
      }
    }
  }

  private static String suffix(String filename) {
    int dot = filename.lastIndexOf('.');
    String s = dot >= 0 ? filename.substring(dot) : "";
    return s.matches("\\.[A-Za-z0-9]{1,5}") ? s : ".img";
  }

  /** Explains one decoded image; {@code stem} is the {@code image} field of each JSON line. */
  Explained explain(BufferedImage image, String stem, ExplainParams p) {
    Explainer explainer = new Explainer(p.model(), p.layer(), p.method());
    // The commands' own stage, for one picture: the same preprocessing and explanation call.
    BatchExplainer stage = new BatchExplainer(explainer, p.target(), p.resize());
    String id = newId();
    List<Explained.Map> maps = new ArrayList<>();
    List<Explanation> explanations = stage.explain(0, List.of(stage.load(image))).get(0)
        .explanations();
    for (int i = 0; i < explanations.size(); i++) {
      Explanation e = explanations.get(i);
      maps.add(new Explained.Map(e, ExplainJson.line(explainer, e, stem, overlayUrl(id, i))));
    }
    return new Explained(id, image, p.model().spec(), List.copyOf(maps));
  }

  static String overlayUrl(String id, int map) {
    return "/api/results/" + id + "/" + map + "/overlay.png";
  }

  static String npyUrl(String id, int map) {
    return "/api/results/" + id + "/" + map + "/map.npy";
  }

  /**
   * The overlay {@code explain} writes for this map, as PNG bytes: the map placed on the image
   * through the model's contract (with a center crop on the crop's part only).
   */
  static byte[] overlayPng(BufferedImage original, ModelSpec spec, Heatmap map,
      Colormap colormap, double alpha) throws IOException {
    return Images.pngBytes(Overlay.blend(original, spec.mapOnImage(map.normalized(),
        map.height(), map.width(), original.getWidth(), original.getHeight()), colormap, alpha));
  }

  /**
   * The boxes {@code localize} finds at each threshold (published procedure, float32), in image
   * pixels: of the map as {@link ImageMap} places it (with a center crop, inside the crop).
   */
  static List<List<PixelBox>> boxes(Explanation e, ModelSpec spec, int width, int height,
      double[] thresholds, int smooth) {
    List<List<PixelBox>> out = new ArrayList<>();
    float[] map = ImageMap.of("", e, width, height, spec).values();
    CourseBoxExtractor extractor = new CourseBoxExtractor(smooth, Precision.FLOAT32);
    for (double t : thresholds) {
      out.add(extractor.extract(map, width, height, t));
    }
    return out;
  }

  private static String newId() {
    byte[] b = new byte[12];
    IDS.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
