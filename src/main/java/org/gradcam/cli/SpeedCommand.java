package org.gradcam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradcam.data.Assets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Measures, in one run, images per second of the bare forward pass and of full Grad-CAM
 * (forward, gradient and map) for batch sizes 1 and 8, so their ratio is what Grad-CAM costs;
 * then {@code explain}'s own work over real JPEG files, the sequential loop against the
 * pipeline, at the model's graph batch. Each part is its own class: {@link ThroughputSpeed}
 * (with {@link ExplainSpeed}, {@link EndToEndSpeed}, {@link PerturbationSpeed}), {@link OrtSpeed}
 * (with {@link ImportedSpeed}), {@link ColdStart} and {@link ServeLatency}; they share
 * {@link SpeedTiming}'s loop and write into {@link BenchmarksFile}.
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

  /** The parts of the run, each its own section of the benchmarks file. */
  enum Part { THROUGHPUT, ORT, COLD_START }

  /** {@code --only throughput|ort|cold-start}. */
  static final class PartOption extends EnumOption<Part> {
    PartOption() {
      super(Part.class, p -> p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
  }

  @Option(names = "--only", paramLabel = "PART", converter = PartOption.class,
      completionCandidates = PartOption.class, description = "run one part only: "
      + "${COMPLETION-CANDIDATES}; throughput is the forward/Grad-CAM, post-processing and "
      + "end-to-end tables, ort the comparison against ONNX Runtime with TensorFlow's profile "
      + "(default: all)")
  Part only;

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
    String machine = BenchmarksFile.machine();
    if (serveLatency.serve) {
      return ServeLatency.run(serveLatency, images, out, machine, spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
    String throughputDoc = null;
    String coldDoc = null;
    String ortDoc = null;
    if (only == null || only == Part.THROUGHPUT) {
      ThroughputSpeed throughput = new ThroughputSpeed(this, spec.commandLine().getErr());
      String markdown = throughput.tables();
      spec.commandLine().getOut().print(markdown);
      throughputDoc = "# Throughput\n\nGenerated by `./gradcam speed --out " + out + "`" + machine
          + throughput.prose() + "\n\n" + markdown;
    }
    if (only == null || only == Part.ORT) {
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
    if (only == null || only == Part.COLD_START) {
      String markdown = coldStart();
      spec.commandLine().getOut().print(markdown);
      coldDoc = BenchmarksFile.COLD_HEADING + "Generated by `./gradcam speed --only cold-start "
          + "--out " + out + "`" + machine + ColdStart.prose() + "\n\n" + markdown;
    }
    if (out != null) {
      // One part rerun alone replaces its own section and keeps the others.
      BenchmarksFile.write(out, throughputDoc, ortDoc, coldDoc);
    }
    return 0;
  }

  /** The cold-start table, each model started afresh in child JVMs. */
  private String coldStart() throws Exception {
    Path image = coldStartImage;
    if (image == null) {
      image = SpeedTiming.jpegs(Path.of(images)).stream().findFirst().orElseThrow(() ->
          new IOException("no JPEGs in " + images + " for the cold-start table; give "
              + "--cold-start-image"));
    }
    if (!Files.isRegularFile(image)) {
      throw new IOException("no such image: " + image);
    }
    List<String> jvm = coldStartJvmOptions != null ? coldStartJvmOptions : ColdStart.jvmOptionsOfThisJvm();
    ColdStart cold = new ColdStart(jvm, image, coldStartRuns, spec.commandLine().getErr());
    return cold.table(models);
  }
}
