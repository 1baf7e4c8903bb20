package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.gradcam.cam.CamMethods;
import org.gradcam.image.Colormap;
import org.gradcam.model.Models;
import org.gradcam.model.Predictions;
import org.gradcam.model.Preprocessing;
import org.junit.jupiter.api.Test;

/** Help texts list the registries' models and methods, not hand-copied lists. */
class HelpCandidatesTest extends CliTest {
  @Test
  void helpListsEveryRegisteredModelAndMethod() {
    for (String command : new String[] {"explain", "localize", "layers", "analyze-errors"}) {
      assertThat(run(command, "--help")).isZero();
      String help = out.toString().replaceAll("\\s+", " ");
      assertThat(help).as(command).contains(String.join(", ", Models.NAMES));
      if (!command.equals("layers") && !command.equals("analyze-errors")) {
        assertThat(help).as(command).contains(String.join(", ", CamMethods.names()));
      }
    }
  }

  @Test
  void helpListsThePresetsActivationsColormapsAndSpeedParts() {
    for (String command : new String[] {"explain", "localize", "layers", "analyze-errors"}) {
      assertThat(run(command, "--help")).isZero();
      String help = out.toString().replaceAll("\\s+", " ");
      assertThat(help).as(command).contains(String.join(", ", Preprocessing.PRESETS))
          .contains(String.join(", ", Predictions.ACTIVATIONS));
      if (command.equals("explain") || command.equals("analyze-errors")) {
        assertThat(help).as(command).contains(String.join(", ", Colormap.names()));
      }
    }
    assertThat(run("speed", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("throughput, ort, cold-start");
  }
}
