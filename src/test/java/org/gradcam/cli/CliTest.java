package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the command line as {@code gradcam} would, keeping what it printed for the assertions.
 * Public so that the tests of other packages (the server, the kernel, the classifier) compare
 * against the same command line.
 */
public abstract class CliTest {
  protected StringWriter out = new StringWriter();
  protected StringWriter err = new StringWriter();

  /** The exit code; {@link #out} and {@link #err} then hold this run's output only. */
  protected int run(String... args) {
    return execute(Main.commandLineFor(args), args);
  }

  /** What one run printed, for tests that compare two runs. */
  protected record Run(int exit, String out, String err) {}

  /** {@link #run(String...)}, its output kept apart from the next run's. */
  protected Run kept(String... args) {
    int exit = run(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * As {@link #run(String...)}, with {@code command} as the subcommand {@code args[0]}: a command
   * built with stand-ins (other assets, no nbconvert), or one made for the test.
   */
  protected int runWith(Object command, String... args) {
    CommandLine cli = Main.commandLine(new String[0]);
    cli.addSubcommand(args[0], command);
    return execute(cli, args);
  }

  private int execute(CommandLine cli, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return Main.execute(cli, args);
  }

  /** Exit 2, a single {@code error:} line containing {@code message}, nothing on stdout. */
  protected void assertOneLineError(int exit, String message) {
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains(message);
    assertThat(err.toString().strip().lines()).as("one line, no stack trace").hasSize(1);
    assertThat(out.toString()).isEmpty();
  }
}
