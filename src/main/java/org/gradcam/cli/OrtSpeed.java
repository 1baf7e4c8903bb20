package org.gradcam.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.io.Template;
import org.gradcam.model.ConvolutionsAlone;
import org.gradcam.model.Model;
import org.gradcam.model.onnx.OnnxExport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The {@code speed} section against ONNX Runtime: its forward pass on the same network and
 * weights as the reference column, timed interleaved with ours in rounds (the machine is shared
 * and noisy, so only cells of one run are compared, as medians), and TensorFlow's own profile of
 * our forward pass beside ONNX Runtime's ({@link ForwardProfile}) to say where the time goes.
 * The section's prose is the template {@code ort-speed.md} beside this class. ONNX Runtime is
 * used here only: it is the benchmark's independent reference, never a code path of the toolkit.
 */
final class OrtSpeed {
  static final String HEADING = "## Against ONNX Runtime\n\n";
  private static final Map<String, String> PHRASES =
      Template.phrases(OrtSpeed.class, "ort-speed.properties");
  /** ONNX Runtime's threads: 2 intra-op (the reference setting), 1 inter-op. */
  static final int ORT_INTRA_THREADS = 2;
  /** Our forward at least this share of ONNX Runtime's images/s (issue 13). */
  static final double FORWARD_TARGET = 0.9;
  /** Our Grad-CAM at least this share of ONNX Runtime's forward images/s (issue 13). */
  static final double GRADCAM_TARGET = 0.67;
  /** The mirror's torch.onnx.export of the same SqueezeNet 1.1 weights as ours. */
  static final String SQUEEZENET_ONNX = "models/squeezenet1.1-onnx/squeezenet1.1.onnx";

  /** Each cell of the kernel alternatives' table: single kernels need less time than a net. */
  static final double ALTERNATIVE_SECONDS = 1.0;

  private final List<String> models;
  private final List<Integer> batches;
  private final double seconds;
  private final int rounds;
  private final PrintWriter log;

  OrtSpeed(List<String> models, List<Integer> batches, double seconds, int rounds,
      PrintWriter log) {
    this.models = List.copyOf(models);
    this.batches = List.copyOf(batches);
    this.seconds = seconds;
    this.rounds = rounds;
    this.log = log;
  }

  /**
   * A benchmarks file cut into its throughput part, this section and the cold-start section
   * (each null where absent), so that one part rerun alone keeps the others.
   */
  static String[] sections(String file, String coldHeading) {
    if (file == null) {
      return new String[3];
    }
    int cold = file.indexOf(coldHeading);
    String cold0 = cold < 0 ? null : file.substring(cold);
    String rest = cold < 0 ? file : file.substring(0, cold);
    int ort = rest.indexOf(HEADING);
    String ort0 = ort < 0 ? null : rest.substring(ort);
    String first = ort < 0 ? rest : rest.substring(0, ort);
    return new String[] {first.isBlank() ? null : first, ort0, cold0};
  }

  /** The whole section, its heading included. */
  String section(String command, String machine) throws Exception {
    Table speed = Table.create("against ONNX Runtime", StringColumn.create("model"),
        StringColumn.create("ONNX Runtime runs"), IntColumn.create("images per call"),
        IntColumn.create("graph batch"), StringColumn.create("ORT forward img/s"),
        StringColumn.create("ours forward img/s"), DoubleColumn.create("forward / ORT"),
        DoubleColumn.create("ORT CPU ms/img"), DoubleColumn.create("ours forward CPU ms/img"),
        StringColumn.create("ours grad-cam img/s"), DoubleColumn.create("grad-cam / ORT forward"),
        StringColumn.create("ours forward convolutions alone img/s"),
        DoubleColumn.create("forward convolutions alone / ORT"),
        StringColumn.create("ours grad-cam convolutions alone img/s"),
        DoubleColumn.create("grad-cam convolutions alone / ORT"));
    StringBuilder profiles = new StringBuilder();
    List<String> verdicts = new ArrayList<>();
    OpAlternatives alternatives = new OpAlternatives(batches, ALTERNATIVE_SECONDS, rounds);
    double loadBefore = MachineLoad.oneMinute();
    for (String name : models) {
      boolean real = SpeedTiming.imageNetWeights(name);
      SpeedTiming.Loader loader = () -> SpeedTiming.builtIn(name, real);
      try (Model model = loader.load()) {
        Path mirrorFile = ReproduceCommand.defaultMirror().resolve(SQUEEZENET_ONNX);
        boolean mirror = real && Files.isRegularFile(mirrorFile);
        Path tmp = null;
        Path file = mirrorFile;
        if (!mirror) {
          tmp = Files.createTempFile("speed-" + name, ".onnx");
          OnnxExport.write(model, tmp);
          file = tmp;
        }
        String source = mirror ? "the mirror's `squeezenet1.1.onnx` (torch.onnx.export)"
            : "our weights via `OnnxExport`";
        try (Ort ort = new Ort(file, model.spec().inputShape())) {
          checkLogits(model, ort, mirror ? 1e-3 : 1e-4);
          String label = SpeedTiming.label(name, real);
          measure(model, loader, label, source, ort, speed, verdicts);
          profiles.append(new ForwardProfile(batches, seconds).of(model, loader, label, ort));
          alternatives.addRunRows(model, loader, label, seconds);
        } finally {
          if (tmp != null) {
            Files.deleteIfExists(tmp);
          }
        }
      }
    }
    double loadAfter = MachineLoad.oneMinute();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("command", command);
    values.put("machine", machine.stripTrailing());
    values.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
    values.put("rounds", String.valueOf(rounds));
    values.put("ortThreads", String.valueOf(ORT_INTRA_THREADS));
    values.put("tfThreads", tfThreads());
    values.put("table", MarkdownTables.render(speed, 2).strip());
    values.put("targets", String.join("\n", verdicts));
    values.put("profiles", profiles.toString().strip());
    values.put("alternatives", alternatives.table());
    values.put("altSeconds", String.format(Locale.ROOT, "%.1f", ALTERNATIVE_SECONDS));
    values.put("load", String.format(Locale.ROOT, "%.1f before and %.1f after, on %d cores",
        loadBefore, loadAfter, Runtime.getRuntime().availableProcessors()));
    return HEADING + fill(BenchmarksFile.template("ort-speed.md"), values);
  }

  /** Before timing: ORT must compute our logits, else the reference would time another net. */
  static void checkLogits(Model model, Ort ort, double relative) throws OrtException {
    int n = 2;
    float[] x = SpeedTiming.randomBatch(model, n, 5);
    float[] ours = model.logits(x, n);
    float[] theirs = ort.forward(x, n);
    SpeedTiming.Gap gap = SpeedTiming.Gap.of(ours, theirs);
    if (!(gap.worst() <= relative * gap.scale())) {
      throw new IllegalStateException("ONNX Runtime's logits of " + model.name() + " differ from "
          + "ours by up to " + gap.worst() + " (logits up to " + gap.scale()
          + "): not the same network");
    }
  }

  /** One row per batch and graph batch, each graph batch in its own session. */
  private void measure(Model model, SpeedTiming.Loader loader, String label, String source,
      Ort ort, Table table, List<String> verdicts) throws Exception {
    for (int n : batches) {
      try (SpeedTiming.Alone alone = SpeedTiming.Alone.of(model, loader, n)) {
        // The batch itself as graph batch (what the kernels do at that size), then the
        // project's graph batch where it differs (what a caller gets; README, Determinism).
        rows(n, alone.andBase(), label, source, ort, table, verdicts);
      }
    }
  }

  /**
   * The rows of {@code n} images, one per model; the cells are timed in alternating rounds, with
   * the first model's convolutions alone, those of its forward pass ({@link
   * ConvolutionsAlone#forward}) and those of its Grad-CAM ({@link ConvolutionsAlone#gradCam}), as
   * the bounds on its row.
   */
  private void rows(int n, List<Model> runs, String label, String source, Ort ort,
      Table table, List<String> verdicts) throws Exception {
    float[] x = SpeedTiming.randomBatch(runs.get(0), n, n);
    int cells = 3 + 2 * runs.size();
    double[][] rates = new double[cells][rounds];
    double[][] cpu = new double[cells][rounds];
    try (ConvolutionsAlone convs = new ConvolutionsAlone(runs.get(0), n)) {
      List<IntSupplier> jobs = new ArrayList<>();
      jobs.add(ort.job(x, n));
      jobs.add(convs::forward);
      jobs.add(convs::gradCam);
      for (Model m : runs) {
        Explainer explainer = new Explainer(m, m.spec().defaultLayer(), new GradCam());
        jobs.add(() -> m.logits(x, n).length);
        jobs.add(() -> explainer.explain(x, n, Target.top1()).size());
      }
      for (int r = 0; r < rounds; r++) {
        for (int j = 0; j < cells; j++) {
          // Alternate the order each round, so a slow spell does not always hit the same cell.
          int cell = r % 2 == 0 ? j : cells - 1 - j;
          SpeedTiming.Rate rate = SpeedTiming.rate(seconds, n, jobs.get(cell));
          rates[cell][r] = rate.imagesPerSecond();
          cpu[cell][r] = rate.cpuMsPerImage();
        }
      }
    }
    double ortRate = SpeedTiming.median(rates[0]);
    double bound = SpeedTiming.median(rates[1]) / ortRate;
    double gradcamBound = SpeedTiming.median(rates[2]) / ortRate;
    for (int i = 0; i < runs.size(); i++) {
      int fw = 3 + 2 * i;
      int gc = fw + 1;
      double forward = SpeedTiming.median(rates[fw]) / ortRate;
      double gradcam = SpeedTiming.median(rates[gc]) / ortRate;
      boolean first = i == 0;
      table.stringColumn("model").append(label);
      table.stringColumn("ONNX Runtime runs").append(source);
      table.intColumn("images per call").append(n);
      table.intColumn("graph batch").append(runs.get(i).graphBatch());
      table.stringColumn("ORT forward img/s").append(SpeedTiming.spread(rates[0], 1));
      table.stringColumn("ours forward img/s").append(SpeedTiming.spread(rates[fw], 1));
      table.doubleColumn("forward / ORT").append(forward);
      table.doubleColumn("ORT CPU ms/img").append(SpeedTiming.median(cpu[0]));
      table.doubleColumn("ours forward CPU ms/img").append(SpeedTiming.median(cpu[fw]));
      table.stringColumn("ours grad-cam img/s").append(SpeedTiming.spread(rates[gc], 1));
      table.doubleColumn("grad-cam / ORT forward").append(gradcam);
      table.stringColumn("ours forward convolutions alone img/s")
          .append(first ? SpeedTiming.spread(rates[1], 1) : "");
      table.doubleColumn("forward convolutions alone / ORT").append(first ? bound : Double.NaN);
      table.stringColumn("ours grad-cam convolutions alone img/s")
          .append(first ? SpeedTiming.spread(rates[2], 1) : "");
      table.doubleColumn("grad-cam convolutions alone / ORT")
          .append(first ? gradcamBound : Double.NaN);
      log.printf(Locale.ROOT, "%s %d images, graph batch %d: ORT %.1f img/s, forward %.3fx, "
          + "grad-cam %.3fx, convolutions alone %.3fx, grad-cam's %.3fx%n", label, n,
          runs.get(i).graphBatch(), ortRate, forward, gradcam, bound, gradcamBound);
      if (runs.get(i).graphBatch() == n) {
        verdicts.add(verdict(label, n, forward, gradcam, bound, gradcamBound));
      }
    }
  }

  /**
   * The targets line of one model and batch, from the template's phrases: {@code bound} and
   * {@code gradcamBound} are the forward's and the Grad-CAM's convolutions alone.
   */
  static String verdict(String label, int n, double forward, double gradcam, double bound,
      double gradcamBound) {
    Map<String, String> v = new HashMap<>();
    v.put("label", label);
    v.put("batch", String.valueOf(n));
    v.put("forward", fixed3(forward));
    v.put("forwardTarget", fixed2(FORWARD_TARGET));
    v.put("forwardMet", forward >= FORWARD_TARGET ? "met" : "not met");
    v.put("gradcam", fixed3(gradcam));
    v.put("gradcamTarget", fixed2(GRADCAM_TARGET));
    v.put("gradcamMet", gradcam >= GRADCAM_TARGET ? "met" : "not met");
    v.put("bound", fixed3(bound));
    v.put("gradcamBound", fixed3(gradcamBound));
    boolean noForward = bound < FORWARD_TARGET;
    boolean noGradcam = gradcamBound < GRADCAM_TARGET;
    String reach = noForward && noGradcam ? "neither" : noForward ? "noForward"
        : noGradcam ? "noGradcam" : "room";
    v.put("reach", PHRASES.get(reach));
    return Template.fill("verdict", PHRASES.get("verdict"), v);
  }

  private static String fixed2(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  private static String fixed3(double x) {
    return String.format(Locale.ROOT, "%.3f", x);
  }

  /** TensorFlow's thread and oneDNN settings in force, as the section states them. */
  private static String tfThreads() {
    String onednn = System.getenv("TF_ENABLE_ONEDNN_OPTS");
    String frozen = System.getenv("TF_ONEDNN_ASSUME_FROZEN_WEIGHTS");
    return "TensorFlow's default ConfigProto (intra-op and inter-op pools of "
        + Runtime.getRuntime().availableProcessors() + " threads, one per core), oneDNN "
        + ("0".equals(onednn) ? "off" : "on") + " (`TF_ENABLE_ONEDNN_OPTS`"
        + (onednn == null ? " unset" : "=" + onednn) + "), `TF_ONEDNN_ASSUME_FROZEN_WEIGHTS`"
        + (frozen == null ? " unset" : "=" + frozen);
  }

  /** Replaces each {@code {{key}}} of the template; an unknown key is a bug, not a blank. */
  static String fill(String template, Map<String, String> values) {
    return org.gradcam.io.Template.fill("ort-speed.md", template, values) + "\n";
  }

  /** ONNX Runtime on one file: CPU, the settings the section states. */
  static final class Ort implements ForwardProfile.Reference, AutoCloseable {
    /** Warm-up calls before a profile, left out of it. */
    private static final int WARM_UP = 2;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Path file;
    private final long[] imageShape;
    private final String input;

    Ort(Path file, long[] imageShape) throws OrtException {
      this.options = options();
      this.session = env.createSession(file.toString(), options);
      this.file = file;
      this.imageShape = imageShape.clone();
      this.input = session.getInputNames().iterator().next();
    }

    private static OrtSession.SessionOptions options() throws OrtException {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      o.setIntraOpNumThreads(ORT_INTRA_THREADS);
      o.setInterOpNumThreads(1);
      o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return o;
    }

    /** Logits {@code [n, classes]}: a new input tensor, one run, the output read out. */
    float[] forward(float[] batch, int n) throws OrtException {
      return forward(session, batch, n);
    }

    private float[] forward(OrtSession s, float[] batch, int n) throws OrtException {
      try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch),
              new long[] {n, imageShape[0], imageShape[1], imageShape[2]});
          OrtSession.Result r = s.run(Map.of(input, x))) {
        FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] logits = new float[out.remaining()];
        out.get(logits);
        return logits;
      }
    }

    /**
     * ONNX Runtime's own profile: a second session of the same file and settings, profiling on
     * (the timed session stays unprofiled), its JSON trace read and deleted.
     */
    @Override
    public ForwardProfile.KernelTimes profile(float[] batch, int n, int runs) throws Exception {
      Path dir = Files.createTempDirectory("ort-profile");
      try (OrtSession.SessionOptions o = options()) {
        o.enableProfiling(dir.resolve("ort").toString());
        String trace;
        try (OrtSession s = env.createSession(file.toString(), o)) {
          for (int i = 0; i < WARM_UP + runs; i++) {
            forward(s, batch, n);
          }
          trace = s.endProfiling();
        }
        return OrtProfile.read(Path.of(trace), runs);
      } finally {
        SpeedTiming.deleteTree(dir);
      }
    }

    /** {@link #forward} as a timing job (images per call: {@code n}). */
    public IntSupplier job(float[] batch, int n) {
      return () -> {
        try {
          return forward(batch, n).length;
        } catch (OrtException e) {
          throw new IllegalStateException(e);
        }
      };
    }

    @Override
    public void close() throws OrtException {
      session.close();
      options.close();
    }
  }
}
