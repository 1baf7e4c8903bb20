package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line as {@code gradcam} would, keeping what it printed for the assertions. */
abstract class CliTest {
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  /** The exit code; {@link #out} and {@link #err} then hold this run's output only. */
  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Main.commandLineFor(args);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** Exit 2, a single {@code error:} line containing {@code message}, nothing on stdout. */
  void assertOneLineError(int exit, String message) {
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains(message);
    assertThat(err.toString().strip().lines()).as("one line, no stack trace").hasSize(1);
    assertThat(out.toString()).isEmpty();
  }
}
