package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.gradcam.cam.CamMethods;
import org.gradcam.model.Models;
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
}
