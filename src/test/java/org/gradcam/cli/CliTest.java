package org.gradcam.cli;

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
}
