package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class LastConvLayerTest {
  /** A VGG-like tail: conv, conv, max pool, flatten, dense: the pool is not a conv layer. */
  @Test
  void isTheLastSpatialNonPoolingLayer() {
    NetBuilder net = new NetBuilder(new Graph());
    Operand<TFloat32> input = net.input("input", 8, 8, 1);
    Operand<TFloat32> x = net.conv("c1", input, new float[9 * 2], new long[] {3, 3, 1, 2},
        new float[2], 1, "SAME", true);
    x = net.conv("c2", x, new float[9 * 4], new long[] {3, 3, 2, 2}, new float[2], 1, "SAME", true);
    x = net.maxPool("pool", x, 2, 2, false);
    x = net.flatten("flat", x);
    Operand<TFloat32> logits = net.dense("fc", x, new float[32 * 3], new long[] {32, 3},
        new float[3], false);
    try (Model m = net.build("tiny", new ModelSpec(8, false, null, (p, h, w) -> p), input,
        logits)) {
      assertThat(m.targetLayers()).containsExactly("c1", "c2", "pool");
      assertThat(m.lastConvLayer()).isEqualTo("c2");
    }
  }

  /** A 1x1 output (here a pool over the whole map) gives a one-pixel map: not a target. */
  @Test
  void oneByOneLayersAreNotTargets() {
    NetBuilder net = new NetBuilder(new Graph());
    Operand<TFloat32> input = net.input("input", 8, 8, 1);
    Operand<TFloat32> x = net.conv("c1", input, new float[9 * 2], new long[] {3, 3, 1, 2},
        new float[2], 1, "SAME", true);
    x = net.maxPool("pool", x, 8, 8, false);
    x = net.flatten("flat", x);
    Operand<TFloat32> logits = net.dense("fc", x, new float[2 * 3], new long[] {2, 3},
        new float[3], false);
    try (Model m = net.build("tiny", new ModelSpec(8, false, null, (p, h, w) -> p), input,
        logits)) {
      assertThat(m.layer("c1").outputShape()).containsExactly(8, 8, 2);
      assertThat(m.targetLayers()).containsExactly("c1");
      assertThatThrownBy(() -> m.layer("pool")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("layer 'pool' of model tiny has output shape [1, 1, 2], not a spatial map "
              + "larger than 1x1, so it cannot be a Grad-CAM target; valid target layers: c1");
      assertThatThrownBy(() -> m.layer("fc")).hasMessageContaining("output shape [3], not a");
      assertThatThrownBy(() -> m.layer("nope"))
          .hasMessage("unknown layer 'nope' for model tiny; valid target layers: c1");
      assertThat(m.lastConvLayer()).isEqualTo("c1");
    }
  }

  @Test
  void ofSqueezeNetAndMobileNetV2() throws Exception {
    try (Model squeeze = SqueezeNet11.random(1)) {
      assertThat(squeeze.lastConvLayer()).isEqualTo("conv10");
    }
    try (Model mobile = MobileNetV2.load(MobileNetV2Test.TFLITE)) {
      assertThat(mobile.lastConvLayer()).isEqualTo("Conv_1");
      assertThat(mobile.targetLayers()).contains("Conv_1")
          .doesNotContain("global_average_pooling2d", "Logits");
      System.out.println("mobilenet_v2 parameters " + mobile.parameterCount() + ", layers "
          + mobile.summary().size() + ", target layers " + mobile.targetLayers().size());
    }
  }
}
