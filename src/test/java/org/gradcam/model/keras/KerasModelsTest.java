package org.gradcam.model.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gradcam.data.Npy;
import org.gradcam.model.ForwardBackward;
import org.gradcam.model.LayerInfo;
import org.gradcam.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras-layout files written by {@code src/test/python/make_keras_h5.py} (h5py, in Keras' own
 * layout), with reference logits computed there by NumPy from the same weights.
 */
class KerasModelsTest {
  static final Path DIR = Path.of("src/test/resources/org/gradcam/model/keras");
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"sequential_keras2.h5", "functional_keras2.h5", "sequential_keras3.h5",
      "functional_keras3.keras", "nested_keras2.h5", "tfop_keras2.h5",
      "nested_keras3.keras"})
  void logitsEqualTheNumPyReference(String file) throws Exception {
    String stem = file.substring(0, file.lastIndexOf('.'));
    Npy x = Npy.read(DIR.resolve(stem + ".input.npy"));
    Npy expected = Npy.read(DIR.resolve(stem + ".logits.npy"));
    int n = (int) x.shape()[0];
    try (Model model = KerasModels.load(DIR.resolve(file))) {
      assertThat(model.spec().inputShape()).containsExactly(x.shape()[1], x.shape()[2], 3);
      assertThat(model.numClasses()).isEqualTo((int) expected.shape()[1]);
      float[] logits = model.logits(x.floats(), n);
      float[] want = expected.floats();
      for (int i = 0; i < want.length; i++) {
        // float32 graph against a float64 reference
        assertThat(logits[i]).as("logit %d of %s", i, file)
            .isCloseTo(want[i], org.assertj.core.data.Offset.offset(2e-5f + 1e-5f * Math.abs(want[i])));
      }
      // One image alone gives the same logits as in the batch.
      float[] one = model.logits(Arrays.copyOf(x.floats(), x.floats().length / n), 1);
      assertThat(one).containsExactly(Arrays.copyOf(logits, one.length));
    }
  }

  @Test
  void summaryNamesKerasLayersCountsParametersAndSaysTheSoftmaxIsLeftOut() throws Exception {
    try (Model model = KerasModels.load(DIR.resolve("functional_keras2.h5"))) {
      assertThat(model.name()).isEqualTo("functional_keras2");
      LayerInfo stem = model.summary().stream().filter(l -> l.name().equals("stem")).findFirst()
          .orElseThrow();
      assertThat(stem.type()).isEqualTo("Conv2D");
      assertThat(stem.outputShape()).containsExactly(12, 12, 8);
      assertThat(stem.params()).isEqualTo(3 * 3 * 3 * 8 + 8);
      // BatchNormalization(center=False): gamma, moving mean, moving variance
      assertThat(model.summary().stream().filter(l -> l.name().equals("stem_bn")).findFirst()
          .orElseThrow().params()).isEqualTo(3 * 8);
      // SeparableConv2D: depthwise 3x3x8x1, pointwise 1x1x8x16, bias 16
      assertThat(model.summary().stream().filter(l -> l.name().equals("sep")).findFirst()
          .orElseThrow().params()).isEqualTo(72 + 128 + 16);
      assertThat(model.summary().get(model.summary().size() - 1).type())
          .isEqualTo("Activation (softmax left out: logits)");
      assertThat(model.lastConvLayer()).isEqualTo("last_conv");
      assertThat(model.targetLayers()).contains("stem", "dw", "sep", "concat", "avg_same",
          "last_conv").doesNotContain("gap", "logits", "input_1");
    }
    try (Model model = KerasModels.load(DIR.resolve("sequential_keras3.h5"))) {
      assertThat(model.summary().get(model.summary().size() - 1).type())
          .isEqualTo("Dense (softmax left out: logits)");
    }
  }

  /**
   * A pretrained base model and an augmentation Sequential used as layers: the base's layers
   * are built in place under their own names, one that an outer layer also has is prefixed.
   */
  @Test
  void nestedModelsKeepTheirLayerNames() throws Exception {
    try (Model model = KerasModels.load(DIR.resolve("nested_keras2.h5"))) {
      assertThat(model.summary()).extracting(LayerInfo::name).containsExactly("input_2",
          "random_flip", "random_rotation", "rescaling", "conv", "bn", "base.relu",
          "block_conv", "pool", "gap", "dropout", "fc", "relu", "dense");
      assertThat(model.lastConvLayer()).isEqualTo("block_conv");
      // BatchNormalization's moving statistics come after all trainable weights of the base.
      assertThat(model.summary().stream().filter(l -> l.name().equals("bn")).findFirst()
          .orElseThrow().params()).isEqualTo(4 * 6);
    }
  }

  /** Grad-CAM's gradient of a logit at a layer against central finite differences. */
  @Test
  void gradientAtALayerEqualsFiniteDifferences() throws Exception {
    try (Model model = KerasModels.load(DIR.resolve("functional_keras2.h5"))) {
      Npy x = Npy.read(DIR.resolve("functional_keras2.input.npy"));
      float[] image = Arrays.copyOf(x.floats(), x.floats().length / 2);
      String layer = "concat";
      int cls = 2;
      ForwardBackward fb = model.forwardBackward(layer, image, 1, new int[] {cls});
      float[] act = fb.activations();
      float[] grad = fb.gradients();
      int k = model.numClasses();
      java.util.Random rnd = new java.util.Random(7);
      double eps = 1e-2;
      int checked = 0;
      double maxGrad = 0;
      for (float g : grad) {
        maxGrad = Math.max(maxGrad, Math.abs(g));
      }
      assertThat(maxGrad).isGreaterThan(1e-3);
      for (int t = 0; t < 40; t++) {
        int i = rnd.nextInt(act.length);
        float[] plus = act.clone();
        float[] minus = act.clone();
        plus[i] += (float) eps;
        minus[i] -= (float) eps;
        double fd = (model.logitsFromLayer(layer, plus, 1)[cls]
            - model.logitsFromLayer(layer, minus, 1)[cls]) / (2 * eps);
        assertThat(grad[i]).as("d logit %d / d %s[%d]", cls, layer, i)
            .isCloseTo((float) fd, org.assertj.core.data.Offset.offset(2e-3f * (float) maxGrad));
        checked++;
      }
      assertThat(checked).isEqualTo(40);
      assertThat(k).isEqualTo(4);
    }
  }

  /** The Java API's Grad-CAM on a Keras model: ReLU(sum_c mean(dY/dA_c) A_c) at its layer. */
  @Test
  void gradCamOfAKerasModelIsTheGradientWeightedSumOfItsLayer() throws Exception {
    try (Model model = KerasModels.load(DIR.resolve("functional_keras2.h5"))) {
      Npy x = Npy.read(DIR.resolve("functional_keras2.input.npy"));
      float[] image = Arrays.copyOf(x.floats(), x.floats().length / 2);
      String layer = model.lastConvLayer();
      var e = new org.gradcam.cam.Explainer(model, layer, new org.gradcam.cam.GradCam())
          .explain(image, 1, org.gradcam.cam.Target.classIndex(1)).get(0);
      ForwardBackward fb = model.forwardBackward(layer, image, 1, new int[] {1});
      int h = fb.height();
      int w = fb.width();
      int c = fb.channels();
      assertThat(e.heatmap().height()).isEqualTo(5); // 12 -> avg same s2 -> 6 -> max 2 s1 -> 5
      assertThat(e.heatmap().width()).isEqualTo(5);
      double[] alpha = new double[c];
      for (int p = 0; p < h * w; p++) {
        for (int k = 0; k < c; k++) {
          alpha[k] += fb.gradients()[p * c + k] / (h * w);
        }
      }
      for (int p = 0; p < h * w; p++) {
        double sum = 0;
        for (int k = 0; k < c; k++) {
          sum += alpha[k] * fb.activations()[p * c + k];
        }
        assertThat(e.heatmap().raw()[p]).isCloseTo((float) Math.max(0, sum),
            org.assertj.core.data.Offset.offset(1e-5f));
      }
      // Guided Backprop writes the backward pass op by op over the graph, Keras layers included:
      // with the plain ReLU rule it is automatic differentiation.
      float[] seed = {1, 0, 0, 0};
      float[] plain = model.inputGradient(image, 1, seed, org.gradcam.model.ReluBackward.PLAIN);
      float[] autodiff = model.inputGradient(image, 1, seed);
      assertThat(plain).hasSameSizeAs(autodiff);
      for (int i = 0; i < plain.length; i++) {
        assertThat(plain[i]).isCloseTo(autodiff[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void unsupportedLayersOptionsAndActivationsAreOneClearError() {
    assertThatThrownBy(() -> KerasModels.load(DIR.resolve("error_unsupported_layer.h5")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Keras layer class Cropping2D (layer 'cropping2d') is not supported");
    assertThatThrownBy(() -> KerasModels.load(DIR.resolve("error_unsupported_option.h5")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Keras layer Conv2D 'conv2d': option data_format=channels_first "
            + "is not supported (supported: channels_last)");
    assertThatThrownBy(() -> KerasModels.load(DIR.resolve("error_unsupported_activation.h5")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Keras layer Conv2D 'conv2d': option activation=gelu is not "
            + "supported");
    assertThatThrownBy(() -> KerasModels.load(DIR.resolve("error_unsupported_tfop.h5")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Keras layer TFOpLambda 'tf.math.pow': option function=math.pow "
            + "is not supported");
  }

  @Test
  void weightsThatDoNotFitTheConfigAreOneClearError() {
    assertThatThrownBy(() -> KerasModels.load(DIR.resolve("error_wrong_shape.h5")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Keras layer Dense 'dense': kernel 'dense/kernel:0' has shape "
            + "[32, 2], the layer needs [32, 3]");
    assertThatThrownBy(() -> KerasModels.load(DIR.resolve("error_weights_only.h5")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("has no 'model_config' attribute: it holds weights only");
  }

  @Test
  void missingTruncatedAndForeignFilesAreClearErrors() throws Exception {
    assertThatThrownBy(() -> KerasModels.load(tmp.resolve("absent.h5")))
        .isInstanceOf(IOException.class).hasMessageContaining("No such Keras model file");
    Path junk = tmp.resolve("junk.h5");
    Files.writeString(junk, "this is not HDF5");
    assertThatThrownBy(() -> KerasModels.load(junk)).isInstanceOf(IOException.class)
        .hasMessageContaining("neither a Keras HDF5 file nor a .keras archive");
    byte[] bytes = Files.readAllBytes(DIR.resolve("functional_keras2.h5"));
    Path cut = tmp.resolve("cut.h5");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    assertThatThrownBy(() -> KerasModels.load(cut)).isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
    Path zip = tmp.resolve("other.keras");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("readme.txt"));
      z.write("hello".getBytes());
    }
    assertThatThrownBy(() -> KerasModels.load(zip)).isInstanceOf(IOException.class)
        .hasMessageContaining("without config.json and model.weights.h5");
    byte[] keras = Files.readAllBytes(DIR.resolve("functional_keras3.keras"));
    Path cutZip = tmp.resolve("cut.keras");
    Files.write(cutZip, Arrays.copyOf(keras, keras.length / 2));
    assertThatThrownBy(() -> KerasModels.load(cutZip)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a readable .keras archive");
  }
}
