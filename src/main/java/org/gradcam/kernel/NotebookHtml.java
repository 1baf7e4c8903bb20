package org.gradcam.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HTML copies of the committed notebooks ({@code jupyter nbconvert --to html}, pictures embedded
 * as data URIs), so the tutorial reads in a browser without Jupyter. The notebooks are converted
 * as committed, executed, not run again: {@code NotebooksIT} checks that they still run.
 */
public final class NotebookHtml {

  private static final long TIMEOUT_SECONDS = 300;

  private NotebookHtml() {}

  /** {@code dir/*.ipynb}, sorted by name; empty when there is no such folder. */
  public static List<Path> notebooks(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  /** Whether {@code jupyter nbconvert} runs here (Debian package {@code jupyter-nbconvert}). */
  public static boolean nbconvertAvailable() {
    try {
      Process p = new ProcessBuilder("jupyter", "nbconvert", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Converts the notebooks into {@code outDir/NAME.html} in one nbconvert run and checks that each
   * HTML holds every picture and HTML table of its notebook; returns the files written.
   *
   * @throws IOException when nbconvert fails or an HTML misses an output
   */
  public static List<Path> export(List<Path> notebooks, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    List<String> command = new ArrayList<>(List.of("jupyter", "nbconvert", "--to", "html",
        "--output-dir", outDir.toAbsolutePath().toString()));
    notebooks.forEach(n -> command.add(n.toAbsolutePath().toString()));
    Path log = Files.createTempFile("nbconvert", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      if (!done || p.exitValue() != 0) {
        String output = Files.readString(log, StandardCharsets.UTF_8).strip();
        String last = output.isEmpty() ? "" : output.substring(output.lastIndexOf('\n') + 1);
        throw new IOException("jupyter nbconvert --to html " + (done ? "failed" : "timed out") + ": " + last);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while converting notebooks", e);
    } finally {
      Files.deleteIfExists(log);
    }
    List<Path> written = new ArrayList<>();
    for (Path notebook : notebooks) {
      Path html = outDir.resolve(htmlName(notebook));
      List<String> missing = missingOutputs(notebook, html);
      if (!missing.isEmpty()) {
        throw new IOException(html + " lacks " + missing.size() + " output(s) of " + notebook.getFileName()
            + ": " + missing.get(0));
      }
      written.add(html);
    }
    return written;
  }

  /** {@code NAME.ipynb} -> {@code NAME.html}. */
  public static String htmlName(Path notebook) {
    String name = notebook.getFileName().toString();
    return name.substring(0, name.length() - ".ipynb".length()) + ".html";
  }

  /**
   * What of the notebook's pictures ({@code image/png}, which must be embedded as a data URI) and
   * HTML tables ({@code text/html}, verbatim) the HTML file does not hold; empty when it is complete
   * (or the file is missing: then that is the one entry).
   */
  public static List<String> missingOutputs(Path notebook, Path html) throws IOException {
    if (!Files.isRegularFile(html)) {
      return List.of("the file " + html + " does not exist");
    }
    String page = Files.readString(html, StandardCharsets.UTF_8);
    JsonNode cells = new ObjectMapper().readTree(notebook.toFile()).path("cells");
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      for (JsonNode out : cells.get(i).path("outputs")) {
        JsonNode data = out.path("data");
        if (data.has("image/png")) {
          String png = text(data.get("image/png")).replaceAll("\\s", "");
          if (!page.contains("data:image/png;base64," + png)) {
            missing.add("the picture of cell " + i);
          }
        }
        if (data.has("text/html") && !page.contains(text(data.get("text/html")).strip())) {
          missing.add("the HTML table of cell " + i);
        }
      }
    }
    return missing;
  }

  /** Jupyter stores multi-line data as one string or as a list of lines. */
  private static String text(JsonNode node) {
    if (!node.isArray()) {
      return node.asText();
    }
    StringBuilder sb = new StringBuilder();
    node.forEach(n -> sb.append(n.asText()));
    return sb.toString();
  }
}
