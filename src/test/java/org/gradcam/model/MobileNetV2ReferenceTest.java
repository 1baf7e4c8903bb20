package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.gradcam.data.Npy;
import org.gradcam.model.tflite.TfliteModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The float rebuild of MobileNet V2 against the references of
 * {@code src/test/python/make_mobilenet_v2_reference.py}: an independent NumPy implementation of
 * the quantised uint8 model (no TFLite interpreter is available here) and of the same float
 * rebuild, both fed the same uint8 pixels of VOC2007 image 001150 (a Shih-Tzu).
 */
class MobileNetV2ReferenceTest {
  static final Path REF = Path.of("src/test/resources/org/gradcam/model/mobilenet_v2");

  static TfliteModel file;
  static Model model;
  static float[] input;

  @BeforeAll
  static void load() throws Exception {
    file = TfliteModel.read(MobileNetV2Test.TFLITE);
    model = MobileNetV2.build(file);
    double[] pixels = Npy.read(REF.resolve("input_001150_uint8.npy")).values();
    float[] rgb = new float[pixels.length];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (float) pixels[i];
    }
    input = MobileNetV2.preprocessInput(rgb, 224, 224);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void logitsEqualTheNumpyFloatRebuild() throws Exception {
    double[] expected = Npy.read(REF.resolve("logits_float.npy")).values();
    float[] logits = model.logits(input, 1);
    assertThat(logits).hasSize(1000);
    double maxAbs = 0;
    double maxDiff = 0;
    for (int i = 0; i < 1000; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(expected[i + 1]));
      maxDiff = Math.max(maxDiff, Math.abs(logits[i] - expected[i + 1]));
    }
    System.out.printf("float rebuild vs numpy float: max |diff| %.2e of max |logit| %.3f%n",
        maxDiff, maxAbs);
    assertThat(maxDiff).isLessThan(1e-4 * maxAbs + 1e-4);
  }

  @Test
  void logitsApproximateTheQuantisedModel() throws Exception {
    double[] ref = Npy.read(REF.resolve("logits_uint8.npy")).values();
    float[] logits = model.logits(input, 1);
    double[] a = new double[1000];
    double[] b = new double[1000];
    double maxDiff = 0;
    for (int i = 0; i < 1000; i++) {
      a[i] = logits[i];
      b[i] = ref[i + 1]; // file class i + 1 is ImageNet class i
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    }
    double r = correlation(a, b);
    // The logits are the input of the final softmax.
    var softmax = file.operators().get(file.operators().size() - 1);
    assertThat(softmax.opcode()).isEqualTo(TfliteModel.SOFTMAX);
    float logitScale = file.tensor(softmax.inputs()[0]).quantization().scale()[0];
    System.out.printf("float rebuild vs uint8 reference: top-1 %d vs %d, r = %.5f, "
        + "max |diff| %.3f (%.1f logit quantisation steps)%n", argMax(a), argMax(b), r, maxDiff,
        maxDiff / logitScale);
    assertThat(argMax(a)).isEqualTo(argMax(b)).isEqualTo(155); // Shih-Tzu
    assertThat(r).isGreaterThan(0.99);
  }

  @Test
  void firstConvMatchesTheUint8ConvWithinOneQuantisationStep() throws Exception {
    // The float graph's input is exactly the dequantised uint8 input, so the first conv differs
    // from the integer kernel only by the rounding of its output to 8 bits.
    Npy ref = Npy.read(REF.resolve("conv1_rows0-15_uint8.npy"));
    TfliteModel.Tensor t = file.tensors().stream()
        .filter(x -> x.name().startsWith("MobilenetV2/Conv/Relu6")).findFirst().orElseThrow();
    float scale = t.quantization().scale()[0];
    long zp = t.quantization().zeroPoint()[0];
    ForwardBackward fb = model.forwardBackward("Conv1", input, 1, new int[] {-1});
    assertThat(fb.height()).isEqualTo(112);
    assertThat(fb.channels()).isEqualTo(32);
    double[] q = ref.values();
    double maxDiff = 0;
    for (int i = 0; i < q.length; i++) { // rows 0..15, so the same flat index in [112,112,32]
      double expected = scale * (q[i] - zp);
      maxDiff = Math.max(maxDiff, Math.abs(fb.activations()[i] - expected));
    }
    System.out.printf("Conv1 rows 0-15: max |float - uint8 ref| = %.5f (%.2f steps of %.5f)%n",
        maxDiff, maxDiff / scale, scale);
    assertThat(maxDiff).isLessThanOrEqualTo(scale * 1.0001);
  }

  @Test
  void lastConvIsCloseToTheUint8Reference() throws Exception {
    Npy ref = Npy.read(REF.resolve("conv_1_uint8.npy"));
    TfliteModel.Tensor t = file.tensors().stream()
        .filter(x -> x.name().startsWith("MobilenetV2/Conv_1/Relu6")).findFirst().orElseThrow();
    float scale = t.quantization().scale()[0];
    long zp = t.quantization().zeroPoint()[0];
    ForwardBackward fb = model.forwardBackward("Conv_1", input, 1, new int[] {-1});
    double[] q = ref.values();
    double[] a = new double[q.length];
    double[] b = new double[q.length];
    for (int i = 0; i < q.length; i++) {
      a[i] = fb.activations()[i];
      b[i] = scale * (q[i] - zp);
    }
    double r = correlation(a, b);
    System.out.printf("Conv_1 (7x7x1280): r = %.5f%n", r);
    assertThat(r).isGreaterThan(0.99);
  }

  static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
