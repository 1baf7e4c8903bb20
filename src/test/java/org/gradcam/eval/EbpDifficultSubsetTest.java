package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.gradcam.TestData;
import org.gradcam.data.VocBox;
import org.gradcam.data.VocObject;
import org.gradcam.data.VocObjectsCsv;
import org.junit.jupiter.api.Test;

class EbpDifficultSubsetTest {
  static final Path OBJECTS = TestData.path("voc2007-test/voc2007_test_objects.csv");

  static VocObject obj(String cls, boolean difficult, int x0, int y0, int x1, int y1) {
    return new VocObject("img", 100, 100, cls, difficult, new VocBox(x0, y0, x1, y1));
  }

  @Test
  void classUnderAQuarterWithADistractorIsDifficult() {
    VocObject person = obj("person", false, 60, 60, 90, 90);
    // 50 x 49 = 2450 pixels < 10000 / 4.
    assertThat(EbpDifficultSubset.isDifficult(List.of(obj("dog", false, 1, 1, 50, 49), person),
        "dog")).isTrue();
    // 50 x 50 = 2500 pixels is not below a quarter.
    assertThat(EbpDifficultSubset.isDifficult(List.of(obj("dog", false, 1, 1, 50, 50), person),
        "dog")).isFalse();
    // No other class in the image.
    assertThat(EbpDifficultSubset.isDifficult(List.of(obj("dog", false, 1, 1, 10, 10)), "dog"))
        .isFalse();
  }

  @Test
  void areaIsTheUnionOfTheClassBoxesDifficultOnesIncluded() {
    VocObject person = obj("person", false, 95, 95, 100, 100);
    // Two 40x40 boxes overlapping by 40x20: summed 3200 >= 2500, union 2400 < 2500.
    VocObject a = obj("dog", false, 1, 1, 40, 40);
    VocObject b = obj("dog", false, 1, 21, 40, 60);
    assertThat(EbpDifficultSubset.isDifficult(List.of(a, b, person), "dog")).isTrue();
    // A difficult box of the class still adds area: 2400 + 200 = 2600.
    VocObject hard = obj("dog", true, 61, 1, 70, 20);
    assertThat(EbpDifficultSubset.isDifficult(List.of(a, b, hard, person), "dog")).isFalse();
  }

  @Test
  void difficultObjectsNeitherDistractNorMakeAPairDifficult() {
    VocObject small = obj("dog", false, 1, 1, 10, 10);
    assertThat(EbpDifficultSubset.isDifficult(
        List.of(small, obj("person", true, 50, 50, 60, 60)), "dog")).isFalse();
    assertThat(EbpDifficultSubset.isDifficult(
        List.of(obj("dog", true, 1, 1, 10, 10), obj("person", false, 50, 50, 60, 60)), "dog"))
        .isFalse();
  }

  /**
   * Pairs of the real VOC 2007 test annotations whose flags in TorchRay's
   * pointing_game_ebp_voc07_difficult.txt were read by hand: each case separates the reading
   * implemented from a nearby one (summed areas, difficult distractors).
   */
  @Test
  void agreesWithTorchRayFlagsOnRealAnnotations() throws Exception {
    assumeTrue(Files.isRegularFile(OBJECTS), OBJECTS + " absent");
    Map<String, List<VocObject>> byImage = VocObjectsCsv.read(OBJECTS).stream()
        .collect(Collectors.groupingBy(VocObject::imageId));
    Object[][] cases = {
        {"000001", "dog", true}, {"000001", "person", false},
        {"000010", "person", true}, {"000010", "horse", false},
        {"000014", "bus", true}, {"000014", "car", true}, {"000014", "person", true},
        // Overlapping persons: summed area >= 1/4, union < 1/4; flagged.
        {"000467", "person", true},
        // Only difficult objects of other classes besides the persons; not flagged.
        {"000178", "person", false}, {"000178", "bottle", true},
        {"000126", "diningtable", false},
    };
    for (Object[] c : cases) {
      assertThat(EbpDifficultSubset.isDifficult(byImage.get((String) c[0]), (String) c[1]))
          .as("%s %s", c[0], c[1]).isEqualTo(c[2]);
    }
  }
}
