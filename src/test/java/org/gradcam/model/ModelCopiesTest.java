package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A model is immutable: labels and preprocessing come as copies that share the graph, leave the
 * original as it was, and close the graph once whichever is closed.
 */
class ModelCopiesTest {
  private static Model tiny() {
    NetBuilder net = new NetBuilder(new Graph());
    Operand<TFloat32> x = net.input("x", 2, 2, 3);
    Operand<TFloat32> flat = net.flatten("flat", net.maxPool("pool", x, 1, 1, false));
    return net.build("tiny", new ModelSpec(2, false, "pool", (p, h, w) -> p), x, flat);
  }

  @Test
  void labelledAndPreprocessedCopiesLeaveTheOriginalAsItWas() {
    List<String> names = IntStream.range(0, 12).mapToObj(i -> "c" + i).toList();
    Preprocessing torch = Preprocessing.of("torch", 3, null, null);
    // Closed in reverse order: the last copy closes the shared graph, closing the others after
    // it is harmless.
    try (Model model = tiny();
        Model labelled = model.withLabels(names);
        Model both = labelled.withPreprocessing(torch)) {
      assertThat(model.labels()).hasSize(12).startsWith("class_0", "class_1");
      assertThat(model.preprocessing()).isNull();
      assertThat(labelled.labels()).isEqualTo(names);
      assertThat(labelled.hasImageNetClasses()).isFalse();
      assertThat(both.labels()).isEqualTo(names);
      assertThat(both.preprocessing()).isSameAs(torch);
      try (Model view = both.atGraphBatch(1)) {
        assertThat(view.labels()).isEqualTo(names);
      }
      // One graph: the same input gives the same logits through every copy.
      float[] in = new float[12];
      for (int i = 0; i < in.length; i++) {
        in[i] = i * 0.5f - 2;
      }
      assertThat(both.logits(in, 1)).containsExactly(model.logits(in, 1)).containsExactly(in);
    }
  }

  @Test
  void labelsOfTheWrongLengthAreRefusedSayingBothCounts() {
    try (Model model = tiny()) {
      assertThatThrownBy(() -> model.withLabels(List.of("a", "b", "c")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("3 labels for model tiny, which has 12 outputs");
      assertThat(model.labels()).hasSize(12);
    }
  }
}
