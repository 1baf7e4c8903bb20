package org.gradcam.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradcam.data.Npy;
import org.gradcam.localize.Box;
import org.gradcam.localize.BoxExtractor;
import org.gradcam.localize.CourseBoxExtractor;
import org.gradcam.localize.PaperBoxExtractor;
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

  @Option(names = {"--method", "--box-method"}, defaultValue = "course", paramLabel = "course|paper",
      description = "Box procedure (default: ${DEFAULT-VALUE}).")
  private String method;

  @Override
  public Integer call() throws IOException {
    if (!method.equals("course") && !method.equals("paper")) {
      throw new IllegalArgumentException("--method must be course or paper, got " + method);
    }
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
    BoxExtractor extractor = method.equals("paper")
        ? new PaperBoxExtractor()
        : new CourseBoxExtractor(smooth, precision);
    List<Box> boxes = extractor.extract(rows(npy.values(), shape), threshold);
    int[][] json = boxes.stream().map(Box::toArray).toArray(int[][]::new);
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

  private static double[][] rows(double[] values, long[] shape) {
    int height = (int) shape[0];
    int width = (int) shape[1];
    double[][] map = new double[height][];
    for (int y = 0; y < height; y++) {
      map[y] = Arrays.copyOfRange(values, y * width, (y + 1) * width);
    }
    return map;
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
