package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.gradcam.kernel.JupyterRunner.Run;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;

  private static JupyterRunner jupyter;

  @BeforeAll
  static void requireBuiltJar() {
    JupyterRunner.requireBuiltJar("KernelIT");
  }

  /** Per test, so a missing jupyter shows as skipped tests with the install hint. */
  @BeforeEach
  void installKernelspecOnce() throws Exception {
    JupyterRunner.requireJupyter("the kernel IT");
    if (jupyter != null) {
      return;
    }
    jupyter = JupyterRunner.installKernel(tmp);
    JsonNode spec = JSON.readTree(jupyter.kernelJson().toFile());
    Path project = JupyterRunner.project();
    assertThat(spec.get("argv").get(2).asText())
        .isEqualTo(project.resolve("target/gradcam.jar") + ":" + project.resolve("target/lib") + "/*");
  }

  @Test
  void notebookRunsWithStreamTextAndImageOutputs() throws Exception {
    Path notebook = writeNotebook("ok.ipynb",
        "System.out.println(\"hello from the kernel\");",
        "6 * 7",
        "import java.awt.image.BufferedImage;\nvar img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);\nimg",
        "tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"count\", 1, 2))");
    Run run = nbconvert(notebook, "ok.out");
    assertThat(run.exit()).as("nbconvert output:\n%s", run.output()).isZero();

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

  /** The first cell JJava and IJava users need works in our kernel too, which has those jars already. */
  @Test
  void classpathCellOfOtherJavaKernelsRunsAndAddsNothingTwice() throws Exception {
    Path project = JupyterRunner.project();
    Path notebook = writeNotebook("classpath.ipynb",
        "%classpath " + project.resolve("target/gradcam.jar") + " " + project.resolve("target/lib") + "/*",
        "org.gradcam.kernel.KernelSpec.DEFAULT_NAME");
    Run run = nbconvert(notebook, "classpath.out");
    assertThat(run.exit()).as("nbconvert output:\n%s", run.output()).isZero();
    JsonNode cells = JSON.readTree(tmp.resolve("classpath.out.ipynb").toFile()).get("cells");
    String printed = text(cells.get(0).get("outputs").get(0).get("text"));
    assertThat(printed).startsWith("%classpath: added 0 of ").endsWith(" already on it)\n");
    assertThat(text(cells.get(1).get("outputs").get(0).get("data").get("text/plain"))).isEqualTo("gradcam");
  }

  @Test
  void failingCellMakesNbconvertFail() throws Exception {
    Path notebook = writeNotebook("fails.ipynb",
        "int ok = 1;",
        "int parsed = Integer.parseInt(\"seven\");",
        "System.out.println(\"never printed\");");
    Run run = nbconvert(notebook, "fails.out");
    assertThat(run.exit()).as("nbconvert output:\n%s", run.output()).isNotZero();
    assertThat(run.output()).contains("java.lang.NumberFormatException", "seven", "line 1");
  }

  private static Run nbconvert(Path notebook, String output) throws Exception {
    return jupyter.nbconvert(notebook, 120, 300, "--output", output);
  }

  private static Path writeNotebook(String name, String... sources) throws IOException {
    ObjectNode nb = JSON.createObjectNode();
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    ObjectNode kernelspec = nb.putObject("metadata").putObject("kernelspec");
    kernelspec.put("name", KernelSpec.DEFAULT_NAME).put("display_name", "Java (gradcam)").put("language", "java");
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
}
