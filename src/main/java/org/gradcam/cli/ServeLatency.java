package org.gradcam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.io.AtomicFiles;
import org.gradcam.model.Model;
import org.gradcam.serve.GradcamServer;
import org.gradcam.serve.ServeSettings;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code gradcam speed --serve}: latency and throughput of {@code gradcam serve} as a client sees
 * them. The server runs in this process on a free loopback port, with serve's default workers
 * and queue; K client threads send N {@code POST /api/explain} uploads over the example images,
 * the CAM methods mixed; a 503 is retried after its Retry-After and its wait counted in the
 * latency. The section it writes replaces its own in the output file and keeps every other.
 */
final class ServeLatency {
  static final String HEADING = "## Server latency\n\n";
  static final List<String> METHODS = List.of("gradcam", "gradcam++", "xgradcam", "hirescam",
      "layercam", "eigencam", "counterfactual");

  /** The options, mixed into {@code speed}. */
  static final class Options {
    @Option(names = "--serve", description = "measure only the server (gradcam serve in this "
        + "process): p50/p95 latency and requests/s of concurrent explain uploads; writes its "
        + "own section of --out and keeps the others")
    boolean serve;

    @Option(names = "--serve-requests", defaultValue = "200", paramLabel = "N",
        description = "requests to send (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--serve-clients", defaultValue = "8", paramLabel = "K",
        description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--serve-images", defaultValue = "20", paramLabel = "N",
        description = "the first N images of --images, sent in turn (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--serve-model", defaultValue = "squeezenet1.1", paramLabel = "M",
        description = "the model served (default: ${DEFAULT-VALUE})")
    String model;

    void validate() {
      if (requests < 1) {
        throw new IllegalArgumentException("--serve-requests must be >= 1, got " + requests);
      }
      if (clients < 1) {
        throw new IllegalArgumentException("--serve-clients must be >= 1, got " + clients);
      }
      if (images < 1) {
        throw new IllegalArgumentException("--serve-images must be >= 1, got " + images);
      }
    }
  }

  private ServeLatency() {}

  /** One request's outcome: which method, its latency, and the 503s it waited out. */
  record Sample(String method, long nanos, int retried) {}

  /** Runs the measurement, prints the section and writes it into {@code out} (when given). */
  static int run(Options o, String imagesDir, Path out, String machine, PrintWriter stdout,
      PrintWriter log) throws Exception {
    o.validate();
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(imagesDir))) {
      files = s.filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
          .sorted().limit(o.images).toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no JPEG or PNG images in " + imagesDir + " for speed --serve");
    }
    List<byte[]> bytes = new ArrayList<>();
    for (Path f : files) {
      bytes.add(Files.readAllBytes(f));
    }
    ServeSettings settings = ServeSettings.defaults(0, null);
    Map<String, Model> models = ServeCommand.loadModels(List.of(o.model),
        org.gradcam.model.Models.Options.DEFAULT);
    List<Sample> samples;
    double seconds;
    double loadBefore;
    double loadAfter;
    try (GradcamServer server = GradcamServer.start(models, o.model, settings)) {
      ServeClient client = new ServeClient(server.port());
      // Each method once, alone, first: its first use builds graph parts a later one reuses.
      for (String m : METHODS) {
        client.explain(files.get(0).getFileName().toString(), bytes.get(0), m);
      }
      loadBefore = MachineLoad.oneMinute();
      AtomicInteger next = new AtomicInteger();
      Sample[] done = new Sample[o.requests];
      ExecutorService pool = Executors.newFixedThreadPool(o.clients);
      long t0 = System.nanoTime();
      try {
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < o.clients; c++) {
          clients.add(pool.submit(() -> {
            for (int i = next.getAndIncrement(); i < o.requests; i = next.getAndIncrement()) {
              int image = i % files.size();
              // Methods cycle against images, so every image meets every method.
              String method = METHODS.get((i + i / files.size()) % METHODS.size());
              done[i] = client.explain(files.get(image).getFileName().toString(),
                  bytes.get(image), method);
            }
            return null;
          }));
        }
        for (Future<?> f : clients) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            // The client's own error (a refused request) is the message, not its wrapper.
            throw e.getCause() instanceof Exception ex ? ex : e;
          }
        }
      } finally {
        pool.shutdownNow();
      }
      seconds = (System.nanoTime() - t0) / 1e9;
      loadAfter = MachineLoad.oneMinute();
      samples = List.of(done);
    } finally {
      models.values().forEach(Model::close);
    }
    String section = section(o, imagesDir, files.size(), settings, samples, seconds, loadBefore,
        loadAfter, out, machine);
    stdout.print(section);
    log.printf(Locale.ROOT, "speed --serve: %d requests in %.1f s%n", samples.size(), seconds);
    if (out != null) {
      String old = Files.isRegularFile(out) ? Files.readString(out) : null;
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      AtomicFiles.writeString(out, splice(old, section));
    }
    return 0;
  }

  static String section(Options o, String imagesDir, int images, ServeSettings settings,
      List<Sample> samples, double seconds, double loadBefore, double loadAfter, Path out,
      String machine) throws IOException {
    long[] all = samples.stream().mapToLong(Sample::nanos).toArray();
    Table t = Table.create("serve", IntColumn.create("requests"), IntColumn.create("clients"),
        IntColumn.create("images"), StringColumn.create("server workers, queue"),
        DoubleColumn.create("p50 ms"), DoubleColumn.create("p95 ms"),
        DoubleColumn.create("max ms"), DoubleColumn.create("requests/s"),
        IntColumn.create("503s retried"));
    t.intColumn("requests").append(samples.size());
    t.intColumn("clients").append(o.clients);
    t.intColumn("images").append(images);
    t.stringColumn("server workers, queue").append(settings.workers() + ", " + settings.queue());
    t.doubleColumn("p50 ms").append(percentile(all, 50) / 1e6);
    t.doubleColumn("p95 ms").append(percentile(all, 95) / 1e6);
    t.doubleColumn("max ms").append(percentile(all, 100) / 1e6);
    t.doubleColumn("requests/s").append(samples.size() / seconds);
    t.intColumn("503s retried").append(samples.stream().mapToInt(Sample::retried).sum());

    Table m = Table.create("methods", StringColumn.create("method"),
        IntColumn.create("requests"), DoubleColumn.create("p50 ms"),
        DoubleColumn.create("p95 ms"));
    for (String method : METHODS) {
      long[] own = samples.stream().filter(s -> s.method().equals(method))
          .mapToLong(Sample::nanos).toArray();
      if (own.length > 0) {
        m.stringColumn("method").append(method);
        m.intColumn("requests").append(own.length);
        m.doubleColumn("p50 ms").append(percentile(own, 50) / 1e6);
        m.doubleColumn("p95 ms").append(percentile(own, 95) / 1e6);
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    String prose = prose().replace("{model}", o.model)
        .replace("{requests}", Integer.toString(samples.size()))
        .replace("{clients}", Integer.toString(o.clients))
        .replace("{images}", Integer.toString(images)).replace("{dir}", imagesDir)
        .replace("{methods}", String.join(", ", METHODS))
        .replace("{workers}", Integer.toString(settings.workers()))
        .replace("{queue}", Integer.toString(settings.queue())).strip();
    String command = "./gradcam speed --serve --serve-requests " + o.requests
        + " --serve-clients " + o.clients + " --serve-images " + o.images
        + (out != null ? " --out " + out : "");
    return HEADING + "Generated by `" + command + "`" + machine + prose + "\n\n"
        + MarkdownTables.render(t, 1) + "\n" + MarkdownTables.render(m, 1)
        + String.format(Locale.ROOT, "%nMachine load (1-minute load average) %.1f before and "
            + "%.1f after the requests, on %d cores; the server's %d workers share them with the "
            + "clients and with whatever else runs on the machine.%n", loadBefore, loadAfter,
            cores, settings.workers());
  }

  /** What the section measures and how; the prose is a template beside this class. */
  static String prose() throws IOException {
    return BenchmarksFile.template("serve-latency.md");
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code p} percent of the
   * values at or below it ({@code p} in (0, 100]).
   */
  static long percentile(long[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    long[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100 * s.length);
    return s[Math.max(0, Math.min(s.length, rank) - 1)];
  }

  /** Where the section starts in {@code doc} (at a line start), or -1. */
  private static int start(String doc) {
    if (doc.startsWith(HEADING)) {
      return 0;
    }
    int at = doc.indexOf("\n" + HEADING);
    return at < 0 ? -1 : at + 1;
  }

  /** Where the section that starts at {@code from} ends: the next heading of level 1 or 2. */
  private static int end(String doc, int from) {
    int end = doc.length();
    for (String h : List.of("\n# ", "\n## ")) {
      int at = doc.indexOf(h, from + HEADING.length());
      if (at >= 0 && at + 1 < end) {
        end = at + 1;
      }
    }
    return end;
  }

  /** The section in {@code doc}, or null. */
  static String section(String doc) {
    int at = doc == null ? -1 : start(doc);
    return at < 0 ? null : doc.substring(at, end(doc, at));
  }

  /** {@code doc} without the section. */
  static String without(String doc) {
    int at = start(doc);
    return at < 0 ? doc : doc.substring(0, at) + doc.substring(end(doc, at));
  }

  /** {@code doc} with {@code section} in place of its own (appended when it has none). */
  static String splice(String doc, String section) {
    String body = section.stripTrailing() + "\n";
    if (doc == null || doc.isBlank()) {
      return body;
    }
    int at = start(doc);
    if (at < 0) {
      return doc.stripTrailing() + "\n\n" + body;
    }
    int end = end(doc, at);
    return doc.substring(0, at) + body + (end < doc.length() ? "\n" + doc.substring(end) : "");
  }
}
