package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.ScoreCam;
import org.gradcam.cam.Target;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Perturbation methods take the forward-only path: {@link Model#forward} gives the same logits
 * and activations as the gradient run, and Score-CAM never adds a gradient op to the graph.
 */
class PerturbationForwardTest {

  static Model smallNet(long seed) {
    Random rnd = new Random(seed);
    Graph graph = new Graph();
    NetBuilder net = new NetBuilder(graph);
    Operand<TFloat32> in = net.input("input", 8, 8, 3);
    Operand<TFloat32> x = net.conv("conv1", in, gauss(rnd, 3 * 3 * 3 * 4, 0.5),
        new long[] {3, 3, 3, 4}, gauss(rnd, 4, 0.1), 1, "SAME", true);
    x = net.maxPool("pool", x, 2, 2, false);
    x = net.flatten("flatten", x);
    x = net.dense("logits", x, gauss(rnd, 64 * 5, 0.5), new long[] {64, 5}, gauss(rnd, 5, 0.1),
        false);
    return net.build("small", new ModelSpec(8, false, "pool", (p, h, w) -> p, 4), in, x);
  }

  static float[] gauss(Random rnd, int n, double scale) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (rnd.nextGaussian() * scale);
    }
    return out;
  }

  private static List<String> opNames(Graph graph) {
    List<String> names = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      names.add(it.next().name());
    }
    return names;
  }

  @Test
  void forwardEqualsTheGradientRunsForwardHalf() {
    try (Model model = smallNet(3)) {
      int n = 6; // two runs of graph batch 4, the second padded
      float[] batch = gauss(new Random(5), n * model.spec().inputLength(), 1.0);
      int[] top = new int[n];
      java.util.Arrays.fill(top, -1);
      float[][] f = model.forward("pool", batch, n);
      ForwardBackward fb = model.forwardBackward("pool", batch, n, top);
      assertThat(f[0]).containsExactly(fb.logits());
      assertThat(f[1]).containsExactly(fb.activations());
    }
  }

  @Test
  void scoreCamRunsNoGradientOp() {
    try (Model model = smallNet(3)) {
      float[] batch = gauss(new Random(7), 3 * model.spec().inputLength(), 1.0);
      Explainer explainer = new Explainer(model, "pool", new ScoreCam());
      for (Target t : List.of(Target.top1(), Target.classIndex(2), Target.topK(2),
          Target.classSet(1, 3), new Target.BestOf(new int[] {0, 4}))) {
        explainer.explain(batch, 3, t);
      }
      // Before, every Score-CAM explanation ran (and so built) a Grad-CAM gradient.
      assertThat(opNames(model.graph())).noneMatch(name -> name.startsWith("gradcam_"))
          .noneMatch(name -> name.contains("grad"));
    }
  }

  @Test
  void scoreCamTargetsAreTheGradientPathsTargets() {
    try (Model model = smallNet(3)) {
      int n = 5;
      float[] batch = gauss(new Random(9), n * model.spec().inputLength(), 1.0);
      Explainer explainer = new Explainer(model, "pool", new ScoreCam());
      int[] top = new int[n];
      java.util.Arrays.fill(top, -1);
      int[] argmax = model.forwardBackward("pool", batch, n, top).targetClasses();
      List<Explanation> top1 = explainer.explain(batch, n, Target.top1());
      List<Explanation> top2 = explainer.explain(batch, n, Target.topK(2));
      assertThat(top2).hasSize(2 * n);
      for (int i = 0; i < n; i++) {
        assertThat(top1.get(i).image()).isEqualTo(i);
        assertThat(top1.get(i).targetClass()).isEqualTo(argmax[i]);
        // The first of an image's top-2 maps is its top-1 map; the second another class's.
        assertThat(top2.get(2 * i).targetClass()).isEqualTo(argmax[i]);
        assertThat(top2.get(2 * i).heatmap().raw()).containsExactly(top1.get(i).heatmap().raw());
        int second = top2.get(2 * i + 1).targetClass();
        assertThat(second).isNotEqualTo(argmax[i]);
        float[] alone = explainer.explain(java.util.Arrays.copyOfRange(batch,
            i * model.spec().inputLength(), (i + 1) * model.spec().inputLength()), 1,
            Target.classIndex(second)).get(0).heatmap().raw();
        assertThat(top2.get(2 * i + 1).heatmap().raw()).containsExactly(alone);
        assertThat(top1.get(i).logits()).containsExactly(java.util.Arrays.copyOfRange(
            model.logits(batch, n), i * 5, (i + 1) * 5));
      }
    }
  }
}
