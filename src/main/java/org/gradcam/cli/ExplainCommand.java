package org.gradcam.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.data.Npy;
import org.gradcam.image.Colormap;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gradcam explain}: Grad-CAM heatmaps of images, as overlays, raw maps and JSON. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Grad-CAM heatmap of one or more images, written as a colour overlay on the image.")
public final class ExplainCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

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

  @Option(names = "--resize", defaultValue = "nearest",
      description = "nearest (Keras load_img default) | bilinear (default: ${DEFAULT-VALUE})")
  String resize;

  @Option(names = "--out", required = true, paramLabel = "OUT",
      description = "overlay PNG; a directory when several images are explained")
  Path out;

  @Option(names = "--heatmap-out", paramLabel = "H.npy", description = "raw map at the layer's "
      + "resolution (float32, after ReLU, before normalisation); a directory for several images")
  Path heatmapOut;

  @Option(names = "--batch-size", defaultValue = "8", description = "images per graph run (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--json", description = "print one JSON object per map: model, layer, top-5, target, heatmap shape")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Colormap cmap = Colormap.byName(colormap);
    var camMethod = CamMethods.byName(method);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
    }
    Interpolation interpolation = Interpolation.valueOf(resize.toUpperCase(Locale.ROOT));
    Target choice = target == null ? Target.top1()
        : target.classIndex != null ? Target.classIndex(target.classIndex) : Target.topK(target.topK);
    List<Path> files = input.images == null ? List.of() : listImages(input.images);
    boolean several = files.size() > 1 || choice instanceof Target.TopK;
    try (Model model = Models.load(modelName, Assets.defaults())) {
      Explainer explainer = new Explainer(model,
          layer != null ? layer : model.spec().defaultLayer() != null
              ? model.spec().defaultLayer() : model.lastConvLayer(), camMethod);
      if (input.inputNpy != null) {
        float[] x = readInputNpy(model, input.inputNpy);
        for (Explanation e : explainer.explain(x, 1, choice)) {
          int size = model.spec().inputSize();
          BufferedImage heat = Overlay.colorize(HeatmapUpsampler.upsample(e.heatmap().normalized(),
              e.heatmap().height(), e.heatmap().width(), size, size), size, size, cmap);
          write(explainer, e, heat, stem(input.inputNpy), several);
        }
        return 0;
      }
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("explain")
          .setInitialMax(files.size()).setStyle(ProgressBarStyle.ASCII).hideEta()
          .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(
              files.size() > 1 ? System.err : nullStream())).build()) {
        for (int start = 0; start < files.size(); start += batchSize) {
          List<Path> chunk = files.subList(start, Math.min(files.size(), start + batchSize));
          List<BufferedImage> originals = new ArrayList<>();
          float[] batch = new float[chunk.size() * model.spec().inputLength()];
          for (int i = 0; i < chunk.size(); i++) {
            BufferedImage img = Images.read(chunk.get(i));
            originals.add(img);
            System.arraycopy(model.spec().input(img, interpolation), 0, batch,
                i * model.spec().inputLength(), model.spec().inputLength());
          }
          for (Explanation e : explainer.explain(batch, chunk.size(), choice)) {
            Heatmap map = e.heatmap();
            BufferedImage overlay = Overlay.blend(originals.get(e.image()), map.normalized(),
                map.height(), map.width(), cmap, alpha);
            write(explainer, e, overlay, stem(chunk.get(e.image())), several);
          }
          bar.stepBy(chunk.size());
        }
      }
    }
    return 0;
  }

  private void write(Explainer explainer, Explanation e, BufferedImage picture, String stem,
      boolean several) throws IOException {
    String name = stem + (target != null && target.topK != null ? "_class" + e.targetClass() : "");
    Path png = several ? out.resolve(name + ".png") : out;
    Images.writePng(picture, png);
    if (heatmapOut != null) {
      Path npy = several ? heatmapOut.resolve(name + ".npy") : heatmapOut;
      Npy.writeFloat32(npy, e.heatmap().raw(), e.heatmap().height(), e.heatmap().width());
    }
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("image", stem);
      o.put("model", explainer.model().name());
      o.put("layer", explainer.layer());
      o.put("method", explainer.method().name());
      ArrayNode top = o.putArray("top5");
      for (var p : ImageNetLabels.decodePredictions(e.logits(), 5)) {
        top.addObject().put("index", p.index()).put("wnid", p.wnid()).put("name", p.name())
            .put("logit", p.logit()).put("probability", p.probability());
      }
      ObjectNode t = o.putObject("target");
      t.put("index", e.targetClass()).put("name", ImageNetLabels.get(e.targetClass()).name());
      o.putArray("heatmap_shape").add(e.heatmap().height()).add(e.heatmap().width());
      o.put("overlay", png.toString());
      spec.commandLine().getOut().println(JSON.writeValueAsString(o));
    }
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
    return npy.floats();
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

  private static String stem(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static java.io.PrintStream nullStream() {
    return new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
  }
}
