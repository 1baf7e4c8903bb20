package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gradcam.model.onnx.OnnxTestGraphs.attr;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.gradcam.TestData;
import org.gradcam.model.onnx.OnnxTestGraphs.G;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of file the importer refuses is one clear error naming what is wrong. */
class OnnxImporterErrorsTest {
  @TempDir Path dir;

  private void refused(Path file, String... fragments) {
    assertThatThrownBy(() -> OnnxImporter.load(file, "m", (p, h, w) -> p, 1).close())
        .isInstanceOf(OnnxImportException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContainingAll(fragments);
  }

  private Path tiny(String name) throws IOException {
    G g = new G(3, 4, 4, 1);
    return g.write(dir, name, g.op("Flatten", List.of(g.op("GlobalAveragePool", List.of("x")))));
  }

  private Path edited(String name, UnaryOperator<OnnxMl.ModelProto.Builder> edit)
      throws IOException {
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(tiny(name + "-src")));
    Path file = dir.resolve(name + ".onnx");
    Files.write(file, edit.apply(m.toBuilder()).build().toByteArray());
    return file;
  }

  @Test
  void truncatedFile() throws IOException {
    byte[] bytes = Files.readAllBytes(OnnxRealModelsTest.PETS3);
    Path file = dir.resolve("truncated.onnx");
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    refused(file, "truncated");
  }

  @Test
  void notOnnx() throws IOException {
    Path text = dir.resolve("labels.onnx");
    Files.writeString(text, "Abyssinian\nBengal\n");
    refused(text, "not an ONNX model");
    Path jpeg = dir.resolve("photo.onnx");
    Files.copy(TestData.path("voc2007-test/JPEGImages/001150.jpg"), jpeg);
    refused(jpeg, "not an ONNX model");
    refused(dir.resolve("missing.onnx"), "no such model file");
  }

  @Test
  void unsupportedOpNamesOpNodeAndOpset() throws IOException {
    G g = new G(3, 4, 4, 1);
    String e = g.op("Einsum", List.of("x"), attr("equation", "nchw->nchw"));
    Path file = g.write(dir, "einsum", g.op("Flatten", List.of(e)));
    refused(file, "unsupported op Einsum", "node '/Einsum_1'", "opset 13");
  }

  @Test
  void layerNormalizationBeforeOpset17() throws IOException {
    G g = new G(3, 4, 4, 1);
    String ln = g.op("LayerNormalization", List.of("x", g.weight(4), g.weight(4)));
    refused(g.write(dir, "ln13", g.op("Flatten", List.of(ln))),
        "LayerNormalization before opset 17", "opset 13");
  }

  @Test
  void outputThatIsNoClassifierOutputNamesItsShape() throws IOException {
    G g = new G(3, 4, 4, 1);
    refused(g.write(dir, "map", g.op("Relu", List.of("x"))), "has shape [-1, 3, 4, 4]",
        "a classifier's output must be [batch, classes]");
  }

  @Test
  void unsupportedAttributeValue() throws IOException {
    G g = new G(3, 4, 4, 1);
    String p = g.op("Pad", List.of("x", g.ints1(0, 0, 1, 1, 0, 0, 1, 1)), attr("mode", "edge"));
    refused(g.write(dir, "edge", g.op("Flatten", List.of(p))), "Pad mode 'edge'", "op Pad");
  }

  @Test
  void unsupportedOpset() throws IOException {
    refused(edited("opset19", m -> m.setOpsetImport(0,
        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(19))),
        "opset 19 is not supported", "7 to 17");
  }

  @Test
  void inputNotFloatOrNot4dOrDynamicSize() throws IOException {
    refused(edited("int-input", m -> {
      m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
          .setElemType(OnnxMl.TensorProto.DataType.INT64_VALUE);
      return m;
    }), "input 'input'", "int64", "only float32");
    refused(edited("2d-input", m -> {
      m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
          .getShapeBuilder().removeDim(3).removeDim(2);
      return m;
    }), "2 dimensions", "4-D");
    refused(edited("dynamic-height", m -> {
      m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
          .getShapeBuilder().getDimBuilder(2).clearDimValue().setDimParam("height");
      return m;
    }), "dynamic height axis", "[N, 3, height, 4]", "fixed input size");
  }

  @Test
  void outputNotAMatrix() throws IOException {
    G g = new G(3, 4, 4, 1);
    refused(g.write(dir, "map", g.op("Relu", List.of("x"))), "[batch, classes]");
  }
}
