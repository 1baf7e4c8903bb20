package org.gradcam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.image.Colormap;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.pipeline.Pipeline;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code explain} end to end over real JPEGs in {@code speed}: the sequential loop against the
 * pipeline at the model's graph batch, next to the bare forward pass and the Grad-CAM graph at
 * that size, alternated runs with this process's CPU time per image; then, per model, where the
 * time goes ({@link EndToEndSpeed}) and the perturbation methods ({@link PerturbationSpeed}).
 */
final class ExplainSpeed {
  private final SpeedCommand options;
  private final PrintWriter log;

  ExplainSpeed(SpeedCommand options, PrintWriter log) {
    this.options = options;
    this.log = log;
  }

  String tables() throws Exception {
    List<Path> all = SpeedTiming.jpegs(Path.of(options.images));
    if (all.isEmpty()) {
      throw new IOException("no JPEGs in " + options.images);
    }
    Table t = Table.create("explain end to end", StringColumn.create("model"),
        IntColumn.create("images"), StringColumn.create("graph batch"),
        DoubleColumn.create("forward img/s"), DoubleColumn.create("grad-cam graph img/s"),
        StringColumn.create("explain sequential img/s"), StringColumn.create("explain pipelined img/s"),
        DoubleColumn.create("pipelined / sequential"), DoubleColumn.create("CPU ms/img sequential"),
        DoubleColumn.create("CPU ms/img pipelined"));
    double loadBefore = MachineLoad.oneMinute();
    forEachModel(all, (name, label, files, model, explainer) -> row(t, name, label, files, model,
        explainer));
    double loadAfter = MachineLoad.oneMinute();
    String stages = stages(all);
    return MarkdownTables.render(t, 2) + String.format(Locale.ROOT, "%nMachine load "
        + "(1-minute load average) %.1f before and %.1f after the end-to-end runs, on %d cores: "
        + "CPU ms/img is this process's CPU time (all threads) per image, which depends much "
        + "less on the load than the rates do; on an otherwise idle machine the pipelined rate "
        + "can at best reach cores x 1000 / (CPU ms/img).%n", loadBefore, loadAfter,
        Runtime.getRuntime().availableProcessors()) + stages;
  }

  /** One model's row: sequential against pipelined, alternated, with the graph's own rates. */
  private void row(Table t, String name, String label, List<Path> files, Model model,
      Explainer explainer) throws Exception {
    Path dir = Files.createTempDirectory("speed-explain");
    try {
      ExplainJob job = new ExplainJob(explainer, Target.top1(), Interpolation.NEAREST,
          new ExplainJob.Output(Colormap.JET, 0.4, dir.resolve("png"), dir.resolve("npy"),
              false, false, true, new PrintWriter(Writer.nullWriter())));
      int b = model.graphBatch();
      float[] batch = SpeedTiming.randomBatch(model, b, b);
      double forward = imagesPerSecond(b, () -> model.logits(batch, b).length);
      double graph = imagesPerSecond(b, () -> explainer.explain(batch, b, Target.top1()).size());
      Pipeline.Config config = config(b);
      int repeats = options.repeats;
      double[] seq = new double[repeats];
      double[] pipe = new double[repeats];
      double[] seqCpu = new double[repeats];
      double[] pipeCpu = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long c0 = SpeedTiming.processCpuNanos();
        seq[r] = timed(files.size(), dir, () -> job.sequential(files, b, n -> { }));
        long c1 = SpeedTiming.processCpuNanos();
        pipe[r] = timed(files.size(), dir, () -> job.pipelined(files, config, n -> { }));
        seqCpu[r] = (c1 - c0) / 1e6 / files.size();
        pipeCpu[r] = (SpeedTiming.processCpuNanos() - c1) / 1e6 / files.size();
        log.printf("%s run %d: sequential %.1f img/s, pipelined %.1f img/s%n", name, r + 1,
            seq[r], pipe[r]);
      }
      t.stringColumn("model").append(label);
      t.intColumn("images").append(files.size());
      t.stringColumn("graph batch").append(b + " (threads: " + config.loaders() + " loader, "
          + config.writers() + " writer)");
      t.doubleColumn("forward img/s").append(forward);
      t.doubleColumn("grad-cam graph img/s").append(graph);
      t.stringColumn("explain sequential img/s").append(SpeedTiming.spread(seq, 1));
      t.stringColumn("explain pipelined img/s").append(SpeedTiming.spread(pipe, 1));
      t.doubleColumn("pipelined / sequential").append(SpeedTiming.median(pipe)
          / SpeedTiming.median(seq));
      t.doubleColumn("CPU ms/img sequential").append(SpeedTiming.median(seqCpu));
      t.doubleColumn("CPU ms/img pipelined").append(SpeedTiming.median(pipeCpu));
    } finally {
      SpeedTiming.deleteTree(dir);
    }
  }

  /** Per-stage, decode-only and perturbation rows, per model. */
  private String stages(List<Path> all) throws Exception {
    EndToEndSpeed e2e = new EndToEndSpeed(log);
    PerturbationSpeed perturbation = new PerturbationSpeed(log, options.seconds);
    StringBuilder md = new StringBuilder("\n").append(EndToEndSpeed.prose()).append("\n\n");
    forEachModel(all, (name, label, files, model, explainer) -> {
      md.append(e2e.tables(label, model, explainer, files, config(model.graphBatch())));
      md.append("\n### Perturbation methods: ").append(label).append("\n\n")
          .append(perturbation.table(label, model, files.get(0))).append("\n");
    });
    return md.toString();
  }

  @FunctionalInterface
  private interface PerModel {
    void run(String name, String label, List<Path> files, Model model, Explainer explainer)
        throws Exception;
  }

  /** Each --models entry loaded as speed times it, with its share of the folder's files. */
  private void forEachModel(List<Path> all, PerModel body) throws Exception {
    for (int m = 0; m < options.models.size(); m++) {
      String name = options.models.get(m);
      boolean real = SpeedTiming.imageNetWeights(name);
      try (Model model = SpeedTiming.builtIn(name, real)) {
        Explainer explainer = new Explainer(model, model.spec().defaultLayer(), new GradCam());
        body.run(name, SpeedTiming.label(name, real), files(all, m), model, explainer);
      }
    }
  }

  /** The first --images-max files of the folder for the m-th model. */
  private List<Path> files(List<Path> all, int m) {
    List<Integer> max = options.imagesMax;
    return all.subList(0, Math.min(max.get(Math.min(m, max.size() - 1)), all.size()));
  }

  /** explain's pipeline at this batch, with --threads' loaders and writers when given. */
  private Pipeline.Config config(int batch) {
    Pipeline.Config config = Pipeline.Config.forBatch(batch);
    List<Integer> threads = options.threads;
    return threads == null ? config
        : new Pipeline.Config(batch, threads.get(0), threads.get(1), config.queueCapacity());
  }

  private double imagesPerSecond(int n, java.util.function.IntSupplier run) {
    return SpeedTiming.rate(options.seconds, n, run).imagesPerSecond();
  }

  @FunctionalInterface
  private interface Job {
    void run() throws Exception;
  }

  /** Images per second of one run, starting from an empty output directory. */
  private static double timed(int n, Path dir, Job job) throws Exception {
    SpeedTiming.deleteTree(dir.resolve("png"));
    SpeedTiming.deleteTree(dir.resolve("npy"));
    long t0 = System.nanoTime();
    job.run();
    return n / ((System.nanoTime() - t0) / 1e9);
  }
}
