package org.gradcam.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.gradcam.classify.ConfusionMatrix.ClassMetrics;
import org.junit.jupiter.api.Test;

/** Precision, recall and F1 on tiny confusion matrices worked out by hand. */
class ConfusionMatrixTest {
  static final List<String> LABELS = List.of("cat", "dog", "fox", "owl");

  @Test
  void metricsOfAThreeClassMatrixWithAClassNeverPredicted() {
    // true:      cat cat cat cat dog dog dog fox fox
    // predicted: cat cat cat dog dog dog cat dog cat   (fox is never predicted)
    int[] truth = {0, 0, 0, 0, 1, 1, 1, 2, 2};
    int[] pred = {0, 0, 0, 1, 1, 1, 0, 1, 0};
    ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1, 2}, truth, pred, LABELS);
    assertThat(m.rows()).isEqualTo(3);
    assertThat(m.columns()).isEqualTo(3);
    // rows true, columns predicted: cat [3 1 0], dog [1 2 0], fox [1 1 0]
    long[][] expected = {{3, 1, 0}, {1, 2, 0}, {1, 1, 0}};
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        assertThat(m.count(r, c)).as("%d,%d", r, c).isEqualTo(expected[r][c]);
      }
    }
    assertThat(m.total()).isEqualTo(9);
    assertThat(m.correct()).isEqualTo(5);
    assertThat(m.accuracy()).isCloseTo(5.0 / 9, within(1e-12));
    List<ClassMetrics> k = m.metrics();
    // cat: TP 3, predicted 5, support 4 -> P 3/5, R 3/4, F1 2*0.6*0.75/1.35 = 2/3
    assertThat(k.get(0).precision()).isCloseTo(0.6, within(1e-12));
    assertThat(k.get(0).recall()).isCloseTo(0.75, within(1e-12));
    assertThat(k.get(0).f1()).isCloseTo(2.0 / 3, within(1e-12));
    // dog: TP 2, predicted 4, support 3 -> P 1/2, R 2/3, F1 2*(1/3)/(7/6) = 4/7
    assertThat(k.get(1).precision()).isCloseTo(0.5, within(1e-12));
    assertThat(k.get(1).recall()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(k.get(1).f1()).isCloseTo(4.0 / 7, within(1e-12));
    // fox: never predicted: precision 0/0 -> 0 (no NaN, no exception), recall 0/2, F1 0
    assertThat(k.get(2).predicted()).isZero();
    assertThat(k.get(2).support()).isEqualTo(2);
    assertThat(k.get(2).precision()).isZero();
    assertThat(k.get(2).recall()).isZero();
    assertThat(k.get(2).f1()).isZero();
    assertThat(m.macroF1()).isCloseTo((2.0 / 3 + 4.0 / 7 + 0) / 3, within(1e-12));
    assertThat(m.weightedF1()).isCloseTo((4 * 2.0 / 3 + 3 * 4.0 / 7) / 9, within(1e-12));
    assertThat(m.rowNormalized(2)).containsExactly(0.5, 0.5, 0.0);
  }

  @Test
  void aPredictionOutsideTheTrueClassesGetsItsOwnColumnAndNoRow() {
    // a class folder without a single right answer and a prediction of a class not in the data
    int[] truth = {0, 0, 1};
    int[] pred = {3, 0, 3};
    ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1}, truth, pred, LABELS);
    assertThat(m.rows()).isEqualTo(2);
    assertThat(m.columns()).isEqualTo(3);
    assertThat(m.classes()).containsExactly(0, 1, 3);
    assertThat(m.names()).containsExactly("cat", "dog", "owl");
    assertThat(m.count(0, 2)).isEqualTo(1);
    assertThat(m.count(1, 2)).isEqualTo(1);
    assertThat(m.accuracy()).isCloseTo(1.0 / 3, within(1e-12));
    ClassMetrics owl = m.metrics().get(2);
    assertThat(owl.support()).isZero();
    assertThat(owl.predicted()).isEqualTo(2);
    assertThat(owl.precision()).isZero();
    assertThat(owl.recall()).isZero(); // 0/0
    ClassMetrics dog = m.metrics().get(1);
    assertThat(dog.predicted()).isZero();
    assertThat(dog.f1()).isZero();
    // macro F1 over the classes with images only: cat P 1, R 1/2 -> F1 2/3; dog 0
    assertThat(m.macroF1()).isCloseTo((2.0 / 3 + 0) / 2, within(1e-12));
  }

  @Test
  void aTrueClassOutsideTheRowsIsRefused() {
    assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0}, new int[] {1}, new int[] {1},
        LABELS)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("true class 1");
  }
}
