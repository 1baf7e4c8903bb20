package org.gradcam.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.gradcam.model.TensorFlowNative;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the {@code gradcam} command line. */
@Command(
    name = "gradcam",
    mixinStandardHelpOptions = true,
    version = "gradcam 0.1.0",
    description = "Grad-CAM heatmaps, boxes and localisation metrics for CNNs on TensorFlow Java.")
public final class Main {
  /** The subcommands, in help order, by name. */
  private static final Map<String, Supplier<Object>> COMMANDS =
      commands();

  private static Map<String, Supplier<Object>> commands() {
    var m = new LinkedHashMap<String, Supplier<Object>>();
    m.put("help", CommandLine.HelpCommand::new);
    m.put("explain", ExplainCommand::new);
    m.put("layers", LayersCommand::new);
    m.put("boxes", BoxesCommand::new);
    m.put("evaluate", EvaluateCommand::new);
    m.put("fetch", FetchCommand::new);
    m.put("kernel", KernelCommand::new);
    m.put("speed", SpeedCommand::new);
    m.put("localize", LocalizeCommand::new);
    m.put("reproduce", ReproduceCommand::new);
    m.put("benchmark", BenchmarkCommand::new);
    m.put("analyze-errors", AnalyzeErrorsCommand::new);
    m.put("serve", ServeCommand::new);
    return Collections.unmodifiableMap(m);
  }

  /** Commands that run a TensorFlow graph (speed times the load itself, so not it). */
  private static final Set<String> GRAPH_COMMANDS = Set.of("explain", "layers",
      "localize", "benchmark", "analyze-errors", "reproduce", "serve");

  public static void main(String[] args) {
    if (args.length > 0 && GRAPH_COMMANDS.contains(args[0])) {
      // Loading TensorFlow's native library takes about a second; on a second core it overlaps
      // parsing, digest checks and reading the weights instead of following them.
      Thread load = new Thread(TensorFlowNative::load, "tensorflow-load");
      load.setDaemon(true);
      load.start();
    }
    CommandLine cli = commandLineFor(args);
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
    return commandLine(COMMANDS.keySet().toArray(String[]::new));
  }

  /**
   * The command line that runs {@code args}: with only the subcommand they name, if any, since
   * picocli's model of all eleven, their options and classes, is a quarter of a second of a cold
   * start; else with all (top-level help, suggestions for a mistyped name).
   */
  static CommandLine commandLineFor(String... args) {
    return args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help")
        ? commandLine(args[0]) : commandLine();
  }

  /** The command line with only the named subcommands. */
  static CommandLine commandLine(String... subcommands) {
    CommandLine cli = new CommandLine(new Main());
    for (String name : subcommands) {
      cli.addSubcommand(name, COMMANDS.get(name).get());
    }
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
