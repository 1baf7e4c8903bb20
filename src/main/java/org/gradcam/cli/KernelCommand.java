package org.gradcam.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gradcam.kernel.KernelSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradcam kernel ...}: the Jupyter kernel for the project's Java notebooks. */
@Command(
    name = "kernel",
    description = "Jupyter kernel (Java, JShell) for the Grad-CAM notebooks.",
    subcommands = {KernelCommand.Install.class})
public final class KernelCommand implements Runnable {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code gradcam kernel install [--user|--prefix DIR] [--name gradcam] [--replace]}. */
  @Command(
      name = "install",
      description = "Writes the kernelspec kernel.json so Jupyter can start the Java kernel. It runs"
          + " this JVM's java with the built jar (target/gradcam.jar) and target/lib/*, so build first:"
          + " mvn -DskipTests package.")
  static final class Install implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    static final class Location {
      @Option(names = "--user", description = "Install for the current user (default; honours JUPYTER_DATA_DIR).")
      boolean user;

      @Option(names = "--prefix", paramLabel = "DIR", description = "Install into DIR/share/jupyter/kernels.")
      Path prefix;
    }

    @ArgGroup(exclusive = true)
    Location location;

    @Option(names = "--name", defaultValue = KernelSpec.DEFAULT_NAME,
        description = "Kernelspec name, the notebook's kernel_name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--replace",
        description = "Overwrite an existing kernel.json of that name even if it is another kernel's"
            + " (by default only an older install of this kernel is replaced).")
    boolean replace;

    @Spec
    CommandSpec spec;

    /** The environment read for JUPYTER_DATA_DIR; tests replace it. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
      Path jar = KernelSpec.builtJar();
      Path lib = jar.resolveSibling("lib");
      if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
        spec.commandLine().getErr().println("warning: " + jar + " or " + lib
            + " does not exist yet; build it with: mvn -DskipTests package");
      }
      Path prefix = location == null ? null : location.prefix;
      Path file = KernelSpec.install(KernelSpec.kernelsDir(prefix, env), name,
          KernelSpec.kernelJson(KernelSpec.currentJava(), jar, lib), replace);
      spec.commandLine().getOut().println("Installed kernelspec '" + name + "' in " + file.getParent());
      // Before it had a name of its own this kernel was installed as "java", JJava's and IJava's name.
      Path old = file.getParent().resolveSibling("java").resolve("kernel.json");
      if (!name.equals("java") && KernelSpec.isOurs(old)) {
        spec.commandLine().getErr().println("note: " + old.getParent() + " is an older install of this"
            + " kernel under JJava's and IJava's name 'java'; remove it with: jupyter kernelspec remove java");
      }
      return 0;
    }
  }
}
