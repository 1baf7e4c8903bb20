package org.gradcam.cam;

import org.gradcam.TestData;
import org.gradcam.model.Predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.gradcam.data.Npy;
import org.gradcam.model.Model;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GradCamTest {
  static final Path MIRROR = TestData.path("models/squeezenet1.1");
  static Model squeezenet;
  static float[][] inputs;

  @BeforeAll
  static void load() throws Exception {
    squeezenet = SqueezeNet11.load(MIRROR.resolve("weights"));
    inputs = referenceInputs();
  }

  /** The three preprocessed inputs of the ONNX model zoo's SqueezeNet 1.1 test data. */
  static float[][] referenceInputs() throws java.io.IOException {
    float[][] out = new float[3][];
    for (int i = 0; i < 3; i++) {
      out[i] = Npy.read(MIRROR.resolve("test_data_set/" + i + "/input_0.npy")).floats();
    }
    return out;
  }

  @AfterAll
  static void close() {
    squeezenet.close();
  }

  @Test
  void formulaOnHandComputedCase() {
    // 1x2 map, 2 channels. A(p0)=(1,2), A(p1)=(3,0); dA(p0)=(1,-1), dA(p1)=(3,1).
    // Weights: w0=(1+3)/2=2, w1=(-1+1)/2=0 -> map = relu(2*1, 2*3) = (2, 6).
    FeatureMaps a = new FeatureMaps(1, 2, 2, new float[] {1, 2, 3, 0});
    FeatureMaps g = new FeatureMaps(1, 2, 2, new float[] {1, -1, 3, 1});
    assertThat(new GradCam().map(a, g)).containsExactly(2f, 6f);
    // Negative weights: w0=-2 -> relu(-2, -6) = (0, 0).
    FeatureMaps neg = new FeatureMaps(1, 2, 2, new float[] {-1, 1, -3, -1});
    assertThat(new GradCam().map(a, neg)).containsExactly(0f, 0f);
  }

  @Test
  void allZeroMapNormalisesToZerosNotNaN() {
    Heatmap zero = new Heatmap(2, 2, new float[4]);
    assertThat(zero.normalized()).containsExactly(0f, 0f, 0f, 0f);
    assertThat(new Heatmap(1, 2, new float[] {2f, 6f}).normalized()).containsExactly(1f / 3, 1f);
  }

  @Test
  void squeezenetMapsOnReferenceInputs() {
    Explainer explainer = new Explainer(squeezenet, SqueezeNet11.DEFAULT_LAYER, new GradCam());
    for (float[] input : inputs) {
      Explanation e = explainer.explain(input, 1, Target.top1()).get(0);
      Heatmap map = e.heatmap();
      assertThat(map.height()).isEqualTo(13);
      assertThat(map.width()).isEqualTo(13);
      for (float v : map.raw()) {
        assertThat(v).isGreaterThanOrEqualTo(0f);
      }
      assertThat(map.max()).isGreaterThan(0f);
      float max = 0;
      for (float v : map.normalized()) {
        max = Math.max(max, v);
      }
      assertThat(max).isEqualTo(1f);
      int top = Predictions.topIndices(e.logits(), 0, 1000, 1)[0];
      assertThat(e.targetClass()).isEqualTo(top);
      // Another class explains with another map.
      int other = Predictions.topIndices(e.logits(), 0, 1000, 5)[4];
      Heatmap otherMap = explainer.explain(input, 1, Target.classIndex(other)).get(0).heatmap();
      assertThat(maxAbsDiff(otherMap.normalized(), map.normalized())).isGreaterThan(0.05);
    }
  }

  @Test
  void batchGivesTheSameMapsAsSingleRuns() {
    Explainer explainer = new Explainer(squeezenet, SqueezeNet11.DEFAULT_LAYER, new GradCam());
    int len = inputs[0].length;
    float[] batch = new float[3 * len];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(inputs[i], 0, batch, i * len, len);
    }
    List<Explanation> together = explainer.explain(batch, 3, Target.top1());
    assertThat(together).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Explanation single = explainer.explain(inputs[i], 1, Target.top1()).get(0);
      assertThat(together.get(i).targetClass()).isEqualTo(single.targetClass());
      float[] a = together.get(i).heatmap().raw();
      float[] b = single.heatmap().raw();
      for (int p = 0; p < a.length; p++) {
        assertThat(a[p]).isCloseTo(b[p], within(1e-5f * Math.max(1f, single.heatmap().max())));
      }
    }
    // Explaining image 0 after image 2 gives what it gave first: nothing leaks between calls.
    float[] first = explainer.explain(inputs[0], 1, Target.top1()).get(0).heatmap().raw();
    explainer.explain(inputs[2], 1, Target.top1());
    assertThat(explainer.explain(inputs[0], 1, Target.top1()).get(0).heatmap().raw())
        .containsExactly(first);
  }

  @Test
  void topKGivesOneMapPerClassInRankOrder() {
    Explainer explainer = new Explainer(squeezenet, SqueezeNet11.DEFAULT_LAYER, new GradCam());
    List<Explanation> three = explainer.explain(inputs[1], 1, Target.topK(3));
    int[] top = Predictions.topIndices(squeezenet.logits(inputs[1], 1), 0, 1000, 3);
    assertThat(three).extracting(Explanation::targetClass).containsExactly(top[0], top[1], top[2]);
    Heatmap second = explainer.explain(inputs[1], 1, Target.classIndex(top[1])).get(0).heatmap();
    assertThat(maxAbsDiff(three.get(1).heatmap().raw(), second.raw())).isLessThan(1e-5);
  }

  @Test
  void badRequestsAreClearErrors() {
    assertThatThrownBy(() -> new Explainer(squeezenet, "block5_conv3", new GradCam()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown layer 'block5_conv3'").hasMessageContaining("fire9");
    Explainer explainer = new Explainer(squeezenet, "fire9", new GradCam());
    assertThatThrownBy(() -> explainer.explain(inputs[0], 1, Target.classIndex(1000)))
        .hasMessageContaining("class index 1000 out of range");
    assertThatThrownBy(() -> Target.classIndex(-3)).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> explainer.explain(new float[10], 1, Target.top1()))
        .hasMessageContaining("expects 1 x [3, 224, 224]");
  }

  @Test
  void anyConvLayerCanBeTheTarget() {
    Explainer early = new Explainer(squeezenet, "fire5", new GradCam());
    Heatmap map = early.explain(inputs[0], 1, Target.top1()).get(0).heatmap();
    assertThat(map.height()).isEqualTo(27);
    assertThat(map.width()).isEqualTo(27);
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
