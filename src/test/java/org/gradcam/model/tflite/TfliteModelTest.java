package org.gradcam.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gradcam.TestData;
import org.gradcam.model.tflite.TfliteModel.Quantization;
import org.gradcam.model.tflite.TfliteModel.TensorType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;

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

  /**
   * The mirror's two other TFLite files against what the independent FlatBuffers reader of
   * {@code src/test/python/make_mobilenet_v2_reference.py} (its {@code Table}, written from
   * schema.fbs, no generated code) reads from them; float32 values are its exact float32 reads.
   */
  @Test
  void readsTheOtherMirrorFilesAsThePythonReaderDoes() throws IOException {
    Path dir = TFLITE.getParent();
    TfliteModel tf2 = TfliteModel.read(dir.resolve("tf2_mobilenet_v2_1.0_224_ptq.tflite"));
    assertThat(List.of(tf2.version(), tf2.tensors().size(), tf2.operators().size()))
        .containsExactly(3, 177, 68);
    assertThat(tf2.inputs()).containsExactly(0);
    assertThat(tf2.outputs()).containsExactly(176);
    assertThat(histogram(tf2)).containsExactlyEntriesOf(new TreeMap<>(Map.of("ADD", 10,
        "BUILTIN_114", 2, "BUILTIN_40", 1, "CONV_2D", 36, "DEPTHWISE_CONV_2D", 17, "RESHAPE", 1,
        "SOFTMAX", 1)));
    assertThat(tf2.operators().get(0).options()).isEqualTo(new TfliteModel.Other(0));
    TfliteModel.Operator conv = tf2.operators().get(1);
    assertThat(conv.inputs()).containsExactly(109, 3, 4);
    assertThat(conv.options()).isEqualTo(new TfliteModel.Conv2D(TfliteModel.Padding.SAME, 2, 2,
        TfliteModel.Activation.RELU6, 1, 1));
    assertThat(tf2.operators().get(65).options()).isEqualTo(new TfliteModel.Other(0));
    // TF2's int8 kernel is quantised per output channel (dimension 0), zero points 0.
    TfliteModel.Tensor w = tf2.tensor(3);
    assertThat(w.type()).isEqualTo(TensorType.INT8);
    assertThat(w.shape()).containsExactly(32, 3, 3, 3);
    Quantization q = w.quantization();
    assertThat(q.isPerChannel()).isTrue();
    assertThat(q.quantizedDimension()).isZero();
    assertThat(q.scale()).hasSize(32);
    assertThat(q.scale()[0]).isEqualTo(0.009563313f);
    assertThat(q.scale()[1]).isEqualTo(0.027239613f);
    assertThat(q.scale()[31]).isEqualTo(0.0015900976f);
    assertThat(q.zeroPoint()).hasSize(32).containsOnly(0L);
    // int8 values -32 (element 0, channel 0), -55 (element 27, channel 1), 16 (the last).
    float[] real = tf2.dequantize(3);
    assertThat(real[0]).isCloseTo(-32 * 0.009563313f, within(1e-7f));
    assertThat(real[27]).isCloseTo(-55 * 0.027239613f, within(1e-6f));
    assertThat(real[863]).isCloseTo(16 * 0.0015900976f, within(1e-7f));

    TfliteModel v1 = TfliteModel.read(dir.resolve("mobilenet_v1_0.75_192_quant.tflite"));
    assertThat(List.of(v1.version(), v1.tensors().size(), v1.operators().size()))
        .containsExactly(3, 89, 31);
    assertThat(histogram(v1)).containsExactlyEntriesOf(new TreeMap<>(Map.of("AVERAGE_POOL_2D", 1,
        "CONV_2D", 15, "DEPTHWISE_CONV_2D", 13, "RESHAPE", 1, "SOFTMAX", 1)));
    TfliteModel.Tensor in = v1.tensor(v1.inputs()[0]);
    assertThat(in.shape()).containsExactly(1, 192, 192, 3);
    assertThat(in.quantization().zeroPoint()).containsExactly(128L);
    assertThat(v1.operators().get(0).inputs()).containsExactly(0, 30, 29);
    TfliteModel.Tensor k = v1.tensor(30);
    assertThat(k.type()).isEqualTo(TensorType.UINT8);
    assertThat(k.shape()).containsExactly(24, 3, 3, 3);
    assertThat(k.quantization().scale()).containsExactly(0.023622218519449234f);
    assertThat(k.quantization().zeroPoint()).containsExactly(106L);
    assertThat(v1.operators().get(1).options()).isEqualTo(new TfliteModel.DepthwiseConv2D(
        TfliteModel.Padding.SAME, 1, 1, 1, TfliteModel.Activation.RELU6, 1, 1));
    assertThat(v1.operators().get(27).options()).isEqualTo(new TfliteModel.Pool2D(
        TfliteModel.Padding.VALID, 2, 2, 6, 6, TfliteModel.Activation.NONE));
    assertThat(v1.operators().get(30).options()).isEqualTo(new TfliteModel.Softmax(1f));
  }

  private static Map<String, Integer> histogram(TfliteModel model) {
    Map<String, Integer> ops = new TreeMap<>();
    model.operators().forEach(o -> ops.merge(o.opName(), 1, Integer::sum));
    return ops;
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

  /**
   * A minimal model whose one constant tensor keeps its 4 bytes after the FlatBuffer
   * ({@code Buffer.offset} and {@code size}, which the generated classes lack): the
   * hand-written {@link BufferExtent} finds them, and a size past the end fails.
   */
  @Test
  void readsABufferKeptOutsideTheFlatBuffer() throws IOException {
    byte[] tail = {7, -1, 0, 42};
    // A long field: the FlatBuffer's length does not depend on the (non-default) offset.
    int length = externalBufferModel(1, tail.length).length;
    byte[] flat = externalBufferModel(length, tail.length);
    assertThat(flat).hasSize(length);
    byte[] file = Arrays.copyOf(flat, length + tail.length);
    System.arraycopy(tail, 0, file, length, tail.length);
    TfliteModel ext = TfliteModel.parse(file, "external.tflite");
    assertThat(ext.tensor(0).shape()).containsExactly(4);
    assertThat(ext.isConstant(0)).isTrue();
    assertThat(ext.data(0)).containsExactly(tail);

    assertThatThrownBy(() -> TfliteModel.parse(flat, "cut.tflite"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cut.tflite is not a valid TFLite model file")
        .hasMessageContaining("buffer 1 lies outside the file");
  }

  /** Buffers: 0 empty, 1 at {@code offset} of {@code size} bytes; one uint8 tensor [size]. */
  private static byte[] externalBufferModel(long offset, int size) {
    FlatBufferBuilder fbb = new FlatBufferBuilder();
    int empty = Buffer.createBuffer(fbb, 0);
    fbb.startTable(3); // schema.fbs Buffer: data, offset (slot 1), size (slot 2)
    fbb.addLong(1, offset, 0L);
    fbb.addLong(2, size, 0L);
    int external = fbb.endTable();
    int shape = org.tensorflow.lite.schema.Tensor.createShapeVector(fbb, new int[] {size});
    int name = fbb.createString("w");
    org.tensorflow.lite.schema.Tensor.startTensor(fbb);
    org.tensorflow.lite.schema.Tensor.addShape(fbb, shape);
    org.tensorflow.lite.schema.Tensor.addType(fbb, org.tensorflow.lite.schema.TensorType.UINT8);
    org.tensorflow.lite.schema.Tensor.addBuffer(fbb, 1);
    org.tensorflow.lite.schema.Tensor.addName(fbb, name);
    int tensor = org.tensorflow.lite.schema.Tensor.endTensor(fbb);
    int tensors = SubGraph.createTensorsVector(fbb, new int[] {tensor});
    SubGraph.startSubGraph(fbb);
    SubGraph.addTensors(fbb, tensors);
    int graph = SubGraph.endSubGraph(fbb);
    int graphs = Model.createSubgraphsVector(fbb, new int[] {graph});
    int buffers = Model.createBuffersVector(fbb, new int[] {empty, external});
    Model.startModel(fbb);
    Model.addVersion(fbb, 3);
    Model.addSubgraphs(fbb, graphs);
    Model.addBuffers(fbb, buffers);
    Model.finishModelBuffer(fbb, Model.endModel(fbb));
    return fbb.sizedByteArray();
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
