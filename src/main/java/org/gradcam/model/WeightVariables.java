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

/**
 * Model weights as resource variables, each filled once through a placeholder while the net is
 * being built. Weights held as graph constants live in the graph definition, which the first
 * {@code Session.run} copies and optimises (grappler) with every byte in it: VGG16's 528 MB
 * made that run take minutes of CPU and the process hold its weights several times over. Here
 * the graph holds only the variables' shapes; the values go straight into the session's
 * variables, each large weight in a run of its own (the variable adopts the fed tensor's buffer,
 * so the weight is in native memory once) and small ones batched up to {@link #BATCH_FLOATS}
 * floats per run. The caller's array can be dropped once its layer is built. Filling a large
 * variable slab by slab instead (zeros, then strided-slice assigns) was measured to cost more:
 * the zeros were copied into the variable, one more copy of VGG16's fc1 (411 MB) and 1.7x the
 * CPU. After loading, the variables are only read: concurrent runs share them safely.
 */
public final class WeightVariables implements AutoCloseable {
  /** Small weights are fed together up to this many floats (16 MB): few runs, little in transit. */
  static final int BATCH_FLOATS = 1 << 22;

  private final Graph graph;
  private final int batchFloats;
  private Session session;
  private boolean handedOver;
  private int count;
  /** Small weights waiting to be assigned together in one run, with their fed tensors. */
  private final List<Placeholder<TFloat32>> pendingInputs = new ArrayList<>();
  private final List<TFloat32> pendingValues = new ArrayList<>();
  private final List<Op> pendingAssigns = new ArrayList<>();
  private long pendingFloats;

  public WeightVariables(Graph graph) {
    this(graph, BATCH_FLOATS);
  }

  /** With another batch size, so tests can exercise batching on small weights. */
  WeightVariables(Graph graph, int batchFloats) {
    if (batchFloats < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchFloats);
    }
    this.graph = graph;
    this.batchFloats = batchFloats;
  }

  /**
   * A variable named {@code name} in {@code scope} holding {@code values} (C order) of the given
   * shape, read by the returned operand. The values are copied into a tensor before this
   * returns, and assigned in this call or, for a small weight, with the next batch (at the
   * latest in {@link #session()}).
   */
  public Operand<TFloat32> create(Ops scope, String name, long[] shape, float[] values) {
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
    // Named, not a sub-scope per weight: each sub-scope copies the names used so far.
    Placeholder<TFloat32> in = scope.withName(name + "_value")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    Op assign = scope.withName(name + "_assign").assignVariableOp(handle, in);
    if (values.length >= batchFloats) {
      flush(); // a large weight goes alone, so that only one of them is in transit at a time
    }
    pendingAssigns.add(assign);
    pendingInputs.add(in);
    pendingValues.add(tensor(Shape.of(shape), values));
    pendingFloats += values.length;
    if (pendingFloats >= batchFloats) {
      flush();
    }
    return read;
  }

  private static TFloat32 tensor(Shape shape, float[] values) {
    TFloat32 t = TFloat32.tensorOf(shape);
    t.asRawTensor().data().asFloats().write(values);
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
  public Session session() {
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
