package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.model.LayerWeights;
import org.gradcam.model.Vgg16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --weights}: a user's weights in a built-in architecture, no digest check. */
class ExplainWeightsOptionTest extends CliTest {
  static final Path SQUEEZENET = TestData.path("models/squeezenet1.1/weights");
  static final Path REFERENCE_INPUT =
      TestData.path("models/squeezenet1.1/test_data_set/0/input_0.npy");
  @TempDir Path tmp;

  @Test
  void squeezeNetWeightsFromADirectoryGiveTheBuiltInResultAndSaySoOnStderrAndInJson()
      throws Exception {
    Run builtIn = kept("explain", "--input-npy",
        REFERENCE_INPUT.toString(), "--out", tmp.resolve("a.png").toString(), "--heatmap-out",
        tmp.resolve("a.npy").toString(), "--json");
    assertThat(builtIn.exit()).as(builtIn.err()).isZero();
    Run user = kept("explain", "--input-npy",
        REFERENCE_INPUT.toString(), "--weights", SQUEEZENET.toString(), "--out",
        tmp.resolve("b.png").toString(), "--heatmap-out", tmp.resolve("b.npy").toString(),
        "--json");
    assertThat(user.exit()).as(user.err()).isZero();
    assertThat(user.err()).contains("note: squeezenet1.1 weights from user file " + SQUEEZENET
        + ", digest not checked");
    assertThat(builtIn.err()).doesNotContain("digest not checked");
    assertSameMaps(builtIn.out(), user.out(), SQUEEZENET, tmp.resolve("a.npy"),
        tmp.resolve("b.npy"));
  }

  /**
   * A random-weight VGG16 written by this test in the Keras layout (Keras 2 names,
   * {@code block1_conv1/kernel:0}) gives exactly what the same weights give through
   * {@code --random-weights}, the existing path.
   */
  @Test
  void vgg16WeightsFromAKerasH5GiveTheSameMapAsTheSameWeightsBuiltIn() throws Exception {
    long seed = 11;
    Path h5 = tmp.resolve("finetuned_vgg16.h5");
    writeKerasWeights(h5, LayerWeights.random(seed), Vgg16.kernelShapes());
    float[] x = new float[224 * 224 * 3];
    Random rnd = new Random(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat() * 255 - 120;
    }
    Path input = tmp.resolve("x.npy");
    Npy.writeFloat32(input, x, 1, 224, 224, 3);
    Run random = kept("explain", "--model", "vgg16",
        "--random-weights", Long.toString(seed), "--input-npy", input.toString(), "--out",
        tmp.resolve("a.png").toString(), "--heatmap-out", tmp.resolve("a.npy").toString(),
        "--json");
    assertThat(random.exit()).as(random.err()).isZero();
    Run user = kept("explain", "--model", "vgg16",
        "--weights", h5.toString(), "--input-npy", input.toString(), "--out",
        tmp.resolve("b.png").toString(), "--heatmap-out", tmp.resolve("b.npy").toString(),
        "--json");
    assertThat(user.exit()).as(user.err()).isZero();
    assertThat(user.err()).contains("user file " + h5 + ", digest not checked");
    assertSameMaps(random.out(), user.out(), h5, tmp.resolve("a.npy"), tmp.resolve("b.npy"));
  }

  @Test
  void wrongShapesMissingLayersAndUnsupportedModelsAreOneErrorLineAndWriteNothing()
      throws Exception {
    long[] conv1 = Vgg16.kernelShapes().get("block1_conv1");
    Path missing = tmp.resolve("missing.h5");
    writeKerasWeights(missing, LayerWeights.random(1), Map.of("block1_conv1", conv1));
    assertError("has no weights for layer 'block1_conv2'", "--model", "vgg16", "--weights",
        missing.toString());
    Path wrong = tmp.resolve("wrong.h5");
    writeKerasWeights(wrong, LayerWeights.random(1),
        Map.of("block1_conv1", new long[] {3, 3, 3, 32}));
    assertError("has shape [3, 3, 3, 32], expected [3, 3, 3, 64]", "--model", "vgg16",
        "--weights", wrong.toString());
    assertError("no such file", "--model", "vgg16", "--weights",
        tmp.resolve("absent.h5").toString());
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertError("No such .npy file", "--weights", empty.toString());
    assertError("own weights are supported for vgg16 (Keras HDF5) and squeezenet1.1 (.npy "
        + "directory), not for model 'mobilenet_v2'", "--model", "mobilenet_v2", "--weights",
        wrong.toString());
    assertError("--weights and --random-weights exclude each other", "--model", "vgg16",
        "--weights", wrong.toString(), "--random-weights", "1");
  }

  private void assertError(String message, String... options) throws IOException {
    Path never = tmp.resolve("never.png");
    String[] args = new String[options.length + 5];
    System.arraycopy(new String[] {"explain", "--input-npy", REFERENCE_INPUT.toString(), "--out",
        never.toString()}, 0, args, 0, 5);
    System.arraycopy(options, 0, args, 5, options.length);
    assertOneLineError(run(args), message);
    assertThat(never).doesNotExist();
  }

  /** The same JSON line but for the weights note, and the same raw map bytes. */
  private static void assertSameMaps(String reference, String user, Path weights, Path refMap,
      Path userMap) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(reference);
    ObjectNode b = (ObjectNode) json.readTree(user);
    assertThat(a.has("weights")).isFalse();
    assertThat(b.get("weights").asText()).isEqualTo("user file " + weights
        + ", digest not checked");
    b.remove("weights");
    ((ObjectNode) a).remove("overlay");
    b.remove("overlay");
    assertThat(b).isEqualTo(a);
    assertThat(Files.readAllBytes(userMap)).isEqualTo(Files.readAllBytes(refMap));
  }

  /** Keras 2 {@code save_weights} layout: {@code <layer>/<layer>/kernel:0}, weight_names. */
  static void writeKerasWeights(Path file, LayerWeights weights, Map<String, long[]> layers)
      throws IOException {
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      hdf.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
      for (var e : layers.entrySet()) {
        String name = e.getKey();
        float[][] wb = weights.get(name, e.getValue());
        WritableGroup layer = hdf.putGroup(name);
        WritableGroup holder = layer.putGroup(name);
        holder.putDataset("kernel:0", reshape(wb[0], e.getValue()));
        holder.putDataset("bias:0", wb[1]);
        layer.putAttribute("weight_names", new String[] {name + "/kernel:0", name + "/bias:0"});
      }
    }
  }

  private static Object reshape(float[] flat, long[] shape) {
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
