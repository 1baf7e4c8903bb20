package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.image.Colormap;
import org.gradcam.image.ImageEncoding;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.pipeline.Pipeline;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The rows of {@code speed} about where {@code explain}'s time goes over a folder: each stage
 * alone (decode, preprocess, graph, overlay, encode, write), the decode-only rate of the same
 * files (the limit of the end-to-end rate), the end-to-end rate by output format and decode, the
 * reduced decode's effect on the map. {@link ExplainSpeed} calls it for each model.
 */
final class EndToEndSpeed {
  private static final ImageEncoding JPEG = ImageEncoding.jpeg(ImageEncoding.DEFAULT_JPEG_QUALITY);

  private final PrintWriter log;

  EndToEndSpeed(PrintWriter log) {
    this.log = log;
  }

  /** What the tables measure; prose kept in a template beside the class. */
  static String prose() throws IOException {
    return BenchmarksFile.template("end-to-end.md");
  }

  /** All tables for one model over {@code files}, as markdown. */
  String tables(String label, Model model, Explainer explainer, List<Path> files,
      Pipeline.Config config) throws Exception {
    return "### Stages of explain: " + label + "\n\n" + stages(label, model, explainer, files)
        + "\n" + endToEnd(label, model, explainer, files, config) + "\n"
        + reducedDecodeEffect(label, explainer, files) + "\n";
  }

  /** Milliseconds per image of each stage, run one after the other on this thread. */
  String stages(String label, Model model, Explainer explainer, List<Path> files)
      throws IOException {
    ModelSpec spec = model.spec();
    int len = spec.inputLength();
    int b = model.graphBatch();
    double decode = 0;
    double preprocess = 0;
    double graph = 0;
    double overlay = 0;
    double[] encode = new double[2];
    double[] write = new double[2];
    long[] bytes = new long[2];
    ImageEncoding[] encodings = {ImageEncoding.PNG, JPEG};
    Path dir = Files.createTempDirectory("speed-stages");
    try {
      for (int from = 0; from < files.size(); from += b) {
        List<Path> chunk = files.subList(from, Math.min(files.size(), from + b));
        List<BufferedImage> pictures = new ArrayList<>();
        float[] batch = new float[chunk.size() * len];
        for (int i = 0; i < chunk.size(); i++) {
          long t0 = System.nanoTime();
          BufferedImage picture = Images.read(chunk.get(i));
          long t1 = System.nanoTime();
          System.arraycopy(spec.input(picture, Interpolation.NEAREST), 0, batch, i * len, len);
          long t2 = System.nanoTime();
          decode += t1 - t0;
          preprocess += t2 - t1;
          pictures.add(picture);
        }
        long t0 = System.nanoTime();
        List<Explanation> maps = explainer.explain(batch, chunk.size(), Target.top1());
        graph += System.nanoTime() - t0;
        for (Explanation e : maps) {
          long t1 = System.nanoTime();
          Heatmap map = e.heatmap();
          BufferedImage picture = Overlay.blend(pictures.get(e.image()), map.normalized(),
              map.height(), map.width(), Colormap.JET, 0.4);
          overlay += System.nanoTime() - t1;
          for (int f = 0; f < encodings.length; f++) {
            long t2 = System.nanoTime();
            byte[] encoded = Images.bytes(picture, encodings[f]);
            long t3 = System.nanoTime();
            Path out = dir.resolve(e.image() + encodings[f].format().extension());
            org.gradcam.io.AtomicFiles.write(out, encoded);
            long t4 = System.nanoTime();
            encode[f] += t3 - t2;
            write[f] += t4 - t3;
            bytes[f] += encoded.length;
          }
        }
      }
    } finally {
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
    int n = files.size();
    Table t = Table.create("stages", StringColumn.create("stage"),
        DoubleColumn.create("ms per image"), StringColumn.create("note"));
    row(t, "decode (Images.read)", decode / n, "");
    row(t, "resize + preprocess", preprocess / n, "");
    row(t, "graph (Grad-CAM, graph batch " + b + ")", graph / n, "");
    row(t, "overlay (upsample, colormap, blend)", overlay / n, "");
    for (int f = 0; f < encodings.length; f++) {
      String name = encodings[f].format() == ImageEncoding.Format.PNG ? "PNG"
          : "JPEG quality " + encodings[f].quality();
      row(t, "encode " + name, encode[f] / n,
          String.format(Locale.ROOT, "%.0f KB per image", bytes[f] / 1024.0 / n));
      row(t, "write " + name, write[f] / n, "");
    }
    row(t, "sum with PNG", (decode + preprocess + graph + overlay + encode[0] + write[0]) / n, "");
    row(t, "sum with JPEG", (decode + preprocess + graph + overlay + encode[1] + write[1]) / n,
        "");
    log.printf("%s stages: decode %.1f ms, graph %.1f ms, PNG %.1f ms, JPEG %.1f ms per image%n",
        label, decode / n / 1e6, graph / n / 1e6, encode[0] / n / 1e6, encode[1] / n / 1e6);
    log.flush();
    return MarkdownTables.render(t, 2);
  }

  private static void row(Table t, String stage, double nanos, String note) {
    t.stringColumn("stage").append(stage);
    t.doubleColumn("ms per image").append(nanos / 1e6);
    t.stringColumn("note").append(note);
  }

  /**
   * explain end to end (pipelined, as the command runs it) by output format and decode, against
   * the decode-only rate of the same files with as many threads as the pipeline's loaders and
   * with one.
   */
  String endToEnd(String label, Model model, Explainer explainer, List<Path> files,
      Pipeline.Config config) throws Exception {
    int inputSize = model.spec().inputSize();
    Table t = Table.create("end to end", StringColumn.create("run"),
        IntColumn.create("images"), DoubleColumn.create("img/s"),
        DoubleColumn.create("CPU ms/img"), DoubleColumn.create("of decode-only (same threads)"));
    double[] fullDecode = decodeOnly(files, config.loaders(), false);
    double[] reducedDecode = decodeOnly(files, config.loaders(), true);
    String threads = config.loaders() + (config.loaders() == 1 ? " thread" : " threads");
    if (config.loaders() > 1) {
      add(t, "decode only, full, 1 thread", files.size(), decodeOnly(files, 1, false),
          Double.NaN);
    }
    add(t, "decode only, full, " + threads, files.size(), fullDecode, Double.NaN);
    add(t, "decode only, reduced (--fast-decode), " + threads, files.size(), reducedDecode,
        Double.NaN);
    Path dir = Files.createTempDirectory("speed-e2e");
    try {
      for (ImageEncoding enc : new ImageEncoding[] {ImageEncoding.PNG, JPEG}) {
        for (boolean reduced : new boolean[] {false, true}) {
          ExplainJob job = new ExplainJob(explainer, Target.top1(), Interpolation.NEAREST,
              new ExplainJob.Output(Colormap.JET, 0.4, dir.resolve("out"), null, false, false,
                  true, new PrintWriter(java.io.Writer.nullWriter()), enc))
              .fastDecode(reduced ? inputSize : 0);
          job.pipelined(files.subList(0, Math.min(files.size(), config.batchSize())), config,
              i -> { }); // warm-up
          long c0 = SpeedTiming.processCpuNanos();
          long t0 = System.nanoTime();
          job.pipelined(files, config, i -> { });
          double secs = (System.nanoTime() - t0) / 1e9;
          double cpu = (SpeedTiming.processCpuNanos() - c0) / 1e6 / files.size();
          double rate = files.size() / secs;
          double limit = reduced ? reducedDecode[0] : fullDecode[0];
          add(t, "explain pipelined, " + (enc.format() == ImageEncoding.Format.PNG ? "PNG"
              : "JPEG " + enc.quality()) + (reduced ? ", --fast-decode" : ""), files.size(),
              new double[] {rate, cpu}, rate / limit);
          log.printf("%s explain %s%s: %.1f img/s (decode-only %.1f)%n", label,
              enc.format().option(), reduced ? " fast-decode" : "", rate, limit);
          log.flush();
          SpeedTiming.deleteTree(dir.resolve("out"));
        }
      }
    } finally {
      SpeedTiming.deleteTree(dir);
    }
    return MarkdownTables.render(t, 2);
  }

  private static void add(Table t, String run, int n, double[] rateCpu, double ofLimit) {
    t.stringColumn("run").append(run);
    t.intColumn("images").append(n);
    t.doubleColumn("img/s").append(rateCpu[0]);
    t.doubleColumn("CPU ms/img").append(rateCpu[1]);
    t.doubleColumn("of decode-only (same threads)").append(ofLimit);
  }

  /** Images per second and CPU ms per image of decoding every file with {@code threads}. */
  static double[] decodeOnly(List<Path> files, int threads, boolean reduced, int minSide)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int pass = 0; pass < 2; pass++) { // the first pass warms the decoder up
        long c0 = SpeedTiming.processCpuNanos();
        long t0 = System.nanoTime();
        List<Future<Integer>> done = new ArrayList<>();
        for (Path f : files) {
          done.add(pool.submit(() -> (reduced ? Images.readReduced(f, minSide) : Images.read(f))
              .getWidth()));
        }
        for (Future<Integer> d : done) {
          d.get();
        }
        if (pass == 1) {
          double secs = (System.nanoTime() - t0) / 1e9;
          return new double[] {files.size() / secs, (SpeedTiming.processCpuNanos() - c0) / 1e6 / files.size()};
        }
      }
      throw new AssertionError();
    } finally {
      pool.shutdownNow();
    }
  }

  private double[] decodeOnly(List<Path> files, int threads, boolean reduced) throws Exception {
    return decodeOnly(files, threads, reduced, 224);
  }

  /**
   * What the reduced decode does to the map: for each file that it reduces, the largest
   * difference of the normalised maps (full decode against reduced) and whether the top-1 class
   * stays; files it does not reduce are counted apart (their maps are the same by construction).
   */
  String reducedDecodeEffect(String label, Explainer explainer, List<Path> files)
      throws IOException {
    ModelSpec spec = explainer.model().spec();
    int size = spec.inputSize();
    int reducedFiles = 0;
    int sameTop1 = 0;
    double worst = 0;
    double sum = 0;
    for (Path f : files) {
      BufferedImage full = Images.read(f);
      if (Images.reductionFor(full.getWidth(), full.getHeight(), size) == 1
          || !f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g")) {
        continue;
      }
      BufferedImage reduced = Images.readReduced(f, size);
      Explanation a = explainer.explain(spec.input(full, Interpolation.NEAREST), 1, Target.top1())
          .get(0);
      Explanation b = explainer.explain(spec.input(reduced, Interpolation.NEAREST), 1,
          Target.top1()).get(0);
      float[] x = a.heatmap().normalized();
      float[] y = b.heatmap().normalized();
      double max = 0;
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
      worst = Math.max(worst, max);
      sum += max;
      reducedFiles++;
      if (a.targetClass() == b.targetClass()) {
        sameTop1++;
      }
    }
    String text = reducedFiles == 0
        ? String.format(Locale.ROOT, "--fast-decode on %s: none of the %d files has a short side "
            + "of at least %d px, so it decodes them whole and changes nothing.%n", label,
            files.size(), 2 * size)
        : String.format(Locale.ROOT, "--fast-decode on %s: %d of %d files reduced; top-1 class "
            + "unchanged for %d of them; largest difference of the normalised maps (0..1) "
            + "%.3f, mean of each file's largest %.3f.%n", label, reducedFiles, files.size(),
            sameTop1, worst, sum / reducedFiles);
    log.print(text);
    log.flush();
    return text;
  }
}
