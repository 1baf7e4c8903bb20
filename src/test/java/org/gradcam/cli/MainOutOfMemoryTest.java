package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainOutOfMemoryTest {
  @Command(name = "oom")
  static final class RunsOutOfMemory implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void outOfMemoryIsOneErrorLineAndExitCodeTwo() {
    CommandLine cli = Main.commandLine();
    cli.addSubcommand(new RunsOutOfMemory());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    assertThat(Main.execute(cli, "oom")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: out of memory (Java heap limit ")
        .contains("GRADCAM_JAVA_OPTS=-Xmx");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }
}
