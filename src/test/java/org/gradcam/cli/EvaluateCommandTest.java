package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest extends CliTest {
  static final Path RESULTS = TestData.path("published/rayanramoul-GradCAM/results");
  static final String GT = RESULTS.resolve("all_gt_dogs.pickle").toString();
  static final String DETECTIONS = RESULTS.resolve("all_detected_dogs0.01.pickle").toString();

  @Test
  void jsonOnPublishedPickles() throws Exception {
    int code = run("evaluate", "--gt", GT, "--detections", DETECTIONS, "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(out.toString());
    assertThat(j.fieldNames()).toIterable().containsExactly("0.3", "0.4", "0.5");
    // 354 of 530 boxes found at IoU 0.3 (cross-checked with numpy)
    assertThat(j.get("0.3").get("recall").asDouble()).isEqualTo(100.0 * 354 / 530);
  }

  @Test
  void tableWithCsvGtIgnoringDifficult() {
    int code = run("evaluate", "--gt",
        TestData.path("voc2007-test/voc2007_test_objects.csv").toString(), "--detections",
        DETECTIONS, "--iou", "0.5", "--difficult", "ignore", "--ap", "11-point");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("metric").contains("0.5").contains("recall");
  }

  @Test
  void badInputsGiveErrorAndExit2(@TempDir Path dir) {
    assertThat(run("evaluate", "--gt", GT, "--detections", DETECTIONS, "--iou", "1.2"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("error: IoU threshold must be in (0, 1)");
    assertThat(run("evaluate", "--gt", dir.resolve("nope.pickle").toString(),
        "--detections", DETECTIONS)).isEqualTo(2);
    assertThat(err.toString()).contains("error: No such ground-truth").contains("nope.pickle");
  }
}
