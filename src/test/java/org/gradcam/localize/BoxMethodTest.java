package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each box method names its extractor (their behaviour is tested on the extractors). */
class BoxMethodTest {
  @Test
  void eachNameGivesItsExtractor() {
    assertThat(BoxMethod.COURSE.extractor(20, Precision.FLOAT32))
        .isInstanceOf(CourseBoxExtractor.class);
    assertThat(BoxMethod.PAPER.extractor(20, Precision.FLOAT32))
        .isInstanceOf(PaperBoxExtractor.class);
    assertThat(BoxMethod.COURSE.id()).isEqualTo("course");
    assertThat(BoxMethod.PAPER.id()).isEqualTo("paper");
  }
}
