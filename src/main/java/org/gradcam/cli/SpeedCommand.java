package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.SqueezeNet11;
import org.gradcam.model.Vgg16;
import org.gradcam.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import org.gradcam.io.AtomicFiles;

/**
 * Measures, in one run, images per second of the bare forward pass and of full Grad-CAM
 * (forward, gradient and map) for batch sizes 1 and 8, so their ratio is what Grad-CAM costs;
 * then {@code explain}'s own work over real JPEG files, the sequential loop against the
 * pipeline, at the model's graph batch.
 */
@Command(name = "speed", mixinStandardHelpOptions = true,
    description = "Throughput of the forward pass vs full Grad-CAM, and of explain end to end "
        + "(sequential vs pipelined), written as markdown tables.")
public final class SpeedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ImageLimitOptions imageLimit = new ImageLimitOptions();

  @picocli.CommandLine.Mixin ServeLatency.Options serveLatency = new ServeLatency.Options();

  @Option(names = "--models", split = ",", defaultValue = "squeezenet1.1,vgg16",
      converter = ImportedSpeed.Entry.class, paramLabel = "MODEL",
      description = "built-in models (VGG16 uses random weights: speed does not depend on them) "
          + "or model files as FILE or NAME=FILE, timed in the ort part against the built-in "
          + "SqueezeNet 1.1 and ONNX Runtime (default: ${DEFAULT-VALUE})")
  List<String> models;

  /** The model-file entries of --models, split off the built-ins before any timing. */
  private List<String> modelFiles = List.of();

  @Option(names = "--batches", split = ",", defaultValue = "1,8", description = "batch sizes (default: ${DEFAULT-VALUE})")
  List<Integer> batches;

  @Option(names = "--seconds", defaultValue = "5", description = "measuring time per cell (default: ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--out", description = "markdown file to write (e.g. results/benchmarks.md)")
  Path out;

  @Option(names = "--images", paramLabel = "DIR", description = "JPEGs for the end-to-end "
      + "explain table; 'none' skips it (default: the stand-in's 200 images, asset "
      + "oxford-pets-dogs: cache, mirror or download)")
  String images;

  @Option(names = "--images-max", defaultValue = "200,64", split = ",", paramLabel = "N",
      description = "at most this many of them per model, in --models order (default: ${DEFAULT-VALUE})")
  List<Integer> imagesMax;

  @Option(names = "--repeats", defaultValue = "3",
      description = "end-to-end runs of each path, alternated, to show the noise (default: ${DEFAULT-VALUE})")
  int repeats;

  @Option(names = "--threads", paramLabel = "LOADERS,WRITERS", split = ",",
      description = "pipeline loader and writer threads (default: as explain chooses for this machine)")
  List<Integer> threads;

  @Option(names = "--only", paramLabel = "PART", description = "run one part only: throughput "
      + "(the forward/Grad-CAM, post-processing and end-to-end tables), ort (against ONNX "
      + "Runtime, with TensorFlow's profile) or cold-start (default: all)")
  String only;

  @Option(names = "--ort-rounds", defaultValue = "3", paramLabel = "N",
      description = "interleaved rounds of the ONNX Runtime comparison (default: ${DEFAULT-VALUE})")
  int ortRounds;

  @Option(names = "--cold-start-image", paramLabel = "IMG", description = "the image the cold-start "
      + "children explain (default: the first JPEG of --images)")
  Path coldStartImage;

  @Option(names = "--cold-start-runs", defaultValue = "3", paramLabel = "N",
      description = "cold starts of each model, to show the noise (default: ${DEFAULT-VALUE})")
  int coldStartRuns;

  @Option(names = "--cold-start-jvm-options", paramLabel = "OPTS", split = " ",
      description = "JVM options of the cold-start children (default: this JVM's -X and -XX "
          + "options)")
  List<String> coldStartJvmOptions;

  /** Hidden: the library-path child of the cold-start table (see {@link ColdStart}). */
  @Option(names = "--first-run-of", hidden = true, paramLabel = "MODEL:WEIGHTS")
  String firstRunOf;

  /**
   * Every option checked before the first measurement, so a typo fails at once instead of after
   * minutes of timing (or, for a batch of 0, with the model's internal shape message).
   */
  void validate() throws IOException {
    // Names and files were checked as --models was parsed (ImportedSpeed.Entry); the throughput,
    // cold-start and built-in ORT tables time the built-ins, the file rows their own table.
    modelFiles = models.stream().filter(ImportedSpeed::isFile).toList();
    models = models.stream().filter(m -> !ImportedSpeed.isFile(m)).toList();
    for (int n : batches) {
      if (n < 1) {
        throw new IllegalArgumentException("--batches must be numbers >= 1, got " + n);
      }
    }
    if (!(seconds > 0 && Double.isFinite(seconds))) {
      throw new IllegalArgumentException("--seconds must be a number > 0, got " + seconds);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
    }
    for (int n : imagesMax) {
      if (n < 1) {
        throw new IllegalArgumentException("--images-max must be numbers >= 1, got " + n);
      }
    }
    if (threads != null && (threads.size() != 2 || threads.get(0) < 1 || threads.get(1) < 1)) {
      throw new IllegalArgumentException("--threads takes LOADERS,WRITERS, two numbers >= 1, got "
          + threads.stream().map(String::valueOf)
              .collect(java.util.stream.Collectors.joining(",")));
    }
    if (only != null && !only.equals("throughput") && !only.equals("ort")
        && !only.equals("cold-start")) {
      throw new IllegalArgumentException("--only must be throughput, ort or cold-start, got "
          + only);
    }
    if (ortRounds < 1) {
      throw new IllegalArgumentException("--ort-rounds must be >= 1, got " + ortRounds);
    }
    if (coldStartRuns < 1) {
      throw new IllegalArgumentException("--cold-start-runs must be >= 1, got " + coldStartRuns);
    }
    if (!images.equals("none") && !Files.isDirectory(Path.of(images))) {
      throw new IOException("--images: no such directory: " + images + " (or 'none' to skip "
          + "the end-to-end table)");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (firstRunOf != null) {
      int colon = firstRunOf.indexOf(':');
      spec.commandLine().getOut().println(ColdStart.firstRun(firstRunOf.substring(0, colon),
          firstRunOf.substring(colon + 1)));
      return 0;
    }
    if (images == null) { // resolved first: a missing input fails before minutes of timing
      Path mirror = ReproduceCommand.defaultMirror(); // relative, as the report prints it
      images = ReproduceCommand.shown(new Assets(Assets.cacheRoot(),
          Files.isDirectory(mirror) ? mirror : null).directory("oxford-pets-dogs")
          .resolve("images")).toString();
    }
    validate();
    String machine = " on " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, " + cpuModel() + ", TensorFlow Java 1.1.0 (TF 2.18, CPU). ";
    if (serveLatency.serve) {
      return ServeLatency.run(serveLatency, images, out, machine, spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
    String throughputDoc = null;
    String coldDoc = null;
    String ortDoc = null;
    if (only == null || "throughput".equals(only)) {
      String markdown = throughput();
      spec.commandLine().getOut().print(markdown);
      throughputDoc = "# Throughput\n\nGenerated by `./gradcam speed --out " + out + "`" + machine
          + throughputProse() + "\n\n" + markdown;
    }
    if (only == null || "ort".equals(only)) {
      ortDoc = models.isEmpty() ? OrtSpeed.HEADING + "Generated by `./gradcam speed --only ort`"
          + machine + "\n\n"
          : new OrtSpeed(models, batches, seconds, ortRounds, spec.commandLine().getErr())
              .section("./gradcam speed --only ort --out " + out, machine);
      if (!modelFiles.isEmpty()) {
        ortDoc = ortDoc.stripTrailing() + "\n\n" + new ImportedSpeed(batches, seconds, ortRounds,
            spec.commandLine().getErr()).section(modelFiles);
      }
      spec.commandLine().getOut().print(ortDoc);
    }
    if (only == null || "cold-start".equals(only)) {
      String markdown = coldStart();
      spec.commandLine().getOut().print(markdown);
      coldDoc = COLD_HEADING + "Generated by `./gradcam speed --only cold-start --out " + out + "`"
          + machine + ColdStart.prose() + "\n\n" + markdown;
    }
    if (out != null) {
      // One part rerun alone replaces its own section and keeps the others.
      String previous = Files.isRegularFile(out) ? Files.readString(out) : null;
      String serveSection = previous == null ? null : ServeLatency.section(previous); // kept, last
      String[] old = OrtSpeed.sections(previous == null ? null : ServeLatency.without(previous),
          COLD_HEADING);
      String first = throughputDoc != null ? throughputDoc : old[0];
      String middle = ortDoc != null ? ortDoc : old[1];
      String second = coldDoc != null ? coldDoc : old[2];
      Files.createDirectories(out.toAbsolutePath().getParent());
      String doc = (first == null ? "" : first.stripTrailing() + "\n\n")
          + (middle == null ? "" : middle.stripTrailing() + "\n\n")
          + (second == null ? "" : second);
      AtomicFiles.writeString(out, serveSection == null ? doc
          : ServeLatency.splice(doc, serveSection));
    }
    return 0;
  }

  private static final String COLD_HEADING = "## Cold start\n\n";

  /** The cold-start table, each model started afresh in child JVMs. */
  private String coldStart() throws Exception {
    Path image = coldStartImage;
    if (image == null) {
      try (var s = Files.list(Path.of(images))) {
        image = s.filter(f -> f.toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.jpe?g"))
            .sorted().findFirst().orElseThrow(() -> new IOException("no JPEGs in " + images
                + " for the cold-start table; give --cold-start-image"));
      }
    }
    if (!Files.isRegularFile(image)) {
      throw new IOException("no such image: " + image);
    }
    List<String> jvm = coldStartJvmOptions != null ? coldStartJvmOptions : ColdStart.jvmOptionsOfThisJvm();
    ColdStart cold = new ColdStart(jvm, image, coldStartRuns, spec.commandLine().getErr());
    return cold.table(models);
  }

  private String throughputProse() {
    return "Each cell is timed for "
        + seconds + " s after a warm-up; the input is random (speed does not depend on it). "
        + "Every graph run has the model's graph batch (8 rows for SqueezeNet 1.1, 4 for VGG16), "
        + "the last one zero-padded, so that no number depends on the batch (README, "
        + "Determinism); the rows of 1 image at graph batch 1 time an unpadded run, so the "
        + "row below each shows what the rule costs a lone image. "
        + "The second table times the post-processing of one 500x375 picture. The third times "
        + "`explain` itself over real JPEGs (" + images + "): decode, preprocess, Grad-CAM, "
        + "overlay, PNG and .npy output, model loading excluded; _sequential_ is the former "
        + "loop (one batch after the other), _pipelined_ overlaps the stages (`explain`'s "
        + "default), both at the model's graph batch (what `--batch-size auto` takes); each is the "
        + "median (min-max) of "
        + repeats + " alternated runs. Other work on the machine slows every cell; the load "
        + "average printed below the last table tells how busy it was.";
  }

  /** The forward/Grad-CAM, post-processing and end-to-end tables. */
  private String throughput() throws Exception {
    Table table = Table.create("speed", StringColumn.create("model"), StringColumn.create("weights"),
        IntColumn.create("images per call"), IntColumn.create("graph batch"),
        DoubleColumn.create("forward img/s"), DoubleColumn.create("grad-cam img/s"),
        DoubleColumn.create("grad-cam / forward time"));
    for (String name : models) {
      boolean real = name.equals(SqueezeNet11.NAME) && Assets.defaults().isLocal("squeezenet1.1");
      try (Model model = name.equals(Vgg16.NAME) ? Vgg16.random(1)
          : real ? SqueezeNet11.load(Assets.defaults().directory("squeezenet1.1"))
          : SqueezeNet11.random(1)) {
        for (int n : batches) {
          // A lone image also at graph batch 1: what padding to the model's graph batch costs it.
          List<Model> runs = n == 1 && model.graphBatch() > 1
              ? List.of(model.atGraphBatch(1), model) : List.of(model);
          for (Model m : runs) {
            Explainer explainer = new Explainer(m, m.spec().defaultLayer(), new GradCam());
            float[] batch = randomBatch(m, n);
            double forward = imagesPerSecond(n, () -> m.logits(batch, n).length);
            double gradcam = imagesPerSecond(n, () -> explainer.explain(batch, n, Target.top1()).size());
            table.stringColumn("model").append(name);
            table.stringColumn("weights").append(real ? "ImageNet" : "random");
            table.intColumn("images per call").append(n);
            table.intColumn("graph batch").append(m.graphBatch());
            table.doubleColumn("forward img/s").append(forward);
            table.doubleColumn("grad-cam img/s").append(gradcam);
            table.doubleColumn("grad-cam / forward time").append(forward / gradcam);
            spec.commandLine().getErr().printf("%s %d images, graph batch %d: forward %.2f img/s, "
                + "grad-cam %.2f img/s%n", name, n, m.graphBatch(), forward, gradcam);
          }
        }
      }
    }
    String endToEnd = images.equals("none") ? "" : "\n" + endToEnd();
    return MarkdownTables.render(table, 2) + "\n" + postProcessing() + endToEnd;
  }

  /**
   * {@code explain} end to end over real JPEGs, sequential vs pipelined, at the graph batch,
   * next to the bare forward pass and the Grad-CAM graph at that size.
   */
  private String endToEnd() throws Exception {
    List<Path> all;
    try (var s = Files.list(Path.of(images))) {
      all = s.filter(f -> f.toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.jpe?g"))
          .sorted().toList();
    }
    if (all.isEmpty()) {
      throw new IOException("no JPEGs in " + images);
    }
    Table t = Table.create("explain end to end", StringColumn.create("model"),
        IntColumn.create("images"), StringColumn.create("graph batch"),
        DoubleColumn.create("forward img/s"), DoubleColumn.create("grad-cam graph img/s"),
        StringColumn.create("explain sequential img/s"), StringColumn.create("explain pipelined img/s"),
        DoubleColumn.create("pipelined / sequential"), DoubleColumn.create("CPU ms/img sequential"),
        DoubleColumn.create("CPU ms/img pipelined"));
    double loadBefore = MachineLoad.oneMinute();
    for (int m = 0; m < models.size(); m++) {
      String name = models.get(m);
      int max = imagesMax.get(Math.min(m, imagesMax.size() - 1));
      List<Path> files = all.subList(0, Math.min(max, all.size()));
      boolean real = name.equals(SqueezeNet11.NAME) && Assets.defaults().isLocal("squeezenet1.1");
      try (Model model = name.equals(Vgg16.NAME) ? Vgg16.random(1)
          : real ? SqueezeNet11.load(Assets.defaults().directory("squeezenet1.1"))
          : SqueezeNet11.random(1)) {
        Explainer explainer = new Explainer(model, model.spec().defaultLayer(), new GradCam());
        Path dir = Files.createTempDirectory("speed-explain");
        try {
          ExplainJob job = new ExplainJob(explainer, Target.top1(), Interpolation.NEAREST,
              new ExplainJob.Output(Colormap.JET, 0.4, dir.resolve("png"), dir.resolve("npy"),
                  false, false, true, new java.io.PrintWriter(java.io.Writer.nullWriter())));
          int b = model.graphBatch();
          float[] batch = randomBatch(model, b);
          double forward = imagesPerSecond(b, () -> model.logits(batch, b).length);
          double graph = imagesPerSecond(b, () -> explainer.explain(batch, b, Target.top1()).size());
          Pipeline.Config config = Pipeline.Config.forBatch(b);
          if (threads != null) {
            config = new Pipeline.Config(b, threads.get(0), threads.get(1), config.queueCapacity());
          }
          double[] seq = new double[repeats];
          double[] pipe = new double[repeats];
          double[] seqCpu = new double[repeats];
          double[] pipeCpu = new double[repeats];
          for (int r = 0; r < repeats; r++) {
            long c0 = processCpuNanos();
            seq[r] = timed(files.size(), dir, () -> job.sequential(files, b, n -> { }));
            long c1 = processCpuNanos();
            Pipeline.Config c = config;
            pipe[r] = timed(files.size(), dir, () -> job.pipelined(files, c, n -> { }));
            seqCpu[r] = (c1 - c0) / 1e6 / files.size();
            pipeCpu[r] = (processCpuNanos() - c1) / 1e6 / files.size();
            spec.commandLine().getErr().printf("%s run %d: sequential %.1f img/s, pipelined %.1f"
                + " img/s%n", name, r + 1, seq[r], pipe[r]);
          }
          t.stringColumn("model").append(name + (real ? "" : " (random)"));
          t.intColumn("images").append(files.size());
          t.stringColumn("graph batch").append(b + " (threads: " + config.loaders() + " loader, "
              + config.writers() + " writer)");
          t.doubleColumn("forward img/s").append(forward);
          t.doubleColumn("grad-cam graph img/s").append(graph);
          t.stringColumn("explain sequential img/s").append(spread(seq));
          t.stringColumn("explain pipelined img/s").append(spread(pipe));
          t.doubleColumn("pipelined / sequential").append(median(pipe) / median(seq));
          t.doubleColumn("CPU ms/img sequential").append(median(seqCpu));
          t.doubleColumn("CPU ms/img pipelined").append(median(pipeCpu));
        } finally {
          deleteTree(dir);
        }
      }
    }
    double loadAfter = MachineLoad.oneMinute();
    String stages = stages(all);
    return MarkdownTables.render(t, 2) + String.format(java.util.Locale.ROOT, "%nMachine load "
        + "(1-minute load average) %.1f before and %.1f after the end-to-end runs, on %d cores: "
        + "CPU ms/img is this process's CPU time (all threads) per image, which depends much "
        + "less on the load than the rates do; on an otherwise idle machine the pipelined rate "
        + "can at best reach cores x 1000 / (CPU ms/img).%n", loadBefore, loadAfter,
        Runtime.getRuntime().availableProcessors()) + stages;
  }

  /** Per-stage, decode-only and perturbation rows ({@link EndToEndSpeed}). */
  private String stages(List<Path> all) throws Exception {
    EndToEndSpeed e2e = new EndToEndSpeed(spec.commandLine().getErr(), seconds);
    StringBuilder md = new StringBuilder("\n").append(EndToEndSpeed.prose()).append("\n\n");
    for (int m = 0; m < models.size(); m++) {
      String name = models.get(m);
      List<Path> files = all.subList(0, Math.min(imagesMax.get(Math.min(m, imagesMax.size() - 1)),
          all.size()));
      boolean real = name.equals(SqueezeNet11.NAME) && Assets.defaults().isLocal("squeezenet1.1");
      try (Model model = name.equals(Vgg16.NAME) ? Vgg16.random(1)
          : real ? SqueezeNet11.load(Assets.defaults().directory("squeezenet1.1"))
          : SqueezeNet11.random(1)) {
        Explainer explainer = new Explainer(model, model.spec().defaultLayer(), new GradCam());
        String label = name + (real ? "" : " (random)");
        Pipeline.Config config = Pipeline.Config.forBatch(model.graphBatch());
        if (threads != null) {
          config = new Pipeline.Config(config.batchSize(), threads.get(0), threads.get(1),
              config.queueCapacity());
        }
        md.append(e2e.tables(label, model, explainer, files, config));
        md.append("\n### Perturbation methods: ").append(label).append("\n\n")
            .append(e2e.perturbation(label, model, files.get(0))).append("\n");
      }
    }
    return md.toString();
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  @FunctionalInterface
  private interface Job {
    void run() throws Exception;
  }

  /** Images per second of one run, starting from an empty output directory. */
  private static double timed(int n, Path dir, Job job) throws Exception {
    deleteTree(dir.resolve("png"));
    deleteTree(dir.resolve("npy"));
    long t0 = System.nanoTime();
    job.run();
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static String spread(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return String.format(java.util.Locale.ROOT, "%.1f (%.1f-%.1f)", median(v), s[0], s[s.length - 1]);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Milliseconds per 500x375 image of each post-processing step, as explain runs them. */
  private String postProcessing() throws Exception {
    int w = 500;
    int h = 375;
    Random rnd = new Random(0);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Smooth content with mild noise compresses like a photo, unlike pure noise.
        image.setRGB(x, y, ((x / 2) << 16) | ((y / 2) << 8) | rnd.nextInt(32));
      }
    }
    float[] map = new float[13 * 13];
    for (int i = 0; i < map.length; i++) {
      map[i] = rnd.nextFloat();
    }
    Path png = Files.createTempFile("speed", ".png");
    try {
      Table steps = Table.create("post-processing", StringColumn.create("step"),
          DoubleColumn.create("ms per image"));
      steps.stringColumn("step").append("resize 500x375 to 224x224 (nearest)");
      steps.doubleColumn("ms per image").append(msPerCall(
          () -> Resize.resize(image, 224, 224, Interpolation.NEAREST).getWidth()));
      BufferedImage overlay = Overlay.blend(image, map, 13, 13, Colormap.JET, 0.4);
      steps.stringColumn("step").append("upsample 13x13 map, jet colormap, blend");
      steps.doubleColumn("ms per image").append(msPerCall(
          () -> Overlay.blend(image, map, 13, 13, Colormap.JET, 0.4).getWidth()));
      steps.stringColumn("step").append("write PNG");
      steps.doubleColumn("ms per image").append(msPerCall(() -> {
        try {
          Images.writePng(overlay, png);
          return 1;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
      return MarkdownTables.render(steps, 2);
    } finally {
      Files.deleteIfExists(png);
    }
  }

  private double msPerCall(IntSupplier run) {
    return 1000 / imagesPerSecond(1, run);
  }

  private double imagesPerSecond(int n, IntSupplier run) {
    run.getAsInt();
    run.getAsInt();
    return time(seconds, 1, run).rate(n);
  }

  /** How many calls a timed loop made in how many seconds of wall clock. */
  record Timed(int calls, double seconds) {
    /** Calls per second times {@code n} (images per call). */
    double rate(int n) {
      return calls * n / seconds;
    }
  }

  /**
   * Calls {@code run} until {@code seconds} of wall clock have passed and at least
   * {@code minCalls} calls were made: the one timing loop of every speed table.
   */
  static Timed time(double seconds, int minCalls, IntSupplier run) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int calls = 0;
    do {
      run.getAsInt();
      calls++;
    } while (System.nanoTime() < end || calls < minCalls);
    return new Timed(calls, (System.nanoTime() - start) / 1e9);
  }

  private static float[] randomBatch(Model model, int n) {
    Random rnd = new Random(n);
    float[] batch = new float[n * model.spec().inputLength()];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = (float) rnd.nextGaussian();
    }
    return batch;
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
}
