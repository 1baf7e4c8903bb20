package org.gradcam.model.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradcam.model.LayerInfo;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.TensorFlowNative;
import org.gradcam.model.WeightVariables;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * Imports an ONNX classifier into a TensorFlow graph, op by op, so that Grad-CAM's gradients
 * come from {@code Graph.addGradients} through the same {@link Model} as the built-in networks.
 *
 * <p>Layout: ONNX is NCHW, TensorFlow's CPU kernels want NHWC. The NCHW input is transposed once;
 * every 4-D activation then stays NHWC ("nhwc" values below) and layout-aware ops (Conv, pools,
 * BatchNormalization, element-wise ops and their broadcast constants, Concat, ReduceMean, Pad)
 * translate their axes. Ops whose meaning depends on the memory order (Flatten, Reshape,
 * Transpose, Gather, MatMul, Softmax, Slice, Squeeze, Unsqueeze) first transpose back to the
 * NCHW-logical order ("plain" values), so results equal ONNX semantics exactly.
 *
 * <p>Integer tensors (Shape, Gather, Concat, Unsqueeze... computing a Reshape's target) are
 * evaluated here while building, with the batch size as the one symbolic value; the graph gets
 * only their result. An op, attribute value or data dependence this importer does not handle is
 * an {@link OnnxImportException} naming the op, node and opset, never a different graph.
 */
public final class OnnxImporter {
  /** Opsets of the default domain whose semantics this importer implements. */
  public static final int MIN_OPSET = 7;
  public static final int MAX_OPSET = 17;
  /** Integer shape values: the dynamic batch size, known only when the graph runs. */
  static final long BATCH = Long.MIN_VALUE;
  /** Float initializers at least this large become variables (see {@link WeightVariables}). */
  private static final int VARIABLE_FLOATS = 1024;
  private static final int[] TO_NHWC = {0, 2, 3, 1};
  private static final int[] TO_NCHW = {0, 3, 1, 2};
  /** Physical NHWC axis of each NCHW-logical axis. */
  private static final int[] L2P = {0, 3, 1, 2};

  /** The graph's input contract read from the file. */
  public record Input(String name, int channels, int height, int width) {}

  /** What the file describes besides the graph: its input, output and producer. */
  public record Header(Input input, String output, int opset, String producer) {}

  private final Path file;
  private final OnnxMl.GraphProto g;
  private final int opset;
  private final Graph graph;
  private final Ops tf;
  private final WeightVariables variables;
  private final Map<String, V> values = new HashMap<>();
  private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
  private final Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
  private final List<LayerInfo> summary = new ArrayList<>();
  /** 4-D layers, the candidate feature maps. */
  private final Set<String> imageLayout = new HashSet<>();
  private int weightCount;

  /** A value of the ONNX graph while importing: a float tensor, a float constant or integers. */
  private static final class V {
    Operand<TFloat32> op; // float tensor in the graph
    boolean nhwc; // op is rank 4, stored NHWC, NCHW-logical
    float[] floats; // float constant (initializer or Constant), C order of fshape
    long[] shape; // logical shape of a constant (floats or ints)
    long[] ints; // integer constant, may hold BATCH

    static V tensor(Operand<TFloat32> op, boolean nhwc) {
      V v = new V();
      v.op = op;
      v.nhwc = nhwc;
      return v;
    }

    static V floats(float[] data, long[] shape) {
      V v = new V();
      v.floats = data;
      v.shape = shape;
      return v;
    }

    static V ints(long[] data, long[] shape) {
      V v = new V();
      v.ints = data;
      v.shape = shape;
      return v;
    }

    boolean isConst() {
      return op == null;
    }
  }

  private OnnxImporter(Path file, OnnxMl.GraphProto g, int opset, Graph graph) {
    this.file = file;
    this.g = g;
    this.opset = opset;
    this.graph = graph;
    this.tf = Ops.create(graph);
    this.variables = new WeightVariables(graph);
  }

  /** Reads and checks the file: ONNX, supported opset, one 4-D float input, one output. */
  public static Header header(Path file) throws IOException {
    return header(file, parse(file));
  }

  private static Header header(Path file, OnnxMl.ModelProto m) {
    OnnxMl.GraphProto g = m.getGraph();
    int opset = opset(file, m);
    Set<String> inits = new HashSet<>();
    g.getInitializerList().forEach(t -> inits.add(t.getName()));
    List<OnnxMl.ValueInfoProto> inputs = g.getInputList().stream()
        .filter(i -> !inits.contains(i.getName())).toList();
    if (inputs.size() != 1) {
      throw new OnnxImportException(file + ": the graph has " + inputs.size()
          + " inputs; an image classifier needs exactly one (found: "
          + String.join(", ", inputs.stream().map(OnnxMl.ValueInfoProto::getName).toList()) + ")");
    }
    OnnxMl.ValueInfoProto in = inputs.get(0);
    OnnxMl.TypeProto.Tensor type = in.getType().getTensorType();
    if (type.getElemType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
      throw new OnnxImportException(file + ": input '" + in.getName() + "' is of type "
          + dataTypeName(type.getElemType()) + "; only float32 inputs are supported");
    }
    List<OnnxMl.TensorShapeProto.Dimension> dims = type.getShape().getDimList();
    if (dims.size() != 4) {
      throw new OnnxImportException(file + ": input '" + in.getName() + "' has " + dims.size()
          + " dimensions " + dimsText(dims) + "; an image model takes a 4-D NCHW tensor");
    }
    long[] chw = new long[3];
    String[] axis = {"channels", "height", "width"};
    for (int i = 1; i < 4; i++) {
      OnnxMl.TensorShapeProto.Dimension d = dims.get(i);
      if (!d.hasDimValue() || d.getDimValue() < 1) {
        throw new OnnxImportException(file + ": input '" + in.getName() + "' has a dynamic "
            + axis[i - 1] + " axis " + dimsText(dims) + "; export the model with a fixed "
            + "input size (only the batch axis may be dynamic)");
      }
      chw[i - 1] = d.getDimValue();
    }
    if (chw[0] != 1 && chw[0] != 3) {
      throw new OnnxImportException(file + ": input '" + in.getName() + "' " + dimsText(dims)
          + " has " + chw[0] + " channels; images have 1 (grey) or 3 (RGB) channels");
    }
    if (g.getOutputCount() < 1) {
      throw new OnnxImportException(file + ": the graph has no output");
    }
    return new Header(new Input(in.getName(), (int) chw[0], (int) chw[1], (int) chw[2]),
        g.getOutput(0).getName(), opset, m.getProducerName() + " " + m.getProducerVersion());
  }

  /**
   * What the file says besides its graph: its {@code metadata_props} (key to value), and whether
   * its output is a Sigmoid (a multi-label model, imported with the Sigmoid's input as logits).
   */
  public record Extras(Map<String, String> metadata, boolean sigmoidOutput) {}

  /** The {@link Extras} of {@code file}. */
  public static Extras extras(Path file) throws IOException {
    OnnxMl.ModelProto m = parse(file);
    Map<String, String> metadata = new LinkedHashMap<>();
    m.getMetadataPropsList().forEach(p -> metadata.put(p.getKey(), p.getValue()));
    String output = header(file, m).output();
    return new Extras(Map.copyOf(metadata), !logitsOf(m.getGraph(), output).equals(output));
  }

  /**
   * The logits of a classifier whose output is {@code output}: the input of a Sigmoid that
   * makes the output (Grad-CAM explains the pre-activation score, as it leaves out a softmax),
   * else the output itself.
   */
  private static String logitsOf(OnnxMl.GraphProto g, String output) {
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getOutputList().contains(output)) {
        return n.getOpType().equals("Sigmoid") ? n.getInput(0) : output;
      }
    }
    return output;
  }

  /**
   * The model in {@code file} as a {@link Model} named {@code name}; its spec's default layer is
   * the last spatial tensor before the classifier's global pooling or flattening.
   */
  public static Model load(Path file, String name, ModelSpec.Preprocessor preprocessor,
      int graphBatch) throws IOException {
    OnnxMl.ModelProto m = parse(file);
    Header h = header(file, m);
    Graph graph = TensorFlowNative.newGraph();
    OnnxImporter imp = new OnnxImporter(file, m.getGraph(), h.opset(), graph);
    try {
      return imp.build(name, h, preprocessor, graphBatch);
    } catch (RuntimeException e) {
      imp.variables.close();
      graph.close();
      if (e instanceof OnnxImportException) {
        throw e;
      }
      throw new OnnxImportException(file + ": cannot import: " + e.getMessage(), e);
    }
  }

  private static OnnxMl.ModelProto parse(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new OnnxImportException(file + ": no such model file");
    }
    OnnxMl.ModelProto m;
    try {
      m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxImportException(file + ": not an ONNX model, or a truncated one ("
          + e.getMessage() + ")");
    }
    if (!m.hasGraph() || m.getGraph().getNodeCount() == 0 || m.getIrVersion() == 0) {
      // Protobuf parses many byte strings as a message with unknown fields: no graph means
      // the file was not an ONNX model at all.
      throw new OnnxImportException(file + ": not an ONNX model (no graph" + (m.getIrVersion()
          == 0 ? ", no IR version" : "") + "), or a truncated one");
    }
    return m;
  }

  private static int opset(Path file, OnnxMl.ModelProto m) {
    int opset = -1;
    for (OnnxMl.OperatorSetIdProto o : m.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = (int) o.getVersion();
      }
    }
    if (opset < 0) {
      throw new OnnxImportException(file + ": imports no opset of the default ONNX domain");
    }
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new OnnxImportException(file + ": opset " + opset + " is not supported (supported: "
          + MIN_OPSET + " to " + MAX_OPSET + ")");
    }
    return opset;
  }

  private Model build(String name, Header h, ModelSpec.Preprocessor preprocessor,
      int graphBatch) {
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    Input in = h.input();
    String inputOpName = in.name().matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*") ? in.name() : "input";
    Operand<TFloat32> x = tf.withName(inputOpName).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, in.channels(), in.height(), in.width())));
    values.put(in.name(), V.tensor(x, false));
    Set<String> needed = ancestors(h.output());
    summary.add(new LayerInfo(inputOpName, "Input",
        new long[] {in.height(), in.width(), in.channels()}, 0));
    // The input is transposed once; everything 4-D downstream stays NHWC.
    values.put(in.name(), V.tensor(tf.withName("input_nhwc").linalg.transpose(x,
        tf.constant(TO_NHWC)), true));
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto node = g.getNode(i);
      if (!needed.contains(node.getName() + "#node" + i)) {
        continue;
      }
      V[] outs = node(node);
      long params = 0;
      for (String input : node.getInputList()) {
        OnnxMl.TensorProto t = initializers.get(input);
        if (t != null && t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
          params += count(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        }
      }
      for (int k = 0; k < outs.length && k < node.getOutputCount(); k++) {
        String out = node.getOutput(k);
        values.put(out, outs[k]);
        if (outs[k].op != null && needed.contains(out)) {
          record(out, node.getOpType(), outs[k], k == 0 ? params : 0);
          if (!outs[k].nhwc && outs[k].op.shape().numDimensions() == 4) {
            // Downstream ops read the NHWC view the layer map holds, so that the layer's
            // gradient reaches the logits (ShuffleNet's shuffled maps); ops take either layout.
            values.put(out, V.tensor(layers.get(out), true));
          }
        }
      }
    }
    V out = values.get(logitsOf(g, h.output()));
    if (out == null || out.op == null) {
      throw new OnnxImportException(file + ": output '" + h.output()
          + "' is not a float tensor computed from the input");
    }
    Operand<TFloat32> logits = plain(out);
    if (logits.shape().numDimensions() != 2 || logits.shape().size(1) < 1) {
      throw new OnnxImportException(file + ": output '" + h.output() + "' has shape "
          + logical(out) + "; a classifier's output must be [batch, classes]");
    }
    Operand<TFloat32> named = tf.withName("logits").identity(logits);
    String defaultLayer = defaultLayer(inputOpName);
    ModelSpec spec = new ModelSpec(in.height(), in.width(), in.channels(), true, defaultLayer,
        preprocessor, graphBatch);
    Session session = variables.session();
    OnnxScopes scopes = OnnxScopes.of(g); // names only: --layer as a node or a PyTorch module
    return Model.of(name, spec, graph, session != null ? session : new Session(graph), x, named,
        layers, summary, layer -> scopes.resolve(layer).tensor());
  }

  /** The last spatial (larger than 1x1) non-pooling layer: the classifier's feature map. */
  private String defaultLayer(String inputName) {
    String last = null;
    for (LayerInfo l : summary) {
      long[] s = l.outputShape();
      // Only maps the graph made in image layout and larger than 1 both ways: a 4-D tensor that
      // came out of a Transpose (ConvNeXt's channels-last [N, 1, 1, C] LayerNorm) is no map.
      if (l.isSpatial() && s[0] > 1 && s[1] > 1 && !l.type().contains("Pool")
          && imageLayout.contains(l.name()) && !l.name().equals(inputName)) {
        last = l.name();
      }
    }
    return last;
  }

  private void record(String name, String type, V v, long params) {
    if (layers.containsKey(name)) {
      return;
    }
    if (v.nhwc || v.op.shape().numDimensions() == 4) {
      imageLayout.add(name);
    }
    Operand<TFloat32> op = v.op;
    if (op.shape().numDimensions() == 4 && !v.nhwc) {
      op = tf.linalg.transpose(op, tf.constant(TO_NHWC));
    }
    long[] dims = op.shape().asArray();
    layers.put(name, op);
    summary.add(new LayerInfo(name, type, Arrays.copyOfRange(dims, 1, dims.length), params));
  }

  /**
   * The tensor names and node keys ({@code name#nodeI}) the output depends on, so that side
   * branches are neither built nor offered as Grad-CAM layers (their gradient is zero).
   */
  private Set<String> ancestors(String output) {
    Map<String, Integer> producer = new HashMap<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      for (String o : g.getNode(i).getOutputList()) {
        producer.put(o, i);
      }
    }
    Set<String> out = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(output));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!out.add(t)) {
        continue;
      }
      Integer i = producer.get(t);
      if (i != null) {
        OnnxMl.NodeProto n = g.getNode(i);
        out.add(n.getName() + "#node" + i);
        n.getInputList().stream().filter(s -> !s.isEmpty()).forEach(todo::push);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- node translation

  private V[] node(OnnxMl.NodeProto n) {
    if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
      throw unsupported(n, "op domain '" + n.getDomain() + "'");
    }
    return switch (n.getOpType()) {
      case "Conv" -> one(conv(n));
      case "Gemm" -> one(gemm(n));
      case "MatMul" -> one(matMul(n));
      case "BatchNormalization" -> one(batchNorm(n));
      case "Relu" -> one(unary(n, t -> tf.nn.relu(t)));
      case "LeakyRelu" -> {
        float alpha = attrF(n, "alpha", 0.01f);
        yield one(unary(n, t -> tf.math.maximum(t, tf.math.mul(t, tf.constant(alpha)))));
      }
      case "Sigmoid" -> one(unary(n, t -> tf.math.sigmoid(t)));
      case "Tanh" -> one(unary(n, t -> tf.math.tanh(t)));
      case "Erf" -> one(unary(n, t -> tf.math.erf(t)));
      case "Sqrt" -> one(unary(n, t -> tf.math.sqrt(t)));
      case "Exp" -> one(unary(n, t -> tf.math.exp(t)));
      case "Neg" -> one(unary(n, t -> tf.math.neg(t)));
      case "Reciprocal" -> one(unary(n, t -> tf.math.reciprocal(t)));
      case "HardSigmoid" -> {
        float alpha = attrF(n, "alpha", 0.2f);
        float beta = attrF(n, "beta", 0.5f);
        yield one(unary(n, t -> hardSigmoid(t, alpha, beta)));
      }
      case "HardSwish" -> one(unary(n, t -> tf.math.mul(t, hardSigmoid(t, 1f / 6, 0.5f))));
      case "Clip" -> one(clip(n));
      case "Identity", "Dropout" -> {
        if (n.getOpType().equals("Dropout") && n.getOutputCount() > 1
            && !n.getOutput(1).isEmpty()) {
          throw unsupported(n, "the mask output of Dropout");
        }
        yield one(in(n, 0));
      }
      case "Add", "Sub", "Mul", "Div", "Pow" -> one(binary(n));
      case "ReduceMean" -> one(reduceMean(n));
      case "MaxPool", "AveragePool" -> one(pool(n));
      case "GlobalAveragePool" -> one(globalPool(n, false));
      case "GlobalMaxPool" -> one(globalPool(n, true));
      case "Concat" -> one(concat(n));
      case "Flatten" -> one(flatten(n));
      case "Reshape" -> one(reshape(n));
      case "Transpose" -> one(transpose(n));
      case "Shape" -> one(shape(n));
      case "Gather" -> one(gather(n));
      case "Slice" -> one(slice(n));
      case "Unsqueeze" -> one(unsqueeze(n));
      case "Squeeze" -> one(squeeze(n));
      case "Pad" -> one(pad(n));
      case "Constant" -> one(constant(n));
      case "Cast" -> one(cast(n));
      case "Softmax" -> one(softmax(n));
      default -> throw unsupported(n, "op " + n.getOpType());
    };
  }

  private static V[] one(V v) {
    return new V[] {v};
  }

  private OnnxImportException unsupported(OnnxMl.NodeProto n, String what) {
    return new OnnxImportException(file + ": unsupported " + what + " in node '" + n.getName()
        + "' (op " + n.getOpType() + ", opset " + opset + ")");
  }

  private OnnxImportException bad(OnnxMl.NodeProto n, String what) {
    return new OnnxImportException(file + ": node '" + n.getName() + "' (op " + n.getOpType()
        + ", opset " + opset + "): " + what);
  }

  // ---------------------------------------------------------------- inputs and layouts

  /** Input {@code i} of the node, or null when it is absent or the empty name. */
  private V in(OnnxMl.NodeProto n, int i) {
    if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
      return null;
    }
    String name = n.getInput(i);
    V v = values.get(name);
    if (v == null) {
      OnnxMl.TensorProto t = initializers.get(name);
      if (t == null) {
        throw bad(n, "input '" + name + "' is neither computed before this node nor an "
            + "initializer");
      }
      v = tensorValue(t, n);
      values.put(name, v);
    }
    return v;
  }

  private V required(OnnxMl.NodeProto n, int i) {
    V v = in(n, i);
    if (v == null) {
      throw bad(n, "input " + i + " is missing");
    }
    return v;
  }

  /** A float tensor input: constants become graph constants or variables. */
  private V tensorIn(OnnxMl.NodeProto n, int i) {
    V v = required(n, i);
    if (v.op != null) {
      return v;
    }
    if (v.floats == null) {
      throw unsupported(n, "integer tensor as float data (input '" + n.getInput(i) + "')");
    }
    return V.tensor(floatConst(v.floats, v.shape), false);
  }

  private V constIn(OnnxMl.NodeProto n, int i) {
    V v = required(n, i);
    if (v.op != null) {
      throw unsupported(n, "computed value as input " + i + " (it must be a constant)");
    }
    return v;
  }

  private long[] intsIn(OnnxMl.NodeProto n, int i) {
    V v = required(n, i);
    if (v.ints == null) {
      throw unsupported(n, (v.op != null ? "a value computed from the image" : "a float value")
          + " as input " + i + " (it must be an integer constant or computed from shapes)");
    }
    return v.ints;
  }

  private Operand<TFloat32> floatConst(float[] data, long[] shape) {
    if (data.length >= VARIABLE_FLOATS) {
      return variables.create(tf, "onnx_w" + weightCount++, shape, data);
    }
    return tf.constant(Shape.of(shape), org.tensorflow.ndarray.buffer.DataBuffers.of(data, true,
        false));
  }

  private Operand<TFloat32> nhwc(V v) {
    if (v.nhwc) {
      return v.op;
    }
    if (v.op.shape().numDimensions() != 4) {
      throw new IllegalStateException("expected a 4-D tensor, got " + v.op.shape());
    }
    return tf.linalg.transpose(v.op, tf.constant(TO_NHWC));
  }

  private Operand<TFloat32> plain(V v) {
    return v.nhwc ? tf.linalg.transpose(v.op, tf.constant(TO_NCHW)) : v.op;
  }

  /** The ONNX (NCHW-logical) shape of a value, -1 for the dynamic batch. */
  private static long[] logical(V v) {
    if (v.op == null) {
      return v.shape;
    }
    long[] p = v.op.shape().asArray();
    return v.nhwc ? new long[] {p[0], p[3], p[1], p[2]} : p;
  }

  private V rank4Nhwc(OnnxMl.NodeProto n, V v) {
    if (v.op.shape().numDimensions() != 4) {
      throw unsupported(n, "input of rank " + v.op.shape().numDimensions() + " (only 2-D "
          + "images, rank 4, are supported)");
    }
    return V.tensor(nhwc(v), true);
  }

  // ---------------------------------------------------------------- ops

  private V unary(OnnxMl.NodeProto n, java.util.function.UnaryOperator<Operand<TFloat32>> f) {
    V x = tensorIn(n, 0);
    return V.tensor(f.apply(x.op), x.nhwc);
  }

  private Operand<TFloat32> hardSigmoid(Operand<TFloat32> t, float alpha, float beta) {
    return tf.math.maximum(tf.constant(0f), tf.math.minimum(tf.constant(1f),
        tf.math.add(tf.math.mul(t, tf.constant(alpha)), tf.constant(beta))));
  }

  private V clip(OnnxMl.NodeProto n) {
    V x = tensorIn(n, 0);
    float lo = -Float.MAX_VALUE;
    float hi = Float.MAX_VALUE;
    if (opset < 11) {
      lo = attrF(n, "min", lo);
      hi = attrF(n, "max", hi);
    } else {
      V a = in(n, 1);
      V b = in(n, 2);
      if (a != null) {
        lo = scalar(n, a, "min");
      }
      if (b != null) {
        hi = scalar(n, b, "max");
      }
    }
    Operand<TFloat32> y;
    if (lo == 0f && hi == 6f) {
      y = tf.nn.relu6(x.op);
    } else {
      y = tf.math.maximum(tf.math.minimum(x.op, tf.constant(hi)), tf.constant(lo));
    }
    return V.tensor(y, x.nhwc);
  }

  private float scalar(OnnxMl.NodeProto n, V v, String what) {
    if (v.op != null || v.floats == null || v.floats.length != 1) {
      throw unsupported(n, what + " that is not a constant float scalar");
    }
    return v.floats[0];
  }

  private V binary(OnnxMl.NodeProto n) {
    V a = required(n, 0);
    V b = required(n, 1);
    if (a.ints != null || b.ints != null) {
      return intBinary(n, a, b);
    }
    boolean toNhwc = (a.op != null && a.nhwc) || (b.op != null && b.nhwc);
    long[] sa = logical(a);
    long[] sb = logical(b);
    Operand<TFloat32> x = operand(n, a, toNhwc);
    Operand<TFloat32> y = operand(n, b, toNhwc);
    Operand<TFloat32> out = switch (n.getOpType()) {
      case "Add" -> tf.math.add(x, y);
      case "Sub" -> tf.math.sub(x, y);
      case "Mul" -> tf.math.mul(x, y);
      case "Div" -> tf.math.div(x, y);
      default -> tf.math.pow(x, y);
    };
    if (!toNhwc && Math.max(sa.length, sb.length) == 4 && out.shape().numDimensions() == 4) {
      return V.tensor(out, false);
    }
    return V.tensor(out, toNhwc);
  }

  /** An operand of a broadcasting op, brought to NHWC when the op runs in NHWC. */
  private Operand<TFloat32> operand(OnnxMl.NodeProto n, V v, boolean toNhwc) {
    if (v.op != null) {
      if (!toNhwc || v.nhwc) {
        return v.op;
      }
      long[] s = logical(v);
      if (s.length == 4) {
        return nhwc(v);
      }
      // A lower-rank tensor broadcast against NHWC: extended to rank 4, then transposed.
      long[] s4 = leftPad(s, 4);
      if (Arrays.stream(s4).anyMatch(d -> d < 0)) {
        throw unsupported(n, "broadcast of a " + s.length + "-D tensor with a dynamic axis "
            + "against a 4-D one");
      }
      return tf.linalg.transpose(tf.reshape(v.op, int32(s4)), tf.constant(TO_NHWC));
    }
    if (v.floats == null) {
      throw unsupported(n, "integer operand of a float op");
    }
    if (!toNhwc) {
      return floatConst(v.floats, v.shape);
    }
    if (v.shape.length > 4) {
      throw unsupported(n, "broadcast of a " + v.shape.length + "-D constant against a 4-D tensor");
    }
    long[] s4 = leftPad(v.shape, 4);
    return floatConst(transpose(v.floats, s4, TO_NHWC), permute(s4, TO_NHWC));
  }

  private V intBinary(OnnxMl.NodeProto n, V a, V b) {
    if (a.ints == null || b.ints == null) {
      throw unsupported(n, "arithmetic between integer and float values");
    }
    long[] x = a.ints;
    long[] y = b.ints;
    if (x.length != y.length && x.length != 1 && y.length != 1) {
      throw unsupported(n, "integer broadcast of shapes " + Arrays.toString(a.shape) + " and "
          + Arrays.toString(b.shape));
    }
    int len = Math.max(x.length, y.length);
    long[] out = new long[len];
    for (int i = 0; i < len; i++) {
      long p = x[x.length == 1 ? 0 : i];
      long q = y[y.length == 1 ? 0 : i];
      if (p == BATCH || q == BATCH) {
        throw unsupported(n, "arithmetic on the dynamic batch size");
      }
      out[i] = switch (n.getOpType()) {
        case "Add" -> p + q;
        case "Sub" -> p - q;
        case "Mul" -> p * q;
        case "Div" -> p / q; // truncation, as ORT's integer Div
        default -> (long) Math.pow(p, q);
      };
    }
    return V.ints(out, x.length >= y.length ? a.shape : b.shape);
  }

  private V conv(OnnxMl.NodeProto n) {
    V x = rank4Nhwc(n, tensorIn(n, 0));
    V w = constIn(n, 1);
    if (w.floats == null || w.shape.length != 4) {
      throw unsupported(n, "convolution weight that is not a constant 4-D float tensor "
          + "(only 2-D convolutions are supported)");
    }
    V b = in(n, 2);
    long[] ws = w.shape; // [O, I/group, kh, kw]
    long group = attrI(n, "group", 1);
    long[] s = x.op.shape().asArray(); // N H W C
    long inC = s[3];
    if (ws[1] * group != inC) {
      throw bad(n, "weight " + Arrays.toString(ws) + " with group " + group + " does not fit "
          + inC + " input channels");
    }
    long[] k = {ws[2], ws[3]};
    long[] kernelShape = attrInts(n, "kernel_shape", k);
    if (!Arrays.equals(kernelShape, k)) {
      throw bad(n, "kernel_shape " + Arrays.toString(kernelShape) + " differs from the weight's");
    }
    long[] strides = attrInts(n, "strides", new long[] {1, 1});
    long[] dil = attrInts(n, "dilations", new long[] {1, 1});
    long[] pads = spatialPads(n, new long[] {s[1], s[2]}, k, strides, dil);
    float[] weights = w.floats;
    if (dil[0] != 1 || dil[1] != 1) {
      // TF's registered Conv2D gradient ignores the dilations attribute (wrong Grad-CAM
      // gradients), so a dilated kernel becomes a dense one with zeros between its taps.
      long kh = (k[0] - 1) * dil[0] + 1;
      long kw = (k[1] - 1) * dil[1] + 1;
      float[] dense = new float[(int) (ws[0] * ws[1] * kh * kw)];
      for (int oi = 0; oi < ws[0] * ws[1]; oi++) {
        for (int y = 0; y < k[0]; y++) {
          for (int xx = 0; xx < k[1]; xx++) {
            dense[(int) ((oi * kh + y * dil[0]) * kw + xx * dil[1])] =
                weights[(int) ((oi * k[0] + y) * k[1] + xx)];
          }
        }
      }
      weights = dense;
      k = new long[] {kh, kw};
      ws = new long[] {ws[0], ws[1], kh, kw};
      dil = new long[] {1, 1};
    }
    Operand<TFloat32> in = x.op;
    String padding = "VALID";
    boolean same = strides[0] == 1 && strides[1] == 1 && pads[0] == pads[2] && pads[1] == pads[3]
        && pads[0] * 2 == (k[0] - 1) * dil[0] && pads[1] * 2 == (k[1] - 1) * dil[1];
    if (same) {
      padding = "SAME"; // TF's SAME is exactly these symmetric pads at stride 1
    } else if (Arrays.stream(pads).anyMatch(p -> p != 0)) {
      in = tf.pad(in, int32(new long[][] {{0, 0}, {pads[0], pads[2]}, {pads[1], pads[3]},
          {0, 0}}), tf.constant(0f));
    }
    List<Long> st = List.of(1L, strides[0], strides[1], 1L);
    List<Long> dl = List.of(1L, dil[0], dil[1], 1L);
    long out = ws[0];
    Operand<TFloat32> y;
    if (group == 1) {
      Operand<TFloat32> kernel = floatConst(transpose(weights, ws, new int[] {2, 3, 1, 0}),
          new long[] {k[0], k[1], ws[1], out});
      y = tf.nn.conv2d(in, kernel, st, padding, Conv2d.dilations(dl));
    } else if (group == inC && ws[1] == 1 && dil[0] == 1 && dil[1] == 1) {
      // Depthwise: output channel c * m + j reads input channel c, as in TF's depthwise kernel.
      long mult = out / inC;
      Operand<TFloat32> kernel = floatConst(transpose(weights, new long[] {inC, mult, k[0], k[1]},
          new int[] {2, 3, 0, 1}), new long[] {k[0], k[1], inC, mult});
      y = tf.nn.depthwiseConv2dNative(in, kernel, st, padding,
          DepthwiseConv2dNative.dilations(dl));
    } else {
      // Grouped: one convolution per group on its slice of channels (TF's CPU Conv2D has no
      // groups), concatenated in group order as ONNX's output channels are.
      if (out % group != 0) {
        throw bad(n, out + " output channels are not divisible by group " + group);
      }
      long og = out / group;
      List<Operand<TFloat32>> parts = new ArrayList<>();
      var split = tf.split(tf.constant(3), in, group);
      int per = (int) (og * ws[1] * k[0] * k[1]);
      for (int gi = 0; gi < group; gi++) {
        float[] wg = Arrays.copyOfRange(weights, gi * per, (gi + 1) * per);
        Operand<TFloat32> kernel = floatConst(transpose(wg, new long[] {og, ws[1], k[0], k[1]},
            new int[] {2, 3, 1, 0}), new long[] {k[0], k[1], ws[1], og});
        parts.add(tf.nn.conv2d(split.output().get(gi), kernel, st, padding,
            Conv2d.dilations(dl)));
      }
      y = tf.concat(parts, tf.constant(3));
    }
    if (b != null) {
      if (b.floats == null || b.floats.length != out) {
        throw unsupported(n, "bias that is not a constant of " + out + " floats");
      }
      y = tf.nn.biasAdd(y, floatConst(b.floats, new long[] {out}));
    }
    return V.tensor(y, true);
  }

  /**
   * The pads {@code [top, left, bottom, right]} of a conv or pool from {@code pads} or
   * {@code auto_pad}, without ceil mode.
   */
  private long[] spatialPads(OnnxMl.NodeProto n, long[] size, long[] k, long[] strides,
      long[] dil) {
    String auto = attrS(n, "auto_pad", "NOTSET");
    long[] pads = new long[4];
    switch (auto) {
      case "NOTSET" -> {
        long[] p = attrInts(n, "pads", new long[4]);
        if (p.length != 4) {
          throw unsupported(n, "pads " + Arrays.toString(p) + " (2-D ops need 4 values)");
        }
        pads = p;
      }
      case "VALID" -> { }
      case "SAME_UPPER", "SAME_LOWER" -> {
        for (int i = 0; i < 2; i++) {
          long out = (size[i] + strides[i] - 1) / strides[i];
          long total = Math.max(0, (out - 1) * strides[i] + (k[i] - 1) * dil[i] + 1 - size[i]);
          long small = total / 2;
          long head = auto.equals("SAME_UPPER") ? small : total - small;
          pads[i] = head;
          pads[i + 2] = total - head;
        }
      }
      default -> throw unsupported(n, "auto_pad " + auto);
    }
    if (Arrays.stream(pads).anyMatch(p -> p < 0)) {
      throw unsupported(n, "negative pads " + Arrays.toString(pads));
    }
    return pads;
  }

  private V pool(OnnxMl.NodeProto n) {
    boolean max = n.getOpType().equals("MaxPool");
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
      throw unsupported(n, "the Indices output of MaxPool");
    }
    V x = rank4Nhwc(n, tensorIn(n, 0));
    long[] k = attrInts(n, "kernel_shape", null);
    if (k == null || k.length != 2) {
      throw unsupported(n, "kernel_shape " + Arrays.toString(k) + " (2-D pools only)");
    }
    long[] strides = attrInts(n, "strides", new long[] {1, 1});
    long[] dil = attrInts(n, "dilations", new long[] {1, 1});
    if (dil[0] != 1 || dil[1] != 1) {
      throw unsupported(n, "dilations " + Arrays.toString(dil));
    }
    boolean ceil = attrI(n, "ceil_mode", 0) != 0;
    boolean includePad = attrI(n, "count_include_pad", 0) != 0;
    long[] s = x.op.shape().asArray();
    long[] size = {s[1], s[2]};
    long[] pads = spatialPads(n, size, k, strides, dil);
    long[] outSize = new long[2];
    long[] extra = new long[2];
    for (int i = 0; i < 2; i++) {
      long span = size[i] + pads[i] + pads[i + 2] - k[i];
      long o = (ceil ? Math.floorDiv(span + strides[i] - 1, strides[i])
          : Math.floorDiv(span, strides[i])) + 1;
      if (ceil && (o - 1) * strides[i] >= size[i] + pads[i]) {
        o--; // a last window starting in the tail padding is dropped (PyTorch, ORT)
      }
      outSize[i] = o;
      extra[i] = Math.max(0, (o - 1) * strides[i] + k[i] - (size[i] + pads[i] + pads[i + 2]));
    }
    long[][] padSpec = {{0, 0}, {pads[0], pads[2] + extra[0]}, {pads[1], pads[3] + extra[1]},
        {0, 0}};
    boolean padded = Arrays.stream(padSpec).flatMapToLong(Arrays::stream).anyMatch(p -> p != 0);
    Operand<TFloat32> in = x.op;
    if (max) {
      if (padded) {
        in = tf.pad(in, int32(padSpec), tf.constant(Float.NEGATIVE_INFINITY));
      }
      return V.tensor(tf.nn.maxPool(in, tf.constant(new int[] {1, (int) k[0], (int) k[1], 1}),
          tf.constant(new int[] {1, (int) strides[0], (int) strides[1], 1}), "VALID"), true);
    }
    if (padded) {
      in = tf.pad(in, int32(padSpec), tf.constant(0f));
    }
    Operand<TFloat32> mean = tf.nn.avgPool(in, List.of(1L, k[0], k[1], 1L),
        List.of(1L, strides[0], strides[1], 1L), "VALID");
    if (!padded || includePad) {
      // With count_include_pad ONNX Runtime divides by the whole window, even where ceil mode
      // makes it reach past the pads (PyTorch would not): as avgPool on the zero-padded input.
      return V.tensor(mean, true);
    }
    // avgPool divided every window by k0*k1; rescale each output by k0*k1 / its count of real
    // input cells, ONNX's divisor without count_include_pad.
    float[] scale = new float[(int) (outSize[0] * outSize[1])];
    for (int oy = 0; oy < outSize[0]; oy++) {
      for (int ox = 0; ox < outSize[1]; ox++) {
        long cy = cells(oy, strides[0], k[0], pads[0], size[0]);
        long cx = cells(ox, strides[1], k[1], pads[1], size[1]);
        scale[(int) (oy * outSize[1] + ox)] = (float) ((double) (k[0] * k[1]) / (cy * cx));
      }
    }
    return V.tensor(tf.math.mul(mean, floatConst(scale,
        new long[] {1, outSize[0], outSize[1], 1})), true);
  }

  /** Cells of window {@code o} along one axis that ONNX's average counts. */
  private static long cells(long o, long stride, long k, long head, long size) {
    long start = o * stride - head;
    return Math.max(1, Math.min(start + k, size) - Math.max(start, 0));
  }

  private V globalPool(OnnxMl.NodeProto n, boolean max) {
    V x = rank4Nhwc(n, tensorIn(n, 0));
    var axes = tf.constant(new int[] {1, 2});
    Operand<TFloat32> y = max ? tf.max(x.op, axes, org.tensorflow.op.core.Max.keepDims(true))
        : tf.math.mean(x.op, axes, Mean.keepDims(true));
    return V.tensor(y, true);
  }

  private V batchNorm(OnnxMl.NodeProto n) {
    V x = tensorIn(n, 0);
    float[][] p = new float[4][];
    for (int i = 0; i < 4; i++) {
      V c = constIn(n, i + 1);
      if (c.floats == null) {
        throw unsupported(n, "non-float parameter " + i);
      }
      p[i] = c.floats;
    }
    if (attrI(n, "training_mode", 0) != 0) {
      throw unsupported(n, "training_mode=1");
    }
    float eps = attrF(n, "epsilon", 1e-5f);
    int c = p[0].length;
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int i = 0; i < c; i++) {
      scale[i] = (float) (p[0][i] / Math.sqrt((double) p[3][i] + eps));
      shift[i] = (float) (p[1][i] - (double) p[2][i] * scale[i]);
    }
    long[] s = logical(x);
    if (s.length < 2 || s[1] != c) {
      throw bad(n, "input " + Arrays.toString(s) + " does not have " + c + " channels");
    }
    long[] cs;
    Operand<TFloat32> t = x.op;
    if (x.nhwc || s.length == 2) {
      cs = new long[] {c};
    } else {
      cs = new long[s.length - 1];
      Arrays.fill(cs, 1);
      cs[0] = c;
    }
    Operand<TFloat32> y = tf.math.add(tf.math.mul(t, floatConst(scale, cs)),
        floatConst(shift, cs));
    return V.tensor(y, x.nhwc);
  }

  private V gemm(OnnxMl.NodeProto n) {
    V a = tensorIn(n, 0);
    Operand<TFloat32> x = plain(a);
    if (x.shape().numDimensions() != 2) {
      throw bad(n, "input A has shape " + x.shape() + "; Gemm needs a matrix");
    }
    if (attrI(n, "transA", 0) != 0) {
      throw unsupported(n, "transA=1");
    }
    V b = constIn(n, 1);
    if (b.floats == null || b.shape.length != 2) {
      throw unsupported(n, "B that is not a constant float matrix");
    }
    float alpha = attrF(n, "alpha", 1f);
    float beta = attrF(n, "beta", 1f);
    boolean transB = attrI(n, "transB", 0) != 0;
    // The weight stored as [K, N] so the graph needs no transpose.
    float[] w = transB ? transpose(b.floats, b.shape, new int[] {1, 0}) : b.floats.clone();
    long[] ws = transB ? new long[] {b.shape[1], b.shape[0]} : b.shape;
    if (alpha != 1f) {
      for (int i = 0; i < w.length; i++) {
        w[i] *= alpha;
      }
    }
    Operand<TFloat32> y = tf.linalg.matMul(x, floatConst(w, ws));
    V c = in(n, 2);
    if (c != null) {
      if (c.floats == null) {
        throw unsupported(n, "C that is not a constant float tensor");
      }
      float[] cv = c.floats.clone();
      for (int i = 0; i < cv.length; i++) {
        cv[i] *= beta;
      }
      y = tf.math.add(y, floatConst(cv, c.shape));
    }
    return V.tensor(y, false);
  }

  private V matMul(OnnxMl.NodeProto n) {
    V a = tensorIn(n, 0);
    V b = required(n, 1);
    if (b.op != null || b.floats == null || b.shape.length != 2) {
      throw unsupported(n, "second operand that is not a constant float matrix");
    }
    Operand<TFloat32> x = plain(a);
    long[] s = x.shape().asArray();
    long kdim = b.shape[0];
    if (s.length < 2 || s[s.length - 1] != kdim) {
      throw bad(n, "shapes " + Arrays.toString(s) + " and " + Arrays.toString(b.shape)
          + " do not multiply");
    }
    Operand<TFloat32> w = floatConst(b.floats, b.shape);
    if (s.length == 2) {
      return V.tensor(tf.linalg.matMul(x, w), false);
    }
    long[] outShape = s.clone();
    outShape[s.length - 1] = b.shape[1];
    Operand<TFloat32> y = tf.linalg.matMul(tf.reshape(x, int32(new long[] {-1, kdim})), w,
        MatMul.transposeA(false));
    return V.tensor(tf.reshape(y, int32(outShape)), false);
  }

  private V reduceMean(OnnxMl.NodeProto n) {
    V x = tensorIn(n, 0);
    int rank = logical(x).length;
    long[] axes = opset >= 18 && in(n, 1) != null ? intsIn(n, 1) : attrInts(n, "axes", null);
    if (axes == null) {
      axes = new long[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
    }
    boolean keep = attrI(n, "keepdims", 1) != 0;
    Set<Integer> reduced = new HashSet<>();
    for (long a : axes) {
      reduced.add((int) norm(n, a, rank));
    }
    Operand<TFloat32> t = x.op;
    boolean nhwc = x.nhwc;
    if (nhwc && !keep) {
      // The kept axes in memory order must be their logical order, else go plain first.
      List<Integer> kept = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int logicalAxis = List.of(0, 2, 3, 1).get(p);
        if (!reduced.contains(logicalAxis)) {
          kept.add(logicalAxis);
        }
      }
      List<Integer> sorted = new ArrayList<>(kept);
      sorted.sort(null);
      if (!kept.equals(sorted)) {
        t = plain(x);
        nhwc = false;
      }
    }
    boolean physical = nhwc;
    int[] phys = reduced.stream().mapToInt(a -> physical ? L2P[a] : a).sorted().toArray();
    Operand<TFloat32> y = tf.math.mean(t, tf.constant(phys), Mean.keepDims(keep));
    return V.tensor(y, nhwc && keep);
  }

  private V concat(OnnxMl.NodeProto n) {
    List<V> ins = new ArrayList<>();
    for (int i = 0; i < n.getInputCount(); i++) {
      ins.add(required(n, i));
    }
    long axis = attrI(n, "axis", Long.MIN_VALUE);
    if (axis == Long.MIN_VALUE) {
      throw bad(n, "no axis");
    }
    if (ins.stream().allMatch(v -> v.ints != null)) {
      if (ins.stream().anyMatch(v -> v.shape.length > 1)) {
        throw unsupported(n, "Concat of integer tensors of rank > 1");
      }
      long[] out = ins.stream().flatMapToLong(v -> Arrays.stream(v.ints)).toArray();
      return V.ints(out, new long[] {out.length});
    }
    if (ins.size() == 1) {
      return ins.get(0); // TF's ConcatV2 needs two inputs at least
    }
    boolean toNhwc = ins.stream().anyMatch(v -> v.op != null && v.nhwc);
    int rank = logical(ins.get(0)).length;
    int ax = (int) norm(n, axis, rank);
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (V v : ins) {
      if (v.ints != null) {
        throw unsupported(n, "Concat of integer and float tensors");
      }
      parts.add(toNhwc ? operand(n, v.op == null ? v : V.tensor(v.op, v.nhwc), true)
          : v.op != null ? plain(v) : floatConst(v.floats, v.shape));
    }
    return V.tensor(tf.concat(parts, tf.constant(toNhwc ? L2P[ax] : ax)), toNhwc);
  }

  private V flatten(OnnxMl.NodeProto n) {
    V x = tensorIn(n, 0);
    long[] s = logical(x);
    int axis = (int) norm(n, attrI(n, "axis", 1), s.length + 1);
    long tail = 1;
    for (int i = axis; i < s.length; i++) {
      if (s[i] < 0) {
        throw unsupported(n, "Flatten over the dynamic batch axis");
      }
      tail *= s[i];
    }
    long[] shape = axis == 0 ? new long[] {1, tail} : new long[] {-1, tail};
    Operand<TFloat32> t = plain(x);
    // A 1x1 NHWC map has the same memory order as NCHW: no transpose needed.
    if (x.nhwc && s[2] == 1 && s[3] == 1) {
      t = x.op;
    }
    return V.tensor(tf.reshape(t, int32(shape)), false);
  }

  private V reshape(OnnxMl.NodeProto n) {
    V x = required(n, 0);
    long[] target = intsIn(n, 1).clone();
    if (x.ints != null || x.floats != null) {
      long[] s = resolveShape(n, x.shape, target, attrI(n, "allowzero", 0) != 0);
      return x.ints != null ? V.ints(x.ints, s) : V.floats(x.floats, s);
    }
    long[] s = logical(x);
    long[] shape = resolveShape(n, s, target, attrI(n, "allowzero", 0) != 0);
    Operand<TFloat32> t = plain(x);
    return V.tensor(tf.reshape(t, int32(shape)), false);
  }

  /**
   * A Reshape target with zeros copied and -1 resolved against the input's static size, the
   * dynamic batch (BATCH) left as TF's -1: the only axis TF then infers.
   */
  private long[] resolveShape(OnnxMl.NodeProto n, long[] in, long[] target, boolean allowZero) {
    long known = 1;
    int dynamicIn = 0;
    for (long d : in) {
      if (d < 0) {
        dynamicIn++;
      } else {
        known *= d;
      }
    }
    long[] out = target.clone();
    int minus = -1;
    int batch = -1;
    long prod = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && !allowZero) {
        if (i >= in.length) {
          throw bad(n, "Reshape copies axis " + i + " of a rank-" + in.length + " input");
        }
        out[i] = in[i] < 0 ? BATCH : in[i];
      }
      if (out[i] == BATCH) {
        if (batch >= 0) {
          throw unsupported(n, "Reshape target with the batch size twice");
        }
        batch = i;
      } else if (out[i] == -1) {
        if (minus >= 0) {
          throw bad(n, "Reshape target with two -1");
        }
        minus = i;
      } else {
        prod *= out[i];
      }
    }
    if (dynamicIn > 0 && batch < 0 && minus < 0) {
      throw unsupported(n, "Reshape of a dynamic-batch tensor to a fixed shape "
          + Arrays.toString(target));
    }
    if (minus >= 0 && (dynamicIn == 0 || batch >= 0)) {
      if (prod == 0 || known % prod != 0) {
        throw bad(n, "cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
      }
      out[minus] = known / prod;
    }
    if (batch >= 0) {
      out[batch] = -1;
    }
    return out;
  }

  private V transpose(OnnxMl.NodeProto n) {
    V x = tensorIn(n, 0);
    int rank = logical(x).length;
    long[] perm = attrInts(n, "perm", null);
    if (perm == null) {
      perm = new long[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    }
    int[] p = new int[rank];
    boolean identity = true;
    for (int i = 0; i < rank; i++) {
      p[i] = x.nhwc ? L2P[(int) perm[i]] : (int) perm[i];
      identity &= p[i] == i;
    }
    // An NHWC value permuted to (0, 2, 3, 1) is its memory order: no op at all.
    return V.tensor(identity ? x.op : tf.linalg.transpose(x.op, tf.constant(p)), false);
  }

  private V shape(OnnxMl.NodeProto n) {
    V x = required(n, 0);
    long[] s = logical(x).clone();
    for (int i = 0; i < s.length; i++) {
      if (s[i] < 0) {
        s[i] = BATCH;
      }
    }
    int start = (int) attrI(n, "start", 0);
    int end = (int) attrI(n, "end", s.length);
    start = Math.max(0, Math.min(s.length, start < 0 ? start + s.length : start));
    end = Math.max(0, Math.min(s.length, end < 0 ? end + s.length : end));
    long[] out = Arrays.copyOfRange(s, start, Math.max(start, end));
    return V.ints(out, new long[] {out.length});
  }

  private V gather(OnnxMl.NodeProto n) {
    V data = required(n, 0);
    long[] idx = intsIn(n, 1);
    V iv = required(n, 1);
    long axis = attrI(n, "axis", 0);
    if (data.ints != null) {
      if (data.shape.length != 1 || axis != 0) {
        throw unsupported(n, "Gather of integer tensors of rank > 1");
      }
      long[] out = new long[idx.length];
      for (int i = 0; i < idx.length; i++) {
        long j = idx[i] < 0 ? idx[i] + data.ints.length : idx[i];
        if (j < 0 || j >= data.ints.length) {
          throw bad(n, "index " + idx[i] + " out of range for " + data.ints.length + " values");
        }
        out[i] = data.ints[(int) j];
      }
      return V.ints(out, iv.shape);
    }
    V x = data.op != null ? data : tensorIn(n, 0);
    long[] s = logical(x);
    int ax = (int) norm(n, axis, s.length);
    if (s[ax] < 0) {
      throw unsupported(n, "Gather along the dynamic batch axis");
    }
    Operand<TFloat32> t = plain(x);
    int[] ii = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      ii[i] = (int) (idx[i] < 0 ? idx[i] + s[ax] : idx[i]);
    }
    Operand<TFloat32> y;
    if (iv.shape.length == 0) {
      // A scalar index drops the axis: a slice then squeeze, whose gradients TF registers.
      long[] begin = new long[s.length];
      long[] size = new long[s.length];
      Arrays.fill(size, -1);
      begin[ax] = ii[0];
      size[ax] = 1;
      y = tf.squeeze(tf.slice(t, int32(begin), int32(size)),
          Squeeze.axis(List.of((long) ax)));
    } else if (iv.shape.length == 1) {
      y = tf.gather(t, tf.constant(ii), tf.constant(ax));
    } else {
      throw unsupported(n, "Gather with indices of rank " + iv.shape.length);
    }
    return V.tensor(y, false);
  }

  private V slice(OnnxMl.NodeProto n) {
    V x = required(n, 0);
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps;
    if (opset < 10) {
      starts = attrInts(n, "starts", null);
      ends = attrInts(n, "ends", null);
      axes = attrInts(n, "axes", null);
      steps = null;
    } else {
      starts = intsIn(n, 1);
      ends = intsIn(n, 2);
      axes = in(n, 3) == null ? null : intsIn(n, 3);
      steps = in(n, 4) == null ? null : intsIn(n, 4);
    }
    long[] s = logical(x);
    int rank = s.length;
    long[] begin = new long[rank];
    long[] end = s.clone();
    long[] stride = new long[rank];
    Arrays.fill(stride, 1);
    for (int i = 0; i < starts.length; i++) {
      int ax = (int) norm(n, axes == null ? i : axes[i], rank);
      long step = steps == null ? 1 : steps[i];
      if (step != 1) {
        throw unsupported(n, "Slice step " + step);
      }
      long dim = s[ax];
      if (dim < 0 || dim == BATCH) {
        if (starts[i] == 0 && ends[i] >= Integer.MAX_VALUE) {
          begin[ax] = 0;
          end[ax] = -1; // the whole dynamic axis
          continue;
        }
        throw unsupported(n, "Slice of the dynamic batch axis");
      }
      long b = clampIndex(starts[i], dim);
      long e = clampIndex(ends[i], dim);
      begin[ax] = b;
      end[ax] = Math.max(b, e);
    }
    if (x.ints != null) {
      if (rank != 1) {
        throw unsupported(n, "Slice of integer tensors of rank > 1");
      }
      long[] out = Arrays.copyOfRange(x.ints, (int) begin[0], (int) end[0]);
      return V.ints(out, new long[] {out.length});
    }
    V f = x.op != null ? x : tensorIn(n, 0);
    Operand<TFloat32> t = f.op;
    long[] b = begin;
    long[] size = new long[rank];
    for (int i = 0; i < rank; i++) {
      size[i] = end[i] < 0 ? -1 : end[i] - begin[i];
    }
    if (f.nhwc) {
      b = permute(begin, TO_NHWC);
      size = permute(size, TO_NHWC);
    }
    return V.tensor(tf.slice(t, int32(b), int32(size)), f.nhwc);
  }

  private static long clampIndex(long i, long dim) {
    if (i < 0) {
      i += dim;
    }
    return Math.max(0, Math.min(dim, i));
  }

  private V unsqueeze(OnnxMl.NodeProto n) {
    V x = required(n, 0);
    long[] axes = opset >= 13 ? intsIn(n, 1) : attrInts(n, "axes", null);
    long[] s = logical(x);
    int rank = s.length + axes.length;
    Set<Integer> at = new HashSet<>();
    for (long a : axes) {
      at.add((int) norm(n, a, rank));
    }
    long[] out = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      out[i] = at.contains(i) ? 1 : s[j++];
    }
    return reshaped(n, x, out);
  }

  private V squeeze(OnnxMl.NodeProto n) {
    V x = required(n, 0);
    long[] axes = opset >= 13 ? (in(n, 1) == null ? null : intsIn(n, 1))
        : attrInts(n, "axes", null);
    long[] s = logical(x);
    Set<Integer> at = new HashSet<>();
    for (int i = 0; i < s.length; i++) {
      if (axes == null ? s[i] == 1 : false) {
        at.add(i);
      }
    }
    if (axes != null) {
      for (long a : axes) {
        int ax = (int) norm(n, a, s.length);
        if (s[ax] != 1) {
          throw bad(n, "cannot squeeze axis " + ax + " of size " + s[ax]);
        }
        at.add(ax);
      }
    }
    long[] out = new long[s.length - at.size()];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (!at.contains(i)) {
        out[j++] = s[i];
      }
    }
    return reshaped(n, x, out);
  }

  /** The same data with a new logical shape (dynamic batch as -1). */
  private V reshaped(OnnxMl.NodeProto n, V x, long[] shape) {
    if (x.ints != null) {
      return V.ints(x.ints, shape);
    }
    if (x.floats != null) {
      return V.floats(x.floats, shape);
    }
    long dyn = Arrays.stream(shape).filter(d -> d < 0).count();
    if (dyn > 1) {
      throw unsupported(n, "reshape with two dynamic axes");
    }
    return V.tensor(tf.reshape(plain(x), int32(shape)), false);
  }

  private V pad(OnnxMl.NodeProto n) {
    V x = tensorIn(n, 0);
    String mode = attrS(n, "mode", "constant");
    long[] pads;
    float value = 0f;
    if (opset < 11) {
      pads = attrInts(n, "pads", null);
      value = attrF(n, "value", 0f);
    } else {
      pads = intsIn(n, 1);
      V c = in(n, 2);
      if (c != null) {
        value = scalar(n, c, "constant_value");
      }
      if (in(n, 3) != null) {
        throw unsupported(n, "axes input");
      }
    }
    int rank = logical(x).length;
    if (pads == null || pads.length != 2 * rank) {
      throw bad(n, "pads " + Arrays.toString(pads) + " do not fit rank " + rank);
    }
    if (Arrays.stream(pads).anyMatch(p -> p < 0)) {
      throw unsupported(n, "negative pads (cropping) " + Arrays.toString(pads));
    }
    long[][] spec = new long[rank][2];
    for (int i = 0; i < rank; i++) {
      int p = x.nhwc ? L2P[i] : i;
      spec[p][0] = pads[i];
      spec[p][1] = pads[i + rank];
    }
    Operand<TFloat32> y = switch (mode) {
      case "constant" -> tf.pad(x.op, int32(spec), tf.constant(value));
      case "reflect" -> tf.mirrorPad(x.op, int32(spec), "REFLECT");
      default -> throw unsupported(n, "Pad mode '" + mode + "'");
    };
    return V.tensor(y, x.nhwc);
  }

  private V constant(OnnxMl.NodeProto n) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      switch (a.getName()) {
        case "value":
          return tensorValue(a.getT(), n);
        case "value_float":
          return V.floats(new float[] {a.getF()}, new long[0]);
        case "value_floats":
          return V.floats(toFloats(a.getFloatsList()), new long[] {a.getFloatsCount()});
        case "value_int":
          return V.ints(new long[] {a.getI()}, new long[0]);
        case "value_ints":
          return V.ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray(),
              new long[] {a.getIntsCount()});
        default:
          throw unsupported(n, "Constant attribute " + a.getName());
      }
    }
    throw bad(n, "Constant without a value");
  }

  private V cast(OnnxMl.NodeProto n) {
    V x = required(n, 0);
    long to = attrI(n, "to", 0);
    boolean toFloat = to == OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    boolean toInt = to == OnnxMl.TensorProto.DataType.INT64_VALUE
        || to == OnnxMl.TensorProto.DataType.INT32_VALUE;
    if (toFloat && (x.op != null || x.floats != null)) {
      return x;
    }
    if (toInt && x.ints != null) {
      return x;
    }
    if (toFloat && x.ints != null) {
      float[] f = new float[x.ints.length];
      for (int i = 0; i < f.length; i++) {
        if (x.ints[i] == BATCH) {
          throw unsupported(n, "Cast of the dynamic batch size to float");
        }
        f[i] = x.ints[i];
      }
      return V.floats(f, x.shape);
    }
    throw unsupported(n, "Cast to " + dataTypeName((int) to));
  }

  private V softmax(OnnxMl.NodeProto n) {
    V x = tensorIn(n, 0);
    Operand<TFloat32> t = plain(x);
    int rank = t.shape().numDimensions();
    int axis = (int) norm(n, attrI(n, "axis", opset >= 13 ? -1 : 1), rank);
    // Before opset 13 Softmax flattens from axis on; on a matrix with axis 1 both agree.
    if (axis != rank - 1) {
      throw unsupported(n, "Softmax over axis " + axis + " of a rank-" + rank + " tensor "
          + "(only the last axis is supported)");
    }
    return V.tensor(tf.nn.softmax(t), false);
  }

  // ---------------------------------------------------------------- helpers

  private long norm(OnnxMl.NodeProto n, long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw bad(n, "axis " + axis + " out of range for rank " + rank);
    }
    return a;
  }

  private V tensorValue(OnnxMl.TensorProto t, OnnxMl.NodeProto n) {
    long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
      throw new OnnxImportException(file + ": tensor '" + t.getName() + "' is stored in an "
          + "external data file, which is not supported; save the model as one file");
    }
    int count = (int) count(shape);
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    boolean hasRaw = !t.getRawData().isEmpty();
    switch (t.getDataType()) {
      case OnnxMl.TensorProto.DataType.FLOAT_VALUE -> {
        float[] f = new float[count];
        if (hasRaw) {
          checkBytes(t, raw.remaining(), 4L * count);
          raw.asFloatBuffer().get(f);
        } else {
          checkBytes(t, 4L * t.getFloatDataCount(), 4L * count);
          for (int i = 0; i < count; i++) {
            f[i] = t.getFloatData(i);
          }
        }
        return V.floats(f, shape);
      }
      case OnnxMl.TensorProto.DataType.INT64_VALUE -> {
        long[] l = new long[count];
        if (hasRaw) {
          checkBytes(t, raw.remaining(), 8L * count);
          raw.asLongBuffer().get(l);
        } else {
          checkBytes(t, 8L * t.getInt64DataCount(), 8L * count);
          for (int i = 0; i < count; i++) {
            l[i] = t.getInt64Data(i);
          }
        }
        return V.ints(l, shape);
      }
      case OnnxMl.TensorProto.DataType.INT32_VALUE -> {
        long[] l = new long[count];
        if (hasRaw) {
          checkBytes(t, raw.remaining(), 4L * count);
          for (int i = 0; i < count; i++) {
            l[i] = raw.getInt(4 * i);
          }
        } else {
          checkBytes(t, 4L * t.getInt32DataCount(), 4L * count);
          for (int i = 0; i < count; i++) {
            l[i] = t.getInt32Data(i);
          }
        }
        return V.ints(l, shape);
      }
      default -> throw new OnnxImportException(file + ": tensor '" + t.getName() + "' (used by "
          + (n == null ? "the graph" : "node '" + n.getName() + "', op " + n.getOpType())
          + ", opset " + opset + ") has unsupported type " + dataTypeName(t.getDataType()));
    }
  }

  private void checkBytes(OnnxMl.TensorProto t, long have, long need) {
    if (have != need) {
      throw new OnnxImportException(file + ": tensor '" + t.getName() + "' holds " + have
          + " bytes of data for shape " + t.getDimsList() + ", which needs " + need
          + " (a corrupt or truncated model?)");
    }
  }

  private static long count(long[] shape) {
    long c = 1;
    for (long d : shape) {
      c *= d;
    }
    return c;
  }

  private static float[] toFloats(List<Float> l) {
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = l.get(i);
    }
    return f;
  }

  private static OnnxMl.AttributeProto attr(OnnxMl.NodeProto n, String name) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  private static long attrI(OnnxMl.NodeProto n, String name, long def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getI();
  }

  private static float attrF(OnnxMl.NodeProto n, String name, float def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getF();
  }

  private static String attrS(OnnxMl.NodeProto n, String name, String def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getS().toStringUtf8();
  }

  private static long[] attrInts(OnnxMl.NodeProto n, String name, long[] def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  /** Index constants as int32: the registered gradients of Pad and Slice build int32 ops. */
  private Operand<org.tensorflow.types.TInt32> int32(long[][] v) {
    int[][] out = new int[v.length][];
    for (int i = 0; i < v.length; i++) {
      out[i] = Arrays.stream(v[i]).mapToInt(Math::toIntExact).toArray();
    }
    return tf.constant(out);
  }

  private Operand<org.tensorflow.types.TInt32> int32(long[] v) {
    return tf.constant(Arrays.stream(v).mapToInt(Math::toIntExact).toArray());
  }

  private static long[] leftPad(long[] s, int rank) {
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    System.arraycopy(s, 0, out, rank - s.length, s.length);
    return out;
  }

  private static long[] permute(long[] s, int[] perm) {
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = s[perm[i]];
    }
    return out;
  }

  /** C-order data of {@code shape} transposed by {@code perm} (output axis i = input perm[i]). */
  static float[] transpose(float[] data, long[] shape, int[] perm) {
    int rank = shape.length;
    long[] outShape = permute(shape, perm);
    long[] inStrides = new long[rank];
    long st = 1;
    for (int i = rank - 1; i >= 0; i--) {
      inStrides[i] = st;
      st *= shape[i];
    }
    long[] strideOfOut = new long[rank];
    for (int i = 0; i < rank; i++) {
      strideOfOut[i] = inStrides[perm[i]];
    }
    float[] out = new float[data.length];
    int[] idx = new int[rank];
    long src = 0;
    for (int o = 0; o < out.length; o++) {
      out[o] = data[(int) src];
      for (int d = rank - 1; d >= 0; d--) {
        idx[d]++;
        src += strideOfOut[d];
        if (idx[d] < outShape[d]) {
          break;
        }
        src -= strideOfOut[d] * idx[d];
        idx[d] = 0;
      }
    }
    return out;
  }

  private static String dimsText(List<OnnxMl.TensorShapeProto.Dimension> dims) {
    List<String> s = new ArrayList<>();
    for (OnnxMl.TensorShapeProto.Dimension d : dims) {
      s.add(d.hasDimValue() ? Long.toString(d.getDimValue())
          : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
    }
    return "[" + String.join(", ", s) + "]";
  }

  private static String dataTypeName(int type) {
    OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(type);
    return t == null ? "type " + type : t.name().toLowerCase(java.util.Locale.ROOT);
  }
}
