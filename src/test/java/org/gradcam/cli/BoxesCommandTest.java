package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.gradcam.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradcam boxes} on the SciPy fixtures of org.gradcam.localize. */
class BoxesCommandTest extends CliTest {
  @TempDir
  Path tmp;

  private static String fixture(String name) throws URISyntaxException {
    return Path.of(BoxesCommandTest.class.getResource("/localize/" + name).toURI()).toString();
  }

  @Test
  void printsSciPysBoxesForAFloat64Map() throws Exception {
    int code = run("boxes", "--heatmap", fixture("connectivity.npy"), "--threshold", "0.5",
        "--smooth", "1");

    assertThat(code).isZero();
    assertThat(out.toString())
        .isEqualTo("[[1,1,5,4],[9,2,14,6],[11,3,12,4],[1,6,3,8],[3,8,5,10]]" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void readsFloat32Maps() throws Exception {
    int code = run("boxes", "--heatmap", fixture("connectivity_f32.npy"), "--threshold", "0.5",
        "--smooth", "1");

    assertThat(code).isZero();
    assertThat(out.toString().trim())
        .isEqualTo("[[1,1,5,4],[9,2,14,6],[11,3,12,4],[1,6,3,8],[3,8,5,10]]");
  }

  @Test
  void thresholdsInTheFilesDtypeLikeSciPy() throws Exception {
    // SciPy: the float64 map gives [[3,2,7,5]]; the same map saved as float32 has nothing > 0.1.
    double[] values = Npy.read(Path.of(fixture("dtype_matters.npy"))).values();
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    Path float32 = tmp.resolve("dtype_matters_f32.npy");
    Npy.writeFloat32(float32, floats, 8, 10);

    assertThat(run("boxes", "--heatmap", fixture("dtype_matters.npy"), "--threshold", "0.1",
        "--smooth", "1")).isZero();
    assertThat(out.toString().lines()).containsExactly("[[3,2,7,5]]");
    assertThat(run("boxes", "--heatmap", float32.toString(), "--threshold", "0.1",
        "--smooth", "1")).isZero();
    assertThat(out.toString().lines()).containsExactly("[[0,0,10,8]]");
  }

  @Test
  void smoothsWithSizeTwentyByDefault() throws Exception {
    // SciPy on tiny.npy (3x5, float64) at threshold 0.3: size 20 leaves no box, size 4 two.
    assertThat(sciPyBoxes("tiny.json", 20, 0.3)).isEqualTo("[]");
    assertThat(sciPyBoxes("tiny.json", 4, 0.3)).isEqualTo("[[0,0,2,3],[4,2,5,3]]");

    assertThat(run("boxes", "--heatmap", fixture("tiny.npy"), "--threshold", "0.3")).isZero();
    assertThat(out.toString().lines()).containsExactly("[]");
    assertThat(run("boxes", "--heatmap", fixture("tiny.npy"), "--threshold", "0.3",
        "--smooth", "4")).isZero();
    assertThat(out.toString().lines()).containsExactly("[[0,0,2,3],[4,2,5,3]]");
  }

  private static String sciPyBoxes(String json, int size, double threshold) throws Exception {
    for (JsonNode run : new ObjectMapper().readTree(Path.of(fixture(json)).toFile()).get("runs")) {
      if (run.get("dtype").asText().equals("float64") && run.get("size").asInt() == size
          && run.get("threshold").asDouble() == threshold) {
        return run.get("boxes").toString();
      }
    }
    throw new IllegalStateException("no SciPy run for size " + size + " in " + json);
  }

  @Test
  void printsAnEmptyArrayWhenSmoothingLeavesNoBox() throws Exception {
    assertThat(run("boxes", "--heatmap", fixture("smoothed_away.npy"), "--threshold", "0.1"))
        .isZero();
    assertThat(out.toString().trim()).isEqualTo("[]");
  }

  @Test
  void paperMethodBoxesTheLargestSegment() throws Exception {
    // tiny.npy: max 0.9, cut 0.135; two 2-pixel segments tie, the first in raster order wins.
    assertThat(run("boxes", "--heatmap", fixture("tiny.npy"), "--threshold", "0.15",
        "--method", "paper")).isZero();
    assertThat(out.toString().trim()).isEqualTo("[[0,0,1,2]]");
  }

  @Test
  void missingFileIsAnErrorWithExitCodeTwo() {
    int code = run("boxes", "--heatmap", tmp.resolve("nope.npy").toString(), "--threshold", "0.5");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("No such .npy file").contains("nope.npy");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void nonTwoDimensionalMapIsAnError() throws Exception {
    Path flat = tmp.resolve("flat.npy");
    Npy.writeFloat32(flat, new float[] {0.1f, 0.9f, 0.3f}, 3);

    assertThat(run("boxes", "--heatmap", flat.toString(), "--threshold", "0.5")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("must be a 2-D heatmap")
        .contains("[3]");
  }

  @Test
  void thresholdOutsideZeroToOneIsAnError() throws Exception {
    assertThat(run("boxes", "--heatmap", fixture("tiny.npy"), "--threshold", "1.5")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("--threshold must be in [0, 1]")
        .contains("1.5");
  }

  @Test
  void nonFloatMapsAndUnknownMethodsAreErrors() throws Exception {
    assertThat(run("boxes", "--heatmap", fixture("random_blobs.npy"), "--threshold", "0.5"))
        .isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("error: " + fixture("random_blobs.npy")
        + " must hold float32 or float64 values, got dtype u1");
    assertThat(run("boxes", "--heatmap", fixture("tiny.npy"), "--threshold", "0.5",
        "--method", "grabcut")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "error: Invalid value for option '--box-method': expected one of [course, paper] "
            + "(case-insensitive) but was 'grabcut' (see 'gradcam boxes --help')");
  }

  @Test
  void missingThresholdIsAUsageError() throws Exception {
    assertThat(run("boxes", "--heatmap", fixture("tiny.npy"))).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--threshold=T'");
  }
}
