package org.gradcam.cli;

import static org.gradcam.eval.SignificantDigits.float32;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.data.Assets;
import org.gradcam.experiment.ExplanationBenchmark;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.DogTargets;
import org.gradcam.experiment.MethodBenchmark;
import org.gradcam.experiment.MethodBenchmark.Row;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.plot.BenchmarkBarCharts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import org.gradcam.io.AtomicFiles;

/**
 * {@code gradcam benchmark}: every model x CAM method on a dog dataset, one table of AP@0.5 of
 * the dog boxes, pointing game, energy pointing game, deletion / insertion AUC and time per
 * image, plus a bar chart per metric. See {@link MethodBenchmark} for what each number is.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = {"Models x CAM methods on dog images: AP@0.5 of the dog boxes (published box "
        + "procedure and protocol), pointing game, energy pointing game, deletion and insertion "
        + "AUC, ms per image.",
        "Writes benchmark.md, benchmark.csv and one bar chart PNG per metric to --out."})
public final class BenchmarkCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ImageLimitOptions imageLimit = new ImageLimitOptions();

  @Mixin DogDataOptions data = new DogDataOptions();

  @Option(names = "--models", split = ",", defaultValue = "squeezenet1.1,mobilenet_v2",
      paramLabel = "M", description = "models, built-in names or model files (.onnx, Keras "
          + ".h5/.keras), each at its default layer (default: ${DEFAULT-VALUE}; vgg16 needs "
          + "`gradcam fetch vgg16`)")
  List<String> models;

  @Option(names = "--model", paramLabel = "NAME|FILE",
      description = "one model instead of --models: a built-in name or a model file")
  String model;

  @Mixin ModelFileOptions modelFile = new ModelFileOptions();

  @Option(names = "--target", defaultValue = "top-dog", paramLabel = "top-dog|CLASS_NAME|INDEX",
      description = "top-dog: each image's highest-scoring ImageNet dog class 151..268; or one "
          + "class of the model by its label (--labels, the file's metadata) or its index, for "
          + "a model of one's own (default: ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--methods", split = ",", paramLabel = "NAME",
      description = "CAM methods (default: all, gradcam,gradcam++,xgradcam,hirescam,layercam,"
          + "eigencam,counterfactual,scorecam; scorecam costs one forward pass per channel)")
  List<String> methods;

  @Option(names = "--threshold", defaultValue = "" + MethodBenchmark.PUBLISHED_THRESHOLD,
      paramLabel = "T", description = "heatmap threshold of the AP boxes (default: "
          + "${DEFAULT-VALUE}, as published)")
  double threshold;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "output: benchmark.md, benchmark.csv, chart-*.png")
  Path out;

  /** The metrics charted, in table order. */
  private record Metric(String file, String title, String axis, ToDoubleFunction<Row> value,
      boolean logarithmic) {
    Metric(String file, String title, String axis, ToDoubleFunction<Row> value) {
      this(file, title, axis, value, false);
    }
  }

  private static final List<Metric> METRICS = List.of(
      new Metric("ap50", "AP@0.5 of the dog boxes (%)", "AP (%)", Row::apPercent),
      new Metric("pointing", "Pointing game accuracy", "accuracy",
          r -> r.summary().pointingAccuracy()),
      new Metric("energy", "Energy pointing game", "energy in the dog boxes",
          r -> r.summary().meanEnergy()),
      new Metric("deletion", "Deletion AUC (lower is better)", "AUC",
          r -> r.summary().meanDeletionAuc()),
      new Metric("insertion", "Insertion AUC (higher is better)", "AUC",
          r -> r.summary().meanInsertionAuc()),
      new Metric("ms", "Milliseconds per image (map only, log scale)", "ms",
          r -> r.summary().meanExplainMillis(), true));

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("--threshold must be in [0, 1], got " + threshold);
    }
    List<String> modelNames = model != null ? List.of(model) : distinct(models, "--models");
    for (String m : modelNames) {
      if (!Models.NAMES.contains(m) && !Models.isFile(m)) {
        throw new IllegalArgumentException("unknown model '" + m + "'; known: "
            + String.join(", ", Models.NAMES) + ", or a model file (.onnx, .h5, .keras)");
      }
    }
    if (target.equals("dog-sum")) {
      // A class set has no one class whose probability the deletion curve could follow.
      throw new IllegalArgumentException("--target dog-sum is for localize; benchmark takes "
          + "top-dog, a class label or a class index");
    }
    if (modelFile.resizeShort != null) {
      // The metrics upsample maps to the whole image; a crop's map is not wired through them.
      throw new IllegalArgumentException("benchmark does not take --resize-short yet; explain, "
          + "localize and analyze-errors do");
    }
    Models.Options options = modelFile.options();
    List<String> methodNames = new ArrayList<>();
    for (String m : methods == null ? CamMethods.names() : distinct(methods, "--methods")) {
      methodNames.add(CamMethods.byName(m).name()); // validates, canonical case
    }
    DogDataset dataset = data.open();
    stdout.printf(Locale.ROOT, "%s: %d images, %d dog boxes; %d models x %d methods%n",
        dataset.label(), dataset.files().size(), dataset.groundTruth().boxCount(),
        modelNames.size(), methodNames.size());
    stdout.flush();

    double loadBefore = MachineLoad.oneMinute();
    // Every model is loaded before any work, so a missing weights file fails at once.
    List<Model> loaded = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    try {
      for (String m : modelNames) {
        // The one registry, as explain and localize: the file options apply to model files.
        loaded.add(Models.load(m, Assets.defaults(),
            Models.isFile(m) ? options : options.forBuiltIn()));
      }
      List<ExplanationBenchmark.Image> images = MethodBenchmark.images(dataset);
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("benchmark")
          .setInitialMax((long) images.size() * modelNames.size() * methodNames.size())
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
        for (int i = 0; i < modelNames.size(); i++) {
          Model m = loaded.get(i);
          String layer = m.defaultLayer();
          var classTarget = DogTargets.of(target, m);
          for (String method : methodNames) {
            bar.setExtraMessage(modelNames.get(i) + " " + method);
            Explainer explainer = new Explainer(m, layer, CamMethods.byName(method));
            rows.add(MethodBenchmark.run(modelNames.get(i), explainer, classTarget, dataset,
                images, threshold, bar::step));
          }
        }
      }
    } finally {
      for (Model m : loaded) {
        m.close();
      }
    }

    Files.createDirectories(out);
    writeCsv(out.resolve("benchmark.csv"), dataset, rows);
    String md = markdown(dataset, rows, loadBefore, MachineLoad.oneMinute());
    AtomicFiles.writeString(out.resolve("benchmark.md"), md);
    for (Metric metric : METRICS) {
      List<BenchmarkBarCharts.Cell> cells = rows.stream().map(r -> new BenchmarkBarCharts.Cell(
          r.model(), r.method(), metric.value().applyAsDouble(r))).toList();
      BenchmarkBarCharts.writePng(BenchmarkBarCharts.chart(metric.title() + " - "
          + dataset.label(), metric.axis(), cells, metric.logarithmic()), out.resolve("chart-" + metric.file() + ".png"));
    }
    stdout.println(md);
    stdout.flush();
    return 0;
  }

  private static List<String> distinct(List<String> values, String option) {
    LinkedHashSet<String> set = new LinkedHashSet<>();
    for (String v : values) {
      if (!set.add(v.trim())) {
        throw new IllegalArgumentException(option + " names '" + v + "' twice");
      }
    }
    return List.copyOf(set);
  }

  static final String CSV_HEADER = "dataset,model,layer,method,images,threshold,ap50_percent,"
      + "boxes,pointing_accuracy,pointing_hits,pointing_misses,energy_pointing,mean_best_iou,"
      + "deletion_auc,insertion_auc,ms_explain,ms_total";

  private static void writeCsv(Path file, DogDataset dataset, List<Row> rows) throws IOException {
    AtomicFiles.writeText(file, w -> {
      w.write(CSV_HEADER + "\n");
      for (Row r : rows) {
        ExplanationBenchmark.Summary s = r.summary();
        w.write(String.join(",", quote(dataset.label()), r.model(), r.layer(), r.method(),
            "" + r.images(), "" + r.threshold(), float32(r.apPercent()), "" + r.boxes(),
            float32(s.pointingAccuracy()), "" + s.hits(), "" + s.misses(),
            float32(s.meanEnergy()), float32(s.meanBestIou()), float32(s.meanDeletionAuc()),
            float32(s.meanInsertionAuc()), float32(s.meanExplainMillis()),
            float32(s.meanTotalMillis())) + "\n");
      }
    });
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** The arguments after this subcommand's name, as typed. */
  private List<String> ownArgs() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    int at = args.indexOf(spec.name());
    return at < 0 ? args : args.subList(at + 1, args.size());
  }

  private String command() {
    List<String> args = ownArgs();
    StringBuilder sb = new StringBuilder("./gradcam benchmark");
    for (String a : args) {
      sb.append(' ').append(a.matches("[A-Za-z0-9_./,=+:@-]+") ? a : "'" + a.replace("'", "'\\''")
          + "'");
    }
    return sb.toString();
  }

  private String markdown(DogDataset dataset, List<Row> rows, double loadBefore,
      double loadAfter) {
    String label = dataset.label();
    StringBuilder s = new StringBuilder();
    s.append("# CAM benchmark: ").append(label).append("\n\n");
    s.append("```bash\n").append(command()).append("\n```\n\n");
    s.append(String.format(Locale.ROOT, "- Data: **%s**: %d images with a dog box and a JPEG, "
        + "%d dog boxes (%d difficult). Images `%s`, ground truth `%s` (class `dog`). These "
        + "numbers describe this data only; they are VOC2007 numbers only when the data is the "
        + "full VOC2007 test dog set (433 images, 530 boxes).%n", label, dataset.files().size(),
        dataset.groundTruth().boxCount(), dataset.groundTruth().difficultCount(),
        Assets.display(dataset.images()), Assets.display(dataset.groundTruthSource())));
    s.append("- Target: ").append(DogTargets.dogSet(target)
        ? "each image's best-scoring ImageNet dog class (151..268)"
        : "class " + target + " of the model").append("; one map per "
        + "image and method at the model's default layer (see `layer` in benchmark.csv); input "
        + "resized by nearest neighbour.\n");
    s.append(String.format(Locale.ROOT, "- **AP@0.5**: percent. The map divided by its maximum, "
        + "bilinearly upsampled to the image, boxed by the published procedure (uniform filter "
        + "20, map > %s, holes filled, one box per 4-connected component; full-image box when no "
        + "pixel exceeds it) at heatmap threshold **%s**%s; boxes scored by the mean map inside "
        + "them; published protocol (all-point AP, +1 IoU, IoU > 0.5, difficult boxes "
        + "counted), boxes 0-based exclusive compared with the 1-based VOC boxes as published.%n",
        fmt(threshold), fmt(threshold),
        threshold == MethodBenchmark.PUBLISHED_THRESHOLD ? " (the published one)" : ""));
    s.append(String.format(Locale.ROOT, "- **Pointing**: pointing game accuracy, the map's maximum inside a dog box with "
        + "15 px tolerance (TorchRay); **energy**: share of the map's energy inside the dog "
        + "boxes; **deletion / insertion**: AUC of the explained class's probability as the "
        + "most salient pixels are removed (to zero) / inserted (into a blur), 28 steps; "
        + "**ms/image**: preprocessing plus the map (the images explained in chunks of the "
        + "model's graph batch, each charged its share), mean over images, on this machine (%d cores; 1-minute load average %.1f at "
        + "the start, %.1f at the end: other work on the machine slows it); `ms_total` in the "
        + "CSV adds the deletion and insertion curves.%n", Runtime.getRuntime().availableProcessors(),
        loadBefore, loadAfter));
    s.append("\nOn the full VOC2007 test set (on a connected machine):\n\n```bash\n"
        + "./gradcam fetch voc2007-test-tar --extract\n"
        + "./gradcam benchmark --voc data/cache/extracted/voc2007-test-tar/VOCdevkit/VOC2007 --dataset-label "
        + "'VOC2007 test' --out results/benchmark/voc2007-test\n```\n\n");
    Table t = Table.create(label);
    t.addColumns(StringColumn.create("model"), StringColumn.create("method"),
        StringColumn.create("images"), DoubleColumn.create("AP@0.5 (%)"),
        DoubleColumn.create("pointing"), DoubleColumn.create("energy pointing"),
        DoubleColumn.create("deletion AUC"), DoubleColumn.create("insertion AUC"),
        StringColumn.create("ms/image"));
    for (Row r : rows) {
      ExplanationBenchmark.Summary sum = r.summary();
      t.stringColumn(0).append(r.model());
      t.stringColumn(1).append(r.method());
      t.stringColumn(2).append("" + r.images());
      t.doubleColumn(3).append(r.apPercent());
      t.doubleColumn(4).append(sum.pointingAccuracy());
      t.doubleColumn(5).append(sum.meanEnergy());
      t.doubleColumn(6).append(sum.meanDeletionAuc());
      t.doubleColumn(7).append(sum.meanInsertionAuc());
      t.stringColumn(8).append(String.format(Locale.ROOT, "%.0f", sum.meanExplainMillis()));
    }
    s.append("## ").append(label).append("\n\n").append(MarkdownTables.render(t, 3));
    s.append("\nCharts: ");
    for (Metric m : METRICS) {
      s.append("`chart-").append(m.file()).append(".png` ");
    }
    s.append("\n");
    return s.toString();
  }

  private static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
