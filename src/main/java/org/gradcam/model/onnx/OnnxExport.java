package org.gradcam.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.io.AtomicFiles;
import org.gradcam.model.LayerOp;
import org.gradcam.model.Model;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Writes a model built by {@code NetBuilder} as an ONNX file (opset 13) from its recorded layer
 * ops and the weights its session holds, so that another runtime (ONNX Runtime, the speed
 * benchmark's reference) runs exactly our network and weights, random ones included. ONNX
 * convolutions are channels-first, so every NHWC map of our graph is an NCHW tensor here: the
 * input is transposed once where the model's input is channels-last, and Keras' channels-last
 * flatten gets a transpose back before it. Input {@code input} {@code [N, ...]} in the model's
 * own input layout ({@link org.gradcam.model.ModelSpec#inputShape()}), output {@code logits}
 * {@code [N, classes]}, the batch axis free.
 */
public final class OnnxExport {
  static final int OPSET = 13;
  /** IR version 7 is what opset 13 came with; every runtime that reads opset 13 reads it. */
  static final int IR_VERSION = 7;

  private final Model model;
  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("gradcam");
  /** TF op name of each layer output, to the ONNX tensor that holds it (NCHW for 4-D maps). */
  private final Map<String, String> names = new HashMap<>();
  private int nodes;

  private OnnxExport(Model model) {
    this.model = model;
  }

  /** The model as an ONNX model; fails, naming the layer, on layers it cannot express. */
  public static ModelProto export(Model model) {
    return new OnnxExport(model).build();
  }

  /** Writes {@link #export} to {@code file} (atomically). */
  public static void write(Model model, Path file) throws IOException {
    byte[] bytes = export(model).toByteArray();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    AtomicFiles.write(file, bytes);
  }

  private ModelProto build() {
    List<LayerOp> ops = model.layerOps();
    if (ops.isEmpty() || ops.get(0).kind() != LayerOp.Kind.INPUT) {
      throw new IllegalArgumentException("model " + model.name() + " has no recorded layers "
          + "starting at its input, so it cannot be exported to ONNX");
    }
    LayerOp last = ops.get(ops.size() - 1);
    long[] out = last.output().shape().asArray();
    if (out.length != 2 || out[1] != model.numClasses()) {
      throw new IllegalArgumentException("model " + model.name() + ": the recorded layers end at "
          + last.name() + " " + Arrays.toString(out) + ", not at the logits, so it cannot be "
          + "exported to ONNX");
    }
    for (LayerOp op : ops) {
      switch (op.kind()) {
        case INPUT -> input(op);
        case CONV -> conv(op);
        case MAX_POOL -> maxPool(op);
        case CONCAT -> concat(op);
        case GLOBAL_AVERAGE_POOL -> globalAveragePool(op);
        case FLATTEN -> flatten(op);
        case DENSE -> dense(op);
        default -> throw new IllegalArgumentException(op.name() + ": layer kind " + op.kind()
            + " has no ONNX export, so model " + model.name() + " cannot be exported to ONNX");
      }
    }
    String logits = names.get(opName(last.output()));
    if (!logits.equals("logits")) { // SqueezeNet's last layer has that name already
      graph.addNode(node("Identity", List.of(logits), "logits"));
    }
    graph.addOutput(valueInfo("logits", new long[] {-1, model.numClasses()}));
    return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("gradcam")
        .setGraph(graph)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .build();
  }

  private void input(LayerOp op) {
    long[] shape = op.output().shape().asArray();
    graph.addInput(valueInfo("input", shape));
    if (model.spec().channelsFirst()) {
      // The graph's first op turns the NCHW input to NHWC: in ONNX the input already is NCHW.
      names.put(opName(op.output()), "input"); // its transpose to NHWC: see source()
    } else {
      String nchw = op.name() + "_nchw";
      graph.addNode(node("Transpose", List.of("input"), nchw, ints("perm", 0, 3, 1, 2)));
      names.put(opName(op.output()), nchw);
    }
  }

  private void conv(LayerOp op) {
    Operand<TFloat32> x = op.inputs().get(0);
    long[] in = x.shape().asArray(); // [N, H, W, C]
    long[] k = op.kernel().shape().asArray(); // HWIO
    float[] hwio = model.value(op.kernel());
    float[] bias = model.value(bias(op, "BiasAdd"));
    String w = initializer(op.name() + "_kernel", new long[] {k[3], k[2], k[0], k[1]},
        hwioToOihw(hwio, k));
    String b = initializer(op.name() + "_bias", new long[] {k[3]}, bias);
    long[] pads = new long[4];
    if (op.padding().equals("SAME")) {
      // TensorFlow's SAME: the output is ceil(size / stride), the odd pixel padded at the end.
      for (int axis = 0; axis < 2; axis++) {
        long size = in[1 + axis];
        long outSize = (size + op.stride() - 1) / op.stride();
        long total = Math.max((outSize - 1) * op.stride() + k[axis] - size, 0);
        pads[axis] = total / 2;
        pads[axis + 2] = total - total / 2;
      }
    } else if (!op.padding().equals("VALID")) {
      throw new IllegalArgumentException(op.name() + ": padding " + op.padding());
    }
    String y = op.name() + (op.relu() ? "_pre" : "");
    graph.addNode(node("Conv", List.of(source(x), w, b), y, ints("kernel_shape", k[0], k[1]),
        ints("strides", op.stride(), op.stride()), ints("pads", pads)));
    finish(op, y);
  }

  private void maxPool(LayerOp op) {
    long[] in = op.inputs().get(0).shape().asArray();
    long[] padded = op.poolInput().shape().asArray();
    // NetBuilder's ceil mode pads bottom and right with -inf; ONNX's max pool ignores its pads.
    graph.addNode(node("MaxPool", List.of(source(op.inputs().get(0))), op.name(),
        ints("kernel_shape", op.window(), op.window()), ints("strides", op.stride(), op.stride()),
        ints("pads", 0, 0, padded[1] - in[1], padded[2] - in[2])));
    names.put(opName(op.output()), op.name());
  }

  private void concat(LayerOp op) {
    List<String> parts = op.inputs().stream().map(this::source).toList();
    graph.addNode(node("Concat", parts, op.name(), ints("axis", 1)));
    names.put(opName(op.output()), op.name());
  }

  private void globalAveragePool(LayerOp op) {
    String pooled = op.name() + "_pool";
    graph.addNode(node("GlobalAveragePool", List.of(source(op.inputs().get(0))), pooled));
    graph.addNode(node("Flatten", List.of(pooled), op.name(), ints("axis", 1)));
    names.put(opName(op.output()), op.name());
  }

  private void flatten(LayerOp op) {
    Operand<TFloat32> x = op.inputs().get(0);
    String from = source(x);
    if (x.shape().numDimensions() == 4) {
      // Keras flattens channels-last: back to NHWC first, so the dense kernel's rows line up.
      String nhwc = op.name() + "_nhwc";
      graph.addNode(node("Transpose", List.of(from), nhwc, ints("perm", 0, 2, 3, 1)));
      from = nhwc;
    }
    graph.addNode(node("Flatten", List.of(from), op.name(), ints("axis", 1)));
    names.put(opName(op.output()), op.name());
  }

  private void dense(LayerOp op) {
    long[] k = op.kernel().shape().asArray(); // [in, out]
    String w = initializer(op.name() + "_kernel", k, model.value(op.kernel()));
    String b = initializer(op.name() + "_bias", new long[] {k[1]},
        model.value(bias(op, "Add")));
    String y = op.name() + (op.relu() ? "_pre" : "");
    graph.addNode(node("Gemm", List.of(source(op.inputs().get(0)), w, b), y));
    finish(op, y);
  }

  /** The layer's optional ReLU, then its output under the layer's name. */
  private void finish(LayerOp op, String y) {
    String out = y;
    if (op.relu()) {
      out = op.name();
      graph.addNode(node("Relu", List.of(y), out));
    }
    names.put(opName(op.output()), out);
  }

  /**
   * The bias a conv or dense layer adds: NetBuilder builds {@code relu|identity(add(x, bias))},
   * so it is the second input of the op under the layer's output.
   */
  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> bias(LayerOp op, String addType) {
    GraphOperation out = (GraphOperation) op.output().op();
    GraphOperation add = (GraphOperation) out.input(0).op();
    if (!add.type().equals(addType) || add.numInputs() != 2) {
      throw new IllegalArgumentException(op.name() + ": expected " + addType + " under its "
          + "output, found " + add.type());
    }
    return (Operand<TFloat32>) add.input(1);
  }

  /** The ONNX tensor of a layer's input (its NCHW form for a 4-D map). */
  private String source(Operand<TFloat32> x) {
    String name = names.get(opName(x));
    if (name != null) {
      return name;
    }
    GraphOperation op = (GraphOperation) x.op();
    // SqueezeNet's NCHW input goes through one transpose to NHWC: the ONNX input is that map.
    if (op.type().equals("Transpose") && model.spec().channelsFirst()
        && "input".equals(names.get(opName(op.input(0))))) {
      return "input";
    }
    throw new IllegalArgumentException("tensor " + op.name() + " (" + op.type() + ") is not the "
        + "output of a recorded layer, so the model cannot be exported to ONNX");
  }

  private static String opName(Operand<?> x) {
    return x.op().name() + ":" + x.asOutput().index();
  }

  private String initializer(String name, long[] dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(UnsafeByteOperations.unsafeWrap(bytes));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  private NodeProto node(String type, List<String> inputs, String output,
      AttributeProto... attributes) {
    return NodeProto.newBuilder().setOpType(type).setName(type + "_" + nodes++)
        .addAllInput(inputs).addOutput(output).addAllAttribute(Arrays.asList(attributes)).build();
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (name.equals("axis")) {
      return a.setType(AttributeProto.AttributeType.INT).setI(values[0]).build();
    }
    a.setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static ValueInfoProto valueInfo(String name, long[] shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
  }

  private static float[] hwioToOihw(float[] w, long[] s) {
    int h = (int) s[0];
    int wd = (int) s[1];
    int in = (int) s[2];
    int o = (int) s[3];
    float[] out = new float[w.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < wd; x++) {
        for (int i = 0; i < in; i++) {
          for (int a = 0; a < o; a++) {
            out[((a * in + i) * h + y) * wd + x] = w[((y * wd + x) * in + i) * o + a];
          }
        }
      }
    }
    return out;
  }
}
