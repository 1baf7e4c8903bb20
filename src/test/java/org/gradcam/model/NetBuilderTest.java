package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class NetBuilderTest {

  /**
   * PyTorch's ceil_mode on a 6x6 map, window 3, stride 2: 3x3 outputs instead of 2x2, the last
   * row and column of windows hanging over the edge by one (padded with -inf, never chosen).
   */
  @Test
  void maxPoolCeilModeMatchesPyTorch() {
    NetBuilder net = new NetBuilder(new Graph());
    Operand<TFloat32> x = net.input("x", 6, 6, 3);
    Operand<TFloat32> pooled = net.maxPool("pool", x, 3, 2, true);
    Operand<TFloat32> flat = net.flatten("flat", pooled);
    // The model owns the graph: closing it closes the session first, then the graph.
    try (Model model = net.build("pool-only", new ModelSpec(6, false, "pool", (p, h, w) -> p), x,
        flat)) {
      float[] input = new float[6 * 6 * 3];
      for (int i = 0; i < input.length; i++) {
        input[i] = -(i / 3);  // pixel p = 6r + c holds -p: a window's maximum is its top-left
      }
      // Windows start at rows/cols 0, 2, 4; the third ones cover row/col 6, which is padding.
      float[] expected = new float[27];
      int[] corners = {0, -2, -4, -12, -14, -16, -24, -26, -28};
      for (int i = 0; i < 27; i++) {
        expected[i] = corners[i / 3];
      }
      assertThat(model.logits(input, 1)).containsExactly(expected);
      assertThat(model.layer("pool").outputShape()).containsExactly(3, 3, 3);
    }
  }
}
