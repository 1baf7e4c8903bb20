package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.gradcam.cam.CamMethods;
import org.gradcam.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --method}: other methods give other maps; unknown names are usage errors. */
class ExplainMethodOptionTest extends CliTest {
  static final String X = ExplainCommandTest.REFERENCE.resolve("0/input_0.npy").toString();
  @TempDir Path tmp;

  @Test
  void methodsAreChosenByName() throws Exception {
    double[][] maps = new double[3][];
    String[] methods = {"gradcam", "layercam", "gradcam++"};
    for (int i = 0; i < methods.length; i++) {
      Path npy = tmp.resolve(i + ".npy");
      assertThat(run("explain", "--input-npy", X, "--method", methods[i], "--out",
          tmp.resolve(i + ".png").toString(), "--heatmap-out", npy.toString(), "--json"))
          .as(err.toString()).isZero();
      assertThat(new ObjectMapper().readTree(out.toString()).get("method").asText())
          .isEqualTo(methods[i]);
      Npy raw = Npy.read(npy);
      assertThat(raw.shape()).containsExactly(13, 13);
      maps[i] = raw.values();
    }
    assertThat(maps[1]).isNotEqualTo(maps[0]);
    assertThat(maps[2]).isNotEqualTo(maps[0]);
  }

  @Test
  void unknownMethodIsAUsageErrorListingTheValidNames() {
    assertOneLineError(run("explain", "--input-npy", X, "--method", "gradcam3", "--out",
        tmp.resolve("x.png").toString()), "unknown CAM method 'gradcam3'");
    assertThat(err.toString()).contains(String.join(", ", CamMethods.names()));
  }

  @Test
  void helpListsEveryMethod() {
    assertThat(run("explain", "--help")).isZero();
    assertThat(out.toString()).contains(CamMethods.names());
  }
}
