package org.gradcam.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradcam.cam.GuidedGradCam;
import org.gradcam.cam.Saliency;
import org.gradcam.cam.SaliencyMethod;
import org.gradcam.cam.Target;
import org.gradcam.data.Npy;
import org.gradcam.image.ImageEncoding;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.image.SaliencyPicture;
import org.gradcam.io.StagedFiles;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.Predictions;

/**
 * {@code explain --method guidedbackprop|guidedgradcam}: one picture per image and target of the
 * saliency at the model's input size ({@link SaliencyPicture}), named as explain names its
 * overlays, optionally the raw saliency as {@code .npy} ({@code height x width x 3}, float32, in
 * the model's channel order) and a JSON line each. Images go through the graph in runs of the
 * model's graph batch; every file is staged with the command's others.
 */
final class SaliencyExplain {
  /** Where the pictures go: as explain's overlays (a file for one, a folder for several). */
  record Output(Path out, Path heatmapOut, boolean several, boolean topK, boolean json,
      ImageEncoding encoding) {}

  private final SaliencyMethod method;
  private final Model model;
  private final String layer;
  private final Target target;
  private final Output output;
  private final StagedFiles staged;
  private final Set<Path> inputs;
  private final boolean bgr;

  SaliencyExplain(SaliencyMethod method, Model model, String layer, Target target, Output output,
      StagedFiles staged, Set<Path> inputs) {
    this.method = method;
    this.model = model;
    this.layer = layer;
    this.target = target;
    this.output = output;
    this.staged = staged;
    this.inputs = inputs;
    this.bgr = swapsRedAndBlue(model.spec());
  }

  /**
   * Refuses the options that have no meaning for a saliency method, before any work: the
   * picture is drawn from the gradient itself (no colormap over the photo), at the input size.
   */
  static void refuse(String method, boolean extras, boolean fastDecode, String layer) {
    if (extras) {
      throw new IllegalArgumentException("--topk-strip, --grid and --mask are for map methods; "
          + method + " draws the input gradient itself");
    }
    if (fastDecode) {
      throw new IllegalArgumentException("--fast-decode is for map methods; " + method
          + " draws at the model's input size whatever the decoded size");
    }
    if (layer != null && !method.equals(GuidedGradCam.NAME)) {
      throw new IllegalArgumentException("--layer is not used by " + method + ": it "
          + "differentiates down to the input through every layer");
    }
  }

  /** Every image of {@code files}, named by {@code names}; returns the JSON lines. */
  List<String> images(List<Path> files, Map<Path, String> names, Interpolation interpolation)
      throws IOException {
    ModelSpec spec = model.spec();
    int len = spec.inputLength();
    List<String> lines = new ArrayList<>();
    for (int start = 0; start < files.size(); start += model.graphBatch()) {
      List<Path> chunk = files.subList(start, Math.min(files.size(), start + model.graphBatch()));
      float[] batch = new float[chunk.size() * len];
      for (int i = 0; i < chunk.size(); i++) {
        System.arraycopy(spec.input(Images.read(chunk.get(i)), interpolation), 0, batch, i * len,
            len);
      }
      List<String> stems = chunk.stream().map(f -> names.getOrDefault(f, ExplainJob.stem(f)))
          .toList();
      lines.addAll(write(batch, chunk.size(), stems));
    }
    return lines;
  }

  /** A preprocessed input of one image, written under {@code stem}. */
  List<String> tensor(float[] x, String stem) throws IOException {
    return write(x, 1, List.of(stem));
  }

  private List<String> write(float[] batch, int n, List<String> stems) throws IOException {
    float[] logits = model.logits(batch, n);
    int k = model.numClasses();
    List<String> lines = new ArrayList<>();
    for (Saliency s : method.explain(model, layer, batch, n, target)) {
      String stem = stems.get(s.image());
      String name = stem + (output.topK() ? "_class" + s.targetClass() : "");
      Path picture = output.several()
          ? output.out().resolve(name + output.encoding().format().extension()) : output.out();
      BufferedImage image = SaliencyPicture.render(s.values(), s.height(), s.width(), bgr);
      Images.write(image, destination(picture), output.encoding());
      if (output.heatmapOut() != null) {
        Path npy = output.several() ? output.heatmapOut().resolve(name + ".npy")
            : output.heatmapOut();
        Npy.writeFloat32(destination(npy), s.values(), s.height(), s.width(), 3);
      }
      if (output.json()) {
        double[] p = Predictions.softmax(logits, s.image() * k, k);
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("image", stem).put("model", model.name()).put("method", method.name());
        if (method.name().equals(GuidedGradCam.NAME)) {
          o.put("layer", layer);
        }
        o.putObject("target").put("index", s.targetClass())
            .put("label", model.labels().get(s.targetClass()))
            .put("probability", p[s.targetClass()]);
        o.putArray("saliency_shape").add(s.height()).add(s.width()).add(3);
        o.put("overlay", picture.toString());
        lines.add(new ObjectMapper().writeValueAsString(o));
      }
    }
    return lines;
  }

  private Path destination(Path target) throws IOException {
    ExplainPaths.refuseInput(target, inputs);
    return staged.stage(target);
  }

  /**
   * Whether the model's input holds blue first: where its preprocessing puts a red pixel's
   * channel (caffe's BGR for VGG16), so the picture's colours are the photo's.
   */
  static boolean swapsRedAndBlue(ModelSpec spec) {
    if (spec.channels() != 3) {
      return false;
    }
    float[] red = spec.preprocessor().apply(new float[] {255, 0, 0}, 1, 1);
    float[] black = spec.preprocessor().apply(new float[] {0, 0, 0}, 1, 1);
    return Math.abs(red[2] - black[2]) > Math.abs(red[0] - black[0]);
  }
}
