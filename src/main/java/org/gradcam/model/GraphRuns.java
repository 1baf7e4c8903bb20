package org.gradcam.model;

import java.util.Arrays;
import org.gradcam.model.ModelGraph.GradientOps;
import org.gradcam.model.ModelGraph.SeededGradientOps;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The feed and fetch machinery of a {@link Model}: a caller's batch of n images is cut into
 * runs of exactly {@link ModelSpec#graphBatch()} rows, the last one zero-padded, and each run's
 * fetched rows are copied back in order. Every run feeds its own tensors and closes them.
 */
final class GraphRuns {
  /** Zeros to clear padding rows with, a chunk at a time. */
  private static final float[] ZEROS = new float[1 << 16];

  private final ModelGraph g;
  private final ModelSpec spec;
  private final String name;

  GraphRuns(ModelGraph g, ModelSpec spec, String name) {
    this.g = g;
    this.spec = spec;
    this.name = name;
  }

  /** One graph run over rows {@code [from, from + rows)} of the caller's batch. */
  @FunctionalInterface
  private interface Run {
    void rows(int from, int rows);
  }

  private int graphBatch() {
    return spec.graphBatch();
  }

  private int numClasses() {
    return g.numClasses();
  }

  float[] logits(float[] batch, int n) {
    requireInput(batch, n);
    int k = numClasses();
    float[] out = new float[n * k];
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          Result r = g.session.runner().feed(g.input, x).fetch(g.logits).run()) {
        read(r.get(0), m * k, out, from * k);
      }
    });
    return out;
  }

  /** {@code [logits, activations]} of n images, forward only; see {@link Model#forward}. */
  float[][] forward(String layer, LayerInfo info, float[] batch, int n) {
    requireInput(batch, n);
    int mapSize = mapSize(info);
    int k = numClasses();
    float[] outLogits = new float[n * k];
    float[] outActivations = new float[n * mapSize];
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          Result r = g.session.runner().feed(g.input, x).fetch(g.logits)
              .fetch(g.layers.get(layer)).run()) {
        read(r.get(0), m * k, outLogits, from * k);
        read(r.get(1), m * mapSize, outActivations, from * mapSize);
      }
    });
    return new float[][] {outLogits, outActivations};
  }

  /** Logits fed at a layer instead of the input; see {@link Model#logitsFromLayer}. */
  float[] logitsFromLayer(String layer, LayerInfo info, float[] activations, int n) {
    long[] s = info.outputShape();
    int len = mapSize(info);
    if (n <= 0 || activations.length != (long) n * len) {
      throw new IllegalArgumentException("layer " + layer + " of model " + name + " needs "
          + n + " x " + Arrays.toString(s) + " activations, got " + activations.length);
    }
    int k = numClasses();
    float[] out = new float[n * k];
    forEachRun(n, (from, m) -> {
      try (TFloat32 a = TFloat32.tensorOf(Shape.of(graphBatch(), s[0], s[1], s[2]),
              DataBuffers.of(rows(activations, len, from, m), true, false));
          Result r = g.session.runner().feed(g.layers.get(layer), a).fetch(g.logits).run()) {
        read(r.get(0), m * k, out, from * k);
      }
    });
    return out;
  }

  /**
   * Logits, activations and the gradient of each image's target logit at a layer. This and
   * the other runs given gradient ops expect the caller to have checked the batch and seed.
   */
  ForwardBackward forwardBackward(String layer, LayerInfo info, GradientOps ops, float[] batch,
      int n, int[] classes) {
    Runs out = new Runs(n, info);
    forEachRun(n, (from, m) -> {
      int[] c = new int[graphBatch()];
      System.arraycopy(classes, from, c, 0, m);
      try (TFloat32 x = inputTensor(batch, from, m);
          TInt32 ct = TInt32.tensorOf(Shape.of(c.length), DataBuffers.of(c, true, false));
          Result r = g.session.runner().feed(g.input, x).feed(ops.classes(), ct)
              .fetch(g.logits).fetch(g.layers.get(layer)).fetch(ops.gradient())
              .fetch(ops.chosen()).run()) {
        out.read(r, from, m);
        TInt64 chosen = (TInt64) r.get(3);
        for (int i = 0; i < m; i++) {
          out.targets[from + i] = (int) chosen.getLong(i);
        }
      }
    });
    return out.result();
  }

  /** As the one-hot {@link #forwardBackward}, with a fed seed; the target classes are -1. */
  ForwardBackward forwardBackward(String layer, LayerInfo info, SeededGradientOps ops,
      float[] batch, int n, float[] seed) {
    Runs out = new Runs(n, info);
    Arrays.fill(out.targets, -1);
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          TFloat32 s = seedTensor(seed, from, m);
          Result r = g.session.runner().feed(g.input, x).feed(ops.seed(), s)
              .fetch(g.logits).fetch(g.layers.get(layer)).fetch(ops.gradient()).run()) {
        out.read(r, from, m);
      }
    });
    return out.result();
  }

  /** The seeded gradient with respect to the input, {@code [n, input shape]}. */
  float[] inputGradient(SeededGradientOps ops, float[] batch, int n, float[] seed) {
    int len = spec.inputLength();
    float[] out = new float[n * len];
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          TFloat32 s = seedTensor(seed, from, m);
          Result r = g.session.runner().feed(g.input, x).feed(ops.seed(), s)
              .fetch(ops.gradient()).run()) {
        read(r.get(0), m * len, out, from * len);
      }
    });
    return out;
  }

  /** Calls {@code run} for consecutive chunks of at most {@link #graphBatch()} of n rows. */
  private void forEachRun(int n, Run run) {
    for (int from = 0; from < n; from += graphBatch()) {
      run.rows(from, Math.min(graphBatch(), n - from));
    }
  }

  /** Rows {@code [from, from + m)} of {@code data}, zero-padded to {@link #graphBatch()} rows. */
  private float[] rows(float[] data, int rowLength, int from, int m) {
    float[] out = new float[graphBatch() * rowLength];
    System.arraycopy(data, from * rowLength, out, 0, m * rowLength);
    return out;
  }

  private static int mapSize(LayerInfo info) {
    long[] s = info.outputShape();
    return (int) (s[0] * s[1] * s[2]);
  }

  /** Gathers the logits, activations and gradients of the runs of one batch. */
  private final class Runs {
    final int n;
    final LayerInfo info;
    final int mapSize;
    final float[] logits;
    final float[] activations;
    final float[] gradients;
    final int[] targets;

    Runs(int n, LayerInfo info) {
      this.n = n;
      this.info = info;
      this.mapSize = mapSize(info);
      this.logits = new float[n * numClasses()];
      this.activations = new float[n * mapSize];
      this.gradients = new float[n * mapSize];
      this.targets = new int[n];
    }

    void read(Result r, int from, int m) {
      GraphRuns.read(r.get(0), m * numClasses(), logits, from * numClasses());
      GraphRuns.read(r.get(1), m * mapSize, activations, from * mapSize);
      GraphRuns.read(r.get(2), m * mapSize, gradients, from * mapSize);
    }

    ForwardBackward result() {
      long[] s = info.outputShape();
      return new ForwardBackward(n, numClasses(), (int) s[0], (int) s[1], (int) s[2], logits,
          activations, gradients, targets);
    }
  }

  void requireInput(float[] batch, int n) {
    if (n <= 0 || batch.length != (long) n * spec.inputLength()) {
      throw new IllegalArgumentException("model " + name + " expects " + n + " x "
          + Arrays.toString(spec.inputShape()) + " = " + (long) n * spec.inputLength()
          + " input values, got " + batch.length);
    }
  }

  void requireClasses(int[] classes, int n) {
    if (classes.length != n) {
      throw new IllegalArgumentException("need one target class per image: " + n + " images, "
          + classes.length + " classes");
    }
    for (int c : classes) {
      if (c >= numClasses()) {
        throw new IllegalArgumentException("class index " + c + " out of range: model " + name
            + " has " + numClasses() + " classes (0.." + (numClasses() - 1) + ")");
      }
    }
  }

  void requireSeed(float[] seed, int n) {
    if (seed.length != (long) n * numClasses()) {
      throw new IllegalArgumentException("need a seed of " + n + " x " + numClasses()
          + " values, got " + seed.length);
    }
    for (float v : seed) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("gradient seed has a non-finite value " + v);
      }
    }
  }

  private TFloat32 inputTensor(float[] batch, int from, int m) {
    long[] shape = spec.inputShape();
    int len = spec.inputLength();
    // The rows go straight into the tensor's buffer: a zero-padded Java copy first cost a
    // 4.8 MB allocation and a second copy per SqueezeNet run (0.5-2.8 ms against 0.2 ms of CPU).
    TFloat32 t = TFloat32.tensorOf(Shape.of(graphBatch(), shape[0], shape[1], shape[2]));
    FloatDataBuffer data = t.asRawTensor().data().asFloats();
    data.write(batch, from * len, m * len);
    // TensorFlow's allocator does not clear memory: the padding rows are zeroed explicitly.
    for (long at = (long) m * len; at < (long) graphBatch() * len; at += ZEROS.length) {
      data.offset(at).write(ZEROS, 0, (int) Math.min(ZEROS.length, (long) graphBatch() * len - at));
    }
    return t;
  }

  private TFloat32 seedTensor(float[] seed, int from, int m) {
    return TFloat32.tensorOf(Shape.of(graphBatch(), numClasses()),
        DataBuffers.of(rows(seed, numClasses(), from, m), true, false));
  }

  /** The first {@code length} values of a fetched float tensor into {@code out} at offset. */
  private static void read(org.tensorflow.Tensor t, int length, float[] out, int offset) {
    ((TFloat32) t).asRawTensor().data().asFloats().read(out, offset, length);
  }
}
