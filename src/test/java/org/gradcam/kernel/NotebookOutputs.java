package org.gradcam.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What an executed notebook must contain; shared by {@link NotebookOutputsTest} and {@link NotebooksIT}. */
final class NotebookOutputs {

  private NotebookOutputs() {}

  /** The project's notebooks, {@code notebooks/*.ipynb}, sorted by name. */
  static List<Path> notebooks() throws IOException {
    Path dir = JupyterRunner.project().resolve("notebooks");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  /**
   * Why the notebook does not look executed: a code cell without outputs or with an error output,
   * or no {@code image/png} output at all; or it asks for another kernel than the project's
   * ({@code java} would open it in JJava or IJava, without the project on the class path). Empty
   * when it is fine.
   */
  static List<String> problems(Path notebook) throws IOException {
    JsonNode root = new ObjectMapper().readTree(notebook.toFile());
    JsonNode cells = root.get("cells");
    List<String> problems = new ArrayList<>();
    JsonNode kernelspec = root.path("metadata").path("kernelspec");
    if (!kernelspec.path("name").asText().equals(KernelSpec.DEFAULT_NAME)
        || !kernelspec.path("display_name").asText().equals(KernelSpec.DISPLAY_NAME)) {
      problems.add("metadata.kernelspec is " + kernelspec + ", not the project's kernel (name \""
          + KernelSpec.DEFAULT_NAME + "\", display_name \"" + KernelSpec.DISPLAY_NAME + "\")");
    }
    int images = 0;
    for (int i = 0; i < cells.size(); i++) {
      JsonNode cell = cells.get(i);
      if (!cell.get("cell_type").asText().equals("code")) {
        continue;
      }
      JsonNode outputs = cell.get("outputs");
      String where = "cell " + i + " (" + firstLine(cell.get("source")) + ")";
      if (outputs == null || outputs.isEmpty()) {
        problems.add(where + " has no outputs");
        continue;
      }
      if (cell.get("execution_count").isNull()) {
        problems.add(where + " has no execution count");
      }
      for (JsonNode out : outputs) {
        if (out.get("output_type").asText().equals("error")) {
          problems.add(where + " has an error output: " + out.path("ename").asText() + ": "
              + out.path("evalue").asText());
        }
        if (out.path("data").has("image/png")) {
          images++;
        }
      }
    }
    if (images == 0) {
      problems.add("no image/png output in any cell");
    }
    return problems;
  }

  private static String firstLine(JsonNode source) {
    String text = source.isArray() ? (source.isEmpty() ? "" : source.get(0).asText()) : source.asText();
    return text.lines().findFirst().orElse("").strip();
  }
}
