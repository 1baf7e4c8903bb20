package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.gradcam.TestData;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.tflite.TfliteModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MobileNetV2Test {
  static final Path TFLITE =
      TestData.path("models/mobilenet_v2_coral_tflite/mobilenet_v2_1.0_224_quant.tflite");
  static final Path DOG = TestData.path("voc2007-test/JPEGImages/001150.jpg");

  static TfliteModel file;
  static Model model;

  @BeforeAll
  static void load() throws Exception {
    file = TfliteModel.read(TFLITE);
    model = MobileNetV2.build(file);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static float[] dog() throws Exception {
    BufferedImage img = Images.read(DOG);
    return model.spec().input(img, Interpolation.BILINEAR);
  }

  @Test
  void hasKerasLayerNamesAndThousandImageNetLogits() {
    assertThat(model.numClasses()).isEqualTo(1000);
    assertThat(model.spec().inputShape()).containsExactly(224, 224, 3);
    assertThat(model.targetLayers()).contains("Conv1", "expanded_conv_depthwise",
        "expanded_conv_project", "block_1_expand", "block_1_depthwise", "block_1_project",
        "block_2_add", "block_16_project", "Conv_1");
    assertThat(model.layer("Conv_1").outputShape()).containsExactly(7, 7, 1280);
    assertThat(model.layer("Conv1").outputShape()).containsExactly(112, 112, 32);
    assertThat(model.lastConvLayer()).isEqualTo("Conv_1");
    // Every quantised constant of the file (weights and biases, BN folded in) is a parameter.
    long constants = 0;
    for (var t : file.tensors()) {
      if (file.isConstant(t.index()) && t.quantization() != null) {
        constants += t.elementCount();
      }
    }
    assertThat(model.parameterCount()).isEqualTo(constants);
  }

  @Test
  void preprocessingIsTheDequantisedUint8Input() {
    float[] px = {0, 127, 128, 255};
    assertThat(MobileNetV2.preprocessInput(px, 1, 1))
        .containsExactly(-1f, -0.0078125f, 0f, 0.9921875f);
  }

  @Test
  void dogImageIsADog() throws Exception {
    float[] logits = model.logits(dog(), 1);
    int top = argMax(logits);
    System.out.println("mobilenet_v2 top-1 " + top + " " + ImageNetLabels.get(top).name()
        + " logit " + logits[top]);
    assertThat(top).isBetween(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG);
  }

  @Test
  void gradCamOnConv1IsASevenBySevenNonNegativeMap() throws Exception {
    List<Explanation> e = new Explainer(model, "Conv_1", new GradCam())
        .explain(dog(), 1, Target.top1());
    assertThat(e).hasSize(1);
    var map = e.get(0).heatmap();
    assertThat(map.height()).isEqualTo(7);
    assertThat(map.width()).isEqualTo(7);
    float max = 0;
    for (float v : map.raw()) {
      assertThat(v).isGreaterThanOrEqualTo(0f);
      max = Math.max(max, v);
    }
    assertThat(max).isGreaterThan(0f);
  }

  @Test
  void gradientsReachTheFirstLayers() throws Exception {
    // Depthwise conv, ReLU6, residual add and slice all have gradients in the TF graph.
    float[] x = dog();
    ForwardBackward fb = model.forwardBackward("block_2_add", x, 1, new int[] {-1});
    double sum = 0;
    for (float g : fb.gradients()) {
      sum += Math.abs(g);
    }
    assertThat(sum).isGreaterThan(0);
  }

  @Test
  void layerNamesFollowKerasWhereTheSlimScopeAllowsIt() {
    assertThat(MobileNetV2.layerName("MobilenetV2/Conv/Relu6;MobilenetV2/Conv/add_fold"))
        .isEqualTo("Conv1");
    assertThat(MobileNetV2.layerName("MobilenetV2/expanded_conv/depthwise/Relu6;x"))
        .isEqualTo("expanded_conv_depthwise");
    assertThat(MobileNetV2.layerName("MobilenetV2/expanded_conv_12/project/add_fold;y"))
        .isEqualTo("block_12_project");
    assertThat(MobileNetV2.layerName("MobilenetV2/expanded_conv_15/add")).isEqualTo("block_15_add");
    assertThat(MobileNetV2.layerName("MobilenetV2/Conv_1/Relu6;z")).isEqualTo("Conv_1");
    assertThat(MobileNetV2.layerName("MobilenetV2/Logits/AvgPool"))
        .isEqualTo("global_average_pooling2d");
    // Anything else: the TFLite name sanitised to TF's node-name pattern.
    assertThat(MobileNetV2.layerName("Other/scope:0;more")).isEqualTo("Other_scope_0");
    assertThat(MobileNetV2.sanitize("_x/y")).isEqualTo("t_x_y")
        .matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");
  }

  @Test
  void isRegisteredAndResolvedAsAnAsset(@org.junit.jupiter.api.io.TempDir Path cache)
      throws Exception {
    assertThat(Models.NAMES).contains("mobilenet_v2");
    assertThat(Models.spec("mobilenet_v2").defaultLayer()).isEqualTo("Conv_1");
    // Resolved from the mirror with its sha256 checked, as the CLI does.
    try (Model m = Models.load("mobilenet_v2",
        new org.gradcam.data.Assets(cache, TestData.MIRROR))) {
      assertThat(m.name()).isEqualTo("mobilenet_v2");
      assertThat(m.numClasses()).isEqualTo(1000);
    }
  }

  static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
