package org.gradcam.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Model weights as resource variables, each filled once through a placeholder while the net is
 * being built. Weights held as graph constants live in the graph definition, which the first
 * {@code Session.run} copies and optimises (grappler) with every byte in it: VGG16's 528 MB
 * made that run take minutes of CPU and the process hold its weights several times over. Here
 * the graph holds only the variables' shapes; the values go straight into the session's
 * variables, in runs of about {@link #CHUNK_FLOATS} floats, so that besides the variables only
 * one chunk is in native memory at a time and the caller's array can be dropped once its layer
 * is built. After loading, the variables are only read: concurrent runs share them safely.
 */
final class WeightVariables implements AutoCloseable {
  /** Floats fed per run (16 MB): bounds the transient copies, keeps the number of runs small. */
  static final int CHUNK_FLOATS = 1 << 22;

  private final Graph graph;
  private final int chunkFloats;
  private Session session;
  private boolean handedOver;
  private int count;
  /** Small weights waiting to be assigned together in one run, with their fed tensors. */
  private final List<Placeholder<TFloat32>> pendingInputs = new ArrayList<>();
  private final List<TFloat32> pendingValues = new ArrayList<>();
  private final List<Op> pendingAssigns = new ArrayList<>();
  private long pendingFloats;

  WeightVariables(Graph graph) {
    this(graph, CHUNK_FLOATS);
  }

  /** With another chunk size, so tests can exercise chunking on small weights. */
  WeightVariables(Graph graph, int chunkFloats) {
    if (chunkFloats < 1) {
      throw new IllegalArgumentException("chunk size must be >= 1, got " + chunkFloats);
    }
    this.graph = graph;
    this.chunkFloats = chunkFloats;
  }

  /**
   * A variable named {@code name} in {@code scope} holding {@code values} (C order) of the given
   * shape, read by the returned operand. The values are copied before this returns, or in a
   * batch of small weights that is copied before the caller's next large weight or {@link
   * #session()}.
   */
  Operand<TFloat32> create(Ops scope, String name, long[] shape, float[] values) {
    if (handedOver) {
      throw new IllegalStateException("weights must be created before the model is built");
    }
    if (session == null) {
      session = new Session(graph);
    }
    // The shared name keys the variable in the session's resource manager: unique per builder.
    VarHandleOp handle = scope.withName(name).varHandleOp(TFloat32.class, Shape.of(shape),
        VarHandleOp.sharedName("gradcam_weight_" + count++));
    Operand<TFloat32> read = scope.withName(name + "_read").readVariableOp(handle, TFloat32.class);
    Ops init = scope.withSubScope(name + "_init");
    if (values.length <= chunkFloats) {
      Placeholder<TFloat32> in = init.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(shape)));
      pendingAssigns.add(init.assignVariableOp(handle, in));
      pendingInputs.add(in);
      pendingValues.add(tensor(Shape.of(shape), values, 0));
      pendingFloats += values.length;
      if (pendingFloats >= chunkFloats) {
        flush();
      }
    } else {
      flush();
      assignInChunks(init, handle, shape, values);
    }
    return read;
  }

  /**
   * Fills a large variable slice by slice along its first axis: it is first allocated with
   * zeros inside TF (no copy from Java), then each slab of rows is fed and written in place.
   */
  private void assignInChunks(Ops init, VarHandleOp handle, long[] shape, float[] values) {
    long row = values.length / shape[0];
    long rows = Math.max(1, chunkFloats / row);
    long[] chunkShape = shape.clone();
    chunkShape[0] = -1;
    Shape fed = Shape.of(chunkShape.clone());
    long[] ones = new long[shape.length];
    java.util.Arrays.fill(ones, 1);
    Op allocate = init.assignVariableOp(handle, init.zeros(init.constant(shape), TFloat32.class));
    Placeholder<TFloat32> chunk = init.placeholder(TFloat32.class,
        Placeholder.shape(fed));
    Placeholder<TInt64> begin = init.placeholder(TInt64.class,
        Placeholder.shape(Shape.of(shape.length)));
    Placeholder<TInt64> end = init.placeholder(TInt64.class,
        Placeholder.shape(Shape.of(shape.length)));
    Op write = init.resourceStridedSliceAssign(handle, begin, end, init.constant(ones), chunk);
    session.runner().addTarget(allocate).run();
    for (long r0 = 0; r0 < shape[0]; r0 += rows) {
      long r1 = Math.min(shape[0], r0 + rows);
      long[] from = new long[shape.length];
      long[] to = shape.clone();
      from[0] = r0;
      to[0] = r1;
      chunkShape[0] = r1 - r0;
      try (TFloat32 v = tensor(Shape.of(chunkShape), values, r0 * row);
          TInt64 b = TInt64.vectorOf(from);
          TInt64 e = TInt64.vectorOf(to)) {
        session.runner().feed(chunk, v).feed(begin, b).feed(end, e).addTarget(write).run();
      }
    }
  }

  /**
   * A tensor of {@code values[offset ..]}: one bulk copy (through a wrapping DataBuffer the
   * copy went element by element, seconds for VGG16).
   */
  private static TFloat32 tensor(Shape shape, float[] values, long offset) {
    TFloat32 t = TFloat32.tensorOf(shape);
    t.asRawTensor().data().asFloats().write(values, (int) offset, (int) shape.size());
    return t;
  }

  /** Assigns the pending small weights in one run and frees their tensors. */
  private void flush() {
    if (pendingAssigns.isEmpty()) {
      return;
    }
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < pendingInputs.size(); i++) {
        runner.feed(pendingInputs.get(i), pendingValues.get(i));
      }
      pendingAssigns.forEach(runner::addTarget);
      runner.run();
    } finally {
      pendingValues.forEach(TFloat32::close);
      pendingInputs.clear();
      pendingValues.clear();
      pendingAssigns.clear();
      pendingFloats = 0;
    }
  }

  /**
   * The session whose variables hold every weight created so far, handed to the caller (who
   * closes it from then on); null if no weight was created.
   */
  Session session() {
    if (session != null) {
      flush();
    }
    Session s = session;
    session = null;
    handedOver = true;
    return s;
  }

  /** Frees pending tensors and the session, unless it was handed over. */
  @Override
  public void close() {
    pendingValues.forEach(TFloat32::close);
    pendingValues.clear();
    if (session != null) {
      session.close();
      session = null;
    }
  }
}
