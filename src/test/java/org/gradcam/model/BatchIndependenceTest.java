package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An image's numbers are the same bits whatever batch it is run in: alone, at any batch size, at
 * any position, beside any other images. Without the graph batch of {@link ModelSpec} this fails
 * on TensorFlow's CPU kernels (batch 1, 3 and 5 round differently from batch 2, 4 and 8), so
 * every comparison here is exact: it is one machine, one kernel path, only the batch changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchIndependenceTest {
  private static final int IMAGES = 11;
  private Model squeezeNet;
  private Model mobileNet;

  @BeforeAll
  void load() throws Exception {
    squeezeNet = Models.load(SqueezeNet11.NAME, Assets.defaults());
    mobileNet = Models.load(MobileNetV2.NAME, Assets.defaults());
  }

  @AfterAll
  void close() {
    squeezeNet.close();
    mobileNet.close();
  }

  Stream<Arguments> models() {
    return Stream.of(Arguments.of(squeezeNet, "fire9"), Arguments.of(squeezeNet, "conv10"),
        Arguments.of(mobileNet, "Conv_1"));
  }

  private static float[] randomImages(Model model, int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * model.spec().inputLength()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  private static float[] row(float[] data, int length, int i) {
    return Arrays.copyOfRange(data, i * length, (i + 1) * length);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("models")
  void logitsActivationsAndGradientsDoNotDependOnTheBatch(Model model, String layer) {
    int len = model.spec().inputLength();
    float[] all = randomImages(model, IMAGES, 7);
    int[] top1 = new int[IMAGES];
    Arrays.fill(top1, -1);
    ForwardBackward whole = model.forwardBackward(layer, all, IMAGES, top1);
    float[] logits = model.logits(all, IMAGES);
    for (int i = 0; i < IMAGES; i++) {
      ForwardBackward alone = model.forwardBackward(layer, row(all, len, i), 1, new int[] {-1});
      assertThat(whole.logitsOf(i)).as("logits of image %d", i).isEqualTo(alone.logitsOf(0));
      assertThat(whole.activationsOf(i)).as("activations of image %d", i)
          .isEqualTo(alone.activationsOf(0));
      assertThat(whole.gradientsOf(i)).as("gradients of image %d", i)
          .isEqualTo(alone.gradientsOf(0));
      assertThat(whole.targetClasses()[i]).isEqualTo(alone.targetClasses()[0]);
      assertThat(row(logits, model.numClasses(), i)).as("forward-only logits of image %d", i)
          .isEqualTo(model.logits(row(all, len, i), 1));
    }
    // Every batch size from 1 to past two graph runs, the image first and last, other neighbours.
    ForwardBackward ref = model.forwardBackward(layer, row(all, len, 0), 1, new int[] {-1});
    float[] others = randomImages(model, 2 * model.graphBatch() + 1, 99);
    for (int b = 2; b <= 2 * model.graphBatch() + 1; b++) {
      for (int pos : new int[] {0, b - 1}) {
        float[] batch = Arrays.copyOf(others, b * len);
        System.arraycopy(all, 0, batch, pos * len, len);
        int[] classes = new int[b];
        Arrays.fill(classes, -1);
        ForwardBackward run = model.forwardBackward(layer, batch, b, classes);
        assertThat(run.gradientsOf(pos)).as("batch %d position %d", b, pos)
            .isEqualTo(ref.gradientsOf(0));
        assertThat(run.logitsOf(pos)).as("batch %d position %d", b, pos)
            .isEqualTo(ref.logitsOf(0));
      }
    }
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("models")
  void seededGradientsInputGradientsAndLayerFeedsDoNotDependOnTheBatch(Model model,
      String layer) {
    int len = model.spec().inputLength();
    int k = model.numClasses();
    int n = model.graphBatch() + 3;
    float[] all = randomImages(model, n, 11);
    float[] seed = new float[n * k];
    Random r = new Random(3);
    for (int i = 0; i < seed.length; i++) {
      seed[i] = r.nextFloat();
    }
    ForwardBackward seeded = model.forwardBackward(layer, all, n, seed);
    float[] inputGrad = model.inputGradient(all, n, seed);
    float[] fromLayer = model.logitsFromLayer(layer, seeded.activations(), n);
    int mapSize = seeded.mapSize();
    for (int i = 0; i < n; i++) {
      float[] x = row(all, len, i);
      float[] s = row(seed, k, i);
      assertThat(seeded.gradientsOf(i)).as("seeded gradients of image %d", i)
          .isEqualTo(model.forwardBackward(layer, x, 1, s).gradientsOf(0));
      assertThat(row(inputGrad, len, i)).as("input gradient of image %d", i)
          .isEqualTo(model.inputGradient(x, 1, s));
      assertThat(row(fromLayer, k, i)).as("logits from layer of image %d", i)
          .isEqualTo(model.logitsFromLayer(layer, seeded.activationsOf(i), 1));
    }
    assertThat(mapSize).isPositive();
  }

  Stream<Arguments> modelsAndMethods() {
    return models().flatMap(m -> CamMethods.names().stream()
        // Score-CAM: one forward pass per channel (1000 or 1280 here): one layer is enough.
        .filter(method -> !method.equals("scorecam") || m.get()[1].equals("fire9"))
        .map(method -> Arguments.of(m.get()[0], m.get()[1], method)));
  }

  @ParameterizedTest(name = "{1} {2}", autoCloseArguments = false)
  @MethodSource("modelsAndMethods")
  void everyCamMethodGivesTheSameMapAloneAndInABatch(Model model, String layer, String method) {
    int len = model.spec().inputLength();
    int n = 3;
    float[] all = randomImages(model, n, 5);
    Explainer explainer = new Explainer(model, layer, CamMethods.byName(method));
    List<Explanation> batch = explainer.explain(all, n, Target.topK(2));
    for (int i = 0; i < n; i++) {
      List<Explanation> alone = explainer.explain(row(all, len, i), 1, Target.topK(2));
      for (int j = 0; j < 2; j++) {
        Explanation b = batch.get(i * 2 + j);
        Explanation a = alone.get(j);
        assertThat(b.targetClass()).isEqualTo(a.targetClass());
        assertThat(b.heatmap().raw()).as("image %d class %d", i, j)
            .isEqualTo(a.heatmap().raw());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aViewAtAnotherGraphBatchSharesTheWeightsAndClosesNothing() {
    float[] x = randomImages(squeezeNet, 3, 21);
    float[] a;
    try (Model view = squeezeNet.atGraphBatch(1)) {
      assertThat(view.graphBatch()).isEqualTo(1);
      a = view.forwardBackward("fire9", x, 3, new int[] {-1, -1, -1}).gradients();
    }
    float[] b = squeezeNet.forwardBackward("fire9", x, 3, new int[] {-1, -1, -1}).gradients();
    // Other kernels for other shapes: equal up to float32 rounding, not bit for bit.
    double scale = 0;
    for (float v : b) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-5 * scale));
    }
  }
}
