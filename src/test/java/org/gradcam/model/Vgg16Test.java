package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vgg16Test {
  @TempDir Path tmp;

  @Test
  void architectureMatchesKeras() {
    try (Model vgg = Vgg16.random(1)) {
      // Keras VGG16(include_top=True).count_params()
      assertThat(vgg.parameterCount()).isEqualTo(138_357_544L);
      assertThat(vgg.layer("block5_conv3").outputShape()).containsExactly(14, 14, 512);
      assertThat(vgg.layer("block5_pool").outputShape()).containsExactly(7, 7, 512);
      assertThat(vgg.targetLayers()).startsWith("block1_conv1", "block1_conv2", "block1_pool")
          .doesNotContain("fc1", "predictions", "input_1");
      assertThat(vgg.numClasses()).isEqualTo(1000);
    }
  }

  @Test
  void kerasPreprocessInputIsCaffeMode() {
    float[] rgb = {10, 20, 30, 255, 0, 128};
    float[] out = Vgg16.preprocessInput(rgb, 1, 2);
    assertThat(out).containsExactly(30 - 103.939f, 20 - 116.779f, 10 - 123.68f,
        128 - 103.939f, 0 - 116.779f, 255 - 123.68f);
  }

  /** Writes random weights in the old Keras layout, loads them back through the real loader. */
  @Test
  void loadsKerasH5WeightsAndForwardPassAgrees() throws Exception {
    Path h5 = tmp.resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
    long seed = 42;
    writeKerasWeights(h5, LayerWeights.random(seed), Vgg16.kernelShapes(), true);
    float[] image = new float[224 * 224 * 3];
    Random rnd = new Random(3);
    for (int i = 0; i < image.length; i++) {
      image[i] = rnd.nextFloat() * 255 - 120;
    }
    float[] direct;
    try (Model reference = Vgg16.build(LayerWeights.random(seed))) {
      direct = reference.logits(image, 1);
    }
    try (Model loaded = Vgg16.load(h5)) {
      assertThat(loaded.summary()).extracting(LayerInfo::name).contains("block5_conv3", "fc2");
      assertThat(loaded.logits(image, 1)).containsExactly(direct);
    }
  }

  @Test
  void readsTheNewerKerasNaming() throws Exception {
    Path h5 = tmp.resolve("new.h5");
    long[] shape = {3, 3, 3, 64};
    writeKerasWeights(h5, LayerWeights.random(5), Map.of("block1_conv1", shape), false);
    try (KerasH5Weights weights = new KerasH5Weights(h5)) {
      float[][] wb = weights.get("block1_conv1", shape);
      assertThat(wb[0]).containsExactly(LayerWeights.random(5).get("block1_conv1", shape)[0]);
      assertThat(wb[1]).hasSize(64);
      assertThatThrownBy(() -> weights.get("block1_conv1", new long[] {3, 3, 3, 32}))
          .hasMessageContaining("has shape [3, 3, 3, 64], expected [3, 3, 3, 32]");
      assertThatThrownBy(() -> weights.get("fc1", new long[] {25088, 4096}))
          .hasMessageContaining("no weights for layer 'fc1'");
    }
  }

  @Test
  void missingCorruptOrTruncatedFilesAreClearErrors() throws Exception {
    assertThatThrownBy(() -> Vgg16.load(tmp.resolve("absent.h5")))
        .isInstanceOf(IOException.class).hasMessageContaining("No such weights file");
    Path junk = tmp.resolve("junk.h5");
    Files.writeString(junk, "this is not HDF5");
    assertThatThrownBy(() -> Vgg16.load(junk)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a readable HDF5 weights file");
    Path full = tmp.resolve("full.h5");
    long[] shape = {3, 3, 3, 64};
    writeKerasWeights(full, LayerWeights.random(5), Map.of("block1_conv1", shape), true);
    byte[] bytes = Files.readAllBytes(full);
    Path truncated = tmp.resolve("truncated.h5");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> {
      try (KerasH5Weights w = new KerasH5Weights(truncated)) {
        w.get("block1_conv1", shape);
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("truncated");
  }

  /** Keras save_weights layout: layer groups, weight_names attributes, kernel then bias. */
  static void writeKerasWeights(Path file, LayerWeights weights, Map<String, long[]> layers,
      boolean oldNaming) throws IOException {
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      hdf.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
      for (var e : layers.entrySet()) {
        String name = e.getKey();
        long[] shape = e.getValue();
        float[][] wb = weights.get(name, shape);
        WritableGroup layer = hdf.putGroup(name);
        String kernel = oldNaming ? name + "_W_1:0" : "kernel:0";
        String bias = oldNaming ? name + "_b_1:0" : "bias:0";
        WritableGroup holder = oldNaming ? layer : layer.putGroup(name);
        String prefix = oldNaming ? "" : name + "/";
        holder.putDataset(kernel, reshape(wb[0], shape));
        holder.putDataset(bias, wb[1]);
        layer.putAttribute("weight_names", new String[] {prefix + kernel, prefix + bias});
      }
    }
  }

  static Object reshape(float[] flat, long[] shape) {
    if (shape.length == 2) {
      float[][] out = new float[(int) shape[0]][(int) shape[1]];
      for (int i = 0; i < out.length; i++) {
        System.arraycopy(flat, i * out[i].length, out[i], 0, out[i].length);
      }
      return out;
    }
    float[][][][] out = new float[(int) shape[0]][(int) shape[1]][(int) shape[2]][(int) shape[3]];
    int k = 0;
    for (float[][][] a : out) {
      for (float[][] b : a) {
        for (float[] c : b) {
          System.arraycopy(flat, k, c, 0, c.length);
          k += c.length;
        }
      }
    }
    return out;
  }
}
