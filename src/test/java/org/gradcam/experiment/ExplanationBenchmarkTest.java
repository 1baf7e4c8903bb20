package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gradcam.TestData;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.experiment.ExplanationBenchmark.ImageResult;
import org.gradcam.experiment.ExplanationBenchmark.Settings;
import org.gradcam.experiment.ExplanationBenchmark.Summary;
import org.gradcam.eval.PointingGame.Outcome;
import org.gradcam.faithfulness.CausalMetric;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.Test;

/** End to end on two real VOC 2007 dog images with SqueezeNet 1.1 and Grad-CAM. */
class ExplanationBenchmarkTest {
  static final Path VOC = TestData.path("voc2007-test");

  @Test
  void twoVocDogImagesGiveInRangeDeterministicNumbers() throws Exception {
    Path csv = VOC.resolve("voc2007_test_objects.csv");
    assumeTrue(Files.isRegularFile(csv) && Files.isDirectory(VOC.resolve("JPEGImages")),
        "VOC data absent");
    List<ExplanationBenchmark.Image> images =
        ExplanationBenchmark.loadVoc(VOC.resolve("JPEGImages"), csv, "dog", 2);
    assertThat(images).extracting(ExplanationBenchmark.Image::id)
        .containsExactly("000001", "001150");
    try (Model model = Models.load("squeezenet1.1", Assets.defaults())) {
      Explainer explainer = new Explainer(model, model.spec().defaultLayer(), new GradCam());
      // All 118 ImageNet dog classes stand for VOC "dog"; the curves score their summed probability.
      Target dogs = new Target.ClassSet(Target.range(151, 268));
      ExplanationBenchmark bench = new ExplanationBenchmark(explainer, dogs, "dog",
          Settings.defaults());
      List<ImageResult> first = bench.run(images);
      List<ImageResult> second = bench.run(images);

      for (int i = 0; i < 2; i++) {
        ImageResult r = first.get(i);
        ImageResult again = second.get(i);
        assertThat(r.pointing()).isIn(Outcome.HIT, Outcome.MISS);
        assertThat(r.point().x()).isBetween(0, 499);
        assertThat(r.energy()).isBetween(0.0, 1.0);
        assertThat(r.meanBestIou()).isBetween(0.0, 1.0);
        assertThat(r.deletion().probabilities()).hasSize(CausalMetric.DEFAULT_STEPS + 1);
        assertThat(r.deletionAuc()).isBetween(0.0, 1.0);
        assertThat(r.insertionAuc()).isBetween(0.0, 1.0);
        for (double p : r.insertion().probabilities()) {
          assertThat(p).isBetween(0.0, 1.0);
        }
        assertThat(r.explainMillis()).isPositive().isLessThanOrEqualTo(r.totalMillis());
        // Same numbers on a second run: nothing of one image or run leaks into the next.
        assertThat(again.point()).isEqualTo(r.point());
        assertThat(again.energy()).isEqualTo(r.energy());
        assertThat(again.meanBestIou()).isEqualTo(r.meanBestIou());
        assertThat(again.deletion().probabilities()).containsExactly(r.deletion().probabilities());
        assertThat(again.insertion().probabilities()).containsExactly(r.insertion().probabilities());
      }
      // 000001: small dog next to a person (EBP difficult); 001150: the dog fills the picture.
      assertThat(first.get(0).difficult()).isTrue();
      assertThat(first.get(1).difficult()).isFalse();
      // The dog probability of the intact picture starts the deletion curve and ends insertion.
      for (ImageResult r : first) {
        double[] del = r.deletion().probabilities();
        double[] ins = r.insertion().probabilities();
        assertThat(ins[ins.length - 1]).isCloseTo(del[0], org.assertj.core.data.Offset.offset(1e-6));
      }
      Summary s = ExplanationBenchmark.summarize(first);
      assertThat(s.images()).isEqualTo(2);
      assertThat(s.hits() + s.misses()).isEqualTo(2);
      assertThat(s.difficultHits() + s.difficultMisses()).isEqualTo(1);
      assertThat(s.meanDeletionAuc()).isBetween(0.0, 1.0);
      for (ImageResult r : first) {
        System.out.printf("%s point=%s %s difficult=%s energy=%.4f iou=%.4f del=%.4f ins=%.4f "
            + "p0=%.4f explain=%.0fms total=%.0fms%n", r.id(), r.point(), r.pointing(),
            r.difficult(), r.energy(), r.meanBestIou(), r.deletionAuc(), r.insertionAuc(),
            r.deletion().probabilities()[0], r.explainMillis(), r.totalMillis());
      }
    }
  }

  @Test
  void batchedImagesGetTheNumbersTheyGetAlone() throws Exception {
    Path csv = VOC.resolve("voc2007_test_objects.csv");
    assumeTrue(Files.isRegularFile(csv) && Files.isDirectory(VOC.resolve("JPEGImages")),
        "VOC data absent");
    List<ExplanationBenchmark.Image> images =
        ExplanationBenchmark.loadVoc(VOC.resolve("JPEGImages"), csv, "dog", 0);
    assertThat(images).hasSizeGreaterThan(2);
    try (Model model = Models.load("squeezenet1.1", Assets.defaults())) {
      Explainer explainer = new Explainer(model, model.spec().defaultLayer(), new GradCam());
      // Few steps: the curves' values are compared, not their resolution.
      Settings settings = new Settings(15, Settings.defaults().interpolation(), 0.15,
          CausalMetric.deletion().withSteps(4), CausalMetric.insertion().withSteps(4));
      ExplanationBenchmark bench = new ExplanationBenchmark(explainer,
          new Target.BestOf(Target.range(151, 268)), "dog", settings);
      List<String> order = new java.util.ArrayList<>();
      List<ImageResult> together = bench.run(images, (image, e) -> order.add(image.id()));
      assertThat(order).containsExactlyElementsOf(images.stream()
          .map(ExplanationBenchmark.Image::id).toList());
      for (int i = 0; i < images.size(); i++) {
        ImageResult alone = bench.run(images.get(i));
        ImageResult r = together.get(i);
        assertThat(r.id()).isEqualTo(alone.id());
        assertThat(r.targetClass()).isEqualTo(alone.targetClass());
        assertThat(r.point()).isEqualTo(alone.point());
        assertThat(r.energy()).isEqualTo(alone.energy());
        assertThat(r.meanBestIou()).isEqualTo(alone.meanBestIou());
        assertThat(r.deletion().probabilities()).containsExactly(alone.deletion().probabilities());
        assertThat(r.insertion().probabilities())
            .containsExactly(alone.insertion().probabilities());
        assertThat(r.explainMillis()).isPositive().isLessThanOrEqualTo(r.totalMillis());
      }
    }
  }
}
