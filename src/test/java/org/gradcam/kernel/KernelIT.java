package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: installs the kernelspec with the built CLI jar into a temporary JUPYTER_DATA_DIR and
 * executes notebooks with {@code jupyter nbconvert --execute}, which starts {@link KernelMain}
 * over ZMQ. Runs in Failsafe after {@code package}; needs target/gradcam.jar, target/lib and jupyter.
 */
class KernelIT {

  private static final String INSTALL_HINT =
      "apt-get install -y jupyter-nbconvert python3-nbclient (Debian packages)";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;

  private static Path project;
  private static Path dataDir;

  @BeforeAll
  static void requireBuiltJar() {
    assumeTrue(Boolean.getBoolean("gradcam.integration"),
        "KernelIT needs the packaged jar and runs in Failsafe (mvn verify), not in Surefire");
    project = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    assertThat(project.resolve("target/gradcam.jar"))
        .as("built jar (run `mvn verify`, which packages before integration tests)").isRegularFile();
    assertThat(project.resolve("target/lib")).as("copied dependencies").isDirectory();
  }

  /** Per test, so a missing jupyter shows as skipped tests with the install hint. */
  @BeforeEach
  void installKernelspecOnce() throws Exception {
    requireJupyter();
    if (dataDir != null) {
      return;
    }
    Path jar = project.resolve("target/gradcam.jar");
    dataDir = tmp.resolve("jupyter-data");
    Run install = run(tmp, List.of(KernelSpec.currentJava().toString(), "-jar", jar.toString(),
        "kernel", "install", "--user"), 60);
    assertThat(install.exit).as("kernel install output:\n%s", install.output).isZero();
    Path kernelJson = dataDir.resolve("kernels/java/kernel.json");
    assertThat(kernelJson).isRegularFile();
    JsonNode spec = JSON.readTree(kernelJson.toFile());
    assertThat(spec.get("argv").get(2).asText()).isEqualTo(jar + ":" + project.resolve("target/lib") + "/*");
  }

  /** Skips without jupyter, except on CI (CI=true), where a missing jupyter is a failure. */
  private static void requireJupyter() {
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
    String skip = "`jupyter nbconvert` is not installed; skipping the kernel IT. Install: " + INSTALL_HINT;
    if (!present) {
      System.err.println("KernelIT: " + skip);
    }
    assumeTrue(present, skip);
  }

  @Test
  void notebookRunsWithStreamTextAndImageOutputs() throws Exception {
    Path notebook = writeNotebook("ok.ipynb",
        "System.out.println(\"hello from the kernel\");",
        "6 * 7",
        "import java.awt.image.BufferedImage;\nvar img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);\nimg",
        "tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"count\", 1, 2))");
    Run run = nbconvert(notebook, "ok.out");
    assertThat(run.exit).as("nbconvert output:\n%s", run.output).isZero();

    JsonNode cells = JSON.readTree(tmp.resolve("ok.out.ipynb").toFile()).get("cells");
    JsonNode print = cells.get(0).get("outputs").get(0);
    assertThat(print.get("output_type").asText()).isEqualTo("stream");
    assertThat(print.get("name").asText()).isEqualTo("stdout");
    assertThat(text(print.get("text"))).isEqualTo("hello from the kernel\n");

    JsonNode value = cells.get(1).get("outputs").get(0);
    assertThat(value.get("output_type").asText()).isEqualTo("execute_result");
    assertThat(text(value.get("data").get("text/plain"))).isEqualTo("42");

    JsonNode image = cells.get(2).get("outputs").get(0);
    byte[] png = Base64.getMimeDecoder().decode(text(image.get("data").get("image/png")));
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(decoded.getWidth()).isEqualTo(8);
    assertThat(decoded.getHeight()).isEqualTo(6);

    JsonNode table = cells.get(3).get("outputs").get(0);
    assertThat(text(table.get("data").get("text/html"))).contains("<th>count</th>");
  }

  @Test
  void failingCellMakesNbconvertFail() throws Exception {
    Path notebook = writeNotebook("fails.ipynb",
        "int ok = 1;",
        "int parsed = Integer.parseInt(\"seven\");",
        "System.out.println(\"never printed\");");
    Run run = nbconvert(notebook, "fails.out");
    assertThat(run.exit).as("nbconvert output:\n%s", run.output).isNotZero();
    assertThat(run.output).contains("java.lang.NumberFormatException", "seven", "line 1");
  }

  private static Run nbconvert(Path notebook, String output) throws Exception {
    return run(tmp, List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=java", "--ExecutePreprocessor.timeout=120",
        "--output", output, notebook.toString()), 300);
  }

  private static Path writeNotebook(String name, String... sources) throws IOException {
    ObjectNode nb = JSON.createObjectNode();
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    ObjectNode kernelspec = nb.putObject("metadata").putObject("kernelspec");
    kernelspec.put("name", "java").put("display_name", "Java (gradcam)").put("language", "java");
    ArrayNode cells = nb.putArray("cells");
    for (int i = 0; i < sources.length; i++) {
      ObjectNode cell = cells.addObject();
      cell.put("cell_type", "code").put("id", "cell-" + i).putNull("execution_count");
      cell.putObject("metadata");
      cell.putArray("outputs");
      cell.put("source", sources[i]);
    }
    Path file = tmp.resolve(name);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), nb);
    return file;
  }

  /** Jupyter stores multi-line strings either as a string or as a list of lines. */
  private static String text(JsonNode node) {
    if (node.isArray()) {
      StringBuilder sb = new StringBuilder();
      node.forEach(n -> sb.append(n.asText()));
      return sb.toString();
    }
    return node.asText();
  }

  private record Run(int exit, String output) {}

  private static Run run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
    Path log = Files.createTempFile(tmp, "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JUPYTER_DATA_DIR", dataDir.toString());
    pb.environment().put("JUPYTER_RUNTIME_DIR", tmp.resolve("jupyter-runtime").toString());
    Process process = pb.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail("timed out after " + timeoutSeconds + " s: " + command + "\n" + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
