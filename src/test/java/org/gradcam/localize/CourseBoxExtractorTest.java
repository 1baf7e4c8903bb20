package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.gradcam.data.PixelBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The published procedure against the boxes SciPy computed for the committed fixtures. */
class CourseBoxExtractorTest {

  static Stream<SciPyFixtures.Run> allSciPyRuns() {
    return Stream.of("holes", "connectivity", "border_tl", "border_tr", "border_bl", "border_br",
            "border_top", "border_left", "border_bottom", "border_right", "border_near_tl",
            "border_near_br", "tiny", "nothing_exceeds", "smoothed_away", "dtype_matters",
            "random_blobs")
        .flatMap(name -> SciPyFixtures.runs(name).stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSciPyRuns")
  void boxesEqualSciPys(SciPyFixtures.Run run) {
    List<PixelBox> boxes = run.extract(new CourseBoxExtractor(run.size(), run.precision()),
        run.threshold());

    assertThat(boxes).containsExactlyElementsOf(run.boxes());
  }

  static Stream<SciPyFixtures.Run> float32SciPyRuns() {
    return allSciPyRuns().filter(run -> run.precision() == Precision.FLOAT32);
  }

  /**
   * The project's maps are float32 arrays: SciPy's float32 runs saw the fixture rounded to
   * float32, so the float[] entry point on that rounded map must give SciPy's boxes too.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("float32SciPyRuns")
  void float32MapsGiveSciPysFloat32Boxes(SciPyFixtures.Run run) {
    double[] values = run.map().values();
    float[] map = new float[values.length];
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) values[i];
    }

    assertThat(new CourseBoxExtractor(run.size(), Precision.FLOAT32)
        .extract(map, run.map().width(), run.map().height(), run.threshold()))
        .containsExactlyElementsOf(run.boxes());
  }

  @Test
  void closedRingsAreFilledButARingOpenToTheOutsideIsNot() {
    SciPyFixtures.Run run = SciPyFixtures.run("holes", Precision.FLOAT64, 1, 0.5);
    List<PixelBox> boxes = run.extract(new CourseBoxExtractor(1, Precision.FLOAT64), 0.5);

    assertThat(boxes).containsExactly(
        new PixelBox(1, 1, 6, 5), new PixelBox(10, 2, 16, 7), new PixelBox(1, 8, 6, 12));
    assertThat(run.boxes()).isEqualTo(boxes);
  }

  @Test
  void edgeNeighboursJoinButDiagonalNeighboursStaySeparate() {
    SciPyFixtures.Run run = SciPyFixtures.run("connectivity", Precision.FLOAT64, 1, 0.5);
    List<PixelBox> boxes = run.extract(new CourseBoxExtractor(1, Precision.FLOAT64), 0.5);

    assertThat(boxes).containsExactly(
        new PixelBox(1, 1, 5, 4),   // two squares sharing an edge: one component
        new PixelBox(9, 2, 14, 6),  // the U shape
        new PixelBox(11, 3, 12, 4), // the pixel inside the U
        new PixelBox(1, 6, 3, 8),   // two squares meeting at a corner: two components
        new PixelBox(3, 8, 5, 10));
    assertThat(run.boxes()).isEqualTo(boxes);
  }

  @Test
  void evenWindowSpreadsABrightPixelFurtherDownAndRightThanUpAndLeft() {
    CourseBoxExtractor size3 = new CourseBoxExtractor(3, Precision.FLOAT64);
    CourseBoxExtractor size4 = new CourseBoxExtractor(4, Precision.FLOAT64);
    CourseBoxExtractor size20 = new CourseBoxExtractor(20, Precision.FLOAT64);
    SciPyFixtures.Run nearTopLeft = SciPyFixtures.run("border_near_tl", Precision.FLOAT64, 4, 0.0);
    SciPyFixtures.Run bottomRight = SciPyFixtures.run("border_br", Precision.FLOAT64, 4, 0.0);

    // Pixel (y=1, x=2). Output i averages inputs i-size/2 .. i+size-size/2-1, so with size 4 the
    // pixel reaches outputs x-1 .. x+2; size 3 is symmetric, x-1 .. x+1.
    assertThat(nearTopLeft.extract(size3, 0.0)).containsExactly(new PixelBox(1, 0, 4, 3));
    assertThat(nearTopLeft.extract(size4, 0.0)).containsExactly(new PixelBox(1, 0, 5, 4));
    // Reflection counts row 1 twice in output row 0's window (-2 -> 1, -1 -> 0, 0, 1), so only
    // row 0 reaches 2/16 > 0.1; every other output holds 1/16.
    assertThat(nearTopLeft.extract(size4, 0.1)).containsExactly(new PixelBox(1, 0, 5, 1));
    // Pixel (23, 29) of a 24x30 map with size 20: outputs i with i-10 <= p, clipped at the edge.
    assertThat(bottomRight.extract(size20, 0.0)).containsExactly(new PixelBox(20, 14, 30, 24));
    assertThat(bottomRight.extract(size4, 0.0)).containsExactly(new PixelBox(28, 22, 30, 24));
    assertThat(SciPyFixtures.run("border_near_tl", Precision.FLOAT64, 4, 0.1).boxes())
        .containsExactly(new PixelBox(1, 0, 5, 1));
    assertThat(SciPyFixtures.run("border_br", Precision.FLOAT64, 20, 0.0).boxes())
        .containsExactly(new PixelBox(20, 14, 30, 24));
  }

  @Test
  void nothingAboveTheThresholdGivesTheFullImageBox() {
    SciPyFixtures.Run flat = SciPyFixtures.run("nothing_exceeds", Precision.FLOAT64, 20, 0.2);

    assertThat(flat.extract(new CourseBoxExtractor(), 0.2))
        .containsExactly(new PixelBox(0, 0, 12, 10));
    assertThat(new CourseBoxExtractor().extract(new double[15], 5, 3, 0.0))
        .containsExactly(new PixelBox(0, 0, 5, 3));
  }

  @Test
  void smoothingCanLeaveNoBoxAtAll() {
    SciPyFixtures.Run run = SciPyFixtures.run("smoothed_away", Precision.FLOAT64, 20, 0.1);

    assertThat(run.rawCount()).isEqualTo(1);
    assertThat(run.extract(new CourseBoxExtractor(), 0.1)).isEmpty();
  }

  @Test
  void realisticMapAtThePublishedThresholds() {
    SciPyFixtures.Run map = SciPyFixtures.run("random_blobs", Precision.FLOAT64, 20, 0.01);
    CourseBoxExtractor course = new CourseBoxExtractor();

    assertThat(map.extract(course, 0.01)).containsExactly(new PixelBox(59, 0, 80, 19),
        new PixelBox(0, 6, 53, 39), new PixelBox(66, 23, 80, 57), new PixelBox(26, 46, 55, 60));
    assertThat(map.extract(course, 0.02)).containsExactly(new PixelBox(61, 0, 80, 18),
        new PixelBox(0, 8, 52, 38), new PixelBox(67, 24, 80, 56), new PixelBox(27, 47, 54, 60));
    assertThat(map.extract(course, 0.06)).containsExactly(new PixelBox(64, 0, 80, 16),
        new PixelBox(0, 13, 27, 36), new PixelBox(68, 27, 80, 53), new PixelBox(30, 50, 51, 60));
    for (double t : new double[] {0.01, 0.02, 0.06}) {
      assertThat(map.extract(course, t))
          .isEqualTo(SciPyFixtures.run("random_blobs", Precision.FLOAT64, 20, t).boxes());
    }
  }

  @Test
  void float32MapsCompareInFloat32LikeNumPy() {
    SciPyFixtures.Run map = SciPyFixtures.run("dtype_matters", Precision.FLOAT64, 1, 0.1);

    // 0.1000000001 > 0.1 in float64, but both round to the same float32, which is not > itself.
    assertThat(map.extract(new CourseBoxExtractor(1, Precision.FLOAT64), 0.1))
        .containsExactly(new PixelBox(3, 2, 7, 5));
    assertThat(map.extract(new CourseBoxExtractor(1, Precision.FLOAT32), 0.1))
        .containsExactly(new PixelBox(0, 0, 10, 8));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsThresholdsOutsideZeroToOne(double threshold) {
    assertThatThrownBy(() -> new CourseBoxExtractor().extract(new double[4], 2, 2, threshold))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold must be in [0, 1]");
  }

  @Test
  void acceptsBothEndsOfTheThresholdRange() {
    double[] ones = {1, 1, 1, 1};

    assertThat(new CourseBoxExtractor().extract(ones, 2, 2, 0.0))
        .containsExactly(new PixelBox(0, 0, 2, 2));
    assertThat(new CourseBoxExtractor().extract(ones, 2, 2, 1.0))
        .containsExactly(new PixelBox(0, 0, 2, 2));
  }

  @Test
  void rejectsEmptyMisshapenAndNonFiniteMaps() {
    CourseBoxExtractor course = new CourseBoxExtractor();

    assertThatThrownBy(() -> course.extract(new double[0], 0, 0, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> course.extract(new double[0], 0, 3, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> course.extract((double[]) null, 2, 2, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> course.extract((float[]) null, 2, 2, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    // A flat map cannot be ragged; the length must match the shape instead.
    assertThatThrownBy(() -> course.extract(new double[3], 2, 2, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 values, not 2x2");
    assertThatThrownBy(() -> course.extract(new double[] {0, 1, Double.NaN, 0}, 2, 2, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(y=1, x=0)").hasMessageContaining("NaN");
  }

  @Test
  void rejectsFilterSizesBelowOne() {
    assertThatThrownBy(() -> new CourseBoxExtractor(0, Precision.FLOAT64))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and");
  }
}
