package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.gradcam.cam.GuidedBackprop;
import org.gradcam.cam.Saliency;
import org.gradcam.cam.Target;
import org.gradcam.model.Model;
import org.gradcam.model.ReluBackward;
import org.gradcam.model.onnx.TorchvisionFixtures.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guided Backprop on imported ONNX graphs against PyTorch's own (src/test/python/
 * make_guided_backprop_fixtures.py: every nn.ReLU / nn.ReLU6 backward replaced by the guided
 * rule): ResNet-18's residual adds, MobileNet V2's ReLU6 (Clip(0, 6) in the file), depthwise
 * convs and residual adds, all differentiated by the same op-by-op pass over the graph as the
 * built-in models.
 */
class OnnxGuidedBackpropTest {

  static Stream<Fixture> fixtures() {
    return TorchvisionFixtures.all().stream()
        .filter(f -> List.of("resnet18", "mobilenet_v2").contains(f.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void guidedBackpropEqualsPyTorch(Fixture f) throws Exception {
    float[] x = f.inputValues();
    int n = (int) f.inputShape()[0];
    float[] expected = TorchvisionFixtures.read(f.model().resolveSibling("guided_backprop.npy"))
        .floats();
    try (Model m = OnnxImporter.load(f.model(), f.name(), (p, h, w) -> p, 2)) {
      int k = m.numClasses();
      float[] seed = new float[n * k];
      for (int i = 0; i < n; i++) {
        seed[i * k + f.top1()[i]] = 1;
      }
      float[] guided = m.inputGradient(x, n, seed, ReluBackward.GUIDED);
      assertClose(guided, expected, f.name() + " guided backprop");
      // Not the plain gradient: the guided rule changed something the check above sees.
      float[] plain = m.inputGradient(x, n, seed);
      assertThat(maxAbsDiff(plain, expected)).as("plain vs guided")
          .isGreaterThan(1e-2 * max(expected));
      // The same numbers through the method, per image, channels-last.
      List<Saliency> s = new GuidedBackprop().explain(m, null, x, n, Target.top1());
      int hw = (int) (f.inputShape()[2] * f.inputShape()[3]);
      for (int i = 0; i < n; i++) {
        assertThat(s.get(i).targetClass()).isEqualTo(f.top1()[i]);
        for (int c = 0; c < 3; c++) {
          for (int p = 0; p < hw; p++) {
            assertThat(s.get(i).values()[p * 3 + c]).isEqualTo(guided[(i * 3 + c) * hw + p]);
          }
        }
      }
    }
  }

  static void assertClose(float[] got, float[] expected, String what) {
    assertThat(got).as(what).hasSameSizeAs(expected);
    double scale = max(expected);
    assertThat(scale).as(what + ": a non-trivial gradient").isGreaterThan(1e-6);
    assertThat(maxAbsDiff(got, expected)).as(what + ": max difference").isLessThan(1e-4 * scale);
  }

  static double max(float[] v) {
    double m = 0;
    for (float e : v) {
      m = Math.max(m, Math.abs(e));
    }
    return m;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
