package org.gradcam.model.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.data.Npy;

/**
 * The torchvision ONNX fixtures of src/test/python/make_torchvision_onnx.py, as listed by
 * {@code src/test/resources/onnx/torchvision/manifest.json}.
 */
public final class TorchvisionFixtures {
  public static final Path DIR = Path.of("src/test/resources/onnx/torchvision");

  private TorchvisionFixtures() {}

  /**
   * One layer PyTorch's Grad-CAM was computed at.
   *
   * @param key "default" (the 4-D tensor feeding the global pool / flatten) or the module path
   * @param module the PyTorch module path, or null when the layer is no module's output
   * @param tensor the ONNX tensor holding that output
   */
  public record Layer(String key, String module, String tensor, Path cam, Path activations,
      long[] shape) {
    public boolean isDefault() {
      return key.equals("default");
    }
  }

  /** One exported model with its input batch, PyTorch's logits and top-1 per image. */
  public record Fixture(String name, String architecture, Path model, int opset, Path input,
      long[] inputShape, Path logits, int[] top1, List<String> opTypes, List<Layer> layers) {
    public float[] inputValues() {
      return read(input).floats();
    }

    public float[] logitValues() {
      return read(logits).floats();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public static List<Fixture> all() {
    try {
      JsonNode json = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
      List<Fixture> out = new ArrayList<>();
      for (JsonNode f : json.get("fixtures")) {
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : f.get("layers")) {
          layers.add(new Layer(l.get("key").asText(),
              l.get("module").isNull() ? null : l.get("module").asText(),
              l.get("tensor").asText(), DIR.resolve(l.get("cam").asText()),
              DIR.resolve(l.get("activations").asText()), longs(l.get("shape"))));
        }
        List<String> ops = new ArrayList<>();
        f.get("opTypes").forEach(o -> ops.add(o.asText()));
        long[] top = longs(f.get("top1"));
        int[] top1 = new int[top.length];
        for (int i = 0; i < top.length; i++) {
          top1[i] = (int) top[i];
        }
        out.add(new Fixture(f.get("name").asText(), f.get("architecture").asText(),
            DIR.resolve(f.get("file").asText()), f.get("opset").asInt(),
            DIR.resolve(f.get("input").asText()), longs(f.get("inputShape")),
            DIR.resolve(f.get("logits").asText()), top1, List.copyOf(ops), List.copyOf(layers)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Npy read(Path npy) {
    try {
      return Npy.read(npy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
