package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.PixelBox;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocBox;
import org.gradcam.eval.Protocol;
import org.gradcam.localize.CourseBoxExtractor;
import org.gradcam.localize.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageMap, ThresholdSweep, BestIou and the dataset subsets the exploration notebook uses. */
class ExplorationHelpersTest {
  @TempDir Path tmp;

  /** A 4x4 map, hot in its top-left 2x2 quarter, on a 40x40 image. */
  private static ImageMap hotCorner(String id) {
    float[] raw = new float[16];
    raw[0] = raw[1] = raw[4] = raw[5] = 2f;
    return ImageMap.of(id, new Explanation(0, 7, new float[] {1f, 2f}, new Heatmap(4, 4, raw)), 40, 40);
  }

  @Test
  void imageMapIsNormalisedAndUpsampled() {
    ImageMap m = hotCorner("a");
    assertThat(m.values()).hasSize(1600);
    assertThat(m.values()[0]).isEqualTo(1f);
    assertThat(m.values()[39 * 40 + 39]).isEqualTo(0f);
    assertThat(m.targetClass()).isEqualTo(7);
    assertThat(m.logits()).containsExactly(1f, 2f);
    assertThat(m.width()).isEqualTo(40);
    assertThat(m.height()).isEqualTo(40);
  }

  @Test
  void sweepBoxesEachMapAtEachThresholdLikeTheExtractor() {
    Map<String, ImageMap> maps = new LinkedHashMap<>();
    maps.put("a", hotCorner("a"));
    maps.put("b", hotCorner("b"));
    var extractor = new CourseBoxExtractor(5, Precision.FLOAT32);
    double[] ts = {0.1, 0.5, 1.0};
    ThresholdSweep sweep = ThresholdSweep.run(maps, ts, extractor, BoxScore.MEAN);

    for (double t : ts) {
      assertThat(sweep.boxesAt(t).keySet()).containsExactly("a", "b");
      assertThat(sweep.boxesAt(t).get("a")).isEqualTo(maps.get("a").boxes(extractor, t, BoxScore.MEAN));
    }
    // nothing exceeds 1.0: the extractor's full-image box
    assertThat(sweep.boxesAt(1.0).get("a").get(0).box())
        .isEqualTo(PixelBox.fullImage(40, 40));
    assertThat(sweep.detectionsAt(0.5)).hasSize(2);
    assertThatThrownBy(() -> sweep.boxesAt(0.3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ThresholdSweep.run(maps, new double[] {0.1, 0.1}, extractor,
        BoxScore.MEAN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boxesAtSeveralThresholdsAreEachThresholdsBoxesInThresholdOrder() {
    ImageMap m = hotCorner("a");
    var extractor = new CourseBoxExtractor(5, Precision.FLOAT32);
    double[] ts = {0.5, 0.1, 1.0};
    List<ScoredBox> expected = new java.util.ArrayList<>();
    for (double t : ts) {
      expected.addAll(m.boxes(extractor, t, BoxScore.MEAN));
    }
    assertThat(m.boxes(extractor, ts, BoxScore.MEAN)).isEqualTo(expected);
    assertThat(m.boxes(extractor, ts, BoxScore.MEAN).get(0).threshold()).isEqualTo(0.5);
  }

  @Test
  void fallbackIsNoMapValueAboveTheThreshold() {
    ImageMap m = hotCorner("a"); // values in [0, 1], 1 in the corner
    assertThat(m.fallback(1.0)).isTrue();
    assertThat(m.fallback(0.99)).isFalse();
    assertThat(m.fallback(0.0)).isFalse();
    ImageMap zero = ImageMap.of("z", new Explanation(0, 1, new float[] {0f},
        new Heatmap(2, 2, new float[4])), 4, 4);
    assertThat(zero.fallback(0.0)).isTrue(); // 0 does not exceed 0
  }

  @Test
  void sweepEvaluatesEveryThresholdAndIou() {
    Map<String, ImageMap> maps = Map.of("a", hotCorner("a"));
    ThresholdSweep sweep = ThresholdSweep.run(maps, new double[] {0.5, 1.0},
        new CourseBoxExtractor(1, Precision.FLOAT32), BoxScore.MEAN);
    // GT = the whole image in VOC convention: the full-image box matches it, the corner box not
    GroundTruth gt = new GroundTruth(Map.of("a",
        List.of(new GroundTruthBox(new VocBox(1, 1, 40, 40), false))));
    var points = sweep.evaluate(gt, new double[] {0.3, 0.5}, Protocol.PUBLISHED);
    assertThat(points).hasSize(4);
    assertThat(points.get(0).threshold()).isEqualTo(0.5);
    assertThat(points.get(1).iou()).isEqualTo(0.5);
    assertThat(points.get(2).apPercent()).isCloseTo(100.0, within(1e-9));
    assertThat(points.get(3).recallPercent()).isCloseTo(100.0, within(1e-9));
    assertThat(ThresholdSweep.fullImageBoxes(maps).get(0).box())
        .isEqualTo(new VocBox(0, 0, 40, 40));
  }

  @Test
  void bestIouPerGroundTruthBoxAndPerImage() {
    var near = new ScoredBox(0.1, new PixelBox(0, 0, 10, 10), 0.9);
    var far = new ScoredBox(0.1, new PixelBox(30, 30, 40, 40), 0.9);
    GroundTruth gt = new GroundTruth(new LinkedHashMap<>(Map.of(
        "a", List.of(new GroundTruthBox(new VocBox(1, 1, 10, 10), false),
            new GroundTruthBox(new VocBox(21, 21, 25, 25), false)),
        "b", List.of(new GroundTruthBox(new VocBox(1, 1, 5, 5), false)))));
    var matches = BestIou.perGroundTruthBox(gt, Map.of("a", List.of(far, near)));

    assertThat(matches).hasSize(3);
    var first = matches.stream().filter(m -> m.imageId().equals("a") && m.index() == 0).findFirst().get();
    // [0,10] vs [1,10] with +1: 10x10 inside 11x11
    assertThat(first.iou()).isCloseTo(100.0 / 121.0, within(1e-12));
    assertThat(first.best()).contains(near.box());
    var noBoxes = matches.stream().filter(m -> m.imageId().equals("b")).findFirst().get();
    assertThat(noBoxes.best()).isEmpty();
    assertThat(noBoxes.iou()).isZero();
    assertThat(BestIou.perImage(matches)).containsEntry("a", 100.0 / 121.0).containsEntry("b", 0.0);
  }

  @Test
  void groundTruthRestrictedToKeepsOrderAndRejectsUnknownIds() {
    Map<String, List<GroundTruthBox>> m = new LinkedHashMap<>();
    m.put("x", List.of());
    m.put("y", List.of(new GroundTruthBox(new VocBox(1, 1, 2, 2), false)));
    m.put("z", List.of(new GroundTruthBox(new VocBox(1, 1, 3, 3), true)));
    GroundTruth gt = new GroundTruth(m);

    GroundTruth sub = gt.restrictedTo(List.of("z", "x"));
    assertThat(sub.byImage().keySet()).containsExactly("x", "z");
    assertThat(sub.boxCount()).isEqualTo(1);
    assertThatThrownBy(() -> gt.restrictedTo(List.of("w")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w'");
  }

  @Test
  void firstImagesOfADataset() throws IOException {
    Path images = Files.createDirectories(tmp.resolve("images"));
    StringBuilder csv = new StringBuilder(
        "image_id,width,height,depth,object_index,class,pose,truncated,difficult,xmin,ymin,xmax,ymax\n");
    for (String id : List.of("i1", "i2", "i3")) {
      ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "jpg",
          images.resolve(id + ".jpg").toFile());
      csv.append(id).append(",8,8,3,0,dog,Left,0,0,1,1,4,4\n");
    }
    csv.append("i4,8,8,3,0,dog,Left,0,0,1,1,4,4\n"); // no JPEG
    Path file = Files.writeString(tmp.resolve("objects.csv"), csv);
    DogDataset all = DogDataset.open(images, file, "all");

    DogDataset two = all.first(2, "first two");
    assertThat(two.label()).isEqualTo("first two");
    assertThat(two.files().keySet()).containsExactly("i1", "i2");
    assertThat(two.groundTruth().byImage().keySet()).containsExactly("i1", "i2");
    assertThat(two.missing()).containsExactly("i4");
    assertThat(all.first(10, "all").files()).hasSize(3);
    assertThatThrownBy(() -> all.first(0, "none")).isInstanceOf(IllegalArgumentException.class);
  }
}
