package org.gradcam.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.model.BuiltInModel;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.SqueezeNet11;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The {@code speed} rows of a user's model file (issue 9: importing must not cost speed): the
 * imported model's forward and Grad-CAM beside the built-in SqueezeNet 1.1 (the backbone of the
 * models users bring most, e.g. the mirror's pets3) and ONNX Runtime's forward on the same file,
 * all timed interleaved in one run by {@link SpeedTiming}'s loop, so the ratios compare cells of
 * one run on a noisy shared machine.
 */
final class ImportedSpeed {
  /** The built-in models speed times: those with a random-weight variant (not MobileNet V2). */
  static final List<String> BUILT_INS = Models.BUILT_INS.stream()
      .filter(BuiltInModel::hasRandomWeights).map(BuiltInModel::name).toList();

  /**
   * Checks one {@code --models} entry as it is parsed, so a typo is picocli's own usage error
   * before any timing: a built-in name, or a model file as {@code FILE} or {@code NAME=FILE}
   * (resolved by {@link Models}, which keeps the one list of names).
   */
  static final class Entry implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (BUILT_INS.contains(value)) {
        return value;
      }
      if (Models.NAMES.contains(value)) {
        throw new TypeConversionException("speed does not time " + value + " (it has no "
            + "random-weight variant); it measures " + String.join(", ", BUILT_INS)
            + " or a model file as FILE or NAME=FILE");
      }
      String path = path(value);
      if (!Models.isFile(path)) {
        throw new TypeConversionException("unknown model '" + value + "'; speed measures "
            + String.join(", ", BUILT_INS) + " or a model file as FILE or NAME=FILE ("
            + String.join(", ", Models.FILE_EXTENSIONS) + ")");
      }
      if (!java.nio.file.Files.isRegularFile(Path.of(path))) {
        throw new TypeConversionException("no such model file: " + path);
      }
      return value;
    }
  }

  static boolean isFile(String entry) {
    return !BUILT_INS.contains(entry);
  }

  /** The path of a file entry ({@code NAME=FILE} or {@code FILE}). */
  static String path(String entry) {
    int eq = entry.indexOf('=');
    return eq > 0 ? entry.substring(eq + 1) : entry;
  }

  /** The row label of a file entry: its NAME, else the file name without its extension. */
  static String label(String entry) {
    int eq = entry.indexOf('=');
    if (eq > 0) {
      return entry.substring(0, eq);
    }
    String f = Path.of(entry).getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }

  private final List<Integer> batches;
  private final double seconds;
  private final int rounds;
  private final PrintWriter log;

  ImportedSpeed(List<Integer> batches, double seconds, int rounds, PrintWriter log) {
    this.batches = List.copyOf(batches);
    this.seconds = seconds;
    this.rounds = rounds;
    this.log = log;
  }

  /** The subsection of the ONNX Runtime section for these file entries. */
  String section(List<String> entries) throws Exception {
    Table t = Table.create("imported models", StringColumn.create("model"),
        StringColumn.create("file"), IntColumn.create("images per call"),
        StringColumn.create("imported forward img/s"), StringColumn.create("built-in forward img/s"),
        DoubleColumn.create("forward imported / built-in"),
        StringColumn.create("imported grad-cam img/s"),
        StringColumn.create("built-in grad-cam img/s"),
        DoubleColumn.create("grad-cam imported / built-in"),
        StringColumn.create("ORT forward img/s"), DoubleColumn.create("forward imported / ORT"));
    List<String> verdicts = new ArrayList<>();
    boolean real = SpeedTiming.imageNetWeights(SqueezeNet11.NAME);
    SpeedTiming.Loader builtInLoader = () -> SpeedTiming.builtIn(SqueezeNet11.NAME, real);
    try (Model builtIn = builtInLoader.load()) {
      for (String entry : entries) {
        String path = path(entry);
        String label = label(entry);
        SpeedTiming.Loader file =
            () -> Models.load(path, Assets.defaults(), Models.Options.DEFAULT);
        try (Model imported = file.load();
            OrtSpeed.Ort ort = new OrtSpeed.Ort(Path.of(path), imported.spec().inputShape())) {
          // Before timing: ORT must compute the imported logits, else it would time another net.
          OrtSpeed.checkLogits(imported, ort, 1e-3);
          for (int n : batches) {
            try (SpeedTiming.Alone i = SpeedTiming.Alone.of(imported, file, n);
                SpeedTiming.Alone b = SpeedTiming.Alone.of(builtIn, builtInLoader, n)) {
              row(t, verdicts, label, path, n, i.model(), b.model(), ort);
            }
          }
        }
      }
    }
    return "### Imported model files against the built-in SqueezeNet 1.1 and ONNX Runtime\n\n"
        + "Each file is imported by `OnnxImporter` (or the Keras loader) through the one model "
        + "registry `Models` and timed against the built-in SqueezeNet 1.1 ("
        + (real ? "ImageNet weights" : "random weights") + ") and ONNX Runtime's forward on the "
        + "same file, all at graph batch = images per call (unpadded), random inputs; the five "
        + "cells of a row are timed in " + rounds + " rounds in alternating order and are "
        + "medians (min-max), the ratios of medians. Issue 9's target: the imported model within "
        + "10 % of the built-in one (a ratio of at least 0.9) where it has the same backbone.\n\n"
        + MarkdownTables.render(t, 2).strip() + "\n\n" + String.join("\n", verdicts) + "\n";
  }

  private void row(Table t, List<String> verdicts, String label, String path, int n,
      Model imported, Model builtIn, OrtSpeed.Ort ort) {
    float[] x = SpeedTiming.randomBatch(imported, n, n);
    float[] xb = x.length == n * builtIn.spec().inputLength() ? x
        : SpeedTiming.randomBatch(builtIn, n, n);
    Explainer ie = new Explainer(imported, imported.defaultLayer(), new GradCam());
    Explainer be = new Explainer(builtIn, builtIn.defaultLayer(), new GradCam());
    List<IntSupplier> jobs = List.of(
        ort.job(x, n),
        () -> imported.logits(x, n).length,
        () -> builtIn.logits(xb, n).length,
        () -> ie.explain(x, n, Target.top1()).size(),
        () -> be.explain(xb, n, Target.top1()).size());
    double[][] rates = new double[jobs.size()][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int j = 0; j < jobs.size(); j++) {
        // Alternate the order each round, so a slow spell does not always hit the same cell.
        int cell = r % 2 == 0 ? j : jobs.size() - 1 - j;
        rates[cell][r] = SpeedTiming.rate(seconds, n, jobs.get(cell)).imagesPerSecond();
      }
    }
    double ortRate = SpeedTiming.median(rates[0]);
    double fwd = SpeedTiming.median(rates[1]) / SpeedTiming.median(rates[2]);
    double cam = SpeedTiming.median(rates[3]) / SpeedTiming.median(rates[4]);
    double vsOrt = SpeedTiming.median(rates[1]) / ortRate;
    t.stringColumn("model").append(label);
    t.stringColumn("file").append("`" + path + "`");
    t.intColumn("images per call").append(n);
    t.stringColumn("imported forward img/s").append(SpeedTiming.spread(rates[1], 1));
    t.stringColumn("built-in forward img/s").append(SpeedTiming.spread(rates[2], 1));
    t.doubleColumn("forward imported / built-in").append(fwd);
    t.stringColumn("imported grad-cam img/s").append(SpeedTiming.spread(rates[3], 1));
    t.stringColumn("built-in grad-cam img/s").append(SpeedTiming.spread(rates[4], 1));
    t.doubleColumn("grad-cam imported / built-in").append(cam);
    t.stringColumn("ORT forward img/s").append(SpeedTiming.spread(rates[0], 1));
    t.doubleColumn("forward imported / ORT").append(vsOrt);
    log.printf(Locale.ROOT, "%s %d images: imported forward %.1f, built-in %.1f, grad-cam %.1f vs "
        + "%.1f, ORT %.1f img/s%n", label, n, SpeedTiming.median(rates[1]),
        SpeedTiming.median(rates[2]), SpeedTiming.median(rates[3]), SpeedTiming.median(rates[4]),
        ortRate);
    // A fine-tuned head (e.g. pets3's 3 classes) is less work than the built-in's 1000, so
    // the verdict says how many outputs each side computes.
    verdicts.add(String.format(Locale.ROOT, "- %s (%d outputs; built-in %d), batch %d: forward "
        + "%.3fx the built-in, Grad-CAM %.3fx the built-in (target 0.90x: %s), forward %.2fx "
        + "ONNX Runtime's.", label, imported.numClasses(), builtIn.numClasses(), n, fwd, cam,
        fwd >= 0.9 && cam >= 0.9 ? "met" : "not met", vsOrt));
  }
}
