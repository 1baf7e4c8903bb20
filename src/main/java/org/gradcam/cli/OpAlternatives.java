package org.gradcam.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.model.MaxPool;
import org.gradcam.model.Model;
import org.gradcam.model.RunProfile;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * For {@link OrtSpeed}'s section: how the models run against the other ways TensorFlow can
 * compute the same values, each pair timed interleaved at every batch, after a check that both
 * give the same values. Each model's whole forward pass through TensorFlow's inter-op pool (the
 * default) against the same runs with their kernels in the caller's thread; SqueezeNet 1.1's
 * non-convolution kernels against their alternatives: the input's transpose against unstacking
 * its three channels and stacking them last; MaxPoolV2 (what TF Java's {@code nn.maxPool} builds)
 * against the MaxPool the models build; a Fire module's two expand convolutions and their concat
 * against one convolution with both kernels merged (the 1x1 kernel at the centre of a 3x3 one),
 * which has no concat but nine times the multiplications of the 1x1 half.
 */
final class OpAlternatives {
  /** SqueezeNet 1.1's Fire module shapes: input size, squeeze channels, expand channels each. */
  private static final int[][] FIRES = {{55, 16, 64}, {27, 32, 128}, {13, 48, 192},
      {13, 64, 256}};

  private static final String CALLER = "kernels in the caller's thread";

  private final List<Integer> batches;
  private final double seconds;
  private final int rounds;
  private final Table rows = Table.create("alternatives", StringColumn.create("computation"),
      StringColumn.create("as built"), StringColumn.create("alternative"),
      IntColumn.create("batch"), DoubleColumn.create("as built ms"),
      DoubleColumn.create("alternative ms"), DoubleColumn.create("alternative / as built"));

  OpAlternatives(List<Integer> batches, double seconds, int rounds) {
    this.batches = List.copyOf(batches);
    this.seconds = seconds;
    this.rounds = rounds;
  }

  /**
   * Rows of one model's forward pass at each batch (as graph batch, in a session of its own),
   * through the inter-op pool against its kernels in the caller's thread, each cell timed for
   * {@code modelSeconds}.
   */
  void addRunRows(Model base, SpeedTiming.Loader loader, String label, double modelSeconds)
      throws IOException {
    for (int n : batches) {
      try (SpeedTiming.Alone alone = SpeedTiming.Alone.of(base, loader, n)) {
        Model model = alone.model();
        float[] x = SpeedTiming.randomBatch(model, n, n);
        RunProfile.ForwardJob pooled = new RunProfile.ForwardJob(model, x, n, false);
        RunProfile.ForwardJob inCaller = new RunProfile.ForwardJob(model, x, n, true);
        pooled.getAsInt();
        inCaller.getAsInt();
        String what = label + " forward";
        requireSame(what, SpeedTiming.Gap.of(pooled.logits(), inCaller.logits()));
        time(what, "inter-op pool", CALLER, n, modelSeconds, pooled, inCaller);
      }
    }
  }

  /** The Markdown table: the run rows added so far, then one row per kernel and batch. */
  String table() {
    for (int n : batches) {
      row("input NCHW to NHWC of 3x224x224 (to_nhwc)", "Transpose", "Unstack + Stack", n,
          new long[] {n, 3, 224, 224},
          (tf, x) -> tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 3, 1})),
          (tf, x) -> tf.stack(tf.unstack(x, 3L, Unstack.axis(1L)), Stack.axis(3L)));
      row("max pool 3x3 stride 2 of 111x111x64 (pool1)", "MaxPool", "MaxPoolV2", n,
          new long[] {n, 111, 111, 64},
          (tf, x) -> MaxPool.of(tf, x, 3, 3, 2, 2, "VALID"),
          (tf, x) -> tf.nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}),
              tf.constant(new int[] {1, 2, 2, 1}), "VALID"));
      for (int[] f : FIRES) {
        Fire fire = new Fire(f[1], f[2], new Random(f[0] * 31L + f[1]));
        row(String.format("Fire expand of %dx%dx%d to %d", f[0], f[0], f[1], 2 * f[2]),
            "1x1 + 3x3 + ConcatV2", "one merged 3x3", n, new long[] {n, f[0], f[0], f[1]},
            fire::asBuilt, fire::merged);
      }
    }
    return MarkdownTables.render(rows, 3).strip() + "\n\n"
        + (rows.stringColumn("alternative").contains(CALLER) ? range(rows, CALLER) + "\n" : "")
        + range(rows, "Unstack + Stack") + "\n" + range(rows, "MaxPoolV2") + "\n"
        + range(rows, "one merged 3x3");
  }

  /** The spread of one alternative's ratios over its rows, and whether it ever wins. */
  private static String range(Table t, String alternative) {
    Table its = t.where(t.stringColumn("alternative").isEqualTo(alternative));
    DoubleColumn ratio = its.doubleColumn("alternative / as built");
    String built = its.stringColumn("as built").get(0);
    return String.format(Locale.ROOT, "- %s takes %.2f to %.2f times the time of %s "
        + "over the %d rows: %s.", alternative, ratio.min(), ratio.max(), built, its.rowCount(),
        ratio.max() < 1 ? "faster in every row" : ratio.min() > 1 ? "slower in every row, so "
            + built + " stays" : "faster in some rows, slower in others");
  }

  private void row(String what, String builtName, String altName, int n, long[] shape,
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> built,
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> alternative) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(shape)));
      Operand<TFloat32> a = built.apply(tf, x);
      Operand<TFloat32> b = alternative.apply(tf, x);
      // Each side fetches one scalar, so the timing is the kernels, not a copy of the output.
      tf.withName("a").reduceSum(a, tf.constant(new int[] {0, 1, 2, 3}));
      tf.withName("b").reduceSum(b, tf.constant(new int[] {0, 1, 2, 3}));
      tf.withName("diff").reduceMax(tf.math.abs(tf.math.sub(a, b)),
          tf.constant(new int[] {0, 1, 2, 3}));
      tf.withName("scale").reduceMax(tf.math.abs(a), tf.constant(new int[] {0, 1, 2, 3}));
      float[] in = new float[(int) Shape.of(shape).size()];
      Random rnd = new Random(n);
      for (int i = 0; i < in.length; i++) {
        in[i] = Math.max(0f, (float) rnd.nextGaussian()); // a ReLU's output, as in the net
      }
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(in))) {
        check(s, input, what);
        time(what, builtName, altName, n, seconds, fetching(s, input, "a"),
            fetching(s, input, "b"));
      }
    }
  }

  /** One row: both jobs timed in alternating rounds, the median of each in ms per run. */
  private void time(String what, String builtName, String altName, int n, double cellSeconds,
      IntSupplier built, IntSupplier alternative) {
    List<IntSupplier> jobs = List.of(built, alternative);
    double[][] ms = new double[2][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int j = 0; j < 2; j++) {
        int side = r % 2 == 0 ? j : 1 - j; // alternate, as OrtSpeed's cells
        ms[side][r] = 1000 / SpeedTiming.rate(cellSeconds, 1, jobs.get(side)).imagesPerSecond();
      }
    }
    double built0 = SpeedTiming.median(ms[0]);
    double alt = SpeedTiming.median(ms[1]);
    rows.stringColumn("computation").append(what);
    rows.stringColumn("as built").append(builtName);
    rows.stringColumn("alternative").append(altName);
    rows.intColumn("batch").append(n);
    rows.doubleColumn("as built ms").append(built0);
    rows.doubleColumn("alternative ms").append(alt);
    rows.doubleColumn("alternative / as built").append(alt / built0);
  }

  private static IntSupplier fetching(Session s, TFloat32 input, String op) {
    return () -> {
      try (var out = s.runner().feed("x", input).fetch(op).run()) {
        return out.size();
      }
    };
  }

  /** Both sides must compute the same values (float32 rounding aside), or the timing is moot. */
  private static void check(Session s, TFloat32 input, String what) {
    try (var out = s.runner().feed("x", input).fetch("diff").fetch("scale").run()) {
      requireSame(what, new SpeedTiming.Gap(((TFloat32) out.get(0)).getFloat(),
          ((TFloat32) out.get(1)).getFloat()));
    }
  }

  private static void requireSame(String what, SpeedTiming.Gap gap) {
    if (!(gap.worst() <= 1e-5f * Math.max(1f, gap.scale()))) {
      throw new IllegalStateException(what + ": the alternative differs by " + gap.worst()
          + " (values up to " + gap.scale() + ")");
    }
  }

  /** One Fire module's expand layer with seeded random weights, built both ways. */
  private static final class Fire {
    private final int squeeze;
    private final int expand;
    private final float[] k1;
    private final float[] k3;
    private final float[] b1;
    private final float[] b3;

    Fire(int squeeze, int expand, Random rnd) {
      this.squeeze = squeeze;
      this.expand = expand;
      k1 = gaussian(rnd, squeeze * expand);
      k3 = gaussian(rnd, 9 * squeeze * expand);
      b1 = gaussian(rnd, expand);
      b3 = gaussian(rnd, expand);
    }

    Operand<TFloat32> asBuilt(Ops tf, Operand<TFloat32> x) {
      return tf.concat(List.of(conv(tf, x, k1, 1, expand, b1), conv(tf, x, k3, 3, expand, b3)),
          tf.constant(3));
    }

    Operand<TFloat32> merged(Ops tf, Operand<TFloat32> x) {
      // [3, 3, squeeze, 2 * expand]: outputs 0..expand-1 the 1x1 kernel at the centre tap.
      float[] k = new float[9 * squeeze * 2 * expand];
      for (int tap = 0; tap < 9; tap++) {
        for (int c = 0; c < squeeze; c++) {
          int row = (tap * squeeze + c) * 2 * expand;
          System.arraycopy(k3, (tap * squeeze + c) * expand, k, row + expand, expand);
          if (tap == 4) {
            System.arraycopy(k1, c * expand, k, row, expand);
          }
        }
      }
      float[] b = new float[2 * expand];
      System.arraycopy(b1, 0, b, 0, expand);
      System.arraycopy(b3, 0, b, expand, expand);
      return conv(tf, x, k, 3, 2 * expand, b);
    }

    private Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, float[] kernel, int size,
        int out, float[] bias) {
      Operand<TFloat32> k = tf.constant(Shape.of(size, size, squeeze, out),
          DataBuffers.of(kernel));
      return tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME"),
          tf.constant(bias)));
    }

    private static float[] gaussian(Random rnd, int n) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) rnd.nextGaussian() * 0.1f;
      }
      return v;
    }
  }
}
