package org.gradcam.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Where a forward pass spends its time, from TensorFlow itself rather than guesses: the model's
 * logits run with {@code RunOptions} trace level FULL, whose {@code RunMetadata} holds the step
 * stats (every executed kernel with its start and end) and the partition graphs (the graph as
 * executed, after grappler's rewrites: fused kernels, layout changes). Times are per run,
 * summed over kernels per op type; the trace itself adds some microseconds per kernel.
 */
public final class RunProfile {
  /** The kernels of one op type: how many ran per run and their summed time per run. */
  public record OpType(String type, int kernels, double micros) {}

  /**
   * One profiled forward pass at one batch.
   *
   * @param batch rows per run
   * @param stepMicros wall time of a traced run, first kernel start to last kernel end (median)
   * @param kernelMicros summed kernel time per run (several kernels may run at once)
   * @param convMicros wall time per run during which at least one convolution kernel ran: the
   *     union of their intervals, so kernels that ran at once count once (median)
   * @param byType kernel time by op type, largest first
   * @param executed op types of the executed graph with their node counts
   * @param feedMicros Java side, per run: the input rows into a new tensor
   * @param fetchMicros Java side, per run: the logits out of the fetched tensor
   */
  public record Profile(int batch, double stepMicros, double kernelMicros, double convMicros,
      List<OpType> byType, Map<String, Integer> executed, double feedMicros, double fetchMicros) {

    /** Kernel time per run of the op types whose name contains {@code part}. */
    public double micros(String part) {
      return byType.stream().filter(t -> t.type().contains(part)).mapToDouble(OpType::micros).sum();
    }

    /** Executed nodes of the op types whose name contains {@code part}. */
    public int nodes(String part) {
      return executed.entrySet().stream().filter(e -> e.getKey().contains(part))
          .mapToInt(Map.Entry::getValue).sum();
    }
  }

  private RunProfile() {}

  /**
   * Profiles {@code runs} traced forward passes of {@code batch} rows (random input: kernels do
   * not depend on values) after two untraced warm-up runs; the model runs at {@code batch} rows
   * as given, whatever its graph batch.
   */
  public static Profile forward(Model model, int batch, int runs) {
    long[] shape = model.spec().inputShape();
    java.util.Random rnd = new java.util.Random(batch);
    float[] x = new float[batch * model.spec().inputLength()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    Shape s = Shape.of(batch, shape[0], shape[1], shape[2]);
    Ends in = new Ends(model);
    RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
        .setOutputPartitionGraphs(true).build();
    IntSupplier warmUp = new ForwardJob(model, x, batch, false);
    warmUp.getAsInt();
    warmUp.getAsInt();
    Map<String, double[]> byType = new HashMap<>();
    Map<String, Integer> executed = new LinkedHashMap<>();
    double[] steps = new double[runs];
    double[] convs = new double[runs];
    double kernels = 0;
    double feed = 0;
    double fetch = 0;
    float[] logits = new float[batch * model.numClasses()];
    for (int run = 0; run < runs; run++) {
      long t0 = System.nanoTime();
      try (TFloat32 t = TFloat32.tensorOf(s, DataBuffers.of(x, true, false))) {
        feed += (System.nanoTime() - t0) / 1e3;
        try (Result r = model.session().runner().feed(in.input, t).fetch(in.logits)
            .setOptions(trace).runAndFetchMetadata()) {
          long t1 = System.nanoTime();
          ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(logits);
          fetch += (System.nanoTime() - t1) / 1e3;
          RunMetadata meta = r.getMetadata().orElseThrow();
          Map<String, String> types = new HashMap<>();
          for (GraphDef g : meta.getPartitionGraphsList()) {
            for (NodeDef n : g.getNodeList()) {
              types.put(n.getName(), n.getOp());
              if (run == 0) {
                executed.merge(n.getOp(), 1, Integer::sum);
              }
            }
          }
          long first = Long.MAX_VALUE;
          long last = Long.MIN_VALUE;
          List<long[]> convIntervals = new ArrayList<>();
          for (DeviceStepStats d : meta.getStepStats().getDevStatsList()) {
            for (NodeExecStats n : d.getNodeStatsList()) {
              String type = types.getOrDefault(n.getNodeName(), opOfLabel(n.getTimelineLabel()));
              double[] acc = byType.computeIfAbsent(type, k -> new double[2]);
              acc[0] += run == 0 ? 1 : 0;
              acc[1] += n.getAllEndRelMicros();
              kernels += n.getAllEndRelMicros();
              first = Math.min(first, n.getAllStartMicros());
              last = Math.max(last, n.getAllStartMicros() + n.getAllEndRelMicros());
              if (type.contains("Conv2D")) {
                convIntervals.add(new long[] {n.getAllStartMicros(),
                    n.getAllStartMicros() + n.getAllEndRelMicros()});
              }
            }
          }
          steps[run] = last - first;
          convs[run] = covered(convIntervals);
        }
      }
    }
    List<OpType> types = new ArrayList<>();
    byType.forEach((k, v) -> types.add(new OpType(k, (int) v[0], v[1] / runs)));
    types.sort(Comparator.comparingDouble(OpType::micros).reversed());
    java.util.Arrays.sort(steps);
    java.util.Arrays.sort(convs);
    return new Profile(batch, steps[runs / 2], kernels / runs, convs[runs / 2], List.copyOf(types),
        Map.copyOf(executed), feed / runs, fetch / runs);
  }

  /**
   * The forward pass of {@code batch} rows (the model runs at that size, whatever its graph
   * batch) as a timing job: a new tensor of the rows, one run, the logits read out. Through the
   * pool, as every run of the model's, TensorFlow's executor hands each kernel to its inter-op
   * pool; in the caller's thread ({@code RunOptions} inter-op thread pool -1) it runs them one
   * after the other in the calling thread: the alternative the speed section times.
   */
  public static final class ForwardJob implements IntSupplier {
    private static final RunOptions IN_CALLER_THREAD = RunOptions.newBuilder()
        .setInterOpThreadPool(-1).build();

    private final Model model;
    private final Ends in;
    private final Shape shape;
    private final float[] x;
    private final RunOptions options;
    private final float[] logits;

    public ForwardJob(Model model, float[] x, int batch, boolean callerThread) {
      long[] s = model.spec().inputShape();
      this.model = model;
      this.in = new Ends(model);
      this.shape = Shape.of(batch, s[0], s[1], s[2]);
      this.x = x;
      this.options = callerThread ? IN_CALLER_THREAD : RunOptions.getDefaultInstance();
      this.logits = new float[batch * model.numClasses()];
    }

    /** One run; returns the floats fetched. */
    @Override
    public int getAsInt() {
      try (TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(x, true, false));
          Result r = model.session().runner().feed(in.input, t).fetch(in.logits)
              .setOptions(options).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(logits);
      }
      return logits.length;
    }

    /** The logits of the last run, {@code [batch, classes]}. */
    public float[] logits() {
      return logits.clone();
    }
  }

  /**
   * What any run of a model costs before its kernels: a graph of one slice that feeds an input
   * of the model's shape and fetches {@code [batch, classes]} floats, the way {@link Model}
   * does (a new tensor from the rows, one session run, the result read out), so that JNI, the
   * executor and both copies are timed without a network.
   */
  public static final class FixedCost implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session = new Session(graph);
    private final Placeholder<TFloat32> input;
    private final Operand<TFloat32> output;
    private final Shape shape;
    private final float[] x;
    private final float[] out;

    public FixedCost(Model model, int batch) {
      long[] s = model.spec().inputShape();
      shape = Shape.of(batch, s[0], s[1], s[2]);
      x = new float[batch * model.spec().inputLength()];
      out = new float[batch * model.numClasses()];
      Ops tf = Ops.create(graph);
      input = tf.placeholder(TFloat32.class);
      output = tf.slice(tf.reshape(input, tf.constant(new long[] {batch, -1})),
          tf.constant(new long[] {0, 0}), tf.constant(new long[] {batch, model.numClasses()}));
    }

    /** One run; returns the floats fetched. */
    public int run() {
      try (TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(x, true, false));
          Result r = session.runner().feed(input, t).fetch(output).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      }
      return out.length;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  /** Length of the union of {@code [start, end)} intervals: time covered by at least one. */
  static long covered(List<long[]> intervals) {
    List<long[]> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparingLong(i -> i[0]));
    long total = 0;
    long start = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    for (long[] i : sorted) {
      if (i[0] > end) {
        total += end - start;
        start = i[0];
        end = i[1];
      } else {
        end = Math.max(end, i[1]);
      }
    }
    return total + (end - start);
  }

  /** The op of a timeline label {@code "name = Op(inputs)"}, for a node not in the graphs. */
  private static String opOfLabel(String label) {
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', Math.max(eq, 0));
    return eq >= 0 && paren > eq ? label.substring(eq + 3, paren) : "(unnamed)";
  }

  /** The model's input and logits, found by the layer records (not exposed by Model). */
  private static final class Ends {
    final Operand<TFloat32> input;
    final Operand<TFloat32> logits;

    Ends(Model model) {
      List<LayerOp> ops = model.layerOps();
      if (ops.isEmpty()) {
        throw new IllegalArgumentException("model " + model.name() + " has no recorded layers");
      }
      input = ops.get(0).output();
      logits = ops.get(ops.size() - 1).output();
    }
  }
}
