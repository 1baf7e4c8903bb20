package org.gradcam.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.gradcam.io.AtomicFiles;

/**
 * The file {@code speed} writes (e.g. {@code results/benchmarks.md}): the line that says where
 * and when it was measured, each section's prose template (Markdown beside the classes), and
 * rewriting the parts run now while keeping the sections of those that were not.
 */
final class BenchmarksFile {
  static final String COLD_HEADING = "## Cold start\n\n";

  private BenchmarksFile() {}

  /** " on DATE, N cores, CPU, TensorFlow Java 1.1.0 (TF 2.18, CPU). ", as the sections say. */
  static String machine() {
    return " on " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, " + cpuModel() + ", TensorFlow Java 1.1.0 (TF 2.18, CPU). ";
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    } catch (Exception e) {
      return "unknown CPU";
    }
  }

  /** A section's prose template beside these classes, stripped. */
  static String template(String name) throws IOException {
    try (InputStream in = BenchmarksFile.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  /**
   * Writes the throughput, ONNX Runtime and cold-start sections into {@code out}: each null one
   * is kept from the file as it was, and so is the server-latency section, which stays last.
   */
  static void write(Path out, String throughput, String ort, String cold) throws IOException {
    String previous = Files.isRegularFile(out) ? Files.readString(out) : null;
    String serveSection = previous == null ? null : ServeLatency.section(previous);
    String[] old = OrtSpeed.sections(previous == null ? null : ServeLatency.without(previous),
        COLD_HEADING);
    String first = throughput != null ? throughput : old[0];
    String middle = ort != null ? ort : old[1];
    String second = cold != null ? cold : old[2];
    Files.createDirectories(out.toAbsolutePath().getParent());
    String doc = (first == null ? "" : first.stripTrailing() + "\n\n")
        + (middle == null ? "" : middle.stripTrailing() + "\n\n")
        + (second == null ? "" : second);
    AtomicFiles.writeString(out, serveSection == null ? doc
        : ServeLatency.splice(doc, serveSection));
  }
}
