package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.image.Colormap;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.image.ImageEncoding;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.io.StagedFiles;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.UserWeights;
import org.gradcam.pipeline.Pipeline;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gradcam explain}: Grad-CAM heatmaps of images, as overlays, raw maps and JSON. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Grad-CAM heatmap of one or more images, written as a colour overlay on the image.",
        "",
        "--out is a PNG file when exactly one map is made (one image, no --top-k or --top-k 1) "
            + "and a directory otherwise (several images or --top-k K > 1), holding <name>.png "
            + "(<name>_class<N>.png with --top-k; .jpg with --format jpg); --heatmap-out follows the same rule with .npy. "
            + "For one map the name must end in .png (.npy); a directory for one map, or a "
            + "file for several, is an error.",
        "",
        "<name> is the image's file name without extension. Two inputs that would get the same "
            + "name (a/dog.jpg and b/dog.jpg, x.jpg and x.png) are named by their path from "
            + "their common folder instead (a_dog_jpg, b_dog_jpg; x_jpg, x_png), said on stderr; "
            + "the same file given twice, or an output that would overwrite an input, is an "
            + "error.",
        "",
        "Nothing is written unless every map succeeds: files are written to hidden temporaries "
            + "and moved into place at the end (--json lines are printed then), so a failed run "
            + "(e.g. an undecodable image) leaves no output and previous outputs unchanged.",
        ""})
public final class ExplainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ImageLimitOptions imageLimit = new ImageLimitOptions();

  @picocli.CommandLine.Mixin OutputFormatOptions outputFormat = new OutputFormatOptions();

  @Option(names = "--model", defaultValue = "squeezenet1.1", paramLabel = "NAME|FILE",
      completionCandidates = Candidates.ModelNames.class,
      description = "${COMPLETION-CANDIDATES}, or your own model file (.onnx, Keras .h5/.keras) "
          + "(default: ${DEFAULT-VALUE})")
  String modelName;

  @picocli.CommandLine.Mixin ModelFileOptions modelFile = new ModelFileOptions();

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

  @ArgGroup(exclusive = true)
  ExplainTarget target;

  @Option(names = "--layer", description = "target layer (default: the model's, e.g. block5_conv3, fire9, Conv_1)")
  String layer;

  @Option(names = "--method", defaultValue = CamMethods.DEFAULT, paramLabel = "NAME",
      completionCandidates = Candidates.ExplainMethodNames.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); "
          + "guidedbackprop and guidedgradcam draw the input gradient at the model's input size "
          + "(as pytorch-grad-cam), no colormap")
  String method;

  @Option(names = "--colormap", defaultValue = "jet", paramLabel = "NAME",
      converter = EnumOption.Colormaps.class, completionCandidates = EnumOption.Colormaps.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  Colormap colormap;

  @Option(names = "--alpha", defaultValue = "0.4", description = "heatmap weight in the overlay (default: ${DEFAULT-VALUE})")
  double alpha;

  @Option(names = "--resize", defaultValue = "nearest", paramLabel = "nearest|bilinear",
      converter = InterpolationOption.class,
      completionCandidates = InterpolationOption.class,
      description = "nearest (Keras load_img default) | bilinear (default: ${DEFAULT-VALUE})")
  Interpolation resize;

  @Option(names = "--out", required = true, paramLabel = "OUT",
      description = "overlay file for one map (.png, or .jpg with --format jpg); a directory "
          + "for several maps (see above)")
  Path out;

  @Option(names = "--heatmap-out", paramLabel = "H.npy", description = "raw map at the layer's "
      + "resolution (float32, after ReLU, before normalisation); a file for one map, a "
      + "directory for several")
  Path heatmapOut;

  @Option(names = "--batch-size", defaultValue = "auto", paramLabel = "N|auto",
      converter = BatchSize.Converter.class, description = "images per pipeline job; auto is the model's graph batch (8 for "
          + "squeezenet1.1 and mobilenet_v2, 4 for vgg16). The graph always runs that many rows, "
          + "so no choice changes a number (default: ${DEFAULT-VALUE})")
  BatchSize batchSize;

  @Option(names = "--random-weights", paramLabel = "SEED",
      description = "for benchmarks only: random weights (squeezenet1.1, vgg16) instead of the "
          + "model's file; the maps mean nothing")
  Long randomWeights;

  @picocli.CommandLine.Mixin ExplainExtras extras = new ExplainExtras();

  @Option(names = "--weights", paramLabel = "FILE",
      description = "your own weights for the architecture of --model, loaded without a digest "
          + "check (said on stderr and in --json): vgg16 a Keras HDF5 file in the layout of "
          + "vgg16_weights_tf_dim_ordering_tf_kernels.h5, squeezenet1.1 a directory of .npy "
          + "files as the mirror's")
  Path weightsFile;

  @Option(names = "--fast-decode", description = "decode JPEGs at least twice the model input "
      + "on their short side reduced (every s-th pixel, s = short side / input size): faster, "
      + "but the model sees other pixels, so maps and scores change; the overlay is at the "
      + "reduced size")
  boolean fastDecode;

  @Option(names = "--json", description = "print one JSON object per map: model, layer, top-5, target, heatmap shape")
  boolean json;

  @Override
  public Integer call() throws Exception {
    // null: a saliency method (Guided Backprop), drawn by SaliencyExplain instead of the job.
    var camMethod = CamMethods.isSaliency(method) ? null : CamMethods.byName(method);
    if (camMethod == null) {
      SaliencyExplain.refuse(method, extras.any(), fastDecode, layer);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
    }
    ImageEncoding encoding = outputFormat.encoding();
    String extension = encoding.format().extension();
    Interpolation interpolation = resize;
    Target choice = ExplainTarget.of(target, null, spec);
    List<Path> files = input.images == null ? List.of() : ExplainPaths.listImages(input.images);
    boolean several = files.size() > 1 || (choice instanceof Target.TopK k && k.k() > 1);
    if (heatmapOut != null && !several && out.toAbsolutePath().normalize()
        .equals(heatmapOut.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("--out and --heatmap-out name the same file " + out);
    }
    ExplainPaths.checkOutputKind(out, "--out", encoding.format(), several);
    if (heatmapOut != null) {
      ExplainPaths.checkOutputKind(heatmapOut, "--heatmap-out", ".npy", several);
    }
    extras.check(choice, files.size(), input.inputNpy != null);
    List<Path> sources = input.inputNpy != null ? List.of(input.inputNpy) : files;
    Set<Path> inputs = ExplainPaths.realPaths(sources);
    Map<Path, String> names = ExplainPaths.outputNames(files, spec.commandLine().getErr());
    if (!(choice instanceof Target.TopK)) {
      // Checked before any work; --top-k names depend on the classes, checked at write time.
      for (Path f : sources) {
        String name = input.inputNpy != null ? ExplainJob.stem(f) : names.get(f);
        ExplainPaths.refuseInput(several ? out.resolve(name + extension) : out, inputs);
        if (heatmapOut != null) {
          ExplainPaths.refuseInput(several ? heatmapOut.resolve(name + ".npy") : heatmapOut,
              inputs);
        }
      }
    }
    // JSON lines too are held back until the files they name are in place.
    StringWriter lines = new StringWriter();
    PrintWriter jsonOut = new PrintWriter(lines);
    if (weightsFile != null && randomWeights != null) {
      throw new IllegalArgumentException("--weights and --random-weights exclude each other");
    }
    try (Model model = randomWeights != null ? Models.random(modelName, randomWeights)
            : weightsFile != null ? UserWeights.load(modelName, weightsFile)
            : Models.load(modelName, Assets.defaults(), modelFile.options());
        StagedFiles staged = new StagedFiles()) {
      if (weightsFile != null) {
        spec.commandLine().getErr().println("note: " + modelName + " weights from "
            + UserWeights.note(weightsFile));
      }
      choice = ExplainTarget.of(target, model, spec);
      if (choice instanceof Target.TopK k && k.k() > model.numClasses()) {
        throw new IllegalArgumentException("--top-k " + k.k() + " is more than the "
            + model.numClasses() + " classes of model " + model.name());
      }
      if (camMethod == null) {
        String layerName = layer != null ? layer : model.defaultLayer();
        SaliencyExplain saliency = new SaliencyExplain(CamMethods.saliency(method), model,
            layerName, choice, new SaliencyExplain.Output(out, heatmapOut,
            several, ExplainTarget.isTopK(target), json, encoding), staged, inputs);
        (input.inputNpy != null ? saliency.tensor(InputTensor.read(model, input.inputNpy),
            ExplainJob.stem(input.inputNpy)) : saliency.images(files, names, interpolation))
            .forEach(jsonOut::println);
        staged.commit();
        spec.commandLine().getOut().print(lines);
        return 0;
      }
      Explainer explainer = new Explainer(model,
          layer != null ? layer : model.defaultLayer(), camMethod);
      ExplainJob job = job(explainer, choice, interpolation, colormap, encoding, several, jsonOut)
          .protect(staged, names, inputs).fastDecode(fastDecode ? model.spec().decodeSide() : 0)
          .weights(weightsFile == null ? null : UserWeights.note(weightsFile));
      if (extras.any()) {
        job.listen(extras::add);
      }
      Map<String, Path> stems = new LinkedHashMap<>();
      files.forEach(f -> stems.put(job.name(f), f));
      ExplainExtras.StagedFilesWriter extraPng = (img, target) -> {
        ExplainPaths.refuseInput(target, inputs);
        org.gradcam.image.Images.writePng(img, staged.stage(target));
      };
      if (input.inputNpy != null) {
        float[] x = InputTensor.read(model, input.inputNpy);
        int h = model.spec().height();
        int w = model.spec().width();
        for (Explanation e : explainer.explain(x, 1, choice)) {
          BufferedImage heat = Overlay.colorize(HeatmapUpsampler.upsample(e.heatmap().normalized(),
              e.heatmap().height(), e.heatmap().width(), h, w), h, w, colormap);
          for (String line : job.write(e, heat, ExplainJob.stem(input.inputNpy))) {
            jsonOut.println(line);
          }
        }
        extras.finish(model, Map.of(ExplainJob.stem(input.inputNpy), input.inputNpy), extraPng,
            json).forEach(jsonOut::println);
        staged.commit();
        spec.commandLine().getOut().print(lines);
        return 0;
      }
      Pipeline.Config config = Pipeline.Config.forBatch(batchSize.of(model));
      if (files.size() == 1) {
        job.pipelined(files, config, done -> { });
      } else {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("explain")
            .setInitialMax(files.size()).setStyle(ProgressBarStyle.ASCII).hideEta().build()) {
          job.pipelined(files, config, bar::stepBy);
        }
      }
      extras.finish(model, stems, extraPng, json).forEach(jsonOut::println);
      staged.commit();
    }
    spec.commandLine().getOut().print(lines);
    return 0;
  }

  private ExplainJob job(Explainer explainer, Target choice, Interpolation interpolation,
      Colormap cmap, ImageEncoding encoding, boolean several, PrintWriter jsonOut) {
    return new ExplainJob(explainer, choice, interpolation, new ExplainJob.Output(cmap, alpha, out,
        heatmapOut, json, ExplainTarget.isTopK(target), several, jsonOut, encoding));
  }
}
