package org.gradcam.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradcam.data.Npy;
import org.gradcam.data.PixelBox;
import org.gradcam.localize.BoxExtractor;
import org.gradcam.localize.BoxMethod;
import org.gradcam.localize.Precision;
import org.gradcam.localize.UniformFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradcam boxes}: boxes from a saved heatmap, printed as one line of JSON for scripts. */
@Command(
    name = "boxes",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the boxes of a 2-D float32/float64 .npy heatmap as a JSON array of "
            + "[xmin,ymin,xmax,ymax] (xmax, ymax exclusive).",
        "course: the published SciPy procedure (smooth, > threshold, fill holes, one box per "
            + "4-connected component); paper: largest segment >= threshold * max "
            + "(the Grad-CAM paper uses 0.15)."})
public final class BoxesCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--heatmap", required = true, paramLabel = "H.npy",
      description = "2-D heatmap, rows = y, float32 or float64.")
  private Path heatmap;

  @Option(names = "--threshold", required = true, paramLabel = "T",
      description = "In [0, 1]. course: smoothed values > T; paper: fraction of the maximum.")
  private double threshold;

  @Option(names = "--smooth", defaultValue = "" + UniformFilter.DEFAULT_SIZE, paramLabel = "SIZE",
      description = "Uniform filter size for course (default: ${DEFAULT-VALUE}).")
  private int smooth;

  @Option(names = {"--method", "--box-method"}, defaultValue = "course", paramLabel = "METHOD",
      converter = EnumOption.Boxes.class, completionCandidates = EnumOption.Boxes.class,
      description = "Box procedure, ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private BoxMethod method;

  @Override
  public Integer call() throws IOException {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("--threshold must be in [0, 1], got " + threshold);
    }
    requireSmoothSize(smooth);
    Npy npy = Npy.read(heatmap);
    long[] shape = npy.shape();
    if (shape.length != 2) {
      throw new IllegalArgumentException(
          heatmap + " must be a 2-D heatmap (height, width), got shape " + Arrays.toString(shape));
    }
    Precision precision = precisionOf(npy, heatmap);
    BoxExtractor extractor = method.extractor(smooth, precision);
    List<PixelBox> boxes = extractor.extract(npy.values(), (int) shape[1], (int) shape[0],
        threshold);
    int[][] json = boxes.stream().map(PixelBox::toArray).toArray(int[][]::new);
    spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(json));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The filter size options of boxes and localize: 1 (no smoothing) to the filter's maximum. */
  static void requireSmoothSize(int smooth) {
    if (smooth < 1 || smooth > UniformFilter.MAX_SIZE) {
      throw new IllegalArgumentException("--smooth must be between 1 and " + UniformFilter.MAX_SIZE
          + ", got " + smooth);
    }
  }

  /** SciPy smooths and thresholds in the array's own dtype, so the boxes do too. */
  private static Precision precisionOf(Npy npy, Path file) {
    return switch (npy.dtype()) {
      case FLOAT32 -> Precision.FLOAT32;
      case FLOAT64 -> Precision.FLOAT64;
      default -> throw new IllegalArgumentException(
          file + " must hold float32 or float64 values, got dtype " + npy.dtype().code());
    };
  }
}
