package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.gradcam.data.Assets;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;

/** TensorFlow's step stats of a forward pass, read back as the speed section reports them. */
class RunProfileTest {
  @Test
  void squeezeNetForwardIsProfiledFromTheExecutedGraph() throws Exception {
    try (Model model = Models.load(SqueezeNet11.NAME, Assets.defaults());
        Model batch2 = model.atGraphBatch(2)) {
      long convLayers = model.layerOps().stream().filter(o -> o.kind() == LayerOp.Kind.CONV)
          .count();
      RunProfile.Profile p = RunProfile.forward(batch2, 2, 3);
      assertThat(p.batch()).isEqualTo(2);
      // Grappler fuses every Conv2D + BiasAdd + Relu (oneDNN on or off): no plain Conv2D,
      // BiasAdd or Relu runs, and the one NCHW-to-NHWC transpose is the only layout change.
      assertThat(convLayers).isEqualTo(26);
      assertThat(p.nodes("FusedConv2D")).isEqualTo(26);
      assertThat(p.nodes("Conv2D")).isEqualTo(26);
      assertThat(p.executed()).doesNotContainKeys("BiasAdd", "Relu", "Conv2D");
      assertThat(p.nodes("Transpose")).isEqualTo(1);
      assertThat(p.nodes("ConcatV2")).isEqualTo(8);
      assertThat(p.nodes("Pad")).isZero(); // ceil-mode pools at 224x224 need no padding
      // MaxPool, not MaxPoolV2 (window as a tensor), which oneDNN's rewrite leaves to TF's kernel.
      assertThat(p.nodes("MaxPool")).isEqualTo(3);
      assertThat(p.executed()).doesNotContainKey("MaxPoolV2");
      // The per-type times add up to the kernel total, and the convolutions dominate it.
      double sum = p.byType().stream().mapToDouble(RunProfile.OpType::micros).sum();
      assertThat(sum).isCloseTo(p.kernelMicros(), Offset.offset(1e-6 * sum));
      assertThat(p.micros("FusedConv2D")).isGreaterThan(0.3 * p.kernelMicros());
      assertThat(p.stepMicros()).isPositive();
      // The convolutions' cover is within the step in every run, so their medians keep the
      // order (not so against the mean of the summed times: covered() is tested below).
      assertThat(p.convMicros()).isPositive().isLessThanOrEqualTo(p.stepMicros());
      assertThat(p.byType().get(0).micros()).isGreaterThanOrEqualTo(p.byType().get(1).micros());
    }
  }

  @Test
  void forwardJobsInTheCallersThreadAndThroughThePoolGiveTheModelsLogits() throws Exception {
    try (Model model = Models.load(SqueezeNet11.NAME, Assets.defaults());
        Model batch2 = model.atGraphBatch(2)) {
      float[] x = new float[2 * model.spec().inputLength()];
      java.util.Random rnd = new java.util.Random(7);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextGaussian();
      }
      float[] expected = batch2.logits(x, 2);
      for (boolean callerThread : new boolean[] {true, false}) {
        RunProfile.ForwardJob job = new RunProfile.ForwardJob(batch2, x, 2, callerThread);
        assertThat(job.getAsInt()).isEqualTo(2 * model.numClasses());
        // The same kernels, scheduled otherwise: float32 rounding at most (logits up to ~30).
        assertThat(job.logits()).containsExactly(expected, Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void fixedCostRunsTheModelsFeedAndFetchWithoutTheNetwork() throws Exception {
    try (Model model = Models.load(SqueezeNet11.NAME, Assets.defaults());
        RunProfile.FixedCost fixed = new RunProfile.FixedCost(model, 3)) {
      assertThat(fixed.run()).isEqualTo(3 * model.numClasses());
      assertThat(fixed.run()).isEqualTo(3 * model.numClasses()); // the graph is reusable
    }
  }

  @Test
  void convolutionsAloneAreTheModelsConvolutionLayersWithNothingElse() throws Exception {
    try (Model model = Models.load(SqueezeNet11.NAME, Assets.defaults());
        ConvolutionsAlone convs = new ConvolutionsAlone(model, 2)) {
      List<String> names = model.layerOps().stream().filter(o -> o.kind() == LayerOp.Kind.CONV)
          .map(LayerOp::name).toList();
      assertThat(convs.layers()).extracting(ConvolutionsAlone.Layer::name)
          .containsExactlyElementsOf(names);
      // conv1: 3x3 over 3 channels to 64, 111x111 outputs; conv10: 1x1, 512 to 1000 on 13x13.
      assertThat(convs.layers().get(0).flops()).isEqualTo(2.0 * 111 * 111 * 3 * 3 * 3 * 64);
      assertThat(convs.layers().get(25).flops()).isEqualTo(2.0 * 13 * 13 * 512 * 1000);
      for (ConvolutionsAlone.Layer c : convs.layers()) {
        assertThat(c.run().getAsInt()).isEqualTo(1); // one value of the output
        assertThat(c.empty().getAsInt()).isEqualTo(1); // one value of the input
      }
      // One forward run executes every layer as the model's fused kernel, nothing pruned.
      assertThat(kernels(convs.forwardRunner(), "FusedConv2D")).hasSize(26);
      assertThat(convs.forward()).isEqualTo(26);
      // After the default layer fire9 a Grad-CAM's gradient passes through conv10 alone, as its
      // input gradient (Conv2DBackpropInput, oneDNN's or Eigen's kernel).
      assertThat(model.defaultLayer()).isEqualTo("fire9");
      assertThat(convs.backwardLayers()).isEqualTo(1);
      assertThat(kernels(convs.gradCamRunner(), "FusedConv2D")).hasSize(26);
      assertThat(kernels(convs.gradCamRunner(), "Conv2DBackpropInput")).hasSize(1);
      assertThat(convs.gradCam()).isEqualTo(27);
    }
  }

  /** The timeline labels of the kernels one traced run executes whose label has {@code part}. */
  private static List<String> kernels(Session.Runner runner, String part) {
    RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
        .build();
    try (Result r = runner.setOptions(trace).runAndFetchMetadata()) {
      return r.getMetadata().orElseThrow().getStepStats().getDevStatsList().stream()
          .flatMap(d -> d.getNodeStatsList().stream()).map(NodeExecStats::getTimelineLabel)
          .filter(l -> l.contains(part)).toList();
    }
  }

  @Test
  void coveredTimeCountsOverlappingIntervalsOnce() {
    // [0,10) and [5,12) overlap: 12; [20,25) alone: 5; [21,22) inside it: 0 more; [12,14)
    // touches the first run: 2 more.
    assertThat(RunProfile.covered(List.of(new long[] {20, 25}, new long[] {0, 10},
        new long[] {5, 12}, new long[] {21, 22}, new long[] {12, 14}))).isEqualTo(19);
    assertThat(RunProfile.covered(List.of())).isZero();
    assertThat(RunProfile.covered(List.of(new long[] {3, 7}))).isEqualTo(4);
  }
}
