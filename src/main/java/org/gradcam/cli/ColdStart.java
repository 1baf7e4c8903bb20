package org.gradcam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.gradcam.data.Assets;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.model.MobileNetV2;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.TensorFlowNative;
import org.gradcam.model.SqueezeNet11;
import org.gradcam.model.Vgg16;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The cold-start table of {@code speed}: each model started afresh in child JVMs, as a student's
 * first command or notebook cell meets it. One child runs {@code explain} of one image end to
 * end (process start to overlay written, the time a user waits); another runs the library path
 * and reports, from inside, the model load, the first {@code Session.run} alone and a second
 * one. Peak RSS is the kernel's high-water mark of each child ({@code VmHWM}).
 */
final class ColdStart {
  /** What the table measures and how; prose kept in a template beside the class. */
  static String prose() throws java.io.IOException {
    return BenchmarksFile.template("cold-start.md");
  }

  private final List<String> jvmOptions;
  private final Path image;
  private final int runs;
  private final PrintWriter log;

  ColdStart(List<String> jvmOptions, Path image, int runs, PrintWriter log) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.image = image;
    this.runs = runs;
    this.log = log;
  }

  /** The JVM options of this process that shape start-up and memory (-X..., -XX:...). */
  static List<String> jvmOptionsOfThisJvm() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-X")).toList();
  }

  /** One row of the table: a model and its weights ("ImageNet" or "random"). */
  private record Row(String model, boolean random) {}

  String table(List<String> models) throws Exception {
    Assets assets = Assets.defaults();
    List<Row> rows = new ArrayList<>();
    for (String m : models) {
      switch (m) {
        case SqueezeNet11.NAME -> rows.add(new Row(m, !assets.isLocal("squeezenet1.1")));
        case Vgg16.NAME -> {
          rows.add(new Row(m, true));
          if (assets.isLocal(Vgg16.NAME)) {
            rows.add(new Row(m, false));
          }
        }
        case MobileNetV2.NAME -> {
          if (assets.isLocal(MobileNetV2.NAME)) {
            rows.add(new Row(m, false));
          }
        }
        default -> throw new IllegalArgumentException("unknown model '" + m + "'");
      }
    }
    Table t = Table.create("cold start", StringColumn.create("model"),
        StringColumn.create("weights"), StringColumn.create("explain: start to overlay s"),
        StringColumn.create("explain CPU s"), StringColumn.create("explain peak RSS MB"),
        StringColumn.create("library: JVM to main s"), StringColumn.create("TF native load s"),
        StringColumn.create("model load s"), StringColumn.create("first Session.run s"),
        StringColumn.create("second Session.run s"), StringColumn.create("library peak RSS MB"));
    double loadBefore = MachineLoad.oneMinute();
    Path dir = Files.createTempDirectory("speed-cold");
    try {
      for (Row row : rows) {
        double[][] v = new double[9][runs];
        for (int r = 0; r < runs; r++) {
          double[] e = explain(row, dir);
          Map<String, Double> lib = library(row);
          double[] got = {e[0], e[2], e[1], lib.get("main_s"), lib.get("tf_s"), lib.get("load_s"),
              lib.get("first_run_s"), lib.get("second_run_s"), lib.get("vmhwm_kb") / 1024};
          for (int k = 0; k < got.length; k++) {
            v[k][r] = got[k];
          }
          log.printf(Locale.ROOT, "cold start %s (%s) run %d: explain %.2f s (%.2f s CPU), %.0f MB;"
              + " TF %.2f s, load %.2f s, first run %.2f s, second %.2f s, %.0f MB%n", row.model(),
              row.random() ? "random" : "ImageNet", r + 1, got[0], got[1], got[2], got[4], got[5],
              got[6], got[7], got[8]);
          log.flush();
        }
        t.stringColumn("model").append(row.model());
        t.stringColumn("weights").append(row.random() ? "random" : "ImageNet");
        String[] cols = {"explain: start to overlay s", "explain CPU s", "explain peak RSS MB",
            "library: JVM to main s", "TF native load s", "model load s", "first Session.run s",
            "second Session.run s", "library peak RSS MB"};
        for (int k = 0; k < cols.length; k++) {
          t.stringColumn(cols[k]).append(SpeedTiming.spread(v[k], cols[k].endsWith("MB") ? 0 : 2));
        }
      }
    } finally {
      try (var s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    return MarkdownTables.render(t, 2) + String.format(Locale.ROOT, "%nCold starts on %d cores, "
        + "child JVM options `%s`; machine load (1-minute load average) %.1f before and %.1f "
        + "after: on a busy machine every wall time here is longer.%n",
        Runtime.getRuntime().availableProcessors(),
        jvmOptions.stream().map(ColdStart::displayOption).collect(Collectors.joining(" ")), loadBefore,
        MachineLoad.oneMinute());
  }

  /** An option as results show it: a path value as {@link Assets#display}, never absolute. */
  static String displayOption(String option) {
    int eq = option.indexOf('=');
    if (eq < 0 || !Path.of(option.substring(eq + 1)).isAbsolute()) {
      return option;
    }
    return option.substring(0, eq + 1) + Assets.display(Path.of(option.substring(eq + 1)));
  }

  /** {@code explain} of the image in a child: wall seconds and peak RSS in MB. */
  private double[] explain(Row row, Path dir) throws Exception {
    Path png = dir.resolve("overlay.png");
    Files.deleteIfExists(png);
    List<String> args = new ArrayList<>(List.of("explain", "--image", image.toString(), "--out",
        png.toString(), "--model", row.model()));
    if (row.random()) {
      args.addAll(List.of("--random-weights", "1"));
    }
    Child c = run(args);
    if (!Files.isRegularFile(png)) {
      throw new IOException("the cold-start explain child wrote no overlay " + png);
    }
    return new double[] {c.seconds(), c.peakKb() / 1024, c.cpuSeconds()};
  }

  /** The library-path child's own report: {@code key=value} pairs. */
  private Map<String, Double> library(Row row) throws Exception {
    Child c = run(List.of("speed", "--first-run-of",
        row.model() + ":" + (row.random() ? "random" : "real")));
    Map<String, Double> values = new HashMap<>();
    for (String token : c.stdout().trim().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        values.put(token.substring(0, eq), Double.parseDouble(token.substring(eq + 1)));
      }
    }
    for (String key : List.of("main_s", "tf_s", "load_s", "first_run_s", "second_run_s", "vmhwm_kb")) {
      if (!values.containsKey(key)) {
        throw new IOException("the cold-start library child reported no " + key + ": "
            + c.stdout());
      }
    }
    return values;
  }

  private record Child(double seconds, double peakKb, double cpuSeconds, String stdout) {}

  /** Runs the command line in a fresh JVM, polling its peak RSS until it exits. */
  private Child run(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    String home = System.getProperty("gradcam.home");
    if (home != null) {
      cmd.add("-Dgradcam.home=" + home);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    Path stdout = Files.createTempFile("cold", ".out");
    Path stderr = Files.createTempFile("cold", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
      // As ./gradcam sets it: the weight variables are never written after loading.
      pb.environment().putIfAbsent("TF_ONEDNN_ASSUME_FROZEN_WEIGHTS", "1");
      long t0 = System.nanoTime();
      Process p = pb.start();
      Path status = Path.of("/proc", Long.toString(p.pid()), "status");
      Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
      double peak = 0;
      double cpu = 0;
      while (p.isAlive()) {
        // VmHWM and CPU time only grow; the last readings before exit are the totals, give or
        // take the last milliseconds.
        peak = Math.max(peak, vmHwmKb(status));
        cpu = Math.max(cpu, cpuSeconds(stat));
        p.waitFor(5, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (p.exitValue() != 0) {
        List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8);
        throw new IOException("cold-start child `" + String.join(" ", args) + "` failed (exit "
            + p.exitValue() + "): " + (err.isEmpty() ? "no message" : err.get(err.size() - 1)));
      }
      return new Child(seconds, peak, cpu, Files.readString(stdout, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /**
   * User + system CPU seconds of all threads from a {@code /proc/<pid>/stat} file (fields 14
   * and 15, in clock ticks of 1/100 s, Linux's USER_HZ); 0 once it is gone.
   */
  static double cpuSeconds(Path stat) {
    try {
      String line = Files.readString(stat);
      // The command name may hold spaces and parentheses: fields are counted after the last ')'.
      String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** {@code VmHWM} in kB from a {@code /proc/<pid>/status} file; 0 once it is gone. */
  static double vmHwmKb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Double.parseDouble(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process has exited (or this is not Linux): keep the last reading.
    }
    return 0;
  }

  /**
   * The library child: loads the model, then times the first {@code Session.run} (forward and
   * gradient of one random image at the default layer) and a second one. Reports
   * {@code key=value} pairs on one line.
   */
  static String firstRun(String modelName, String weights) throws IOException {
    double main = (System.currentTimeMillis()
        - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
    long tf0 = System.nanoTime();
    TensorFlowNative.load();
    long t0 = System.nanoTime();
    try (Model model = weights.equals("random") ? Models.random(modelName, 1)
        : Models.load(modelName, Assets.defaults())) {
      long t1 = System.nanoTime();
      float[] x = new float[model.spec().inputLength()];
      Random rnd = new Random(0);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextGaussian();
      }
      String layer = model.spec().defaultLayer();
      model.forwardBackward(layer, x, 1, new int[] {-1});
      long t2 = System.nanoTime();
      model.forwardBackward(layer, x, 1, new int[] {-1});
      long t3 = System.nanoTime();
      return String.format(Locale.ROOT, "main_s=%.3f tf_s=%.3f load_s=%.3f first_run_s=%.3f "
          + "second_run_s=%.3f vmhwm_kb=%.0f", main, (t0 - tf0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
          (t3 - t2) / 1e9, vmHwmKb(Path.of("/proc/self/status")));
    }
  }
}
