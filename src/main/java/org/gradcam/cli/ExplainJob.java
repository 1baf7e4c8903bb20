package org.gradcam.cli;

import org.gradcam.serve.ExplainJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.gradcam.cam.BatchExplainer;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.data.Npy;
import org.gradcam.image.Colormap;
import org.gradcam.image.ImageEncoding;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.io.StagedFiles;
import org.gradcam.model.LayerInfo;
import org.gradcam.pipeline.Pipeline;
import org.gradcam.pipeline.PipelineException;

/**
 * The image part of {@code explain}: overlays, raw maps and JSON lines for a list of image files,
 * either one batch after the other ({@link #sequential}) or with decoding, graph runs and writing
 * overlapped ({@link #pipelined}). Both give the same files and lines in the same order: batches
 * are the same consecutive chunks, and each output goes through the same code.
 */
final class ExplainJob {
  /** Created on first use: Jackson's set-up costs a tenth of a second of a cold start. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** What explain writes for each map, and where. */
  record Output(Colormap colormap, double alpha, Path out, Path heatmapOut, boolean json,
      boolean topK, boolean several, PrintWriter jsonOut, ImageEncoding encoding) {
    /** PNG overlays. */
    Output(Colormap colormap, double alpha, Path out, Path heatmapOut, boolean json,
        boolean topK, boolean several, PrintWriter jsonOut) {
      this(colormap, alpha, out, heatmapOut, json, topK, several, jsonOut, ImageEncoding.PNG);
    }
  }

  private final Explainer explainer;
  private final Target target;
  private final Interpolation interpolation;
  private final Output output;
  // Optional (the CLI sets them; speed and tests write directly under the stem of each file).
  private StagedFiles staged;
  private Map<Path, String> names = Map.of();
  private Set<Path> inputs = Set.of();
  private String weights;
  /** Told of every map written (explain's strip, grid and mask focus); null: nobody. */
  private Listener listener;

  /** Gets each written map with its picture; called from the writer threads. */
  @FunctionalInterface
  interface Listener {
    void written(String stem, Explanation e, BufferedImage picture);
  }

  ExplainJob listen(Listener l) {
    this.listener = l;
    return this;
  }
  /** The model input size when JPEGs may be decoded reduced ({@link Images#readReduced}), else 0. */
  private int fastDecode;

  ExplainJob(Explainer explainer, Target target, Interpolation interpolation, Output output) {
    this.explainer = explainer;
    this.target = target;
    this.interpolation = interpolation;
    this.output = output;
  }

  /**
   * Writes every file through {@code staged} (moved into place only on its commit), names the
   * outputs of the files in {@code names} (others after their stem) and refuses to write onto
   * any of {@code inputs} (real paths).
   */
  ExplainJob protect(StagedFiles staged, Map<Path, String> names, Set<Path> inputs) {
    this.staged = staged;
    this.names = Map.copyOf(names);
    this.inputs = Set.copyOf(inputs);
    return this;
  }

  /** Where the weights came from when not from the model's own checked file (else null). */
  ExplainJob weights(String note) {
    this.weights = note;
    return this;
  }

  /**
   * Decodes JPEGs at least twice {@code minSide} on their short side reduced to about it (0:
   * whole, the default): faster, but the picture, the model input and the map change.
   */
  ExplainJob fastDecode(int minSide) {
    this.fastDecode = minSide;
    return this;
  }

  /** The shared images -> explanations stage, with this job's reader, target and resize. */
  private BatchExplainer stage() {
    BatchExplainer stage = new BatchExplainer(explainer, target, interpolation);
    return fastDecode > 0 ? stage.reader(f -> Images.readReduced(f, fastDecode)) : stage;
  }

  /** The output name of an input file (its stem, unless renamed apart from another input's). */
  String name(Path file) {
    return names.getOrDefault(file, stem(file));
  }

  /** Decode, run and write one batch at a time; {@code progress} gets each batch's size. */
  void sequential(List<Path> files, int batchSize, IntConsumer progress) throws IOException {
    stage().batchSize(batchSize).progress(progress).files(files, batch -> {
      for (BatchExplainer.Explained image : batch.images()) {
        for (Explanation e : image.explanations()) {
          for (String line : write(e, overlay(image.picture(), e), name(files.get(image.index())))) {
            output.jsonOut().println(line);
          }
        }
      }
    });
  }

  /**
   * The same work as {@link #sequential} through a {@link Pipeline}: loader threads decode and
   * preprocess, one thread runs each batch's graph, writer threads blend and write files; JSON
   * lines and {@code progress} (one call per image) follow input order on the calling thread.
   * Loading and explaining are the shared stage's ({@link BatchExplainer}), batches the
   * pipeline's ({@code config.batchSize()}).
   */
  void pipelined(List<Path> files, Pipeline.Config config, IntConsumer progress)
      throws PipelineException, InterruptedException {
    BatchExplainer stage = stage();
    Pipeline.run(files.size(), config,
        new Pipeline.Stages<BatchExplainer.Loaded, BatchExplainer.Explained, List<String>>() {
      @Override
      public String name(int i) {
        return files.get(i).toString();
      }

      @Override
      public BatchExplainer.Loaded load(int i) throws IOException {
        return stage.load(files.get(i));
      }

      @Override
      public List<BatchExplainer.Explained> run(int first, List<BatchExplainer.Loaded> loaded) {
        return stage.explain(first, loaded);
      }

      @Override
      public List<String> write(int i, BatchExplainer.Explained item) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Explanation e : item.explanations()) {
          lines.addAll(ExplainJob.this.write(e, overlay(item.picture(), e),
              ExplainJob.this.name(files.get(i))));
        }
        return lines;
      }

      @Override
      public void emit(int i, List<String> lines) {
        lines.forEach(output.jsonOut()::println);
        progress.accept(1);
      }
    });
  }

  BufferedImage overlay(BufferedImage original, Explanation e) {
    Heatmap map = e.heatmap();
    // Through the model's contract: with a center crop the map lies on the crop's part only.
    return Overlay.blend(original, explainer.model().spec().mapOnImage(map.normalized(),
        map.height(), map.width(), original.getWidth(), original.getHeight()),
        output.colormap(), output.alpha());
  }

  /** Writes the picture (and raw map) of one explanation; returns its JSON line, if asked for. */
  List<String> write(Explanation e, BufferedImage picture, String stem) throws IOException {
    String name = stem + (output.topK() ? "_class" + e.targetClass() : "");
    Path png = output.several()
        ? output.out().resolve(name + output.encoding().format().extension()) : output.out();
    Images.write(picture, destination(png), output.encoding());
    if (listener != null) {
      listener.written(stem, e, picture);
    }
    if (output.heatmapOut() != null) {
      Path npy = output.several() ? output.heatmapOut().resolve(name + ".npy") : output.heatmapOut();
      Npy.writeFloat32(destination(npy), e.heatmap().raw(), e.heatmap().height(), e.heatmap().width());
    }
    return output.json() ? List.of(jsonLine(e, stem, png)) : List.of();
  }

  /** Where to write {@code target}: its staged temporary, after the input check. */
  private Path destination(Path target) throws IOException {
    // Normalised as StagedFiles writes it: "missing/../x.png" is x.png.
    Path where = target.toAbsolutePath().normalize();
    if (!inputs.isEmpty() && Files.exists(where) && inputs.contains(where.toRealPath())) {
      throw new IOException("refusing to overwrite the input " + target + " with an output; "
          + "give --out (or --heatmap-out) a folder that does not hold the inputs");
    }
    return staged == null ? target : staged.stage(target);
  }

  private String jsonLine(Explanation e, String stem, Path png) throws JsonProcessingException {
    var line = ExplainJson.line(explainer, e, stem, png.toString());
    if (weights != null) {
      line.put("weights", weights);
    }
    return Json.MAPPER.writeValueAsString(line);
  }

  static String stem(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
