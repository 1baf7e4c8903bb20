package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gradcam.model.onnx.OnnxTestGraphs.attr;
import static org.gradcam.model.onnx.OnnxTestGraphs.ints;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.gradcam.model.Model;
import org.gradcam.model.onnx.OnnxTestGraphs.G;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each ONNX op and attribute variant the importer handles, on a small random graph, against
 * ONNX Runtime on the same file: a batch of 3 (dynamic batch axis) with float32 tolerances.
 * Every graph ends in a Flatten of its NCHW result, so a wrong internal layout shows.
 */
class OnnxImporterOpsTest {
  @TempDir Path dir;

  /** A named case: builds its graph on {@code g} and returns the output tensor name. */
  record Case(String name, long c, long h, long w, int opset, Function<G, String> build) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, long c, long h, long w, Function<G, String> build) {
    return new Case(name, c, h, w, 13, build);
  }

  static Case c(String name, int opset, long c, long h, long w, Function<G, String> build) {
    return new Case(name, c, h, w, opset, build);
  }

  static String conv(G g, String x, long in, long out, long k, long group,
      OnnxMl.AttributeProto... attrs) {
    return g.op("Conv", List.of(x, g.weight(out, in / group, k, k), g.weight(out)), attrs);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("conv 3x3 pads 1", 3, 9, 8, g -> conv(g, "x", 3, 5, 3, 1, ints("pads", 1, 1, 1, 1))),
        c("conv stride 2 asymmetric pads", 3, 9, 8, g -> conv(g, "x", 3, 4, 3, 1,
            ints("strides", 2, 2), ints("pads", 0, 1, 2, 1))),
        c("conv non-square kernel stride (2,1)", 2, 7, 9, g -> g.op("Conv",
            List.of("x", g.weight(3, 2, 3, 1)), ints("strides", 2, 1), ints("pads", 1, 0, 1, 0))),
        c("conv dilation 2", 3, 11, 10, g -> conv(g, "x", 3, 4, 3, 1, ints("dilations", 2, 2),
            ints("pads", 2, 2, 2, 2))),
        c("conv groups 2", 4, 8, 8, g -> conv(g, "x", 4, 6, 3, 2, attr("group", 2L),
            ints("pads", 1, 1, 1, 1))),
        c("conv depthwise multiplier 2 stride 2", 4, 9, 9, g -> conv(g, "x", 4, 8, 3, 4,
            attr("group", 4L), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1))),
        c("conv depthwise dilation 2", 3, 9, 9, g -> conv(g, "x", 3, 3, 3, 3, attr("group", 3L),
            ints("dilations", 2, 2), ints("pads", 2, 2, 2, 2))),
        c("conv SAME_UPPER stride 2", 3, 8, 7, g -> conv(g, "x", 3, 4, 4, 1,
            attr("auto_pad", "SAME_UPPER"), ints("strides", 2, 2))),
        c("conv SAME_LOWER stride 2", 3, 8, 7, g -> conv(g, "x", 3, 4, 4, 1,
            attr("auto_pad", "SAME_LOWER"), ints("strides", 2, 2))),
        c("conv VALID no bias", 3, 6, 6, g -> g.op("Conv", List.of("x", g.weight(2, 3, 3, 3)),
            attr("auto_pad", "VALID"))),
        c("maxpool 3x3 s2 ceil", 2, 10, 9, g -> g.op("MaxPool", List.of("x"),
            ints("kernel_shape", 3, 3), ints("strides", 2, 2), attr("ceil_mode", 1L))),
        c("maxpool pads", 2, 8, 8, g -> g.op("MaxPool", List.of("x"), ints("kernel_shape", 3, 3),
            ints("strides", 2, 2), ints("pads", 1, 1, 1, 1))),
        c("maxpool SAME_UPPER", 2, 7, 8, g -> g.op("MaxPool", List.of("x"),
            ints("kernel_shape", 2, 2), ints("strides", 2, 2), attr("auto_pad", "SAME_UPPER"))),
        c("avgpool pads exclude", 2, 7, 7, g -> g.op("AveragePool", List.of("x"),
            ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1))),
        c("avgpool pads include", 2, 7, 7, g -> g.op("AveragePool", List.of("x"),
            ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1),
            attr("count_include_pad", 1L))),
        c("avgpool ceil exclude", 2, 8, 8, g -> g.op("AveragePool", List.of("x"),
            ints("kernel_shape", 3, 3), ints("strides", 2, 2), attr("ceil_mode", 1L))),
        c("avgpool ceil include pads", 2, 8, 8, g -> g.op("AveragePool", List.of("x"),
            ints("kernel_shape", 3, 3), ints("strides", 2, 2), attr("ceil_mode", 1L),
            ints("pads", 1, 1, 1, 1), attr("count_include_pad", 1L))),
        c("avgpool 2x2 no pad", 3, 8, 6, g -> g.op("AveragePool", List.of("x"),
            ints("kernel_shape", 2, 2), ints("strides", 2, 2))),
        c("global average pool, flatten, gemm transB", 3, 5, 5, g -> g.op("Gemm",
            List.of(g.op("Flatten", List.of(g.op("GlobalAveragePool", List.of("x")))),
                g.weight(4, 3), g.weight(4)), attr("transB", 1L), attr("alpha", 0.5f),
            attr("beta", 2f))),
        c("global max pool", 3, 5, 4, g -> g.op("GlobalMaxPool", List.of("x"))),
        c("flatten 4-D then gemm", 2, 3, 4, g -> g.op("Gemm", List.of(
            g.op("Flatten", List.of("x")), g.weight(24, 5), g.weight(1, 5)))),
        c("batchnorm relu", 3, 5, 6, g -> g.op("Relu", List.of(g.op("BatchNormalization",
            List.of("x", g.weight(3), g.weight(3), g.weight(3),
                g.floats(new float[] {0.5f, 1.5f, 2f}, 3)), attr("epsilon", 1e-3f))))),
        c("clip opset 11 inputs", 11, 2, 4, 4, g -> g.op("Clip", List.of("x",
            g.floats(new float[] {-0.5f}), g.floats(new float[] {0.7f})))),
        c("clip min only", 13, 2, 4, 4, g -> g.op("Clip", List.of("x",
            g.floats(new float[] {-0.2f})))),
        c("clip relu6", 13, 2, 4, 4, g -> g.op("Clip", List.of(g.op("Mul", List.of("x",
            g.floats(new float[] {5f}))), g.floats(new float[] {0f}), g.floats(new float[] {6f})))),
        c("clip opset 7 attributes", 7, 2, 4, 4, g -> g.op("Clip", List.of("x"),
            attr("min", -0.3f), attr("max", 0.4f))),
        c("sigmoid tanh exp neg", 2, 3, 3, g -> g.op("Neg", List.of(g.op("Exp", List.of(
            g.op("Tanh", List.of(g.op("Sigmoid", List.of("x"))))))))),
        c("hardsigmoid", 2, 4, 4, g -> g.op("HardSigmoid", List.of("x"), attr("alpha", 0.3f),
            attr("beta", 0.4f))),
        c("hardswish", 14, 2, 4, 4, g -> g.op("HardSwish", List.of(g.op("Mul", List.of("x",
            g.floats(new float[] {4f})))))),
        c("gelu by erf", 2, 4, 4, g -> {
          String d = g.op("Div", List.of("x", g.floats(new float[] {1.4142135f})));
          String e = g.op("Add", List.of(g.op("Erf", List.of(d)), g.floats(new float[] {1f})));
          return g.op("Mul", List.of(g.op("Mul", List.of("x", e)), g.floats(new float[] {0.5f})));
        }),
        c("sqrt pow reciprocal", 2, 3, 3, g -> {
          String p = g.op("Pow", List.of("x", g.floats(new float[] {2f})));
          String s = g.op("Sqrt", List.of(g.op("Add", List.of(p, g.floats(new float[] {1f})))));
          return g.op("Reciprocal", List.of(s));
        }),
        c("broadcast [C,1,1] and [W] constants", 3, 4, 5, g -> g.op("Sub", List.of(
            g.op("Mul", List.of("x", g.weight(3, 1, 1))), g.weight(5)))),
        c("broadcast [1,C,1,1] divide, constant first", 3, 4, 5, g -> g.op("Div", List.of(
            g.floats(new float[] {1f, 2f, 3f}, 1, 3, 1, 1), g.op("Add", List.of("x",
                g.floats(new float[] {10f})))))),
        c("broadcast [H,1]", 2, 4, 3, g -> g.op("Add", List.of(g.weight(4, 1), "x"))),
        c("squeeze-excitation: GAP, conv, sigmoid, mul", 4, 6, 6, g -> {
          String s = g.op("GlobalAveragePool", List.of("x"));
          s = g.op("Sigmoid", List.of(conv(g, s, 4, 4, 1, 1)));
          return g.op("Mul", List.of("x", s));
        }),
        c("reducemean keepdims", 3, 4, 5, g -> g.op("ReduceMean", List.of("x"),
            ints("axes", 2, 3), attr("keepdims", 1L))),
        c("reducemean no keepdims negative axes", 3, 4, 5, g -> g.op("ReduceMean", List.of("x"),
            ints("axes", -2, -1), attr("keepdims", 0L))),
        c("reducemean over channels", 3, 4, 5, g -> g.op("ReduceMean", List.of("x"),
            ints("axes", 1), attr("keepdims", 0L))),
        c("reducemean over H only", 3, 4, 5, g -> g.op("ReduceMean", List.of("x"),
            ints("axes", 2), attr("keepdims", 0L))),
        c("concat channels", 2, 4, 4, g -> g.op("Concat", List.of(conv(g, "x", 2, 3, 1, 1),
            "x", conv(g, "x", 2, 2, 3, 1, ints("pads", 1, 1, 1, 1))), attr("axis", 1L))),
        c("concat width negative axis", 2, 4, 3, g -> g.op("Concat", List.of("x",
            g.op("Relu", List.of("x"))), attr("axis", -1L))),
        c("torch flatten: shape gather unsqueeze concat reshape", 3, 4, 4, g -> {
          String x = conv(g, "x", 3, 2, 3, 1);
          String s = g.op("Shape", List.of(x));
          String b = g.op("Gather", List.of(s, g.ints(new long[] {0})), attr("axis", 0L));
          String u = g.op("Unsqueeze", List.of(b, g.ints1(0)));
          String shape = g.op("Concat", List.of(u, g.ints1(-1)), attr("axis", 0L));
          return g.op("Reshape", List.of(x, shape));
        }),
        c("unsqueeze by attribute (opset 11)", 11, 3, 4, 4, g -> {
          String s = g.op("Shape", List.of("x"));
          String b = g.op("Gather", List.of(s, g.ints(new long[] {0})), attr("axis", 0L));
          String u = g.op("Unsqueeze", List.of(b), ints("axes", 0));
          String shape = g.op("Concat", List.of(u, g.ints1(-1)), attr("axis", 0L));
          return g.op("Reshape", List.of("x", shape));
        }),
        c("reshape with 0 and -1", 4, 3, 2, g -> g.op("Reshape", List.of("x",
            g.ints1(0, 2, -1)))),
        c("transpose to NHWC, matmul, transpose back (convnext)", 3, 4, 5, g -> {
          String t = g.op("Transpose", List.of("x"), ints("perm", 0, 2, 3, 1));
          String m = g.op("Add", List.of(g.op("MatMul", List.of(t, g.weight(3, 6))), g.weight(6)));
          return g.op("Transpose", List.of(m), ints("perm", 0, 3, 1, 2));
        }),
        c("channel shuffle (5-D reshape, transpose)", 6, 3, 4, g -> {
          String r = g.op("Reshape", List.of("x", g.ints1(-1, 2, 3, 3, 4)));
          String t = g.op("Transpose", List.of(r), ints("perm", 0, 2, 1, 3, 4));
          return g.op("Reshape", List.of(t, g.ints1(-1, 6, 3, 4)));
        }),
        c("slice channels and negative start on H", 4, 6, 5, g -> g.op("Slice", List.of("x",
            g.ints1(1, -4), g.ints1(3, 100), g.ints1(1, 2)))),
        c("slice on shape (shape[2:])", 3, 4, 5, g -> {
          String s = g.op("Shape", List.of("x"));
          String hw = g.op("Slice", List.of(s, g.ints1(2), g.ints1(4)));
          String shape = g.op("Concat", List.of(g.ints1(-1, 3), hw), attr("axis", 0L));
          return g.op("Reshape", List.of(g.op("Relu", List.of("x")), shape));
        }),
        c("pad constant value (opset 11)", 11, 2, 3, 4, g -> g.op("Pad", List.of("x",
            g.ints1(0, 0, 1, 2, 0, 1, 2, 0), g.floats(new float[] {0.25f})))),
        c("pad reflect", 2, 4, 4, g -> g.op("Pad", List.of("x", g.ints1(0, 0, 1, 2, 0, 0, 2, 1)),
            attr("mode", "reflect"))),
        c("constant identity dropout", 2, 3, 3, g -> {
          OnnxMl.TensorProto t = OnnxMl.TensorProto.newBuilder().setDataType(1).addDims(2)
              .addDims(1).addDims(1).addFloatData(2f).addFloatData(-3f).build();
          String k = g.op("Constant", List.of(), OnnxTestGraphs.tensor("value", t));
          String d = g.op("Dropout", List.of(g.op("Identity", List.of("x"))));
          return g.op("Mul", List.of(d, k));
        }),
        c("gather float scalar index on channels", 3, 4, 4, g -> g.op("Gather", List.of("x",
            g.ints(new long[] {2})), attr("axis", 1L))),
        c("gather float index vector on W", 3, 4, 4, g -> g.op("Gather", List.of("x",
            g.ints1(3, 0, -1)), attr("axis", 3L))),
        c("squeeze unsqueeze floats", 2, 1, 3, g -> {
          String s = g.op("Squeeze", List.of("x", g.ints1(2)));
          return g.op("Unsqueeze", List.of(s, g.ints1(-1)));
        }),
        c("softmax after flatten", 3, 2, 2, g -> g.op("Softmax", List.of(
            g.op("Flatten", List.of("x"))), attr("axis", -1L))),
        c("softmax opset 11 axis 1", 11, 3, 2, 2, g -> g.op("Softmax", List.of(
            g.op("Flatten", List.of("x"))))),
        c("opset 17 tiny net", 17, 3, 8, 8, g -> {
          String x = g.op("Relu", List.of(conv(g, "x", 3, 4, 3, 1, ints("pads", 1, 1, 1, 1))));
          x = g.op("MaxPool", List.of(x), ints("kernel_shape", 2, 2), ints("strides", 2, 2));
          return g.op("Flatten", List.of(g.op("GlobalAveragePool", List.of(x))));
        }),
        c("layer norm over W (opset 17)", 17, 3, 4, 5, g -> g.op("LayerNormalization",
            List.of("x", g.weight(5), g.weight(5)), attr("epsilon", 1e-3f))),
        c("layer norm channels-last between transposes (convnext, opset 17)", 17, 4, 3, 5,
            g -> {
              String t = g.op("Transpose", List.of("x"), ints("perm", 0, 2, 3, 1));
              String ln = g.op("LayerNormalization", List.of(t, g.weight(4), g.weight(4)),
                  attr("epsilon", 1e-6f));
              return g.op("Transpose", List.of(ln), ints("perm", 0, 3, 1, 2));
            }),
        c("layer norm axis 1 over C, H, W without bias (opset 17)", 17, 2, 3, 4, g -> g.op(
            "LayerNormalization", List.of("x", g.weight(2, 3, 4)), attr("axis", 1L))))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesOnnxRuntime(Case c) throws Exception {
    G g = new G(c.c(), c.h(), c.w(), c.name().hashCode()).opset(c.opset());
    String out = c.build().apply(g);
    // Whatever the op's rank, the logits are its NCHW-ordered values: a layout error shows.
    String logits = g.op("Flatten", List.of(out));
    Path file = g.write(dir, "case", logits);
    int n = 3;
    long[] shape = {n, g.chw[0], c.h(), c.w()};
    float[] x = OnnxTestGraphs.randomInput(n, g.chw, 7);
    float[] expected = OnnxTestGraphs.ort(file, "input", x, shape);
    try (Model m = OnnxImporter.load(file, "case", (p, hh, ww) -> p, 2)) {
      float[] got = m.logits(x, n);
      assertClose(got, expected, c.name());
      checkDirectionalDerivative(m, java.util.Arrays.copyOf(x, m.spec().inputLength()),
          c.name());
    }
  }

  /**
   * The registered gradients of every translated op: the input gradient of the sum of the
   * logits, projected on a random direction, equals the central difference along it.
   */
  static void checkDirectionalDerivative(Model m, float[] x, String what) {
    int k = m.numClasses();
    float[] seed = new float[k];
    java.util.Arrays.fill(seed, 1f);
    float[] grad = m.inputGradient(x, 1, seed);
    java.util.Random r = new java.util.Random(5);
    float eps = 1e-3f;
    float[] plus = x.clone();
    float[] minus = x.clone();
    double dot = 0;
    for (int i = 0; i < x.length; i++) {
      float v = (float) r.nextGaussian();
      plus[i] += eps * v;
      minus[i] -= eps * v;
      dot += grad[i] * (double) v;
    }
    double fd = (sum(m.logits(plus, 1)) - sum(m.logits(minus, 1))) / (2.0 * eps);
    assertThat(dot).as(what + ": gradient along a direction vs finite difference " + fd)
        .isCloseTo(fd, org.assertj.core.data.Offset.offset(2e-2 * Math.max(1, Math.abs(fd))));
  }

  private static double sum(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f;
    }
    return s;
  }

  static void assertClose(float[] got, float[] expected, String what) {
    assertThat(got).as(what + ": length").hasSameSizeAs(expected);
    double scale = 1;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < got.length; i++) {
      assertThat((double) got[i]).as(what + " value " + i + " (ORT " + expected[i] + ")")
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-5 * scale
              + 2e-5 * Math.abs(expected[i])));
    }
  }
}
