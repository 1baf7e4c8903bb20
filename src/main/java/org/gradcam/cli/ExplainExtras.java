package org.gradcam.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gradcam.cam.Explanation;
import org.gradcam.model.Predictions;
import org.gradcam.cam.Target;
import org.gradcam.data.BinaryMask;
import org.gradcam.eval.MaskFocus;
import org.gradcam.image.OverlayPanels;
import org.gradcam.model.Model;
import picocli.CommandLine.Option;

/**
 * What {@code explain} can add to its overlays (the seeds' guides offer them): a labelled strip
 * of the top-k classes' overlays, a grid of every overlay in one PNG, and the mask focus score of
 * each map. It only collects what the job wrote and lays it out at the end, staged with the rest.
 */
final class ExplainExtras {
  @Option(names = "--topk-strip", paramLabel = "STRIP.png", description = "with --top-k and "
      + "one image: also one PNG of its top-k overlays side by side, each labelled with its "
      + "class and probability")
  Path topkStrip;

  @Option(names = "--grid", paramLabel = "GRID.png", description = "also one PNG with every "
      + "overlay of this run in a grid, captioned (image, class, probability)")
  Path grid;

  @Option(names = "--grid-columns", defaultValue = "4", paramLabel = "N",
      description = "columns of --grid (default: ${DEFAULT-VALUE})")
  int gridColumns;

  @Option(names = "--mask", paramLabel = "MASK.png|DIR", description = "print each map's mask "
      + "focus score: the share of its energy inside the mask (the image's size; a DIR holds "
      + "<image stem>.png per image, e.g. the Oxford-IIIT Pet trimaps, where value 1 = pet "
      + "counts, 2 = background and 3 = border do not)")
  Path mask;

  @Option(names = "--mask-inside", split = ",", paramLabel = "V[,V...]", description = "the mask "
      + "values that count as inside (default: 1 for a trimap, else every non-zero value)")
  Set<Integer> maskInside;

  /** One written map; the picture is kept only for the strip and the grid. */
  private record Shown(String stem, Explanation e, BufferedImage picture, int width,
      int height) {}

  private final List<Shown> shown = Collections.synchronizedList(new ArrayList<>());

  boolean any() {
    return topkStrip != null || grid != null || mask != null;
  }

  /** Refuses combinations that cannot work, before any work is done. */
  void check(Target target, int images, boolean npy) {
    if (topkStrip != null) {
      if (!(target instanceof Target.TopK)) {
        throw new IllegalArgumentException("--topk-strip needs --top-k K");
      }
      if (images > 1) {
        throw new IllegalArgumentException("--topk-strip is for one image; with several, "
            + "--grid shows all their top-k overlays");
      }
      requirePng(topkStrip, "--topk-strip");
    }
    if (grid != null) {
      requirePng(grid, "--grid");
      if (gridColumns < 1) {
        throw new IllegalArgumentException("--grid-columns must be >= 1, got " + gridColumns);
      }
    }
    if (mask != null) {
      if (npy) {
        throw new IllegalArgumentException("--mask needs --image: a mask covers an image's "
            + "pixels, which --input-npy does not have");
      }
      if (!Files.exists(mask)) {
        throw new IllegalArgumentException("--mask " + mask + ": no such file or folder");
      }
      if (images > 1 && !Files.isDirectory(mask)) {
        throw new IllegalArgumentException("--mask " + mask + " is one file but " + images
            + " images are explained: give a folder holding <image stem>.png for each");
      }
    }
  }

  private static void requirePng(Path p, String option) {
    if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new IllegalArgumentException(option + " " + p + " must end in .png");
    }
    if (Files.isDirectory(p)) {
      throw new IllegalArgumentException(option + " " + p + " is a directory, not a .png file");
    }
  }

  /** Called by the job for every map it wrote (from its writer threads). */
  void add(String stem, Explanation e, BufferedImage picture) {
    shown.add(new Shown(stem, e, topkStrip != null || grid != null ? picture : null,
        picture.getWidth(), picture.getHeight()));
  }

  /**
   * Writes the strip and the grid through {@code staged} and returns the focus lines to print;
   * {@code files} maps each output stem to its input file, in input order.
   */
  List<String> finish(Model model, Map<String, Path> files, StagedFilesWriter staged,
      boolean json) throws IOException {
    List<String> labels = model.labels();
    List<String> order = new ArrayList<>(files.keySet());
    List<Shown> all = new ArrayList<>(shown);
    // input order, then each image's classes by decreasing logit (the top-k order)
    all.sort(Comparator.comparingInt((Shown s) -> order.indexOf(s.stem()))
        .thenComparing(s -> -s.e().logits()[Math.max(0, s.e().targetClass())]));
    if (topkStrip != null) {
      List<BufferedImage> pictures = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        pictures.add(all.get(i).picture());
        captions.add("#" + (i + 1) + " " + caption(all.get(i).e(), labels));
      }
      staged.png(OverlayPanels.strip(pictures, captions, 256), topkStrip);
    }
    if (grid != null && !all.isEmpty()) {
      List<BufferedImage> pictures = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (Shown s : all) {
        pictures.add(s.picture());
        captions.add(s.stem() + ": " + caption(s.e(), labels));
      }
      staged.png(OverlayPanels.grid(pictures, captions, gridColumns, 224), grid);
    }
    List<String> lines = new ArrayList<>();
    if (mask != null) {
      Map<Path, BinaryMask> masks = new HashMap<>();
      for (Shown s : all) {
        Path file = Files.isDirectory(mask) ? mask.resolve(s.stem() + ".png") : mask;
        BinaryMask m = masks.get(file);
        if (m == null) {
          m = BinaryMask.read(file, maskInside);
          masks.put(file, m);
        }
        if (s.width() != m.width() || s.height() != m.height()) {
          throw new IllegalArgumentException("mask " + file + " is " + m.width() + "x"
              + m.height() + " but image " + files.get(s.stem()) + " is " + s.width() + "x"
              + s.height() + "; a mask must cover the image pixel for pixel");
        }
        double focus = MaskFocus.score(s.e().heatmap(), m);
        lines.add(json ? focusJson(s, file, m, focus, labels) : String.format(Locale.ROOT,
            "focus %s class %d (%s): %.4f of the map's energy inside %s (%s; %.1f %% of the "
            + "pixels)", s.stem(), s.e().targetClass(), label(s.e(), labels), focus, file,
            m.rule(), 100.0 * m.insideCount() / m.inside().length));
      }
    }
    return lines;
  }

  private static String focusJson(Shown s, Path file, BinaryMask m, double focus,
      List<String> labels) throws JsonProcessingException {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("image", s.stem());
    o.put("class", s.e().targetClass());
    o.put("label", label(s.e(), labels));
    o.put("mask_focus", focus);
    o.put("mask", file.toString());
    o.put("mask_rule", m.rule());
    o.put("mask_share", (double) m.insideCount() / m.inside().length);
    return new ObjectMapper().writeValueAsString(o);
  }

  private static String label(Explanation e, List<String> labels) {
    return e.targetClass() < 0 ? "class set" : labels.get(e.targetClass());
  }

  private static String caption(Explanation e, List<String> labels) {
    if (e.targetClass() < 0) {
      return "class set";
    }
    double p = Predictions.softmax(e.logits(), 0, e.logits().length)[e.targetClass()];
    return String.format(Locale.ROOT, "%s (class %d) p %.3f", labels.get(e.targetClass()),
        e.targetClass(), p);
  }

  /** Where the extras go: the command's staged files. */
  @FunctionalInterface
  interface StagedFilesWriter {
    void png(BufferedImage image, Path target) throws IOException;
  }
}
