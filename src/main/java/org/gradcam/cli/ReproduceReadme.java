package org.gradcam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.gradcam.io.AtomicFiles;
import org.gradcam.io.Template;

/**
 * The report job of {@code gradcam reproduce}: every file a run writes, with what it is, then
 * {@code README.md} describing them and the manifest listing them. The prose is the template
 * {@code reproduce-readme.md} beside this class.
 */
final class ReproduceReadme {
  static final String TEMPLATE = "reproduce-readme.md";
  private static final Map<String, String> TEXTS = Template.sections(ReproduceReadme.class,
      TEMPLATE);

  /** One generated file and what it is (two sentences for results/README.md). */
  record Output(String path, String description) {}

  private final List<Output> outputs = new ArrayList<>();

  /** Template text {@code key}, its {@code {{...}}} filled from {@code keyValues} pairs. */
  static String text(String key, String... keyValues) {
    String text = TEXTS.get(key);
    if (text == null) {
      throw new IllegalStateException(TEMPLATE + ": no section " + key);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
    }
    return Template.fill(TEMPLATE + " " + key, text, values);
  }

  /** Records {@code path} (relative to the results folder), described by template text. */
  void add(String path, String key, String... keyValues) {
    outputs.add(new Output(path, text(key, keyValues)));
  }

  int size() {
    return outputs.size();
  }

  /** The section of results/README.md a file is listed in. */
  private static String section(String path) {
    return path.startsWith("plots/published") ? "Charts: published pickles"
        : path.startsWith("plots/voc2007") ? "Charts: our run on the 4 VOC2007 images"
        : path.startsWith("plots/standin") ? "Charts: our run on the stand-in (not VOC2007)"
        : path.startsWith("boxes/") ? "Box pictures"
        : path.startsWith(ReproduceCommand.NOTEBOOKS_DIR + "/") ? "Notebooks as HTML"
        : path.startsWith(ReproduceCommand.VOC_DIR) ? "Our run on the VOC2007 images: `"
            + ReproduceCommand.VOC_DIR + "/`"
        : path.startsWith(ReproduceCommand.STANDIN_DIR) ? "Our run on the stand-in (not "
            + "VOC2007): `" + ReproduceCommand.STANDIN_DIR + "/`"
        : "Published table";
  }

  /**
   * Writes {@code README.md} into {@code stage}: the files by section, then those kept from
   * {@code results} (benchmarks.md, localize/README.md) and the manifest.
   */
  void writeReadme(Path stage, Path results, boolean withSpeed) throws IOException {
    boolean speed = Files.isRegularFile(stage.resolve("benchmarks.md"))
        || Files.isRegularFile(results.resolve("benchmarks.md"));
    StringBuilder md = new StringBuilder(text("head", "manifest", ReproduceCommand.MANIFEST))
        .append("\n\n");
    Map<String, List<Output>> sections = new LinkedHashMap<>();
    for (Output o : outputs) {
      sections.computeIfAbsent(section(o.path()), k -> new ArrayList<>()).add(o);
    }
    sections.forEach((section, list) -> {
      md.append("## ").append(section).append("\n\n");
      // Files described alike (the three IoUs of a chart, the pictures) share one entry.
      Map<String, List<String>> byDescription = new LinkedHashMap<>();
      list.forEach(o -> byDescription.computeIfAbsent(o.description(), k -> new ArrayList<>())
          .add(o.path()));
      byDescription.forEach((description, paths) -> md.append("- ")
          .append(paths.stream().map(p -> "[`" + p + "`](" + p + ")")
              .collect(Collectors.joining(", ")))
          .append(": ").append(description).append('\n'));
      md.append('\n');
    });
    md.append(text("kept")).append("\n\n");
    if (speed) {
      md.append(text("kept-benchmarks", "how",
          text(withSpeed ? "benchmarks-rerun" : "benchmarks-kept"))).append('\n');
    }
    if (Files.isRegularFile(results.resolve("benchmarks-onednn-off.md"))) {
      md.append(text("kept-onednn-off")).append('\n');
    }
    if (Files.isRegularFile(results.resolve("localize/README.md"))) {
      md.append(text("kept-localize-readme")).append('\n');
    }
    md.append(text("kept-manifest", "manifest", ReproduceCommand.MANIFEST)).append('\n');
    AtomicFiles.writeString(stage.resolve("README.md"), md.toString());
    add("README.md", "readme");
  }

  /** Writes the manifest into {@code stage}: every file of this run, itself included. */
  void writeManifest(Path stage) throws IOException {
    String body = outputs.stream().map(Output::path).sorted().collect(Collectors.joining("\n"));
    AtomicFiles.writeString(stage.resolve(ReproduceCommand.MANIFEST), text("manifest-header")
        + "\n" + body + "\n" + ReproduceCommand.MANIFEST + "\n");
  }
}
