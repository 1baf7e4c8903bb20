package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.junit.jupiter.api.Test;

class SqueezeNet11Test {
  static final Path MIRROR = TestData.path("models/squeezenet1.1");

  @Test
  void logitsMatchReferenceOutputs() throws Exception {
    try (Model model = SqueezeNet11.load(MIRROR.resolve("weights"))) {
      for (int i = 0; i < 3; i++) {
        Path dir = MIRROR.resolve("test_data_set/" + i);
        float[] input = Npy.read(dir.resolve("input_0.npy")).floats();
        double[] expected = Npy.read(dir.resolve("output_0.npy")).values();
        float[] logits = model.logits(input, 1);
        double maxAbs = 0;
        for (double e : expected) maxAbs = Math.max(maxAbs, Math.abs(e));
        for (int k = 0; k < expected.length; k++) {
          assertThat((double) logits[k]).isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-3 * maxAbs));
        }
      }
    }
  }
}
