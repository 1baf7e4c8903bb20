package org.gradcam.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * The hand-written accessors behind {@link TfliteModel} against the classes flatc generated from
 * TensorFlow's own {@code schema.fbs} (package {@code org.tensorflow.lite.schema} of the Maven
 * artifact {@code org.tensorflow:tensorflow-lite-metadata}, a test dependency only): every field
 * we read, on the mirror's TFLite files.
 */
class TfliteGeneratedSchemaTest {
  static Stream<Path> files() {
    Path dir = TestData.path("models/mobilenet_v2_coral_tflite");
    return Stream.of("mobilenet_v2_1.0_224_quant.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite",
        "mobilenet_v1_0.75_192_quant.tflite").map(dir::resolve);
  }

  @ParameterizedTest
  @MethodSource("files")
  void handWrittenAccessorsReadWhatTheGeneratedClassesRead(Path file) throws Exception {
    assumeTrue(Files.isRegularFile(file), "no data mirror");
    TfliteModel ours = TfliteModel.read(file);
    // Model.ValidateVersion() is not called: it names the flatc release (23.5.26), which the
    // project's flatbuffers-java runtime (25.2.10) no longer lists; the accessors work.
    ModelT model = Model.getRootAsModel(ByteBuffer.wrap(Files.readAllBytes(file))).unpack();
    SubGraphT g = model.getSubgraphs()[0];

    assertThat(ours.version()).isEqualTo(model.getVersion());
    assertThat(ours.description()).isEqualTo(model.getDescription());
    assertThat(ours.inputs()).containsExactly(g.getInputs());
    assertThat(ours.outputs()).containsExactly(g.getOutputs());
    assertThat(ours.tensors()).hasSize(g.getTensors().length);
    for (int i = 0; i < g.getTensors().length; i++) {
      TensorT t = g.getTensors()[i];
      TfliteModel.Tensor o = ours.tensor(i);
      assertThat(o.name()).isEqualTo(t.getName());
      assertThat(o.shape()).as(o.name()).containsExactly(t.getShape());
      assertThat(o.type().name()).as(o.name()).isEqualTo(TensorType.name(t.getType()));
      assertThat((long) o.buffer()).as(o.name()).isEqualTo(t.getBuffer());
      int[] data = model.getBuffers()[(int) t.getBuffer()].getData(); // ubytes as ints
      byte[] bytes = ours.data(i);
      assertThat(bytes).as(o.name()).hasSize(data == null ? 0 : data.length);
      for (int j = 0; j < bytes.length; j++) {
        if ((bytes[j] & 0xff) != data[j]) {
          throw new AssertionError(o.name() + ": byte " + j + " differs");
        }
      }
      QuantizationParametersT q = t.getQuantization();
      if (q == null || q.getScale() == null || q.getScale().length == 0) {
        assertThat(o.quantization()).as(o.name()).isNull();
      } else {
        assertThat(o.quantization().scale()).as(o.name()).containsExactly(q.getScale());
        assertThat(o.quantization().zeroPoint()).as(o.name()).containsExactly(q.getZeroPoint());
        assertThat(o.quantization().quantizedDimension()).isEqualTo(q.getQuantizedDimension());
      }
    }
    assertThat(ours.operators()).hasSize(g.getOperators().length);
    for (int i = 0; i < g.getOperators().length; i++) {
      OperatorT op = g.getOperators()[i];
      TfliteModel.Operator o = ours.operators().get(i);
      OperatorCodeT code = model.getOperatorCodes()[(int) op.getOpcodeIndex()];
      // Schema 3a: the code is the larger of deprecated_builtin_code and builtin_code.
      assertThat(o.opcode()).isEqualTo(Math.max(code.getDeprecatedBuiltinCode(),
          code.getBuiltinCode()));
      assertThat(o.inputs()).containsExactly(op.getInputs());
      assertThat(o.outputs()).containsExactly(op.getOutputs());
      assertOptions(o, op.getBuiltinOptions());
    }
  }

  private static void assertOptions(TfliteModel.Operator o, BuiltinOptionsUnion u) {
    String at = "operator " + o.index() + " " + o.opName();
    Object v = u == null ? null : u.getValue();
    if (o.options() instanceof TfliteModel.Conv2D c) {
      Conv2DOptionsT g = (Conv2DOptionsT) v;
      assertThat(List.of(c.padding().name(), c.strideW(), c.strideH(), c.activation().name(),
          c.dilationW(), c.dilationH())).as(at).isEqualTo(List.of(Padding.name(g.getPadding()),
          g.getStrideW(), g.getStrideH(), activation(g.getFusedActivationFunction()),
          g.getDilationWFactor(), g.getDilationHFactor()));
    } else if (o.options() instanceof TfliteModel.DepthwiseConv2D c) {
      DepthwiseConv2DOptionsT g = (DepthwiseConv2DOptionsT) v;
      assertThat(List.of(c.padding().name(), c.strideW(), c.strideH(), c.depthMultiplier(),
          c.activation().name(), c.dilationW(), c.dilationH())).as(at).isEqualTo(List.of(
          Padding.name(g.getPadding()), g.getStrideW(), g.getStrideH(), g.getDepthMultiplier(),
          activation(g.getFusedActivationFunction()), g.getDilationWFactor(),
          g.getDilationHFactor()));
    } else if (o.options() instanceof TfliteModel.Pool2D c) {
      Pool2DOptionsT g = (Pool2DOptionsT) v;
      assertThat(List.of(c.padding().name(), c.strideW(), c.strideH(), c.filterW(), c.filterH(),
          c.activation().name())).as(at).isEqualTo(List.of(Padding.name(g.getPadding()),
          g.getStrideW(), g.getStrideH(), g.getFilterWidth(), g.getFilterHeight(),
          activation(g.getFusedActivationFunction())));
    } else if (o.options() instanceof TfliteModel.Add c) {
      assertThat(c.activation().name()).as(at)
          .isEqualTo(activation(((AddOptionsT) v).getFusedActivationFunction()));
    } else if (o.options() instanceof TfliteModel.Reshape c) {
      int[] shape = v == null ? null : ((ReshapeOptionsT) v).getNewShape();
      assertThat(c.newShape()).as(at).containsExactly(shape == null ? new int[0] : shape);
    } else if (o.options() instanceof TfliteModel.Softmax c) {
      assertThat(c.beta()).as(at).isEqualTo(((SoftmaxOptionsT) v).getBeta());
    } else {
      assertThat(((TfliteModel.Other) o.options()).unionType()).as(at)
          .isEqualTo(u == null ? 0 : (int) u.getType());
    }
  }

  private static String activation(byte code) {
    return ActivationFunctionType.name(code);
  }
}
