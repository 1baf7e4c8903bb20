package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gradcam.data.Assets;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.Predictions;
import org.gradcam.model.ReluBackward;
import org.gradcam.model.Vgg16;
import org.gradcam.model.keras.KerasModels;
import org.gradcam.model.onnx.OnnxImporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method {@link CamMethods} registers on every kind of model: the three built-ins
 * (VGG16 with random weights at a 32x32 input, to keep its 13 convs cheap), an ONNX import
 * (torchvision's ResNet-18 reduced, residual adds) and a Keras rebuild. Each model is loaded once
 * and closed at the end. A map method's map has the target layer's shape and finite values; a
 * saliency method's picture has the input's shape, finite values; Guided Backprop's pass with the
 * plain ReLU rule equals automatic differentiation on each whole graph, which checks the op-by-op
 * walk on every model (the guided rule itself is checked by hand in {@link GuidedBackpropTest}
 * and against PyTorch in {@code OnnxGuidedBackpropTest}).
 */
class CamMethodsMatrixTest {
  static final Map<String, Model> MODELS = new LinkedHashMap<>();

  @BeforeAll
  static void load() throws Exception {
    MODELS.put("squeezenet1.1", Models.load("squeezenet1.1", Assets.defaults()));
    MODELS.put("vgg16", Vgg16.random(1, 32));
    MODELS.put("mobilenet_v2", Models.load("mobilenet_v2", Assets.defaults()));
    MODELS.put("resnet18.onnx", OnnxImporter.load(
        Path.of("src/test/resources/onnx/torchvision/resnet18/model.onnx"), "resnet18",
        (p, h, w) -> p, 2));
    MODELS.put("functional_keras2.h5",
        KerasModels.load(Path.of("src/test/resources/org/gradcam/model/keras/functional_keras2.h5")));
  }

  @AfterAll
  static void close() {
    MODELS.values().forEach(Model::close);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (String model : List.of("squeezenet1.1", "vgg16", "mobilenet_v2", "resnet18.onnx",
        "functional_keras2.h5")) {
      for (String method : CamMethods.allNames()) {
        out.add(Arguments.of(model, method));
      }
    }
    return out.stream();
  }

  /** A photo-like picture (smooth colours, an edge), the model's own preprocessing. */
  static float[] input(Model model) {
    BufferedImage img = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 80; x++) {
        int r = x * 3;
        int g = y * 4;
        int b = x > 40 && y > 20 ? 220 : 40;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return model.spec().input(img, Interpolation.BILINEAR);
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("matrix")
  void everyMethodOnEveryModel(String modelName, String method) {
    Model model = MODELS.get(modelName);
    float[] x = input(model);
    String layer = model.defaultLayer();
    int top = Predictions.topIndices(model.logits(x, 1), 0, model.numClasses(), 1)[0];
    if (CamMethods.isSaliency(method)) {
      List<Saliency> s = CamMethods.saliency(method).explain(model, layer, x, 1, Target.top1());
      assertThat(s).hasSize(1);
      assertThat(s.get(0).targetClass()).isEqualTo(top);
      assertThat(s.get(0).height()).isEqualTo(model.spec().height());
      assertThat(s.get(0).width()).isEqualTo(model.spec().width());
      assertFinite(s.get(0).values());
      if (method.equals(GuidedBackprop.NAME)) {
        assertThat(max(s.get(0).values())).as("a non-zero guided gradient").isPositive();
        float[] seed = new float[model.numClasses()];
        seed[top] = 1;
        float[] plain = model.inputGradient(x, 1, seed, ReluBackward.PLAIN);
        float[] autodiff = model.inputGradient(x, 1, seed);
        double scale = max(autodiff);
        assertThat(scale).as("a non-zero gradient").isPositive();
        assertThat(GradCamTest.maxAbsDiff(plain, autodiff)).isLessThanOrEqualTo(1e-5 * scale);
      }
    } else {
      List<Explanation> e = new Explainer(model, layer, CamMethods.byName(method))
          .explain(x, 1, Target.top1());
      assertThat(e).hasSize(1);
      assertThat(e.get(0).targetClass()).isEqualTo(top);
      long[] shape = model.layer(layer).outputShape();
      assertThat(e.get(0).heatmap().height()).isEqualTo(shape[0]);
      assertThat(e.get(0).heatmap().width()).isEqualTo(shape[1]);
      assertThat(e.get(0).heatmap().raw()).hasSize((int) (shape[0] * shape[1]));
      assertFinite(e.get(0).heatmap().raw());
    }
  }

  static void assertFinite(float[] values) {
    for (int i = 0; i < values.length; i++) {
      assertThat(Float.isFinite(values[i])).as("value [%d] = %s", i, values[i]).isTrue();
    }
  }

  private static float max(float[] values) {
    float m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
