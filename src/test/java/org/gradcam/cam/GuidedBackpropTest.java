package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.gradcam.model.LayerOp;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.NetBuilder;
import org.gradcam.model.ReluBackward;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The explicit backward pass: by hand, and against Graph.addGradients with the plain ReLU rule. */
class GuidedBackpropTest {

  /**
   * Input one pixel, 3 channels; 1x1 conv to 3 channels + ReLU; flatten; dense to 2 logits.
   * Conv: out0 = x0, out1 = -x1, out2 = -x2. Logit weights: class 0 v = (1,-2,4), class 1
   * u = (-3,1,1).
   */
  static Model handNet() {
    Graph graph = new Graph();
    NetBuilder net = new NetBuilder(graph);
    Operand<TFloat32> in = net.input("input", 1, 1, 3);
    Operand<TFloat32> x = net.conv("conv", in, new float[] {1, 0, 0, 0, -1, 0, 0, 0, -1},
        new long[] {1, 1, 3, 3}, new float[3], 1, "VALID", true);
    x = net.flatten("flatten", x);
    x = net.dense("logits", x, new float[] {1, -3, -2, 1, 4, 1}, new long[] {3, 2}, new float[2],
        false);
    return net.build("hand", new ModelSpec(1, false, "conv", (p, h, w) -> p), in, x);
  }

  @Test
  void guidedRuleByHand() {
    try (Model model = handNet()) {
      // x = (2, -1, 3): conv pre-activations (2, 1, -3), ReLU open for channels 0 and 1.
      float[] x = {2, -1, 3};
      // Class 0: upstream dh = v = (1,-2,4). Plain: dh * open = (1,-2,0); dx = K dh:
      // dx0 = 1*1 = 1, dx1 = -1*-2 = 2, dx2 = -1*0 = 0. Guided: relu(dh) * open = (1,0,0)
      // -> dx = (1, 0, 0).
      float[] class0 = {1, 0};
      assertThat(model.inputGradient(x, 1, class0, ReluBackward.PLAIN)).containsExactly(1, 2, 0);
      assertThat(model.inputGradient(x, 1, class0, ReluBackward.GUIDED)).containsExactly(1, 0, 0);
      assertThat(model.inputGradient(x, 1, class0)).containsExactly(1, 2, 0);
      // Class 1: dh = u = (-3,1,1). Plain: (-3,1,0) -> dx = (-3, -1, 0). Guided: (0,1,0)
      // -> dx = (0, -1, 0).
      float[] class1 = {0, 1};
      assertThat(model.inputGradient(x, 1, class1, ReluBackward.PLAIN)).containsExactly(-3, -1, 0);
      assertThat(model.inputGradient(x, 1, class1, ReluBackward.GUIDED))
          .containsExactly(0, -1, 0);
      // Two images in one run, one seed row each.
      float[] both = model.inputGradient(new float[] {2, -1, 3, 2, -1, 3}, 2,
          new float[] {1, 0, 0, 1}, ReluBackward.GUIDED);
      assertThat(both).containsExactly(1, 0, 0, 0, -1, 0);
      // Through the Saliency API: class 1 of the one image.
      Saliency s = new GuidedBackprop().explain(model, null, x, 1, Target.classIndex(1)).get(0);
      assertThat(s.values()).containsExactly(0, -1, 0);
      assertThat(s.targetClass()).isEqualTo(1);
    }
  }

  @Test
  void layerOpsAreRecordedWithoutChangingTheLayers() {
    try (Model model = handNet()) {
      assertThat(model.layerOps()).extracting(LayerOp::name)
          .containsExactly("input", "conv", "flatten", "logits");
      assertThat(model.layerOps()).extracting(LayerOp::kind).containsExactly(LayerOp.Kind.INPUT,
          LayerOp.Kind.CONV, LayerOp.Kind.FLATTEN, LayerOp.Kind.DENSE);
      assertThat(model.summary()).extracting(l -> l.name())
          .containsExactly("input", "conv", "flatten", "logits");
    }
  }

  @Test
  void plainRuleEqualsAutodiffOnSmallVgg() {
    // conv-relu, conv-relu, max-pool, flatten, dense-relu, dense logits.
    try (Model model = GradientFiniteDifferenceTest.smallVgg(7)) {
      Random rnd = new Random(3);
      float[] x = GradientFiniteDifferenceTest.gauss(rnd, 2 * 8 * 8 * 3, 1.0);
      float[] seed = GradientFiniteDifferenceTest.gauss(rnd, 2 * 5, 1.0);
      assertClose(model.inputGradient(x, 2, seed, ReluBackward.PLAIN),
          model.inputGradient(x, 2, seed));
      assertGuidedDiffers(model, x, 2, seed);
    }
  }

  @Test
  void plainRuleEqualsAutodiffThroughConcatCeilPoolAverageAndInputTranspose() {
    try (Model model = tinySqueeze(5)) {
      Random rnd = new Random(9);
      float[] x = GradientFiniteDifferenceTest.gauss(rnd, 2 * 3 * 10 * 10, 1.0);
      float[] seed = GradientFiniteDifferenceTest.gauss(rnd, 2 * 5, 1.0);
      assertClose(model.inputGradient(x, 2, seed, ReluBackward.PLAIN),
          model.inputGradient(x, 2, seed));
      assertGuidedDiffers(model, x, 2, seed);
    }
  }

  /**
   * SqueezeNet in miniature: NCHW input transposed to NHWC (glue outside NetBuilder), conv,
   * ceil-mode max-pool with padding, a Fire module (squeeze, two expands, concat), a 1x1 conv
   * to 5 classes and global average pooling.
   */
  static Model tinySqueeze(long seed) {
    Random rnd = new Random(seed);
    Graph graph = new Graph();
    NetBuilder net = new NetBuilder(graph);
    Operand<TFloat32> nchw = net.input("input", 3, 10, 10);
    Operand<TFloat32> x = net.ops().linalg.transpose(nchw, net.ops().constant(new int[] {0, 2, 3, 1}));
    x = net.conv("conv1", x, g(rnd, 3 * 3 * 3 * 4), new long[] {3, 3, 3, 4}, g(rnd, 4), 1,
        "VALID", true); // 8x8x4
    x = net.maxPool("pool1", x, 3, 2, true); // 4x4x4, one row/column of -inf padding
    Operand<TFloat32> s = net.conv("squeeze", x, g(rnd, 4 * 2), new long[] {1, 1, 4, 2}, g(rnd, 2),
        1, "VALID", true);
    Operand<TFloat32> e1 = net.conv("expand1", s, g(rnd, 2 * 3), new long[] {1, 1, 2, 3}, g(rnd, 3),
        1, "VALID", true);
    Operand<TFloat32> e3 = net.conv("expand3", s, g(rnd, 9 * 2 * 3), new long[] {3, 3, 2, 3},
        g(rnd, 3), 1, "SAME", true);
    x = net.concatChannels("fire", List.of(e1, e3));
    x = net.conv("conv10", x, g(rnd, 6 * 5), new long[] {1, 1, 6, 5}, g(rnd, 5), 1, "VALID", true);
    Operand<TFloat32> logits = net.globalAveragePool("logits", x);
    return net.build("tiny-squeeze", new ModelSpec(10, true, "fire", (p, h, w) -> p), nchw, logits);
  }

  private static float[] g(Random rnd, int n) {
    float[] out = GradientFiniteDifferenceTest.gauss(rnd, n, 0.6);
    for (int i = 0; i < out.length; i++) {
      out[i] += 0.05f; // a slight positive bias keeps enough ReLUs open
    }
    return out;
  }

  static void assertGuidedDiffers(Model model, float[] x, int n, float[] seed) {
    float[] plain = model.inputGradient(x, n, seed, ReluBackward.PLAIN);
    float[] guided = model.inputGradient(x, n, seed, ReluBackward.GUIDED);
    assertThat(GradCamTest.maxAbsDiff(plain, guided)).isGreaterThan(1e-4);
    assertThat(GradCamTest.maxAbsDiff(guided, new float[guided.length])).isGreaterThan(1e-4);
  }

  static void assertClose(float[] explicit, float[] autodiff) {
    assertThat(explicit).hasSameSizeAs(autodiff);
    double scale = GradCamTest.maxAbsDiff(autodiff, new float[autodiff.length]);
    assertThat(scale).as("a non-trivial gradient").isGreaterThan(1e-3);
    for (int i = 0; i < explicit.length; i++) {
      assertThat((double) explicit[i]).as("input gradient [%d]", i)
          .isCloseTo(autodiff[i], within(1e-5 * scale));
    }
  }

  /**
   * MobileNet V2's block in miniature, on a 4x4x3 input: 1x1 conv to 4 channels + ReLU6, 3x3
   * depthwise conv (SAME) + ReLU6, linear 1x1 projection back to 3 channels, the residual add of
   * the block's input, global average pooling and a dense layer to 3 logits. Weights large
   * enough that some ReLU6 saturate above 6.
   */
  static final class MobileBlock {
    final Random rnd = new Random(21);
    final float[] w1 = scaled(g(rnd, 3 * 4), 4f);
    final float[] b1 = scaled(g(rnd, 4), 2f);
    final float[] wd = scaled(g(rnd, 9 * 4), 3f);
    final float[] bd = scaled(g(rnd, 4), 1f);
    final float[] w3 = g(rnd, 4 * 3);
    final float[] b3 = g(rnd, 3);
    final float[] wf = g(rnd, 3 * 3);
    final float[] bf = g(rnd, 3);

    Model build() {
      Graph graph = new Graph();
      NetBuilder net = new NetBuilder(graph);
      Operand<TFloat32> in = net.input("input", 4, 4, 3);
      Operand<TFloat32> x = net.conv("expand", in, w1, new long[] {1, 1, 3, 4}, b1, 1, 1, "VALID",
          NetBuilder.Activation.RELU6);
      x = net.depthwiseConv("depthwise", x, wd, new long[] {3, 3, 4, 1}, bd, 1, 1, "SAME",
          NetBuilder.Activation.RELU6);
      x = net.conv("project", x, w3, new long[] {1, 1, 4, 3}, b3, 1, 1, "VALID",
          NetBuilder.Activation.NONE);
      x = net.add("add", in, x, NetBuilder.Activation.NONE);
      x = net.globalAveragePool("pool", x);
      x = net.dense("logits", x, wf, new long[] {3, 3}, bf, false);
      return net.build("mobile-block", new ModelSpec(4, false, "depthwise", (p, h, w) -> p), in,
          x);
    }

    /** The input gradient of logit {@code t} by the definition, in doubles. */
    double[] gradient(float[] x, int t, boolean guided) {
      double[][] a1 = new double[16][4];
      double[][] a2 = new double[16][4];
      for (int p = 0; p < 16; p++) {
        for (int k = 0; k < 4; k++) {
          double z = b1[k];
          for (int c = 0; c < 3; c++) {
            z += x[p * 3 + c] * w1[c * 4 + k];
          }
          a1[p][k] = Math.min(6, Math.max(0, z));
        }
      }
      for (int p = 0; p < 16; p++) {
        for (int k = 0; k < 4; k++) {
          double z = bd[k];
          for (int i = -1; i <= 1; i++) {
            for (int j = -1; j <= 1; j++) {
              int r = p / 4 + i;
              int s = p % 4 + j;
              if (r >= 0 && r < 4 && s >= 0 && s < 4) {
                z += a1[r * 4 + s][k] * wd[((i + 1) * 3 + j + 1) * 4 + k];
              }
            }
          }
          a2[p][k] = Math.min(6, Math.max(0, z));
        }
      }
      double[] dx = new double[48];
      double[][] dz2 = new double[16][4];
      for (int p = 0; p < 16; p++) {
        for (int c = 0; c < 3; c++) {
          double ds = wf[c * 3 + t] / 16.0; // pooled, then the dense column of class t
          dx[p * 3 + c] += ds; // the residual path
          for (int k = 0; k < 4; k++) {
            dz2[p][k] += ds * w3[k * 3 + c];
          }
        }
      }
      double[][] dz1 = new double[16][4];
      for (int p = 0; p < 16; p++) {
        for (int k = 0; k < 4; k++) {
          double d = rectify(dz2[p][k], a2[p][k], guided);
          for (int i = -1; i <= 1; i++) {
            for (int j = -1; j <= 1; j++) {
              int r = p / 4 + i;
              int s = p % 4 + j;
              if (r >= 0 && r < 4 && s >= 0 && s < 4) {
                dz1[r * 4 + s][k] += d * wd[((i + 1) * 3 + j + 1) * 4 + k];
              }
            }
          }
        }
      }
      for (int p = 0; p < 16; p++) {
        for (int k = 0; k < 4; k++) {
          double d = rectify(dz1[p][k], a1[p][k], guided);
          for (int c = 0; c < 3; c++) {
            dx[p * 3 + c] += d * w1[c * 4 + k];
          }
        }
      }
      return dx;
    }

    /** ReLU6's backward: open for 0 < a < 6; guided: negative upstream gradients dropped. */
    static double rectify(double dy, double a, boolean guided) {
      boolean open = a > 0 && a < 6;
      return !open ? 0 : guided ? Math.max(0, dy) : dy;
    }

    /** How many of the 64 first-layer units are saturated (a == 6) and closed (a == 0). */
    int[] states(float[] x) {
      int six = 0;
      int zero = 0;
      for (int p = 0; p < 16; p++) {
        for (int k = 0; k < 4; k++) {
          double z = b1[k];
          for (int c = 0; c < 3; c++) {
            z += x[p * 3 + c] * w1[c * 4 + k];
          }
          six += z >= 6 ? 1 : 0;
          zero += z <= 0 ? 1 : 0;
        }
      }
      return new int[] {six, zero};
    }
  }

  @Test
  void guidedRuleThroughReLU6DepthwiseAndResidualAddByTheDefinition() {
    MobileBlock block = new MobileBlock();
    float[] x = scaled(GradientFiniteDifferenceTest.gauss(new Random(4), 48, 1.0), 1.5f);
    int[] states = block.states(x);
    assertThat(states[0]).as("saturated ReLU6 units in the first layer").isPositive();
    assertThat(states[1]).as("closed units in the first layer").isPositive();
    try (Model model = block.build()) {
      assertThat(model.summary()).extracting(l -> l.name()).containsExactly("input", "expand",
          "depthwise", "project", "add", "pool", "logits");
      assertThat(model.layerOps()).extracting(LayerOp::name).containsExactlyElementsOf(
          model.summary().stream().map(l -> l.name()).toList());
      for (int t = 0; t < 3; t++) {
        float[] seed = new float[3];
        seed[t] = 1;
        for (boolean guided : new boolean[] {true, false}) {
          double[] expected = block.gradient(x, t, guided);
          float[] got = model.inputGradient(x, 1, seed,
              guided ? ReluBackward.GUIDED : ReluBackward.PLAIN);
          double scale = 0;
          for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
          }
          assertThat(scale).isGreaterThan(1e-3);
          for (int i = 0; i < 48; i++) {
            assertThat((double) got[i]).as("class %d guided %s [%d]", t, guided, i)
                .isCloseTo(expected[i], within(1e-5 * scale));
          }
        }
      }
      float[] seed = {0, 1, 0};
      assertClose(model.inputGradient(x, 1, seed, ReluBackward.PLAIN),
          model.inputGradient(x, 1, seed));
      assertGuidedDiffers(model, x, 1, seed);
    }
  }

  private static float[] scaled(float[] v, float s) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= s;
    }
    return v;
  }

  /**
   * Ops whose inputs depend on each other, built as an importer builds them ({@link
   * NetBuilder#ops()}): x * sigmoid(x), a - x, max(x, 0.3 x), min(x, a), select(x > 0, x, 0.2 x)
   * (Keras' LeakyReLU), x * mean(x) broadcast (a squeeze-excite gate) and concat(x, a), with
   * a = relu(conv(x)). With the plain rule each local gradient must equal TF's own.
   */
  @Test
  void localGradientsOfRelatedInputsEqualAutodiff() {
    Random rnd = new Random(17);
    Graph graph = new Graph();
    NetBuilder net = new NetBuilder(graph);
    org.tensorflow.op.Ops tf = net.ops();
    Operand<TFloat32> x = net.input("input", 3, 3, 3);
    Operand<TFloat32> a = net.conv("conv", x, g(rnd, 81), new long[] {3, 3, 3, 3}, g(rnd, 3), 1,
        "SAME", true);
    List<Operand<TFloat32>> parts = List.of(
        tf.math.mul(x, tf.math.sigmoid(x)),
        tf.math.sub(a, x),
        tf.math.maximum(x, tf.math.mul(x, tf.constant(0.3f))),
        tf.math.minimum(x, a),
        tf.select(tf.math.greater(x, tf.constant(0f)), x, tf.math.mul(x, tf.constant(0.2f))),
        tf.math.mul(x, tf.math.mean(x, tf.constant(new int[] {1, 2}),
            org.tensorflow.op.math.Mean.keepDims(true))));
    Operand<TFloat32> sum = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      sum = tf.math.add(sum, parts.get(i));
    }
    Operand<TFloat32> both = net.layer("related", "Custom",
        tf.concat(List.of(sum, a), tf.constant(3)), 0);
    Operand<TFloat32> y = net.flatten("flatten", both);
    y = net.dense("logits", y, g(rnd, 54 * 4), new long[] {54, 4}, g(rnd, 4), false);
    try (Model model = net.build("related", new ModelSpec(3, false, "related", (p, h, w) -> p),
        x, y)) {
      float[] in = GradientFiniteDifferenceTest.gauss(new Random(5), 2 * 27, 1.0);
      float[] seed = GradientFiniteDifferenceTest.gauss(new Random(6), 2 * 4, 1.0);
      assertClose(model.inputGradient(in, 2, seed, ReluBackward.PLAIN),
          model.inputGradient(in, 2, seed));
      assertGuidedDiffers(model, in, 2, seed);
    }
  }
}
