package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.data.Detection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Java numbers against src/test/python/make_voc_eval_fixture.py (numpy transcription of voc_eval)
 * on the published pickles, and the reproduction's finding.
 */
class VocEvaluatorCrossCheckTest {
  static final Path DATA = TestData.MIRROR;
  static PublishedReproduction repro;
  static JsonNode fixture;

  @BeforeAll
  static void load() throws Exception {
    assertThat(DATA.resolve("published/rayanramoul-GradCAM"))
        .as("data mirror expected at %s (CI has it beside the project)", DATA.toAbsolutePath())
        .isDirectory();
    repro = new PublishedReproduction(DATA);
    try (InputStream in = VocEvaluatorCrossCheckTest.class
        .getResourceAsStream("published_voc_eval.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void countsMatchNumpy() {
    assertThat(repro.groundTruth().imageIds()).hasSize(433);
    assertThat(repro.groundTruth().boxCount()).isEqualTo(530).isEqualTo(fixture.get("gt_boxes").asInt());
    assertThat(repro.groundTruth().difficultCount()).isEqualTo(41);
    Map<String, List<Detection>> d = repro.detections();
    assertThat(d.get("0.01")).hasSize(577);
    assertThat(d.get("0.02")).hasSize(587);
    assertThat(d.get("0.06")).hasSize(570);
    d.forEach((t, list) -> assertThat(list).hasSize(fixture.get("detections").get(t).asInt()));
    assertThat(d.values()).allSatisfy(list -> assertThat(list).allMatch(x -> x.score() == 4.0));
  }

  /** Each detection threshold of the published pickles with each AP method and difficult mode. */
  static Stream<Arguments> protocols() {
    return Stream.of("0.01", "0.02", "0.06").flatMap(t -> Arrays.stream(ApMethod.values())
        .flatMap(m -> Arrays.stream(DifficultMode.values()).map(d -> Arguments.of(t, m, d))));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("protocols")
  void apAndRecallEqualNumpyTranscription(String t, ApMethod m, DifficultMode mode) {
    String key = t + "/" + (m == ApMethod.ALL_POINT ? "all-point" : "11-point") + "/"
        + mode.name().toLowerCase();
    List<ThresholdResult> rs = VocEvaluator.evaluate(repro.groundTruth(),
        repro.detections().get(t), new double[] {0.3, 0.4, 0.5},
        Protocol.PUBLISHED.with(m).with(mode));
    assertThat(rs).hasSize(3);
    for (ThresholdResult r : rs) {
      JsonNode expected = fixture.get("results").get(key).get(String.valueOf(r.iouThreshold()));
      assertThat(r.ap()).as("ap at IoU %s", r.iouThreshold())
          .isCloseTo(expected.get("ap").asDouble(), within(1e-9));
      assertThat(r.recall()).as("recall at IoU %s", r.iouThreshold())
          .isCloseTo(expected.get("recall").asDouble(), within(1e-9));
    }
  }

  @Test
  void onlyLastRowPerImageReproducesPublishedTable() {
    var table = repro.variantTable();
    for (int r = 0; r < table.rowCount(); r++) {
      boolean isLast = table.stringColumn("variant").get(r).equals("last row of each image only");
      assertThat(table.stringColumn("matches").get(r))
          .as(table.stringColumn("variant").get(r)).isEqualTo(isLast ? "yes" : "no");
    }
  }

  @Test
  void reportIsWritten(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path out = dir.resolve("results/published-reproduction.md");
    repro.write(out);
    assertThat(Files.readString(out)).contains("| last row of each image only |")
        .contains("## Baselines");
  }
}
