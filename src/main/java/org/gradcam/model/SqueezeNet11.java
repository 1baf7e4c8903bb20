package org.gradcam.model;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.gradcam.data.Npy;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * SqueezeNet 1.1 (Iandola et al. 2016, torchvision/ONNX model zoo variant), ImageNet-1k, from
 * one {@code .npy} per tensor ({@code squeezenet0_convN_weight.npy} {@code [out,in,kh,kw]} and
 * {@code _bias.npy}). The input is NCHW as the weights' origin expects; it is transposed to
 * NHWC inside the graph. Logits are the last conv + ReLU + global average pool.
 */
@AutoService(BuiltInModel.Provider.class)
@Priority(10)
public final class SqueezeNet11 implements BuiltInModel.Provider {
  public static final String NAME = "squeezenet1.1";
  public static final String DEFAULT_LAYER = "fire9";
  public static final int INPUT_SIZE = 224;
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  /** Squeeze and expand widths of Fire modules fire2..fire9. */
  private static final int[][] FIRES = {
      {16, 64}, {16, 64}, {32, 128}, {32, 128}, {48, 192}, {48, 192}, {64, 256}, {64, 256}};

  /** The registry's entry: weights from the asset {@code squeezenet1.1} (a directory of npy). */
  public static final BuiltInModel BUILT_IN = new BuiltInModel(NAME, spec(),
      assets -> load(assets.directory(NAME)), SqueezeNet11::random);

  /** For the registry ({@link Models}), which finds the model by this class. */
  public SqueezeNet11() {}

  @Override
  public BuiltInModel builtIn() {
    return BUILT_IN;
  }

  public static ModelSpec spec() {
    return new ModelSpec(INPUT_SIZE, true, DEFAULT_LAYER, SqueezeNet11::preprocessInput);
  }

  /** torchvision preprocessing: scale to [0,1], normalise per channel, HWC to CHW. */
  public static float[] preprocessInput(float[] rgbHwc, int height, int width) {
    int plane = height * width;
    float[] out = new float[3 * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        out[c * plane + p] = (rgbHwc[p * 3 + c] / 255f - MEAN[c]) / STD[c];
      }
    }
    return out;
  }

  /** Builds the model from the directory holding the {@code .npy} weight files. */
  public static Model load(Path weightsDir) throws IOException {
    return build((index, shape) -> {
      Path w = weightsDir.resolve("squeezenet0_conv" + index + "_weight.npy");
      Path b = weightsDir.resolve("squeezenet0_conv" + index + "_bias.npy");
      return new float[][] {readChecked(w, shape), readChecked(b, new long[] {shape[0]})};
    });
  }

  /** Same architecture with random weights, for tests and benchmarks. */
  public static Model random(long seed) {
    LayerWeights random = LayerWeights.random(seed);
    try {
      // Random values need no transposition: only the fan-in (in * kh * kw) sets their scale.
      return build((index, oihw) -> random.get("conv" + index,
          new long[] {oihw[2], oihw[3], oihw[1], oihw[0]}));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Supplies {weights OIHW, bias} of conv number {@code index} with the expected OIHW shape. */
  @FunctionalInterface
  interface ConvWeights {
    float[][] get(int index, long[] oihw) throws IOException;
  }

  static Model build(ConvWeights weights) throws IOException {
    Graph graph = TensorFlowNative.newGraph();
    NetBuilder net = new NetBuilder(graph);
    try {
      Operand<TFloat32> nchw = net.input("input", 3, INPUT_SIZE, INPUT_SIZE);
      Operand<TFloat32> x = net.ops().withName("to_nhwc")
          .linalg.transpose(nchw, net.ops().constant(new int[] {0, 2, 3, 1}));
      int[] conv = {0};
      x = conv(net, weights, conv, "conv1", x, 64, 3, 2, "VALID");
      x = net.maxPool("pool1", x, 3, 2, true);
      for (int f = 0; f < FIRES.length; f++) {
        int fire = f + 2;
        x = fire(net, weights, conv, "fire" + fire, x, FIRES[f][0], FIRES[f][1]);
        if (fire == 3 || fire == 5) {
          x = net.maxPool("pool" + fire, x, 3, 2, true);
        }
      }
      x = conv(net, weights, conv, "conv10", x, 1000, 1, 1, "VALID");
      Operand<TFloat32> logits = net.globalAveragePool("logits", x);
      return net.build(NAME, spec(), nchw, logits);
    } catch (IOException | RuntimeException e) {
      net.close(); // its session holds the graph open
      graph.close();
      throw e;
    }
  }

  private static Operand<TFloat32> fire(NetBuilder net, ConvWeights weights, int[] conv,
      String name, Operand<TFloat32> x, int squeeze, int expand) throws IOException {
    Operand<TFloat32> s = conv(net, weights, conv, name + "_squeeze1x1", x, squeeze, 1, 1, "VALID");
    Operand<TFloat32> e1 = conv(net, weights, conv, name + "_expand1x1", s, expand, 1, 1, "VALID");
    Operand<TFloat32> e3 = conv(net, weights, conv, name + "_expand3x3", s, expand, 3, 1, "SAME");
    return net.concatChannels(name, List.of(e1, e3));
  }

  private static Operand<TFloat32> conv(NetBuilder net, ConvWeights weights, int[] counter,
      String name, Operand<TFloat32> x, int out, int k, int stride, String padding)
      throws IOException {
    long in = x.shape().size(3);
    long[] oihw = {out, in, k, k};
    float[][] wb = weights.get(counter[0]++, oihw);
    return net.conv(name, x, oihwToHwio(wb[0], oihw), new long[] {k, k, in, out}, wb[1], stride,
        padding, true);
  }

  private static float[] oihwToHwio(float[] w, long[] s) {
    int o = (int) s[0];
    int i = (int) s[1];
    int h = (int) s[2];
    int wd = (int) s[3];
    float[] out = new float[w.length];
    for (int a = 0; a < o; a++) {
      for (int b = 0; b < i; b++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < wd; x++) {
            out[((y * wd + x) * i + b) * o + a] = w[((a * i + b) * h + y) * wd + x];
          }
        }
      }
    }
    return out;
  }

  private static float[] readChecked(Path file, long[] shape) throws IOException {
    Npy npy = Npy.read(file);
    if (!Arrays.equals(npy.shape(), shape)) {
      throw new IOException(file + ": expected shape " + Arrays.toString(shape) + ", found "
          + Arrays.toString(npy.shape()) + " (wrong or corrupt SqueezeNet 1.1 weights?)");
    }
    return npy.floats();
  }
}
