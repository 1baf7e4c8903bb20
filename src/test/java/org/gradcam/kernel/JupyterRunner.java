package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Jupyter for integration tests: checks that {@code jupyter nbconvert} is there, installs the
 * project's kernelspec (built jar) into a private JUPYTER_DATA_DIR under a temporary folder and
 * executes notebooks with it. Shared by {@link KernelIT} and {@link NotebooksIT}.
 */
final class JupyterRunner {

  static final String INSTALL_HINT =
      "apt-get install -y jupyter-nbconvert python3-nbclient (Debian packages)";

  record Run(int exit, String output) {}

  private final Path tmp;
  private final Path dataDir;

  private JupyterRunner(Path tmp) {
    this.tmp = tmp;
    this.dataDir = tmp.resolve("jupyter-data");
  }

  /** The project directory (Maven's {@code basedir}, else the working directory). */
  static Path project() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  }

  /**
   * Skips unless run by Failsafe after {@code package} (which sets {@code gradcam.integration}),
   * and checks that the jar and its dependencies are built.
   */
  static void requireBuiltJar(String testName) {
    assumeTrue(Boolean.getBoolean("gradcam.integration"),
        testName + " needs the packaged jar and runs in Failsafe (mvn verify), not in Surefire");
    assertThat(project().resolve("target/gradcam.jar"))
        .as("built jar (run `mvn verify`, which packages before integration tests)").isRegularFile();
    assertThat(project().resolve("target/lib")).as("copied dependencies").isDirectory();
  }

  /** Skips without jupyter, except on CI (CI=true), where a missing jupyter is a failure. */
  static void requireJupyter(String testName) {
    boolean present;
    try {
      Process p = new ProcessBuilder("jupyter", "nbconvert", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      present = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("CI"))) {
      fail("`jupyter nbconvert` is not installed but CI=true; install it with: " + INSTALL_HINT);
    }
    String skip = "`jupyter nbconvert` is not installed; skipping " + testName + ". Install: " + INSTALL_HINT;
    if (!present) {
      System.err.println(testName + ": " + skip);
    }
    assumeTrue(present, skip);
  }

  /** Installs the kernelspec {@code gradcam} of the built jar into {@code tmp/jupyter-data}. */
  static JupyterRunner installKernel(Path tmp) throws Exception {
    JupyterRunner jupyter = new JupyterRunner(tmp);
    Path jar = project().resolve("target/gradcam.jar");
    Run install = jupyter.run(tmp, List.of(KernelSpec.currentJava().toString(), "-jar", jar.toString(),
        "kernel", "install", "--user"), 60);
    assertThat(install.exit).as("kernel install output:\n%s", install.output).isZero();
    assertThat(jupyter.kernelJson()).isRegularFile();
    return jupyter;
  }

  Path kernelJson() {
    return dataDir.resolve("kernels/" + KernelSpec.DEFAULT_NAME + "/kernel.json");
  }

  /**
   * {@code jupyter nbconvert --to notebook --execute} with the kernel the notebook's metadata names
   * (the kernelspec installed here is the only one, so a notebook naming another kernel fails); {@code output}
   * are nbconvert's output options (e.g. {@code --output NAME} or {@code --output-dir DIR}). Cells
   * run with the notebook's folder as working directory. Fails the test if the whole run exceeds
   * {@code timeoutSeconds}; a cell exceeding {@code cellTimeoutSeconds} makes nbconvert fail.
   */
  Run nbconvert(Path notebook, int cellTimeoutSeconds, int timeoutSeconds, String... output)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("jupyter", "nbconvert", "--to", "notebook",
        "--execute",
        "--ExecutePreprocessor.timeout=" + cellTimeoutSeconds));
    command.addAll(List.of(output));
    command.add(notebook.toString());
    return run(tmp, command, timeoutSeconds);
  }

  /** Runs a command with this JUPYTER_DATA_DIR and a private runtime dir; output and error merged. */
  Run run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(tmp, "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JUPYTER_DATA_DIR", dataDir.toString());
    pb.environment().put("JUPYTER_RUNTIME_DIR", tmp.resolve("jupyter-runtime").toString());
    // TensorFlow's native start-up chatter would bury nbconvert's own messages.
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = pb.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail("timed out after " + timeoutSeconds + " s: " + command + "\n" + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
