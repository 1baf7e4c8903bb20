package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The throughput part of {@code speed}: images per second of the bare forward pass and of full
 * Grad-CAM for each batch size (their ratio is what Grad-CAM costs), the post-processing of one
 * picture, then {@code explain} end to end over real JPEGs ({@link ExplainSpeed}).
 */
final class ThroughputSpeed {
  private final SpeedCommand options;
  private final PrintWriter log;

  ThroughputSpeed(SpeedCommand options, PrintWriter log) {
    this.options = options;
    this.log = log;
  }

  /** What the tables measure, for the section's opening paragraph. */
  String prose() {
    return "Each cell is timed for "
        + options.seconds + " s after a warm-up; the input is random (speed does not depend on it). "
        + "Every graph run has the model's graph batch (8 rows for SqueezeNet 1.1, 4 for VGG16), "
        + "the last one zero-padded, so that no number depends on the batch (README, "
        + "Determinism); the rows of 1 image at graph batch 1 time an unpadded run, so the "
        + "row below each shows what the rule costs a lone image. "
        + "The second table times the post-processing of one 500x375 picture. The third times "
        + "`explain` itself over real JPEGs (" + options.images + "): decode, preprocess, Grad-CAM, "
        + "overlay, PNG and .npy output, model loading excluded; _sequential_ is the former "
        + "loop (one batch after the other), _pipelined_ overlaps the stages (`explain`'s "
        + "default), both at the model's graph batch (what `--batch-size auto` takes); each is the "
        + "median (min-max) of "
        + options.repeats + " alternated runs. Other work on the machine slows every cell; the load "
        + "average printed below the last table tells how busy it was.";
  }

  /** The forward/Grad-CAM, post-processing and end-to-end tables. */
  String tables() throws Exception {
    Table table = Table.create("speed", StringColumn.create("model"), StringColumn.create("weights"),
        IntColumn.create("images per call"), IntColumn.create("graph batch"),
        DoubleColumn.create("forward img/s"), DoubleColumn.create("grad-cam img/s"),
        DoubleColumn.create("grad-cam / forward time"));
    for (String name : options.models) {
      boolean real = SpeedTiming.imageNetWeights(name);
      SpeedTiming.Loader loader = () -> SpeedTiming.builtIn(name, real);
      try (Model model = loader.load()) {
        for (int n : options.batches) {
          // A lone image also at graph batch 1, in its own session: what padding to the
          // model's graph batch costs it.
          try (SpeedTiming.Alone alone = SpeedTiming.Alone.of(model, loader,
              n == 1 ? 1 : model.graphBatch())) {
            for (Model m : alone.andBase()) {
              Explainer explainer = new Explainer(m, m.spec().defaultLayer(), new GradCam());
              float[] batch = SpeedTiming.randomBatch(m, n, n);
              double forward = imagesPerSecond(n, () -> m.logits(batch, n).length);
              double gradcam = imagesPerSecond(n,
                  () -> explainer.explain(batch, n, Target.top1()).size());
              table.stringColumn("model").append(name);
              table.stringColumn("weights").append(real ? "ImageNet" : "random");
              table.intColumn("images per call").append(n);
              table.intColumn("graph batch").append(m.graphBatch());
              table.doubleColumn("forward img/s").append(forward);
              table.doubleColumn("grad-cam img/s").append(gradcam);
              table.doubleColumn("grad-cam / forward time").append(forward / gradcam);
              log.printf("%s %d images, graph batch %d: forward %.2f img/s, "
                  + "grad-cam %.2f img/s%n", name, n, m.graphBatch(), forward, gradcam);
            }
          }
        }
      }
    }
    String endToEnd = options.images.equals("none") ? ""
        : "\n" + new ExplainSpeed(options, log).tables();
    return MarkdownTables.render(table, 2) + "\n" + postProcessing() + endToEnd;
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
    return SpeedTiming.rate(options.seconds, n, run).imagesPerSecond();
  }
}
