package org.gradcam.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.gradcam.TestData;
import org.gradcam.model.tflite.TfliteModel.Quantization;
import org.gradcam.model.tflite.TfliteModel.TensorType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfliteModelTest {
  static final Path TFLITE =
      TestData.path("models/mobilenet_v2_coral_tflite/mobilenet_v2_1.0_224_quant.tflite");

  static TfliteModel m;

  @BeforeAll
  static void read() throws IOException {
    m = TfliteModel.read(TFLITE);
  }

  @Test
  void readsTheMobileNetV2Graph() {
    assertThat(m.version()).isEqualTo(3);
    assertThat(m.tensors()).hasSize(174);
    assertThat(m.operators()).hasSize(66);
    assertThat(m.inputs()).hasSize(1);
    assertThat(m.outputs()).hasSize(1);
    TfliteModel.Tensor in = m.tensor(m.inputs()[0]);
    TfliteModel.Tensor out = m.tensor(m.outputs()[0]);
    assertThat(in.shape()).containsExactly(1, 224, 224, 3);
    assertThat(in.type()).isEqualTo(TensorType.UINT8);
    assertThat(in.quantization().scale()).containsExactly(0.0078125f);
    assertThat(in.quantization().zeroPoint()).containsExactly(128L);
    assertThat(out.shape()).containsExactly(1, 1001);
    Map<String, Integer> ops = new TreeMap<>();
    m.operators().forEach(o -> ops.merge(o.opName(), 1, Integer::sum));
    // 1 + 17 blocks of (expand?) depthwise + project, 10 residual adds, the last conv, classifier
    assertThat(ops).containsExactlyEntriesOf(new TreeMap<>(Map.of("ADD", 10, "AVERAGE_POOL_2D", 1,
        "CONV_2D", 36, "DEPTHWISE_CONV_2D", 17, "RESHAPE", 1, "SOFTMAX", 1)));
  }

  @Test
  void readsBuiltinOptions() {
    TfliteModel.Operator first = m.operators().get(0);
    assertThat(first.opcode()).isEqualTo(TfliteModel.CONV_2D);
    assertThat(first.options()).isEqualTo(new TfliteModel.Conv2D(TfliteModel.Padding.SAME, 2, 2,
        TfliteModel.Activation.RELU6, 1, 1));
    assertThat(m.tensor(first.inputs()[1]).shape()).containsExactly(32, 3, 3, 3);
    assertThat(m.operators().get(1).options()).isEqualTo(new TfliteModel.DepthwiseConv2D(
        TfliteModel.Padding.SAME, 1, 1, 1, TfliteModel.Activation.RELU6, 1, 1));
    assertThat(m.operators().get(9).options())
        .isEqualTo(new TfliteModel.Add(TfliteModel.Activation.NONE));
    assertThat(m.operators().get(62).options()).isEqualTo(new TfliteModel.Pool2D(
        TfliteModel.Padding.VALID, 1, 1, 7, 7, TfliteModel.Activation.NONE));
    assertThat(m.operators().get(65).options()).isEqualTo(new TfliteModel.Softmax(1f));
  }

  @Test
  void biasScaleIsInputScaleTimesWeightScale() {
    int convs = 0;
    for (TfliteModel.Operator op : m.operators()) {
      if (op.opcode() == TfliteModel.CONV_2D || op.opcode() == TfliteModel.DEPTHWISE_CONV_2D) {
        float in = m.tensor(op.inputs()[0]).quantization().scale()[0];
        float w = m.tensor(op.inputs()[1]).quantization().scale()[0];
        TfliteModel.Tensor b = m.tensor(op.inputs()[2]);
        assertThat(b.type()).isEqualTo(TensorType.INT32);
        assertThat(b.quantization().zeroPoint()).containsExactly(0L);
        assertThat((double) b.quantization().scale()[0]).isCloseTo((double) in * w,
            within(1e-6 * in * w));
        convs++;
      }
    }
    assertThat(convs).isEqualTo(53);
  }

  @Test
  void dequantisesAHandCase() {
    // uint8 per tensor: real = 0.5 * (q - 10)
    byte[] u8 = {0, 10, 11, (byte) 255};
    assertThat(TfliteModel.dequantize(u8, TensorType.UINT8, new int[] {4},
        new Quantization(new float[] {0.5f}, new long[] {10}, 0)))
        .containsExactly(-5f, 0f, 0.5f, 122.5f);
    // int32 bias, scale = input_scale * weight_scale = 0.25 * 0.5, zero point 0
    ByteBuffer bb = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(-8).putInt(0).putInt(1000);
    assertThat(TfliteModel.dequantize(bb.array(), TensorType.INT32, new int[] {3},
        new Quantization(new float[] {0.25f * 0.5f}, new long[] {0}, 0)))
        .containsExactly(-1f, 0f, 125f);
    // int8 per channel along dimension 0 of a [2, 2] tensor
    byte[] i8 = {-2, 2, -2, 2};
    assertThat(TfliteModel.dequantize(i8, TensorType.INT8, new int[] {2, 2},
        new Quantization(new float[] {1f, 10f}, new long[] {0, 1}, 0)))
        .containsExactly(-2f, 2f, -30f, 10f);
  }

  @Test
  void dequantisesTheFirstConvKernel() {
    TfliteModel.Tensor w = m.tensor(m.operators().get(0).inputs()[1]);
    byte[] raw = m.data(w.index());
    float[] real = m.dequantize(w.index());
    assertThat(real).hasSize(32 * 3 * 3 * 3);
    float scale = w.quantization().scale()[0];
    long zp = w.quantization().zeroPoint()[0];
    for (int i = 0; i < raw.length; i++) {
      assertThat(real[i]).isEqualTo(scale * ((raw[i] & 0xFF) - zp), within(1e-7f));
    }
  }

  @Test
  void truncatedFileFailsWithIOException(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(TFLITE);
    // The file ends with a ~22 kB ZIP (TFLite metadata: the label file) after the FlatBuffer,
    // which the reader ignores; every cut below lies inside the FlatBuffer itself.
    for (int size : new int[] {0, 7, 64, 4096, bytes.length / 2, bytes.length * 9 / 10}) {
      Path cut = dir.resolve("cut" + size + ".tflite");
      Files.write(cut, Arrays.copyOf(bytes, size));
      assertThatThrownBy(() -> TfliteModel.read(cut)).as("truncated to %d bytes", size)
          .isInstanceOf(IOException.class)
          .hasMessageContaining(cut.toString())
          .hasMessageContaining("not a valid TFLite model file");
    }
  }

  @Test
  void wrongOrCorruptBytesFailWithIOException(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("not.tflite");
    Files.writeString(text, "this is not a flatbuffer at all, just some text");
    assertThatThrownBy(() -> TfliteModel.read(text)).isInstanceOf(IOException.class)
        .hasMessageContaining("TFL3");
    byte[] bytes = Files.readAllBytes(TFLITE);
    bytes[0] = (byte) 0xFF; // root table offset far beyond the end of the file
    bytes[3] = (byte) 0x7F;
    Path bad = dir.resolve("bad.tflite");
    Files.write(bad, bytes);
    assertThatThrownBy(() -> TfliteModel.read(bad)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a valid TFLite model file");
  }
}
