package org.gradcam.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
      return cpu(Files.readAllLines(Path.of("/proc/cpuinfo")));
    } catch (Exception e) {
      return "unknown CPU";
    }
  }

  /**
   * "AMD EPYC (family 26, model 2, AVX-512)": the name alone does not tell the CPU generations
   * of a cloud machine apart, and TensorFlow's oneDNN kernels run at very different shares of
   * ONNX Runtime's speed on two of them, so the section says which one it was measured on.
   */
  static String cpu(List<String> cpuinfo) {
    String name = field(cpuinfo, "model name");
    if (name == null) {
      return "unknown CPU";
    }
    String flagsLine = field(cpuinfo, "flags");
    List<String> flags = flagsLine == null ? List.of() : List.of(flagsLine.split("\\s+"));
    String isa = flagsLine == null ? null
        : flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2" : "no AVX2";
    String family = field(cpuinfo, "cpu family");
    String model = field(cpuinfo, "model");
    List<String> details = new ArrayList<>();
    if (family != null) {
      details.add("family " + family);
    }
    if (model != null) {
      details.add("model " + model);
    }
    if (isa != null) {
      details.add(isa);
    }
    return details.isEmpty() ? name : name + " (" + String.join(", ", details) + ")";
  }

  /** The value of the first "key : value" line of /proc/cpuinfo whose key is {@code key}. */
  private static String field(List<String> cpuinfo, String key) {
    return cpuinfo.stream()
        .filter(l -> l.indexOf(':') > 0 && l.substring(0, l.indexOf(':')).strip().equals(key))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(null);
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
