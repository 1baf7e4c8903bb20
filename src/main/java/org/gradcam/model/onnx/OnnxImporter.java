package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.TO_NHWC;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>This class reads the file and drives the import node by node; each op's conversion is one
 * entry of {@link OnnxOps} and one method of its family's class ({@link Convolution}, {@link
 * Pooling}, {@link Elementwise}, {@link Linear}, {@link Normalization}, {@link ShapeOps},
 * {@link SliceOps}, {@link Constants}), which read their inputs through {@link ImportContext}.
 */
public final class OnnxImporter {
  /** Opsets of the default domain whose semantics this importer implements. */
  public static final int MIN_OPSET = 7;
  public static final int MAX_OPSET = 17;

  /** The graph's input contract read from the file. */
  public record Input(String name, int channels, int height, int width) {}

  /** What the file describes besides the graph: its input, output and producer. */
  public record Header(Input input, String output, int opset, String producer) {}

  private final Path file;
  private final OnnxMl.GraphProto g;
  private final Graph graph;
  private final Ops tf;
  private final ImportContext ctx;

  private OnnxImporter(Path file, OnnxMl.GraphProto g, int opset, Graph graph) {
    this.file = file;
    this.g = g;
    this.graph = graph;
    this.tf = Ops.create(graph);
    this.ctx = new ImportContext(file, g, opset, tf, new WeightVariables(graph));
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
          + TensorData.typeName(type.getElemType()) + "; only float32 inputs are supported");
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
      imp.ctx.variables.close();
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
    Input in = h.input();
    String inputOpName = in.name().matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*") ? in.name() : "input";
    Operand<TFloat32> x = tf.withName(inputOpName).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, in.channels(), in.height(), in.width())));
    ImportedLayers layers = new ImportedLayers(tf, g, h.output());
    layers.summary.add(new LayerInfo(inputOpName, "Input",
        new long[] {in.height(), in.width(), in.channels()}, 0));
    // The input is transposed once; everything 4-D downstream stays NHWC.
    ctx.values.put(in.name(), Value.tensor(tf.withName("input_nhwc").linalg.transpose(x,
        tf.constant(TO_NHWC)), true));
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto node = g.getNode(i);
      if (!layers.needed(node.getName() + "#node" + i) || node.getOutputCount() == 0) {
        continue;
      }
      Value v = OnnxOps.convert(ctx, node);
      String out = node.getOutput(0);
      ctx.values.put(out, v);
      if (v.op != null && layers.needed(out)) {
        Operand<TFloat32> layer = layers.record(out, node.getOpType(), v, params(node));
        if (!v.nhwc && v.op.shape().numDimensions() == 4) {
          // Downstream ops read the NHWC view the layer map holds, so that the layer's
          // gradient reaches the logits (ShuffleNet's shuffled maps); ops take either layout.
          ctx.values.put(out, Value.tensor(layer, true));
        }
      }
    }
    Value out = ctx.values.get(logitsOf(g, h.output()));
    if (out == null || out.op == null) {
      throw new OnnxImportException(file + ": output '" + h.output()
          + "' is not a float tensor computed from the input");
    }
    Operand<TFloat32> logits = ctx.plain(out);
    if (logits.shape().numDimensions() != 2 || logits.shape().size(1) < 1) {
      throw new OnnxImportException(file + ": output '" + h.output() + "' has shape "
          + Arrays.toString(Value.logical(out))
          + "; a classifier's output must be [batch, classes]");
    }
    Operand<TFloat32> named = tf.withName("logits").identity(logits);
    ModelSpec spec = new ModelSpec(in.height(), in.width(), in.channels(), true,
        layers.defaultLayer(inputOpName), preprocessor, graphBatch);
    Session session = ctx.variables.session();
    OnnxScopes scopes = OnnxScopes.of(g); // names only: --layer as a node or a PyTorch module
    return Model.of(name, spec, graph, session != null ? session : new Session(graph), x, named,
        layers.layers, layers.summary, layer -> scopes.resolve(layer).tensor());
  }

  /** The float weights among the node's inputs: its parameter count in the summary. */
  private long params(OnnxMl.NodeProto node) {
    long params = 0;
    for (String input : node.getInputList()) {
      OnnxMl.TensorProto t = ctx.initializer(input);
      if (t != null && t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
        params += TensorData.count(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
      }
    }
    return params;
  }

  private static String dimsText(List<OnnxMl.TensorShapeProto.Dimension> dims) {
    List<String> s = new ArrayList<>();
    for (OnnxMl.TensorShapeProto.Dimension d : dims) {
      s.add(d.hasDimValue() ? Long.toString(d.getDimValue())
          : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
    }
    return "[" + String.join(", ", s) + "]";
  }
}
