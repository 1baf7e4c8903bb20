package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import org.gradcam.model.onnx.OnnxScopes.Kind;
import org.gradcam.model.onnx.OnnxScopes.Scope;
import org.junit.jupiter.api.Test;

/** OnnxScopes on small hand-built graphs named the way torch.onnx.export names nodes. */
class OnnxScopesTest {

  /** A graph builder: nodes named "/scope/.../Op", outputs "&lt;name&gt;_output_0". */
  private static final class G {
    final OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder()
        .addInput(value("input"));

    G weight(String name) {
      g.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name).addDims(1)
          .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(1f));
      return this;
    }

    /** Adds node {@code name} of type {@code op} reading {@code inputs}; returns its output. */
    String node(String name, String op, String... inputs) {
      return node(name, op, 1, inputs).get(0);
    }

    List<String> node(String name, String op, int outputs, String... inputs) {
      OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op);
      for (String in : inputs) {
        n.addInput(in);
      }
      List<String> outs = new java.util.ArrayList<>();
      for (int i = 0; i < outputs; i++) {
        outs.add(name + "_output_" + i);
        n.addOutput(name + "_output_" + i);
      }
      g.addNode(n);
      return outs;
    }

    OnnxScopes scopes(String... outputs) {
      for (String o : outputs) {
        g.addOutput(value(o));
      }
      return OnnxScopes.of(g.build());
    }

    static OnnxMl.ValueInfoProto value(String name) {
      return OnnxMl.ValueInfoProto.newBuilder().setName(name).build();
    }
  }

  /**
   * A two-block ResNet stage as torch 1.13 writes it: the residual Add reads the block's input,
   * produced outside the block, and the block's relu module is called twice (relu, relu_1).
   */
  private static OnnxScopes resnetStage() {
    G g = new G();
    g.weight("w");
    String stem = g.node("/conv1/Conv", "Conv", "input", "w");
    String x = g.node("/relu/Relu", "Relu", stem);
    for (int b = 0; b < 2; b++) {
      String p = "/layer1/layer1." + b;
      String c1 = g.node(p + "/conv1/Conv", "Conv", x, "w");
      String r = g.node(p + "/relu/Relu", "Relu", c1);
      String c2 = g.node(p + "/conv2/Conv", "Conv", r, "w");
      String add = g.node(p + "/Add", "Add", c2, x);
      x = g.node(p + "/relu_1/Relu", "Relu", add);
    }
    String pool = g.node("/avgpool/GlobalAveragePool", "GlobalAveragePool", x);
    String flat = g.node("/Flatten", "Flatten", pool);
    String fc = g.node("/fc/Gemm", "Gemm", flat, "w", "w");
    return g.scopes(fc);
  }

  @Test
  void nestedScopesGetTorchModulePaths() {
    OnnxScopes s = resnetStage();
    assertThat(s.scopes()).extracting(Scope::path).containsExactly(
        "/conv1", "/relu", "/layer1", "/layer1/layer1.0", "/layer1/layer1.0/conv1",
        "/layer1/layer1.0/relu", "/layer1/layer1.0/conv2", "/layer1/layer1.0/relu_1",
        "/layer1/layer1.1", "/layer1/layer1.1/conv1", "/layer1/layer1.1/relu",
        "/layer1/layer1.1/conv2", "/layer1/layer1.1/relu_1", "/avgpool", "/fc");
    assertThat(s.scopes()).extracting(Scope::module).containsExactly(
        "conv1", "relu", "layer1", "layer1.0", "layer1.0.conv1", "layer1.0.relu",
        "layer1.0.conv2", "layer1.0.relu", "layer1.1", "layer1.1.conv1", "layer1.1.relu",
        "layer1.1.conv2", "layer1.1.relu", "avgpool", "fc");
    Scope second = s.scopes().get(7);
    assertThat(second.call()).isEqualTo(1);
    assertThat(second.name()).isEqualTo("layer1.0.relu_1");
    assertThat(s.scopes().get(2).nodes()).isEqualTo(10);
  }

  @Test
  void moduleOutputIsProducedInsideAndConsumedOutside() {
    OnnxScopes s = resnetStage();
    assertThat(s.resolve("layer1").tensor()).isEqualTo("/layer1/layer1.1/relu_1/Relu_output_0");
    assertThat(s.resolve("layer1.0").tensor())
        .isEqualTo("/layer1/layer1.0/relu_1/Relu_output_0");
    // conv1's output is read by relu, which lies outside conv1's scope though inside the block.
    assertThat(s.resolve("layer1.1.conv1").tensor())
        .isEqualTo("/layer1/layer1.1/conv1/Conv_output_0");
    assertThat(s.resolve("layer1").kind()).isEqualTo(Kind.MODULE);
    assertThat(s.resolve("fc").tensor()).isEqualTo("/fc/Gemm_output_0"); // a graph output
  }

  @Test
  void residualInputFromOutsideIsNotAnOutput() {
    OnnxScopes s = resnetStage();
    // layer1.1 reads layer1.0's output twice (conv1 and the residual Add); neither makes it an
    // output of layer1.1, and the Add inside layer1.0 reading the stem is no output of layer1.
    Scope block = s.scopes().stream().filter(c -> c.path().equals("/layer1/layer1.1"))
        .findFirst().orElseThrow();
    assertThat(block.outputs()).containsExactly("/layer1/layer1.1/relu_1/Relu_output_0");
    assertThat(s.scopes().get(2).outputs())
        .containsExactly("/layer1/layer1.1/relu_1/Relu_output_0");
    // The stem's relu output leaves /relu (read by layer1.0's conv1 and Add).
    assertThat(s.resolve("relu").tensor()).isEqualTo("/relu/Relu_output_0");
  }

  @Test
  void moduleCalledTwiceIsAmbiguousButEachCallHasAName() {
    OnnxScopes s = resnetStage();
    assertThatThrownBy(() -> s.resolve("layer1.0.relu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("called 2 times")
        .hasMessageContaining("layer1.0.relu, layer1.0.relu_1");
    assertThat(s.resolve("layer1.0.relu_1").tensor())
        .isEqualTo("/layer1/layer1.0/relu_1/Relu_output_0");
    assertThat(s.resolve("/layer1/layer1.0/relu").tensor())
        .isEqualTo("/layer1/layer1.0/relu/Relu_output_0");
    assertThat(s.resolve("/layer1/layer1.0/relu").kind()).isEqualTo(Kind.SCOPE_PATH);
    assertThat(s.resolve("layer1/layer1.0/").tensor())
        .isEqualTo("/layer1/layer1.0/relu_1/Relu_output_0");
  }

  @Test
  void exactNodeAndTensorNames() {
    OnnxScopes s = resnetStage();
    assertThat(s.resolve("/layer1/layer1.0/Add").tensor())
        .isEqualTo("/layer1/layer1.0/Add_output_0");
    assertThat(s.resolve("/layer1/layer1.0/Add").kind()).isEqualTo(Kind.NODE);
    assertThat(s.resolve("/layer1/layer1.0/conv2/Conv_output_0").kind()).isEqualTo(Kind.TENSOR);
    assertThat(s.resolve("input").tensor()).isEqualTo("input");
    assertThatThrownBy(() -> s.resolve("w")).hasMessageContaining("weight");
  }

  @Test
  void unknownNameListsNearCandidates() {
    OnnxScopes s = resnetStage();
    assertThatThrownBy(() -> s.resolve("layer2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no module, node or tensor named 'layer2'")
        .hasMessageContaining("near: layer1");
    assertThatThrownBy(() -> s.resolve("layer1.1.cnv2")).hasMessageContaining("layer1.1.conv2");
    assertThatThrownBy(() -> s.resolve("classifier"))
        .hasMessageContaining("top-level modules: conv1, relu, layer1, avgpool, fc");
  }

  @Test
  void scopeWithTwoOutputsIsAClearError() {
    G g = new G();
    List<String> halves = g.node("/split/Split", "Split", 2, "input");
    String a = g.node("/left/Relu", "Relu", halves.get(0));
    String b = g.node("/right/Relu", "Relu", halves.get(1));
    OnnxScopes s = g.scopes(g.node("/Add", "Add", a, b));
    assertThatThrownBy(() -> s.resolve("split"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("module split has 2 outputs")
        .hasMessageContaining("/split/Split_output_0, /split/Split_output_1");
    assertThatThrownBy(() -> s.resolve("/split/Split"))
        .hasMessageContaining("node '/split/Split' has 2 outputs");
    assertThat(s.resolve("/split/Split_output_1").tensor()).isEqualTo("/split/Split_output_1");
  }

  @Test
  void numericAtomsKeepTheNearestName() {
    // EfficientNet: features.1.0.block.0.0 is written /features/features.1/features.1.0/block/
    // block.0/block.0.0; RegNet's trunk_output.block2 holds "block2-0" (no numeric atom).
    G g = new G();
    String c = g.node("/features/features.1/features.1.0/block/block.0/block.0.0/Conv", "Conv",
        "input");
    String r = g.node("/trunk_output/block2/block2-0/activation/Relu", "Relu", c);
    OnnxScopes s = g.scopes(r);
    assertThat(s.scopes()).extracting(Scope::module).containsExactly(
        "features", "features.1", "features.1.0", "features.1.0.block", "features.1.0.block.0",
        "features.1.0.block.0.0", "trunk_output", "trunk_output.block2",
        "trunk_output.block2.block2-0", "trunk_output.block2.block2-0.activation");
    assertThat(s.resolve("features.1.0.block").tensor()).isEqualTo(c);
  }

  @Test
  void shapeArithmeticAndConstantsLeavingAScopeAreNotLayers() {
    // A flatten inside a module whose shape computation is read outside it (as torch's dynamic
    // batch produces): only the data tensor is the module's output.
    G g = new G();
    String conv = g.node("/head/conv/Conv", "Conv", "input");
    String shape = g.node("/head/Shape", "Shape", conv);
    String k = g.node("/head/Constant", "Constant");
    String dim = g.node("/head/Gather", "Gather", shape, k);
    String reshaped = g.node("/Reshape", "Reshape", conv, dim);
    String scale = g.node("/Mul", "Mul", reshaped, k);
    OnnxScopes s = g.scopes(scale);
    assertThat(s.resolve("head").tensor()).isEqualTo("/head/conv/Conv_output_0");
    assertThat(s.scopes().get(0).outputs()).containsExactly("/head/conv/Conv_output_0");
  }

  @Test
  void graphsWithoutTorchScopesResolveByNodeAndTensorNames() {
    G g = new G();
    String conv = g.node("conv0", "Conv", "input");
    String relu = g.node("model/block1_conv1/Relu", "Relu", conv); // tf2onnx-style, no leading /
    OnnxScopes s = g.scopes(relu);
    assertThat(s.scopes()).isEmpty();
    assertThat(s.resolve("conv0").tensor()).isEqualTo("conv0_output_0");
    assertThat(s.resolve("model/block1_conv1/Relu").tensor()).isEqualTo(relu);
    assertThatThrownBy(() -> s.resolve("conv1")).hasMessageContaining("near: conv0, conv0_output_0");
  }
}
