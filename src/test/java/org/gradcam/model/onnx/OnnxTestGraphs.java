package org.gradcam.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small ONNX graphs written with the OnnxMl builders, and ONNX Runtime (the independent oracle)
 * run on them: the per-op tests build a graph, run it in ORT and through our import; command
 * tests write small models of their own with it ({@link #greyNonSquare}).
 */
public final class OnnxTestGraphs {
  private OnnxTestGraphs() {}

  /** A graph under construction: nodes, initializers, one NCHW input with a dynamic batch. */
  public static final class G {
    final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    final List<OnnxMl.TensorProto> inits = new ArrayList<>();
    final long[] chw;
    final Random random;
    int opset = 13;
    int counter;
    boolean fixedBatch;
    /** The file's {@code metadata_props}, key to value. */
    public final Map<String, String> metadata = new java.util.LinkedHashMap<>();

    /**
     * The tensor "x" of {@code c} channels: the 3-channel image input itself, or a 1x1 conv of
     * it to c channels (a model's input has 1 or 3 channels).
     */
    public G(long c, long h, long w, long seed) {
      this.chw = new long[] {c == 1 ? 1 : 3, h, w};
      this.random = new Random(seed);
      List<String> in = c == 1 || c == 3 ? List.of("input")
          : List.of("input", weight(c, 3, 1, 1));
      nodes.add(OnnxMl.NodeProto.newBuilder().setOpType(in.size() == 1 ? "Identity" : "Conv")
          .setName("/prefix").addAllInput(in).addOutput("x").build());
    }

    G opset(int v) {
      opset = v;
      return this;
    }

    /** Adds a node; returns its (first) output name. */
    public String op(String type, List<String> inputs, OnnxMl.AttributeProto... attrs) {
      String out = type.toLowerCase() + "_" + counter++;
      nodes.add(OnnxMl.NodeProto.newBuilder().setOpType(type).setName("/" + type + "_" + counter)
          .addAllInput(inputs).addOutput(out).addAllAttribute(List.of(attrs)).build());
      return out;
    }

    public String weight(long... shape) {
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) random.nextGaussian() * 0.5f;
      }
      return floats(v, shape);
    }

    String floats(float[] v, long... shape) {
      String name = "w" + counter++;
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        b.putFloat(f);
      }
      inits.add(OnnxMl.TensorProto.newBuilder().setName(name)
          .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addAllDims(boxed(shape))
          .setRawData(ByteString.copyFrom(b.array())).build());
      return name;
    }

    String ints(long[] v, long... shape) {
      String name = "i" + counter++;
      OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
          .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addAllDims(boxed(shape));
      for (long l : v) {
        t.addInt64Data(l);
      }
      inits.add(t.build());
      return name;
    }

    String ints1(long... v) {
      return ints(v, v.length);
    }

    /** Writes the model with {@code output} as its one output. */
    public Path write(Path dir, String name, String output) throws IOException {
      OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
      shape.addDim(fixedBatch ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1)
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
      for (long d : chw) {
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      OnnxMl.ValueInfoProto in = OnnxMl.ValueInfoProto.newBuilder().setName("input")
          .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
              .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
      OnnxMl.ValueInfoProto out = OnnxMl.ValueInfoProto.newBuilder().setName(output)
          .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
              .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE))).build();
      OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName(name).addAllNode(nodes)
          .addAllInitializer(inits).addInput(in).addOutput(out).build();
      OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(7)
          .setProducerName("gradcam-test").setGraph(graph)
          .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
          .addAllMetadataProps(metadata.entrySet().stream().map(e -> OnnxMl.StringStringEntryProto
              .newBuilder().setKey(e.getKey()).setValue(e.getValue()).build()).toList())
          .build();
      Path file = dir.resolve(name + ".onnx");
      Files.write(file, model.toByteArray());
      return file;
    }
  }

  /**
   * A small CNN on a {@code channels x height x width} input (e.g. a 1 x 28 x 36 grey one): conv
   * 3x3 to 4 channels + ReLU, conv 3x3 stride 2 to 6 channels + ReLU (the Grad-CAM layer, {@code
   * relu_map}), global average pool, flatten, dense to {@code classes} logits ({@code logits});
   * {@code sigmoid} appends a Sigmoid ({@code probabilities}), as a multi-label model's export.
   * Returns the graph, to add metadata, and writes it with {@link #writeGreyNonSquare}.
   */
  public static G greyNonSquare(long channels, long height, long width, int classes, long seed) {
    G g = new G(channels, height, width, seed);
    String a = g.op("Relu", List.of(g.op("Conv", List.of("x", g.weight(4, channels, 3, 3),
        g.weight(4)), ints("pads", 1, 1, 1, 1))));
    String b = g.op("Conv", List.of(a, g.weight(6, 4, 3, 3), g.weight(6)),
        ints("strides", 2, 2), ints("pads", 1, 1, 1, 1));
    g.nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Relu").setName("/map/Relu")
        .addInput(b).addOutput("relu_map").build());
    String pooled = g.op("Flatten", List.of(g.op("GlobalAveragePool", List.of("relu_map"))));
    g.nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Gemm").setName("/fc/Gemm")
        .addInput(pooled).addInput(g.weight(classes, 6)).addInput(g.weight(classes))
        .addOutput("logits").addAttribute(attr("transB", 1L)).build());
    return g;
  }

  /** Writes {@link #greyNonSquare}'s graph, with a Sigmoid output if {@code sigmoid}. */
  public static Path writeGreyNonSquare(G g, Path dir, String name, boolean sigmoid)
      throws IOException {
    if (!sigmoid) {
      return g.write(dir, name, "logits");
    }
    g.nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Sigmoid").setName("/out/Sigmoid")
        .addInput("logits").addOutput("probabilities").build());
    return g.write(dir, name, "probabilities");
  }

  static OnnxMl.AttributeProto attr(String name, long v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
  }

  static OnnxMl.AttributeProto attr(String name, float v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static OnnxMl.AttributeProto attr(String name, String v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v))
        .build();
  }

  static OnnxMl.AttributeProto ints(String name, long... v) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long l : v) {
      a.addInts(l);
    }
    return a.build();
  }

  static OnnxMl.AttributeProto tensor(String name, OnnxMl.TensorProto t) {
    return OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(t).build();
  }

  private static List<Long> boxed(long[] v) {
    List<Long> l = new ArrayList<>();
    for (long x : v) {
      l.add(x);
    }
    return l;
  }

  static float[] randomInput(int n, long[] chw, long seed) {
    Random r = new Random(seed);
    float[] x = new float[(int) (n * chw[0] * chw[1] * chw[2])];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  /** ONNX Runtime's first output for input {@code x} of shape {@code [n, chw]}, flattened. */
  public static float[] ort(Path model, String inputName, float[] x, long[] shape)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(model.toString(), opts);
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
          OrtSession.Result r = s.run(Map.of(inputName, t))) {
        FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
      }
    }
  }
}
