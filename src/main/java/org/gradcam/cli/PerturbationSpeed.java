package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.ScoreCam;
import org.gradcam.cam.Target;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.faithfulness.CausalMetric;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The perturbation methods' rows of {@code speed}: Score-CAM and the deletion and insertion
 * curves, each against the rate its forward passes bound it to.
 */
final class PerturbationSpeed {
  private final PrintWriter log;
  private final double seconds;

  PerturbationSpeed(PrintWriter log, double seconds) {
    this.log = log;
    this.seconds = seconds;
  }

  /**
   * Perturbation methods against the forward pass that bounds them, on one real picture: Score-CAM
   * (one forward per informative channel: constant ones are skipped) and the deletion and
   * insertion curves of its Grad-CAM map (steps + 1 forwards each).
   */
  String table(String label, Model model, Path picture) throws IOException {
    ModelSpec spec = model.spec();
    BufferedImage image = Images.read(picture);
    float[] x = spec.input(image, Interpolation.NEAREST);
    int b = model.graphBatch();
    float[] rows = new float[b * x.length];
    for (int i = 0; i < b; i++) {
      System.arraycopy(x, 0, rows, i * x.length, x.length);
    }
    double forward = rate(b, () -> model.logits(rows, b).length);
    String layer = spec.defaultLayer();
    long channels = model.layer(layer).outputShape()[2];
    float[] activations = model.forward(layer, x, 1)[1];
    int informative = informativeChannels(activations, (int) channels);
    Explainer scoreCam = new Explainer(model, layer, new ScoreCam());
    double score = rate(1, () -> scoreCam.explain(x, 1, Target.top1()).size());
    Explanation gradCam = new Explainer(model, layer, new GradCam())
        .explain(x, 1, Target.top1()).get(0);
    int[] classes = {gradCam.targetClass()};
    CausalMetric deletion = CausalMetric.deletion();
    CausalMetric insertion = CausalMetric.insertion();
    double del = rate(1, () -> deletion.run(model, image, Interpolation.NEAREST,
        gradCam.heatmap(), classes).fractions().length);
    double ins = rate(1, () -> insertion.run(model, image, Interpolation.NEAREST,
        gradCam.heatmap(), classes).fractions().length);
    Table t = Table.create("perturbation", StringColumn.create("method"),
        IntColumn.create("forwards per image"), DoubleColumn.create("img/s"),
        DoubleColumn.create("forward-bound img/s"), DoubleColumn.create("of bound"));
    perturbationRow(t, "Score-CAM (" + layer + ", " + informative + " of " + channels
        + " channels informative)", informative, score, forward);
    perturbationRow(t, "deletion curve (" + deletion.steps() + " steps)", deletion.steps() + 1,
        del, forward);
    perturbationRow(t, "insertion curve (" + insertion.steps() + " steps, blur)",
        insertion.steps() + 1, ins, forward);
    perturbationRow(t, "deletion + insertion", deletion.steps() + insertion.steps() + 2,
        1 / (1 / del + 1 / ins), forward);
    log.printf("%s perturbation: forward %.1f img/s, Score-CAM %.3f img/s, deletion %.2f, "
        + "insertion %.2f img/s%n", label, forward, score, del, ins);
    log.flush();
    return "On " + picture.getFileName() + "; forward pass at graph batch " + b + ": "
        + String.format(Locale.ROOT, "%.1f", forward) + " img/s (logits only).\n\n"
        + MarkdownTables.render(t, 2);
  }

  /** Channels whose map is not constant over the layer's positions (Score-CAM scores those). */
  private static int informativeChannels(float[] activations, int channels) {
    int n = 0;
    for (int c = 0; c < channels; c++) {
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int p = c; p < activations.length; p += channels) {
        min = Math.min(min, activations[p]);
        max = Math.max(max, activations[p]);
      }
      if (max > min) {
        n++;
      }
    }
    return n;
  }

  private static void perturbationRow(Table t, String method, int forwards, double rate,
      double forward) {
    t.stringColumn("method").append(method);
    t.intColumn("forwards per image").append(forwards);
    t.doubleColumn("img/s").append(rate);
    t.doubleColumn("forward-bound img/s").append(forward / forwards);
    t.doubleColumn("of bound").append(rate / (forward / forwards));
  }

  /** Calls per second times {@code n}: at least two calls and {@code seconds} of them. */
  private double rate(int n, IntSupplier run) {
    run.getAsInt();
    return SpeedTiming.time(seconds, 2, run).rate(n);
  }
}
