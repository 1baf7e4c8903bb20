package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.LayerInfo;
import org.gradcam.model.Model;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.Test;

/**
 * The mirror's two real ONNX files, PyTorch exports: SqueezeNet 1.1 against the ONNX zoo's
 * {@code test_data_set} outputs and ONNX Runtime, and the fine-tuned pets3 classifier against
 * ONNX Runtime on real pet photos.
 */
class OnnxRealModelsTest {
  static final Path SQUEEZENET = TestData.path("models/squeezenet1.1-onnx/squeezenet1.1.onnx");
  static final Path TEST_DATA = TestData.path("models/squeezenet1.1/test_data_set");
  static final Path PETS3 = TestData.path("models/pets3-squeezenet/model.onnx");
  static final Path PETS_TEST = TestData.path("oxford-iiit-pet-3class/test");

  @Test
  void squeezeNetEqualsTestDataSetAndOnnxRuntime() throws Exception {
    try (Model m = OnnxImporter.load(SQUEEZENET, "squeezenet1.1.onnx", SqueezeNet11::preprocessInput,
        8)) {
      assertThat(m.numClasses()).isEqualTo(1000);
      for (int i = 0; i < 3; i++) {
        Npy in = Npy.read(TEST_DATA.resolve(i + "/input_0.npy"));
        float[] expected = Npy.read(TEST_DATA.resolve(i + "/output_0.npy")).floats();
        float[] got = m.logits(in.floats(), 1);
        float[] ort = OnnxTestGraphs.ort(SQUEEZENET, "input", in.floats(), in.shape());
        // The zoo's outputs came from another runtime: 1.2e-4 apart from PyTorch's on ~300.
        assertClose(got, expected, 1e-5, "test_data_set " + i);
        assertClose(got, ort, 1e-5, "ORT " + i);
        assertThat(argmax(got)).isEqualTo(argmax(expected));
      }
      // Same default layer as the built-in SqueezeNet's conv10 + ReLU: the classifier's map.
      LayerInfo layer = m.layer(m.spec().defaultLayer());
      assertThat(layer.outputShape()).containsExactly(13, 13, 1000);
    }
  }

  @Test
  void pets3EqualsOnnxRuntimeOnRealPhotosAndBatchEqualsSingles() throws Exception {
    List<Path> photos = new ArrayList<>();
    for (String cls : List.of("Abyssinian", "Bengal", "american_bulldog")) {
      try (Stream<Path> s = Files.list(PETS_TEST.resolve(cls))) {
        s.sorted().limit(2).forEach(photos::add);
      }
    }
    try (Model m = OnnxImporter.load(PETS3, "pets3", SqueezeNet11::preprocessInput, 8)) {
      assertThat(m.numClasses()).isEqualTo(3);
      int len = m.spec().inputLength();
      float[] batch = new float[photos.size() * len];
      for (int i = 0; i < photos.size(); i++) {
        BufferedImage img = Images.read(photos.get(i));
        System.arraycopy(m.spec().input(img, Interpolation.BILINEAR), 0, batch, i * len, len);
      }
      float[] got = m.logits(batch, photos.size());
      float[] ort = OnnxTestGraphs.ort(PETS3, "input", batch,
          new long[] {photos.size(), 3, 224, 224});
      assertClose(got, ort, 1e-5, "pets3 vs ORT");
      // Batch of 3 equal to singles, bit for bit (the graph always runs at its graph batch).
      float[] three = m.logits(java.util.Arrays.copyOf(batch, 3 * len), 3);
      for (int i = 0; i < 3; i++) {
        float[] one = m.logits(java.util.Arrays.copyOfRange(batch, i * len, (i + 1) * len), 1);
        assertThat(java.util.Arrays.copyOfRange(three, 3 * i, 3 * i + 3)).containsExactly(one);
      }
      // Every ONNX node output the logits depend on is a layer, under its ONNX tensor name.
      assertThat(m.summary().stream().map(LayerInfo::name))
          .contains("/features/features.0/Conv_output_0");
      assertThat(m.spec().defaultLayer()).startsWith("/classifier/");
      assertThat(m.layer(m.spec().defaultLayer()).outputShape()).containsExactly(13, 13, 3);
    }
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Within {@code rel} of the largest magnitude (float32 sums of ~1000 terms). */
  static void assertClose(float[] got, float[] expected, double rel, String what) {
    assertThat(got).as(what).hasSameSizeAs(expected);
    double scale = 1;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < got.length; i++) {
      assertThat((double) got[i]).as(what + " value " + i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(rel * scale));
    }
  }
}
