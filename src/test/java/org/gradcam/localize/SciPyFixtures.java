package org.gradcam.localize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.data.Npy;
import org.gradcam.data.PixelBox;

/**
 * Loads the reference answers that src/test/python/make_localize_fixtures.py computed with
 * SciPy into src/test/resources/localize.
 */
final class SciPyFixtures {
  private SciPyFixtures() {}

  /** One value of {@code uniform_filter}'s output. */
  record Sample(int y, int x, double value) {}

  /** A fixture map, flat and row-major ({@code y * width + x}), with its shape. */
  record FixtureMap(double[] values, int width, int height) {}

  /** One SciPy run of the published procedure on a fixture map. */
  record Run(String caseName, FixtureMap map, Precision precision, int size, double threshold,
      int rawCount, List<PixelBox> boxes, List<Sample> smoothed) {
    /** The extractor's boxes of this run's map at {@code t}. */
    List<PixelBox> extract(BoxExtractor extractor, double t) {
      return extractor.extract(map.values(), map.width(), map.height(), t);
    }

    @Override
    public String toString() {
      return caseName + " " + precision + " size=" + size + " T=" + threshold;
    }
  }

  static List<Run> runs(String caseName) {
    JsonNode json = readJson(caseName + ".json");
    FixtureMap map = readMap(json.get("input").asText(), json.get("scale").asDouble());
    List<Run> runs = new ArrayList<>();
    for (JsonNode run : json.get("runs")) {
      List<PixelBox> boxes = new ArrayList<>();
      for (JsonNode b : run.get("boxes")) {
        boxes.add(new PixelBox(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(),
            b.get(3).asInt()));
      }
      List<Sample> smoothed = new ArrayList<>();
      if (run.has("smoothed")) {
        for (JsonNode s : run.get("smoothed")) {
          smoothed.add(new Sample(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asDouble()));
        }
      }
      Precision precision = switch (run.get("dtype").asText()) {
        case "float64" -> Precision.FLOAT64;
        case "float32" -> Precision.FLOAT32;
        default -> throw new IllegalStateException("unknown dtype in " + caseName);
      };
      runs.add(new Run(caseName, map, precision, run.get("size").asInt(),
          run.get("threshold").asDouble(), run.get("raw_count").asInt(), boxes, smoothed));
    }
    return runs;
  }

  static Run run(String caseName, Precision precision, int size, double threshold) {
    return runs(caseName).stream()
        .filter(r -> r.precision() == precision && r.size() == size && r.threshold() == threshold)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no such fixture run in " + caseName));
  }

  static Path resource(String name) {
    URL url = SciPyFixtures.class.getResource("/localize/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test resource localize/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The map as the generator built it: npy values divided by {@code scale}, in float64. */
  static FixtureMap readMap(String npyName, double scale) {
    try {
      Npy npy = Npy.read(resource(npyName));
      long[] shape = npy.shape();
      int height = (int) shape[0];
      int width = (int) shape[1];
      double[] values = npy.values();
      double[] map = new double[values.length];
      for (int i = 0; i < map.length; i++) {
        map[i] = scale == 1 ? values[i] : values[i] / scale;
      }
      return new FixtureMap(map, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(String name) {
    try {
      return new ObjectMapper().readTree(resource(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
