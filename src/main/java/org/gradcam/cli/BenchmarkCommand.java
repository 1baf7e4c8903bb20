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
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.data.Assets;
import org.gradcam.experiment.ExplanationBenchmark;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.LocalizationTarget;
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
import org.gradcam.io.AtomicFiles;
import org.gradcam.io.Csv;

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
      converter = LocalizeCommand.TargetOption.class,
      description = "top-dog: each image's highest-scoring ImageNet dog class 151..268; or one "
          + "class of the model by its label (--labels, the file's metadata) or its index, for "
          + "a model of one's own (default: ${DEFAULT-VALUE})")
  LocalizationTarget target;

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
    if (target.kind() == LocalizationTarget.Kind.DOG_SUM) {
      // A class set has no one class whose probability the deletion curve could follow.
      throw new IllegalArgumentException("--target dog-sum is for localize; benchmark takes "
          + "top-dog, a class label or a class index");
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
          var classTarget = target.resolve(m);
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
    String md = BenchmarkReport.markdown(command(), dataset, target, rows, threshold, loadBefore,
        MachineLoad.oneMinute(), Runtime.getRuntime().availableProcessors());
    AtomicFiles.writeString(out.resolve("benchmark.md"), md);
    for (BenchmarkReport.Metric metric : BenchmarkReport.METRICS) {
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
        Csv.writeRecord(w, dataset.label(), r.model(), r.layer(), r.method(), r.images(),
            r.threshold(), float32(r.apPercent()), r.boxes(), float32(s.pointingAccuracy()),
            s.hits(), s.misses(), float32(s.meanEnergy()), float32(s.meanBestIou()),
            float32(s.meanDeletionAuc()), float32(s.meanInsertionAuc()),
            float32(s.meanExplainMillis()), float32(s.meanTotalMillis()));
      }
    });
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
}
