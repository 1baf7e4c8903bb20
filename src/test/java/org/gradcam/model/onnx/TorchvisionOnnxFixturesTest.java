package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradcam.model.onnx.TorchvisionFixtures.Fixture;
import org.gradcam.model.onnx.TorchvisionFixtures.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The torchvision fixtures against ONNX Runtime, the independent oracle: ORT's logits on each
 * exported file equal PyTorch's, {@link OnnxScopes} resolves each module path to the tensor
 * that, fetched from ORT as an extra graph output, equals PyTorch's forward-hook activations.
 */
class TorchvisionOnnxFixturesTest {
  private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

  static List<Fixture> fixtures() {
    return TorchvisionFixtures.all();
  }

  @Test
  void everyArchitectureOfIssue9IsCovered() {
    assertThat(fixtures()).extracting(Fixture::architecture).contains("resnet18", "resnext50",
        "densenet", "efficientnet", "mobilenet_v2", "mobilenet_v3", "vgg", "alexnet",
        "squeezenet1_1", "squeezenet1_0", "googlenet", "inception_v3", "shufflenet_v2",
        "regnet_y", "convnext");
    assertThat(fixtures()).extracting(Fixture::opset).contains(11, 13, 17);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fileIsWhatTheManifestSays(Fixture f) throws IOException {
    OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(f.model()));
    OnnxMl.GraphProto g = model.getGraph();
    assertThat(model.getOpsetImportList()).anyMatch(
        o -> o.getDomain().isEmpty() && o.getVersion() == f.opset());
    assertThat(g.getNodeList()).extracting(OnnxMl.NodeProto::getOpType).containsAll(f.opTypes());
    OnnxMl.TensorShapeProto in = g.getInput(0).getType().getTensorType().getShape();
    assertThat(g.getInput(0).getName()).isEqualTo("input");
    assertThat(in.getDim(0).getDimParam()).as("dynamic batch axis").isNotEmpty();
    for (int d = 1; d < 4; d++) {
      assertThat(in.getDim(d).getDimValue()).isEqualTo(f.inputShape()[d]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void ortLogitsEqualPyTorch(Fixture f) throws Exception {
    float[] x = f.inputValues();
    float[] expected = f.logitValues();
    try (OrtSession s = session(Files.readAllBytes(f.model()))) {
      float[] logits = run(s, x, f.inputShape(), Set.of("logits")).get("logits");
      assertClose(f + " logits", logits, expected, 1e-4);
      assertThat(argmaxRows(logits, 2)).containsExactly(f.top1());
      // The dynamic batch axis: the second image alone gives its row of the batch.
      long[] one = f.inputShape().clone();
      one[0] = 1;
      float[] second = Arrays.copyOfRange(x, x.length / 2, x.length);
      float[] alone = run(s, second, one, Set.of("logits")).get("logits");
      assertClose(f + " logits of image 1 alone", alone,
          Arrays.copyOfRange(expected, expected.length / 2, expected.length), 1e-4);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void modulePathsResolveToTensorsEqualToPyTorchActivations(Fixture f) throws Exception {
    OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(f.model()));
    OnnxScopes scopes = OnnxScopes.of(model.getGraph());
    Set<String> wanted = new LinkedHashSet<>();
    for (Layer l : f.layers()) {
      if (l.module() != null) {
        assertThat(scopes.resolve(l.module()).tensor()).as(f + " " + l.module())
            .isEqualTo(l.tensor());
      }
      assertThat(scopes.resolve(l.tensor()).kind()).isEqualTo(OnnxScopes.Kind.TENSOR);
      wanted.add(l.tensor());
    }
    // Expose the layers as extra graph outputs, the tensors ORT then computes are the oracle.
    OnnxMl.ModelProto.Builder b = model.toBuilder();
    for (String t : wanted) {
      b.getGraphBuilder().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(t).setType(
          OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
              .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
    }
    try (OrtSession s = session(b.build().toByteArray())) {
      Map<String, float[]> out = run(s, f.inputValues(), f.inputShape(), wanted);
      for (Layer l : f.layers()) {
        float[] expected = TorchvisionFixtures.read(l.activations()).floats();
        assertThat(TorchvisionFixtures.read(l.activations()).shape()).containsExactly(l.shape());
        assertClose(f + " " + l.key() + " = " + l.tensor(), out.get(l.tensor()), expected,
            1e-4);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void defaultLayerIsAModuleOutputWhereItIsOne(Fixture f) throws IOException {
    // The manifest's default is the tensor feeding the pool; where it is a module's output,
    // the module path names it too (DenseNet's default follows a functional ReLU: no module).
    Layer d = f.layers().stream().filter(Layer::isDefault).findFirst().orElseThrow();
    OnnxScopes scopes = OnnxScopes.of(OnnxMl.ModelProto.parseFrom(
        Files.readAllBytes(f.model())).getGraph());
    if (d.module() == null) {
      assertThat(scopes.scopes()).noneMatch(s -> s.outputs().equals(List.of(d.tensor())));
    } else {
      assertThat(scopes.resolve(d.module()).scope().outputs()).containsExactly(d.tensor());
    }
    assertThat(d.shape()).hasSize(4);
    assertThat(d.shape()[2] * d.shape()[3]).isGreaterThan(1);
  }

  private static OrtSession session(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1); // the machine is shared
      o.setInterOpNumThreads(1);
      // An oracle runs the graph as written: ORT 1.20's PadFusion (on from BASIC_OPT) folds
      // torch's Pad + AveragePool (count_include_pad) into one AveragePool that then excludes
      // the padding, so Inception V3's branch_pool comes out wrong (microsoft/onnxruntime
      // #22177, fixed by #23190 after 1.20).
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      return ORT.createSession(model, o);
    }
  }

  private static Map<String, float[]> run(OrtSession s, float[] x, long[] shape,
      Set<String> outputs) throws OrtException {
    try (OnnxTensor in = OnnxTensor.createTensor(ORT, FloatBuffer.wrap(x), shape);
        OrtSession.Result r = s.run(Map.of("input", in), outputs)) {
      Map<String, float[]> out = new LinkedHashMap<>();
      for (String name : outputs) {
        FloatBuffer fb = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        float[] v = new float[fb.remaining()];
        fb.get(v);
        out.put(name, v);
      }
      return out;
    }
  }

  /** Elementwise |a - e| <= tol * max(1, max |e|): float32 rounding of two implementations. */
  static void assertClose(String what, float[] actual, float[] expected, double tol) {
    assertThat(actual).as(what + " size").hasSameSizeAs(expected);
    double scale = 1;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(actual[i] - expected[i]);
      if (!(d <= worst)) {
        worst = d;
        at = i;
      }
    }
    assertThat(worst).as("%s: worst |diff| at %d (%s vs %s), scale %s", what, at,
        at < 0 ? "" : actual[at], at < 0 ? "" : expected[at], scale).isLessThanOrEqualTo(
        tol * scale);
  }

  static int[] argmaxRows(float[] v, int rows) {
    int k = v.length / rows;
    int[] out = new int[rows];
    for (int r = 0; r < rows; r++) {
      for (int j = 1; j < k; j++) {
        if (v[r * k + j] > v[r * k + out[r]]) {
          out[r] = j;
        }
      }
    }
    return out;
  }
}
