package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.data.Npy;
import org.gradcam.image.Colormap;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.pipeline.AutoBatchSize;
import org.gradcam.pipeline.Pipeline;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gradcam explain}: Grad-CAM heatmaps of images, as overlays, raw maps and JSON. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Grad-CAM heatmap of one or more images, written as a colour overlay on the image.")
public final class ExplainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ImageLimitOptions imageLimit = new ImageLimitOptions();

  @Option(names = "--model", defaultValue = "squeezenet1.1",
      description = "squeezenet1.1 | vgg16 | mobilenet_v2 (default: ${DEFAULT-VALUE})")
  String modelName;

  static final class Input {
    @Option(names = "--image", paramLabel = "IMG", required = true,
        description = "an image file or a directory of images; repeatable")
    List<Path> images;

    @Option(names = "--input-npy", paramLabel = "X.npy", required = true,
        description = "an already preprocessed float32 tensor of the model's input shape, "
            + "e.g. 1x3x224x224 for squeezenet1.1, used as is")
    Path inputNpy;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class TargetChoice {
    @Option(names = "--class", paramLabel = "N", description = "explain ImageNet class N")
    Integer classIndex;

    @Option(names = "--top-k", paramLabel = "K", description = "one map for each of the K top classes")
    Integer topK;
  }

  @ArgGroup(exclusive = true)
  TargetChoice target;

  @Option(names = "--layer", description = "target layer (default: the model's, e.g. block5_conv3, fire9, Conv_1)")
  String layer;

  @Option(names = "--method", defaultValue = CamMethods.DEFAULT, paramLabel = "NAME",
      description = CamMethods.NAMES_TEXT + " (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--colormap", defaultValue = "jet", description = "jet, viridis, inferno, magma, "
      + "plasma, hot, turbo, gray (default: ${DEFAULT-VALUE})")
  String colormap;

  @Option(names = "--alpha", defaultValue = "0.4", description = "heatmap weight in the overlay (default: ${DEFAULT-VALUE})")
  double alpha;

  @Option(names = "--resize", defaultValue = "nearest", paramLabel = "nearest|bilinear",
      converter = InterpolationOption.class,
      completionCandidates = InterpolationOption.class,
      description = "nearest (Keras load_img default) | bilinear (default: ${DEFAULT-VALUE})")
  Interpolation resize;

  @Option(names = "--out", required = true, paramLabel = "OUT",
      description = "overlay PNG; a directory when several images are explained")
  Path out;

  @Option(names = "--heatmap-out", paramLabel = "H.npy", description = "raw map at the layer's "
      + "resolution (float32, after ReLU, before normalisation); a directory for several images")
  Path heatmapOut;

  @Option(names = "--batch-size", defaultValue = "auto", paramLabel = "N|auto",
      description = "images per graph run; auto times 1, 2, 4, 8, 16 on the first images "
          + "(from 32 images; fewer use min(count, 8)) and prints its choice (default: ${DEFAULT-VALUE})")
  String batchSize;

  @Option(names = "--json", description = "print one JSON object per map: model, layer, top-5, target, heatmap shape")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Colormap cmap = Colormap.byName(colormap);
    var camMethod = CamMethods.byName(method);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
    }
    Integer fixedBatch = parseBatchSize(batchSize);
    Interpolation interpolation = resize;
    Target choice = target == null ? Target.top1()
        : target.classIndex != null ? Target.classIndex(target.classIndex) : Target.topK(target.topK);
    List<Path> files = input.images == null ? List.of() : listImages(input.images);
    boolean several = files.size() > 1 || choice instanceof Target.TopK;
    try (Model model = Models.load(modelName, Assets.defaults())) {
      if (choice instanceof Target.TopK k && k.k() > model.numClasses()) {
        throw new IllegalArgumentException("--top-k " + k.k() + " is more than the "
            + model.numClasses() + " classes of model " + model.name());
      }
      Explainer explainer = new Explainer(model,
          layer != null ? layer : model.spec().defaultLayer() != null
              ? model.spec().defaultLayer() : model.lastConvLayer(), camMethod);
      ExplainJob job = job(explainer, choice, interpolation, cmap, several);
      if (input.inputNpy != null) {
        float[] x = readInputNpy(model, input.inputNpy);
        int size = model.spec().inputSize();
        for (Explanation e : explainer.explain(x, 1, choice)) {
          BufferedImage heat = Overlay.colorize(HeatmapUpsampler.upsample(e.heatmap().normalized(),
              e.heatmap().height(), e.heatmap().width(), size, size), size, size, cmap);
          for (String line : job.write(e, heat, ExplainJob.stem(input.inputNpy))) {
            spec.commandLine().getOut().println(line);
          }
        }
        return 0;
      }
      int batch;
      if (fixedBatch != null) {
        batch = fixedBatch;
      } else {
        AutoBatchSize.Choice auto = job.chooseBatchSize(files);
        batch = auto.batchSize();
        if (files.size() > 1) {
          spec.commandLine().getErr().println("explain: " + auto.describe());
          spec.commandLine().getErr().flush();
        }
      }
      Pipeline.Config config = Pipeline.Config.forBatch(batch);
      if (files.size() == 1) {
        job.pipelined(files, config, done -> { });
      } else {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("explain")
            .setInitialMax(files.size()).setStyle(ProgressBarStyle.ASCII).hideEta().build()) {
          job.pipelined(files, config, bar::stepBy);
        }
      }
    }
    return 0;
  }

  private ExplainJob job(Explainer explainer, Target choice, Interpolation interpolation,
      Colormap cmap, boolean several) {
    return new ExplainJob(explainer, choice, interpolation, new ExplainJob.Output(cmap, alpha, out,
        heatmapOut, json, target != null && target.topK != null, several,
        spec.commandLine().getOut()));
  }

  static Integer parseBatchSize(String value) {
    if (value.equals("auto")) {
      return null;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--batch-size must be a number >= 1 or auto, got " + value);
    }
    if (n < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + n);
    }
    return n;
  }

  private static float[] readInputNpy(Model model, Path file) throws IOException {
    Npy npy = Npy.read(file);
    long[] expected = new long[4];
    expected[0] = 1;
    System.arraycopy(model.spec().inputShape(), 0, expected, 1, 3);
    if (!Arrays.equals(npy.shape(), expected)) {
      throw new IllegalArgumentException(file + " has shape " + Arrays.toString(npy.shape())
          + "; model " + model.name() + " takes " + Arrays.toString(expected));
    }
    float[] x = npy.floats();
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        // NaN or Inf would flow through the graph into a map of NaNs, drawn as a flat colour.
        throw new IllegalArgumentException(file + " holds " + x[i] + " at index "
            + Arrays.toString(unravel(i, npy.shape())) + ": an input must be finite numbers only");
      }
    }
    return x;
  }

  /** The C-order index of flat position {@code i} in an array of this shape. */
  private static long[] unravel(long i, long[] shape) {
    long[] index = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = i % shape[d];
      i /= shape[d];
    }
    return index;
  }

  private static List<Path> listImages(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          List<Path> found = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)
              .matches(".*\\.(jpe?g|png)")).sorted().toList();
          if (found.isEmpty()) {
            throw new IOException("no .jpg/.jpeg/.png images in directory " + p);
          }
          out.addAll(found);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
