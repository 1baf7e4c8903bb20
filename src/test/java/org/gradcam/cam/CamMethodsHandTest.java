package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each method on tiny feature maps whose result is worked out by hand in the comments. */
class CamMethodsHandTest {
  // 1x2 map, 2 channels (the GradCamTest case). A(p0)=(1,2), A(p1)=(3,0);
  // g(p0)=(1,-1), g(p1)=(3,1). Channel sums: sum A_0 = 4, sum A_1 = 2.
  static final FeatureMaps A = new FeatureMaps(1, 2, 2, new float[] {1, 2, 3, 0});
  static final FeatureMaps G = new FeatureMaps(1, 2, 2, new float[] {1, -1, 3, 1});

  @Test
  void gradCamPlusPlus() {
    // alpha = g^2 / (2 g^2 + (sum A) g^3); w = sum alpha relu(g).
    // k=0: p0 g=1: 1/(2+4) = 1/6 -> 1/6; p1 g=3: 9/(18+4*27) = 1/14 -> 3/14. w0 = 8/21.
    // k=1: p0 g=-1: relu 0; p1 g=1: 1/(2+2) = 1/4 -> 1/4. w1 = 1/4.
    // map: p0 = 8/21*1 + 1/4*2 = 37/42; p1 = 8/21*3 + 0 = 8/7.
    float[] map = new GradCamPlusPlus().map(A, G);
    assertThat(map[0]).isCloseTo(37f / 42, within(1e-5f));
    assertThat(map[1]).isCloseTo(8f / 7, within(1e-5f));
  }

  @Test
  void xGradCam() {
    // w0 = (1*1 + 3*3) / 4 = 2.5; w1 = (-1*2 + 1*0) / 2 = -1.
    // map: p0 = 2.5 - 2 = 0.5; p1 = 7.5 + 0 = 7.5.
    float[] map = new XGradCam().map(A, G);
    assertThat(map[0]).isCloseTo(0.5f, within(1e-5f));
    assertThat(map[1]).isCloseTo(7.5f, within(1e-5f));
  }

  @Test
  void hiResCamIsElementwise() {
    // p0 = 1*1 + (-1)*2 = -1 -> relu 0; p1 = 3*3 + 1*0 = 9.
    assertThat(new HiResCam().map(A, G)).containsExactly(0f, 9f);
  }

  @Test
  void layerCamKeepsPositiveGradients() {
    // p0 = relu(1)*1 + relu(-1)*2 = 1; p1 = 3*3 + 1*0 = 9.
    assertThat(new LayerCam().map(A, G)).containsExactly(1f, 9f);
  }

  @Test
  void counterfactualNegatesTheGradients() {
    // With G: w0 = -(1+3)/2 = -2, w1 = -(-1+1)/2 = 0 -> relu(-2, -6) = (0, 0).
    assertThat(new CounterfactualGradCam().map(A, G)).containsExactly(0f, 0f);
    // With g = (-1,1 | -3,-1): w0 = 2, w1 = 0 -> (2, 6), what Grad-CAM gives for -g.
    FeatureMaps neg = new FeatureMaps(1, 2, 2, new float[] {-1, 1, -3, -1});
    assertThat(new CounterfactualGradCam().map(A, neg)).containsExactly(2f, 6f);
    assertThat(new GradCam().map(A, G)).containsExactly(2f, 6f);
  }

  @Test
  void eigenCamProjectsOnTheFirstPrincipalComponent() {
    // 1x3 map, 2 channels (k <= h*w: k x k Gram path). Rows (0,0), (1,2), (3,6); column means
    // (4/3, 8/3); centred rows are (-4/3, -1/3, 5/3) * (1,2), so v = (1,2)/sqrt5 and the
    // projection is (-4, -1, 5) * sqrt5/3. It correlates positively with the pixel totals
    // (0, 3, 9), so the sign stays; relu gives (0, 0, 5 sqrt5/3).
    FeatureMaps a = new FeatureMaps(1, 3, 2, new float[] {0, 0, 1, 2, 3, 6});
    float[] map = new EigenCam().map(a, a);
    assertThat(map[0]).isEqualTo(0f);
    assertThat(map[1]).isEqualTo(0f);
    assertThat(map[2]).isCloseTo((float) (5 * Math.sqrt(5) / 3), within(1e-5f));
    // 1x2 map, 3 channels (k > h*w: h*w x h*w Gram path). Rows (1,0,2), (3,0,6); centred
    // (-1,0,-2), (1,0,2); projection (-sqrt5, sqrt5) -> (0, sqrt5).
    FeatureMaps b = new FeatureMaps(1, 2, 3, new float[] {1, 0, 2, 3, 0, 6});
    float[] mb = new EigenCam().map(b, b);
    assertThat(mb[0]).isEqualTo(0f);
    assertThat(mb[1]).isCloseTo((float) Math.sqrt(5), within(1e-5f));
    // Swapping the pixels swaps the map: the sign follows the activations, not the SVD.
    FeatureMaps c = new FeatureMaps(1, 2, 3, new float[] {3, 0, 6, 1, 0, 2});
    float[] mc = new EigenCam().map(c, c);
    assertThat(mc[0]).isCloseTo((float) Math.sqrt(5), within(1e-5f));
    assertThat(mc[1]).isEqualTo(0f);
    // Constant activations: nothing varies, the map is all zeros (not NaN).
    FeatureMaps flat = new FeatureMaps(1, 2, 2, new float[] {1, 1, 1, 1});
    assertThat(new EigenCam().map(flat, flat)).containsExactly(0f, 0f);
  }

  @Test
  void scoreCamWeighsChannelsByTheScoreOfTheMaskedInput() {
    // 1x2 layer, 2 channels: channel 0 = (1, 3), channel 1 = (2, 2) (constant).
    // Input 2x2x3, all ones. Channel 0 upsampled 1x2 -> 2x2 is [[1,3],[1,3]], min-max
    // normalised [[0,1],[0,1]]; the masked input sums to 3 * 2 = 6 = w0 with a scorer that
    // sums its input. Channel 1 is constant: weight 0, never scored.
    // map = relu(6 * (1, 3) + 0 * (2, 2)) = (6, 18).
    FeatureMaps a = new FeatureMaps(1, 2, 2, new float[] {1, 2, 3, 2});
    List<float[]> scored = new ArrayList<>();
    PerturbationCam.Scorer sum = (inputs, m) -> {
      scored.add(inputs.clone());
      float[] out = new float[m];
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < 12; i++) {
          out[j] += inputs[j * 12 + i];
        }
      }
      return out;
    };
    float[] ones = new float[12];
    java.util.Arrays.fill(ones, 1f);
    float[] map = new ScoreCam().map(a, new PerturbationCam.Input(ones, 2, false, sum));
    assertThat(map).containsExactly(6f, 18f);
    assertThat(scored).hasSize(1);
    // Channels-last: pixel (0,1) is masked by 1 in all three colours.
    assertThat(scored.get(0)).containsExactly(0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1);
    // Channels-first: the same mask on each colour plane.
    scored.clear();
    new ScoreCam().map(a, new PerturbationCam.Input(ones, 2, true, sum));
    assertThat(scored.get(0)).containsExactly(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
  }

  @Test
  void scoreCamBatchesTheMaskedInputs() {
    // 5 non-constant channels, batches of 2: three scorer calls of 2, 2 and 1 inputs.
    float[] v = new float[2 * 5];
    for (int k = 0; k < 5; k++) {
      v[k] = k;
      v[5 + k] = k + 1 + k;
    }
    List<Integer> sizes = new ArrayList<>();
    PerturbationCam.Scorer count = (inputs, m) -> {
      sizes.add(m);
      assertThat(inputs).hasSize(m * 12);
      return new float[m];
    };
    new ScoreCam(2).map(new FeatureMaps(1, 2, 5, v),
        new PerturbationCam.Input(new float[12], 2, false, count));
    assertThat(sizes).containsExactly(2, 2, 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.gradcam.cam.CamMethods#names")
  void eachRegisteredNameGivesTheMethodOfThatName(String name) {
    assertThat(CamMethods.byName(name).name()).isEqualTo(name);
  }

  @Test
  void registryNamesEveryMethodAndRejectsUnknownOnes() {
    assertThat(CamMethods.names()).containsExactly("gradcam", "gradcam++", "xgradcam", "hirescam",
        "layercam", "eigencam", "counterfactual", "scorecam");
    assertThat(CamMethods.byName("GradCAM++")).isInstanceOf(GradCamPlusPlus.class);
    assertThat(CamMethods.byName("scorecam")).isInstanceOf(PerturbationCam.class);
    assertThatThrownBy(() -> CamMethods.byName("gradcam3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown CAM method 'gradcam3'")
        .hasMessageContaining("gradcam, gradcam++, xgradcam, hirescam, layercam, eigencam");
  }
}
