package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.gradcam.eval.Iou.Convention.CONTINUOUS;
import static org.gradcam.eval.Iou.Convention.INCLUSIVE_PIXELS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocBox;
import org.junit.jupiter.api.Test;

class VocEvaluatorTest {
  private static final VocBox TEN = new VocBox(0, 0, 9, 9); // 10 x 10 pixels with the +1 convention

  private static GroundTruth gt(Object... idAndBoxes) {
    Map<String, List<GroundTruthBox>> m = new LinkedHashMap<>();
    for (int i = 0; i < idAndBoxes.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<GroundTruthBox> boxes = (List<GroundTruthBox>) idAndBoxes[i + 1];
      m.put((String) idAndBoxes[i], boxes);
    }
    return new GroundTruth(m);
  }

  private static GroundTruthBox easy(VocBox b) {
    return new GroundTruthBox(b, false);
  }

  @Test
  void apOnHandCaseWithDuplicateBothVariants() {
    // GT: a and b each hold TEN. Ranked detections:
    //   .9 a TEN -> TP; .8 a TEN -> FP (a's box is taken); .7 b far away -> FP; .6 b TEN -> TP
    // cumulative tp 1,1,1,2  fp 0,1,2,2  recall .5,.5,.5,1  precision 1,1/2,1/3,1/2
    // all-point: envelope from the right 1,1/2,1/2,1/2 -> .5*1 + .5*.5 = .75
    // 11-point: t=0..0.5 (6 points) best precision 1, t=0.6..1 (5 points) 1/2 -> 8.5/11
    GroundTruth g = gt("a", List.of(easy(TEN)), "b", List.of(easy(TEN)));
    List<Detection> d = List.of(new Detection("b", new VocBox(20, 20, 29, 29), 0.7),
        new Detection("a", TEN, 0.9), new Detection("b", TEN, 0.6), new Detection("a", TEN, 0.8));
    PrCurve c = VocEvaluator.curve(g, d, 0.5, Protocol.PUBLISHED);
    assertThat(c.recall()).containsExactly(0.5, 0.5, 0.5, 1.0);
    assertThat(c.precision()).containsExactly(new double[] {1, 0.5, 1.0 / 3, 0.5}, within(1e-15));
    assertThat(c.truePositives()).isEqualTo(2);
    assertThat(c.falsePositives()).isEqualTo(2);
    assertThat(c.ap(ApMethod.ALL_POINT)).isCloseTo(0.75, within(1e-15));
    assertThat(c.ap(ApMethod.ELEVEN_POINT)).isCloseTo(8.5 / 11, within(1e-15));
    assertThat(c.finalRecall()).isEqualTo(1.0);
  }

  @Test
  void tiesKeepInputOrder() {
    // a holds TEN, b holds nothing. Both detections score .5.
    // input order FP, TP: recall 0,1 precision 0,1/2 -> AP = 1 * 1/2
    // input order TP, FP: recall 1,1 precision 1,1/2 -> AP = 1
    GroundTruth g = gt("a", List.of(easy(TEN)), "b", List.of());
    Detection fp = new Detection("b", TEN, 0.5);
    Detection tp = new Detection("a", TEN, 0.5);
    assertThat(VocEvaluator.curve(g, List.of(fp, tp), 0.5, Protocol.PUBLISHED)
        .ap(ApMethod.ALL_POINT)).isCloseTo(0.5, within(1e-15));
    assertThat(VocEvaluator.curve(g, List.of(tp, fp), 0.5, Protocol.PUBLISHED)
        .ap(ApMethod.ALL_POINT)).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void difficultCountVersusIgnore() {
    // a: easy TEN and difficult D. Ranked: .9 on D, .8 far away (FP), .7 on TEN.
    // count (2 positives): recall .5,.5,1 precision 1,1/2,2/3
    //   all-point: envelope 1,2/3,2/3 -> .5*1 + .5*2/3 = 5/6
    // ignore (1 positive): .9 is neither TP nor FP -> recall 0,0,1 precision 0,0,1/2
    //   all-point: 1 * 1/2 = 1/2
    VocBox d = new VocBox(20, 20, 29, 29);
    GroundTruth g = gt("a", List.of(easy(TEN), new GroundTruthBox(d, true)));
    List<Detection> dets = List.of(new Detection("a", d, 0.9),
        new Detection("a", new VocBox(50, 50, 59, 59), 0.8), new Detection("a", TEN, 0.7));
    PrCurve count = VocEvaluator.curve(g, dets, 0.5, Protocol.PUBLISHED);
    assertThat(count.positives()).isEqualTo(2);
    assertThat(count.ap(ApMethod.ALL_POINT)).isCloseTo(5.0 / 6, within(1e-15));
    assertThat(count.finalRecall()).isEqualTo(1.0);
    PrCurve ignore = VocEvaluator.curve(g, dets, 0.5, Protocol.PUBLISHED.with(DifficultMode.IGNORE));
    assertThat(ignore.positives()).isEqualTo(1);
    assertThat(ignore.recall()).containsExactly(0, 0, 1);
    assertThat(ignore.precision()).containsExactly(0, 0, 0.5);
    assertThat(ignore.truePositives() + ignore.falsePositives()).isEqualTo(2);
    assertThat(ignore.ap(ApMethod.ALL_POINT)).isCloseTo(0.5, within(1e-15));
  }

  @Test
  void iouPlusOneConvention() {
    // [1,1,2,2] and [2,2,3,3]: with +1 each covers 2x2 pixels and they share pixel (2,2): 1/7;
    // as continuous boxes they only touch: 0.
    VocBox a = new VocBox(1, 1, 2, 2);
    VocBox b = new VocBox(2, 2, 3, 3);
    assertThat(Iou.of(a, b, INCLUSIVE_PIXELS)).isEqualTo(1.0 / 7);
    assertThat(Iou.of(a, b, CONTINUOUS)).isEqualTo(0.0);
    // [0,0,9,9] vs [5,0,14,9]: +1 -> 50 / (100 + 100 - 50) = 1/3; continuous -> 36 / 126 = 2/7
    assertThat(Iou.of(TEN, new VocBox(5, 0, 14, 9), INCLUSIVE_PIXELS))
        .isCloseTo(1.0 / 3, within(1e-15));
    assertThat(Iou.of(TEN, new VocBox(5, 0, 14, 9), CONTINUOUS)).isCloseTo(2.0 / 7, within(1e-15));
  }

  @Test
  void thresholdIsStrict() {
    // [0,0,4,9] covers half of TEN with +1: IoU exactly 50/100 = 0.5
    GroundTruth g = gt("a", List.of(easy(TEN)));
    List<Detection> d = List.of(new Detection("a", new VocBox(0, 0, 4, 9), 1));
    assertThat(VocEvaluator.curve(g, d, 0.5, Protocol.PUBLISHED).truePositives()).isZero();
    assertThat(VocEvaluator.curve(g, d, 0.5, Protocol.PUBLISHED.withStrictThreshold(false))
        .truePositives()).isOne();
  }

  @Test
  void badInputsFailClearly() {
    GroundTruth g = gt("a", List.of(easy(TEN)));
    List<Detection> d = List.of(new Detection("a", TEN, 1));
    assertThatThrownBy(() -> VocEvaluator.curve(g, List.of(), 0.5, Protocol.PUBLISHED))
        .hasMessageContaining("no detections");
    assertThatThrownBy(() -> VocEvaluator.curve(g, List.of(new Detection("zz", TEN, 1)), 0.5,
        Protocol.PUBLISHED)).hasMessageContaining("'zz'");
    for (double t : new double[] {0.0, 1.0, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> VocEvaluator.curve(g, d, t, Protocol.PUBLISHED))
          .hasMessageContaining("IoU threshold must be in (0, 1)");
    }
  }

  @Test
  void resultTableAndJsonInPercent() {
    GroundTruth g = gt("a", List.of(easy(TEN)), "b", List.of(easy(TEN)));
    List<ThresholdResult> r = VocEvaluator.evaluate(g, List.of(new Detection("a", TEN, 1)),
        new double[] {0.3, 0.5}, Protocol.PUBLISHED);
    var table = ResultTables.of("t", r);
    assertThat(table.columnNames()).containsExactly("metric", "0.3", "0.5");
    assertThat(table.doubleColumn("0.3").get(0)).isEqualTo(50.0); // AP: recall .5 at precision 1
    assertThat(table.doubleColumn("0.5").get(1)).isEqualTo(50.0);
    assertThat(ResultTables.json(r)).contains("\"0.3\"").contains("\"ap\" : 50.0");
  }
}
