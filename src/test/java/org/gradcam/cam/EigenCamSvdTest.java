package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Eigen-CAM against NumPy's SVD (src/test/python/make_eigencam_fixture.py): pytorch-grad-cam's
 * projection on float32 activations, signed by our convention.
 */
class EigenCamSvdTest {
  static Stream<JsonNode> cases() throws IOException {
    try (InputStream in = EigenCamSvdTest.class.getResourceAsStream("eigencam_svd.json")) {
      List<JsonNode> out = new ArrayList<>();
      new ObjectMapper().readTree(in).get("cases").forEach(out::add);
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void projectionEqualsNumPysSvd(JsonNode c) {
    int h = c.get("height").asInt();
    int w = c.get("width").asInt();
    int k = c.get("channels").asInt();
    float[] a = new float[h * w * k];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) c.get("activations").get(i).asDouble();
    }
    double[] expected = new double[h * w];
    double scale = 0;
    for (int p = 0; p < expected.length; p++) {
      expected[p] = c.get("projection").get(p).asDouble();
      scale = Math.max(scale, Math.abs(expected[p]));
    }
    FeatureMaps maps = new FeatureMaps(h, w, k, a);

    double[] projection = EigenCam.projection(maps);
    float[] map = new EigenCam().map(maps, maps);

    assertThat(projection).hasSize(expected.length);
    for (int p = 0; p < expected.length; p++) {
      // Both SVDs run in double on the same float32 inputs; the map is float32.
      assertThat(projection[p]).as("pixel %d", p).isCloseTo(expected[p], within(1e-9 * scale));
      assertThat(map[p]).as("map pixel %d", p)
          .isCloseTo((float) Math.max(0, expected[p]), within((float) (1e-6 * scale)));
    }
  }
}
