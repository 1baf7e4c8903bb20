package org.gradcam.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the {@code gradcam} command line. */
@Command(
    name = "gradcam",
    mixinStandardHelpOptions = true,
    version = "gradcam 0.1.0",
    description = "Grad-CAM heatmaps, boxes and localisation metrics for CNNs on TensorFlow Java.",
    subcommands = {CommandLine.HelpCommand.class, ExplainCommand.class, BoxesCommand.class,
        EvaluateCommand.class, FetchCommand.class, KernelCommand.class, SpeedCommand.class,
        LocalizeCommand.class, ReproduceCommand.class, BenchmarkCommand.class,
        AnalyzeErrorsCommand.class})
public final class Main {

  /** Commands that run a TensorFlow graph (speed times the load itself, so not it). */
  private static final java.util.Set<String> GRAPH_COMMANDS = java.util.Set.of("explain",
      "localize", "benchmark", "analyze-errors", "reproduce");

  public static void main(String[] args) {
    if (args.length > 0 && GRAPH_COMMANDS.contains(args[0])) {
      // Loading TensorFlow's native library takes about a second; on a second core it overlaps
      // parsing, digest checks and reading the weights instead of following them.
      Thread load = new Thread(org.tensorflow.TensorFlow::version, "tensorflow-load");
      load.setDaemon(true);
      load.start();
    }
    CommandLine cli = commandLine();
    int exit = execute(cli, args);
    // picocli's writers flush on println only; System.exit would drop a pending print().
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(exit);
  }

  /** Runs the command line; out of memory is an error line and exit code 2 too. */
  static int execute(CommandLine cli, String... args) {
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands only Exceptions to the handler below; an Error would print a stack trace.
      cli.getErr().println("error: out of memory (Java heap limit "
          + (Runtime.getRuntime().maxMemory() >> 20) + " MB); give Java more, e.g. "
          + "GRADCAM_JAVA_OPTS=-Xmx16g, or use smaller inputs or --batch-size");
      return 2;
    }
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      // Users get the message of a bad input, not a stack trace; GRADCAM_DEBUG shows it.
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (System.getenv("GRADCAM_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      }
      return 2;
    });
    cli.setParameterExceptionHandler((ex, args) -> {
      // One line like every other error, not the message buried above the whole usage text.
      String message = ex.getMessage().replaceAll("\\s*\\R\\s*", " ");
      if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
        message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
      }
      ex.getCommandLine().getErr().println("error: " + message + " (see '"
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return 2;
    });
    return cli;
  }
}
