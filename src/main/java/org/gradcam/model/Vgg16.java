package org.gradcam.model;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;
import java.io.IOException;
import java.nio.file.Path;
import org.gradcam.data.Assets;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * VGG16 (Simonyan and Zisserman 2014) as Keras' {@code VGG16(include_top=True)}: the same
 * layer names and channels-last weights, read from {@code
 * vgg16_weights_tf_dim_ordering_tf_kernels.h5}. The {@code predictions} layer gives logits; the
 * softmax Keras applies is left to the caller so that Grad-CAM uses the pre-softmax score.
 */
@AutoService(BuiltInModel.Provider.class)
@Priority(20)
public final class Vgg16 implements BuiltInModel.Provider {
  public static final String NAME = "vgg16";
  public static final String DEFAULT_LAYER = "block5_conv3";
  /**
   * Runs of 4 images: on 2 cores batch 4 gives most of batch 8's Grad-CAM throughput (about 14
   * against 11 images/s at batch 1) while a single image waits for a run of 4, not 8.
   */
  public static final int GRAPH_BATCH = 4;
  public static final int INPUT_SIZE = 224;
  /** Keras "caffe" mode means, in BGR order. */
  private static final float[] BGR_MEAN = {103.939f, 116.779f, 123.68f};
  private static final int[][] BLOCKS = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};

  /** The registry's entry: the Keras HDF5 weights of the asset {@code vgg16}. */
  public static final BuiltInModel BUILT_IN = new BuiltInModel(NAME, spec(), Vgg16::loadAsset,
      Vgg16::random);

  /** For the registry ({@link Models}), which finds the model by this class. */
  public Vgg16() {}

  @Override
  public BuiltInModel builtIn() {
    return BUILT_IN;
  }

  public static ModelSpec spec() {
    return spec(INPUT_SIZE);
  }

  private static ModelSpec spec(int inputSize) {
    return new ModelSpec(inputSize, false, DEFAULT_LAYER, Vgg16::preprocessInput, GRAPH_BATCH);
  }

  /** Keras {@code vgg16.preprocess_input}: RGB to BGR, minus the ImageNet channel means. */
  public static float[] preprocessInput(float[] rgbHwc, int height, int width) {
    float[] out = new float[rgbHwc.length];
    for (int p = 0; p < height * width; p++) {
      for (int c = 0; c < 3; c++) {
        out[p * 3 + c] = rgbHwc[p * 3 + (2 - c)] - BGR_MEAN[c];
      }
    }
    return out;
  }

  private static Model loadAsset(Assets assets) throws IOException {
    Path h5;
    try {
      h5 = assets.file(NAME);
    } catch (IOException e) {
      throw new IOException("VGG16 ImageNet weights (528 MB) are not available: "
          + e.getMessage() + ". Run `gradcam fetch vgg16` on a connected machine, or use "
          + "model squeezenet1.1, whose weights are small and in the mirror.", e);
    }
    return load(h5);
  }

  /** Builds VGG16 with the weights of a Keras HDF5 file. */
  public static Model load(Path h5) throws IOException {
    try (KerasH5Weights weights = new KerasH5Weights(h5)) {
      return build(weights);
    }
  }

  /** VGG16 with He-initialised random weights, for tests and benchmarks. */
  public static Model random(long seed) {
    return random(seed, INPUT_SIZE);
  }

  /**
   * The architecture at a smaller square input (a multiple of 32; fc1 takes the smaller
   * flattened map) with random weights: for tests that run every method, where 224 is slow.
   */
  public static Model random(long seed, int inputSize) {
    try {
      return build(LayerWeights.random(seed), inputSize);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every weighted layer with its kernel shape, in order: the Keras file's layout. */
  public static java.util.LinkedHashMap<String, long[]> kernelShapes() {
    return kernelShapes(INPUT_SIZE);
  }

  private static java.util.LinkedHashMap<String, long[]> kernelShapes(int inputSize) {
    java.util.LinkedHashMap<String, long[]> shapes = new java.util.LinkedHashMap<>();
    long in = 3;
    for (int b = 0; b < BLOCKS.length; b++) {
      for (int c = 1; c <= BLOCKS[b][1]; c++) {
        shapes.put("block" + (b + 1) + "_conv" + c, new long[] {3, 3, in, BLOCKS[b][0]});
        in = BLOCKS[b][0];
      }
    }
    long side = inputSize / 32; // five 2x2 max-pools
    shapes.put("fc1", new long[] {side * side * 512, 4096});
    shapes.put("fc2", new long[] {4096, 4096});
    shapes.put("predictions", new long[] {4096, 1000});
    return shapes;
  }

  public static Model build(LayerWeights weights) throws IOException {
    return build(weights, INPUT_SIZE);
  }

  private static Model build(LayerWeights weights, int inputSize) throws IOException {
    if (inputSize < 32 || inputSize % 32 != 0) {
      throw new IllegalArgumentException("VGG16 input must be a multiple of 32, got " + inputSize);
    }
    Graph graph = TensorFlowNative.newGraph();
    NetBuilder net = new NetBuilder(graph);
    try {
      Operand<TFloat32> input = net.input("input_1", inputSize, inputSize, 3);
      Operand<TFloat32> x = input;
      for (var layer : kernelShapes(inputSize).entrySet()) {
        String name = layer.getKey();
        long[] shape = layer.getValue();
        float[][] wb = weights.get(name, shape);
        if (name.startsWith("block")) {
          x = net.conv(name, x, wb[0], shape, wb[1], 1, "SAME", true);
          int block = name.charAt(5) - '0';
          if (name.endsWith("_conv" + BLOCKS[block - 1][1])) {
            x = net.maxPool("block" + block + "_pool", x, 2, 2, false);
          }
        } else {
          if (name.equals("fc1")) {
            x = net.flatten("flatten", x);
          }
          x = net.dense(name, x, wb[0], shape, wb[1], !name.equals("predictions"));
        }
      }
      return net.build(NAME, spec(inputSize), input, x);
    } catch (IOException | RuntimeException e) {
      net.close(); // its session holds the graph open
      graph.close();
      throw e;
    }
  }
}
