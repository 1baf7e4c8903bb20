package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gradcam.model.onnx.OnnxTestGraphs.ints;

import java.nio.file.Path;
import java.util.List;
import org.gradcam.model.ForwardBackward;
import org.gradcam.model.Model;
import org.gradcam.model.onnx.OnnxTestGraphs.G;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grad-CAM's gradient through an imported graph (Graph.addGradients on the translated ops),
 * checked against central finite differences of the logits fed at the layer.
 */
class OnnxGradientTest {
  @TempDir Path dir;

  @Test
  void layerGradientEqualsFiniteDifferences() throws Exception {
    G g = new G(3, 6, 5, 11);
    String c1 = OnnxImporterOpsTest.conv(g, "x", 3, 4, 3, 1, ints("pads", 1, 1, 1, 1));
    String feature = g.op("Sigmoid", List.of(c1));
    // Smooth ops only (no ReLU kinks), in both layouts: NHWC convs and pools, a plain flatten.
    String c2 = OnnxImporterOpsTest.conv(g, feature, 4, 4, 3, 2, ints("strides", 2, 2),
        ints("pads", 0, 1, 1, 0), OnnxTestGraphs.attr("group", 2L));
    String e = g.op("Erf", List.of(c2));
    String p = g.op("AveragePool", List.of(e), ints("kernel_shape", 2, 2),
        ints("pads", 1, 1, 1, 1));
    String flat = g.op("Flatten", List.of(g.op("Mul", List.of(p, g.weight(4, 1, 1)))));
    long features = 4 * 4 * 3; // c2 is 3x2 (stride 2, asymmetric pads), pooled with pads 4x3
    String logits = g.op("Gemm", List.of(flat, g.weight(features, 3), g.weight(3)));
    Path file = g.write(dir, "smooth", logits);
    float[] x = OnnxTestGraphs.randomInput(1, g.chw, 3);
    try (Model m = OnnxImporter.load(file, "smooth", (px, h, w) -> px, 1)) {
      for (int cls = 0; cls < 3; cls++) {
        ForwardBackward fb = m.forwardBackward(feature, x, 1, new int[] {cls});
        assertThat(fb.height() * fb.width() * fb.channels()).isEqualTo(6 * 5 * 4);
        float[] a = fb.activationsOf(0);
        float[] grad = fb.gradientsOf(0);
        float eps = 1e-2f;
        for (int i = 0; i < a.length; i++) {
          float[] plus = a.clone();
          float[] minus = a.clone();
          plus[i] += eps;
          minus[i] -= eps;
          double fd = (m.logitsFromLayer(feature, plus, 1)[cls]
              - m.logitsFromLayer(feature, minus, 1)[cls]) / (2.0 * eps);
          assertThat((double) grad[i]).as("class " + cls + " activation " + i)
              .isCloseTo(fd, org.assertj.core.data.Offset.offset(2e-3 + 2e-3 * Math.abs(fd)));
        }
        // The gradient really varies: a test of zeros against zeros would prove nothing.
        assertThat(maxAbs(grad)).isGreaterThan(1e-2f);
      }
    }
  }

  private static float maxAbs(float[] v) {
    float m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
