package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.image.Images;
import org.gradcam.image.Resize;
import org.gradcam.model.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain} and {@code layers} on a user's ONNX file, and its bad-file errors. */
class OnnxModelCommandsTest extends CliTest {
  static final Path PETS3_DIR = TestData.path("models/pets3-squeezenet");
  static final String PETS3 = PETS3_DIR.resolve("model.onnx").toString();
  static final String LABELS = PETS3_DIR.resolve("labels.txt").toString();
  static final String SQUEEZENET_ONNX =
      TestData.path("models/squeezenet1.1-onnx/squeezenet1.1.onnx").toString();
  static final Path BENGAL = TestData.path("oxford-iiit-pet-3class/test/Bengal/Bengal_1.jpg");

  @TempDir Path tmp;

  @Test
  void explainJsonHasLabelsLogitsOfOnnxRuntimeAndTheContract() throws Exception {
    Path png = tmp.resolve("b.png");
    Path npy = tmp.resolve("b.npy");
    assertThat(run("explain", "--model", PETS3, "--labels", LABELS, "--preprocess", "torch",
        "--resize", "bilinear", "--image", BENGAL.toString(), "--out", png.toString(),
        "--heatmap-out", npy.toString(), "--json")).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("model").asText()).isEqualTo(PETS3);
    assertThat(json.get("layer").asText()).isEqualTo("/classifier/classifier.2/Relu_output_0");
    JsonNode top = json.get("top5");
    assertThat(top).hasSize(3); // only 3 classes
    // The same photo through ONNX Runtime with the model's documented preprocessing.
    float[] x = Preprocessing.of("torch", 3, null, null).preprocessor(true).apply(
        Images.toHwcFloats(Resize.resize(Images.read(BENGAL), 224, 224,
            Resize.Interpolation.BILINEAR)), 224, 224);
    float[] ort = ort(PETS3, x);
    double sum = 0;
    for (JsonNode p : top) {
      int i = p.get("index").asInt();
      assertThat(p.get("label").asText()).isEqualTo(
          Files.readAllLines(Path.of(LABELS)).get(i));
      assertThat(p.get("logit").asDouble()).isCloseTo(ort[i],
          org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(ort[i]))));
      sum += p.get("probability").asDouble();
    }
    assertThat(sum).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(top.get(0).get("label").asText()).isEqualTo("Bengal");
    assertThat(json.get("target").get("label").asText()).isEqualTo("Bengal");
    assertThat(json.get("input").toString())
        .isEqualTo("{\"height\":224,\"width\":224,\"channels\":3,\"layout\":\"NCHW\"}");
    assertThat(json.get("preprocess").get("preset").asText()).isEqualTo("torch");
    assertThat(Npy.read(npy).shape()).containsExactly(13, 13);
    assertThat(Images.read(png).getWidth()).isEqualTo(Images.read(BENGAL).getWidth());
  }

  @Test
  void inputNpyIsNchwAndTheRawMapEqualsTheBuiltInSqueezeNets() throws Exception {
    // The mirror's SqueezeNet as ONNX and the hand-built one share their weights: at fire9
    // (torch's features.12 Concat) their Grad-CAM maps must agree.
    String input = TestData.path("models/squeezenet1.1/test_data_set/0/input_0.npy").toString();
    assertThat(Npy.read(Path.of(input)).shape()).containsExactly(1, 3, 224, 224);
    Path onnxMap = tmp.resolve("onnx.npy");
    Path builtInMap = tmp.resolve("builtin.npy");
    assertThat(run("explain", "--model", SQUEEZENET_ONNX, "--input-npy", input,
        "--layer", "/features/features.12/Concat_output_0", "--out", tmp.resolve("o.png")
            .toString(), "--heatmap-out", onnxMap.toString())).as(err.toString()).isZero();
    assertThat(run("explain", "--input-npy", input, "--layer", "fire9", "--out",
        tmp.resolve("b.png").toString(), "--heatmap-out", builtInMap.toString()))
        .as(err.toString()).isZero();
    double[] a = Npy.read(onnxMap).values();
    double[] b = Npy.read(builtInMap).values();
    assertThat(Npy.read(onnxMap).shape()).containsExactly(13, 13);
    double max = Arrays.stream(b).max().orElseThrow();
    assertThat(max).isGreaterThan(0);
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i] / max).as("map value " + i)
          .isCloseTo(b[i] / max, org.assertj.core.data.Offset.offset(1e-3));
    }
    // An ONNX model's input is NCHW: an NHWC tensor is refused with both shapes named.
    Path nhwc = tmp.resolve("nhwc.npy");
    Npy.writeFloat32(nhwc, new float[224 * 224 * 3], 1, 224, 224, 3);
    assertThat(run("explain", "--model", SQUEEZENET_ONNX, "--input-npy", nhwc.toString(),
        "--out", tmp.resolve("n.png").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("[1, 224, 224, 3]")
        .contains("[1, 3, 224, 224]");
  }

  @Test
  void layerByPyTorchModulePathOrNodeNameIsTheSameMapAsByTensorName() throws Exception {
    String input = TestData.path("models/squeezenet1.1/test_data_set/0/input_0.npy").toString();
    String tensor = "/features/features.12/Concat_output_0";
    byte[] expected = null;
    for (String name : List.of(tensor, "features.12", "/features/features.12",
        "/features/features.12/Concat")) {
      Path map = tmp.resolve("m" + name.hashCode() + ".npy");
      assertThat(run("explain", "--model", SQUEEZENET_ONNX, "--input-npy", input, "--layer",
          name, "--out", tmp.resolve("m.png").toString(), "--heatmap-out", map.toString(),
          "--json")).as(err.toString()).isZero();
      assertThat(new ObjectMapper().readTree(out.toString()).get("layer").asText())
          .isEqualTo(tensor);
      byte[] bytes = Files.readAllBytes(map);
      if (expected == null) {
        expected = bytes;
      }
      assertThat(bytes).as(name).isEqualTo(expected);
    }
    assertThat(run("explain", "--model", SQUEEZENET_ONNX, "--input-npy", input, "--layer",
        "features.99", "--out", tmp.resolve("x.png").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("features.99");
    assertThat(tmp.resolve("x.png")).doesNotExist();
  }

  @Test
  void layersListsNamesOpsShapesParamsCandidatesAndTheDefault() {
    assertThat(run("layers", "--model", PETS3)).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(text).contains("input 224x224x3 (NCHW), 3 classes");
    // features.0 is Conv2d(3, 64, 3): 64 * 3 * 3 * 3 weights + 64 biases.
    assertThat(line(text, "/features/features.0/Conv_output_0 "))
        .contains("Conv").contains("[111, 111, 64]").contains("1,792").contains("candidate");
    assertThat(line(text, "/classifier/classifier.2/Relu_output_0 "))
        .contains("[13, 13, 3]").contains("candidate, default");
    assertThat(line(text, "logits ")).contains("[3]").doesNotContain("candidate");
    assertThat(run("layers")).isZero();
    assertThat(line(out.toString(), "fire9 ")).contains("candidate, default");
  }

  @Test
  void badModelFilesAreOneErrorLineAndWriteNothing() throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(PETS3));
    Path truncated = tmp.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
    Path text = tmp.resolve("text.onnx");
    Files.writeString(text, "not a model\n");
    Path twoLabels = tmp.resolve("two.txt");
    Files.writeString(twoLabels, "cat\ndog\n");
    Path outDir = tmp.resolve("out");
    Files.createDirectories(outDir);
    String[][] cases = {
        {"--model", truncated.toString()},
        {"--model", text.toString()},
        {"--model", tmp.resolve("missing.onnx").toString()},
        {"--model", PETS3, "--labels", twoLabels.toString()},
        {"--model", PETS3, "--preprocess", "imagenet"},
        {"--model", PETS3, "--mean", "0.5,0.5"},
        {"--model", "squeezenet1.1", "--preprocess", "tf"},
    };
    String[] messages = {"truncated", "not an ONNX model", "no such model file",
        "2 labels for model", "Invalid value for option '--preprocess': expected one of [torch, "
            + "caffe, tf, raw01, raw255] (case-insensitive) but was 'imagenet'",
        "the mean and std need 3 values (one per input channel), got 2 and 3",
        "keeps its own preprocessing"};
    for (int i = 0; i < cases.length; i++) {
      String[] args = Stream.concat(Stream.of("explain", "--image", BENGAL.toString(), "--out",
          outDir.resolve("x.png").toString(), "--heatmap-out", outDir.resolve("x.npy").toString()),
          Arrays.stream(cases[i])).toArray(String[]::new);
      assertThat(run(args)).as(Arrays.toString(cases[i])).isEqualTo(2);
      assertThat(err.toString()).as(Arrays.toString(cases[i])).startsWith("error: ")
          .contains(messages[i]).doesNotContain("\tat ");
      assertThat(err.toString().strip().lines()).hasSize(1);
      try (Stream<Path> s = Files.list(outDir)) {
        assertThat(s).as("nothing written").isEmpty();
      }
    }
  }

  private static String line(String text, String start) {
    return text.lines().filter(l -> l.startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + text));
  }

  private static float[] ort(String model, float[] x) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 224, 224});
        OrtSession.Result r = s.run(Map.of("input", t))) {
      return ((float[][]) r.get(0).getValue())[0];
    }
  }
}
