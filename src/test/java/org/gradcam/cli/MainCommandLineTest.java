package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A run builds only the subcommand it names; nothing a user sees may differ from the full one. */
class MainCommandLineTest extends CliTest {

  @Test
  void aSubcommandAloneHasTheSameHelpAsInTheFullCommandLine() {
    for (String name : Main.commandLine().getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      CommandLine alone = Main.commandLineFor(name, "--help");
      assertThat(alone.getSubcommands()).containsOnlyKeys(name);
      assertThat(alone.getSubcommands().get(name).getUsageMessage())
          .isEqualTo(Main.commandLine().getSubcommands().get(name).getUsageMessage());
    }
  }

  @Test
  void topLevelHelpAndSuggestionsSeeEveryCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("explain", "localize", "reproduce", "analyze-errors");
    assertThat(run("explian")).isEqualTo(2);
    assertThat(err.toString()).contains("did you mean explain");
    assertThat(run("help", "boxes")).isZero();
    assertThat(out.toString()).contains("Usage: gradcam boxes");
  }
}
