package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class MainOutOfMemoryTest extends CliTest {
  @Command(name = "oom")
  static final class RunsOutOfMemory implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void outOfMemoryIsOneErrorLineAndExitCodeTwo() {
    // CliTest runs the command line through Main.execute, as main does.
    assertOneLineError(runWith(new RunsOutOfMemory(), "oom"), "GRADCAM_JAVA_OPTS=-Xmx");
    assertThat(err.toString()).startsWith("error: out of memory (Java heap limit ");
  }
}
