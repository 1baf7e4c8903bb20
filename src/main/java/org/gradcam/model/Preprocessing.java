package org.gradcam.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A user model's input preprocessing: a named preset, as the frameworks' own
 * {@code preprocess_input} modes, optionally with the user's per-channel mean and std. Pixels
 * (0..255) become {@code (pixel / divisor - mean[c]) / std[c]} in the channel order and layout of
 * the model's input.
 *
 * <ul>
 *   <li>{@code torch}: scale 1/255, ImageNet mean {@code [0.485, 0.456, 0.406]} and std
 *       {@code [0.229, 0.224, 0.225]} (torchvision, the pets3 model's contract);
 *   <li>{@code caffe}: RGB to BGR, minus the BGR means {@code [103.939, 116.779, 123.68]};
 *   <li>{@code tf}: {@code pixel / 127.5 - 1};
 *   <li>{@code raw01}: {@code pixel / 255}; {@code raw255}: the pixels as they are.
 * </ul>
 */
public record Preprocessing(String preset, float divisor, float[] mean, float[] std, boolean bgr) {
  public static final List<String> PRESETS = List.of("torch", "caffe", "tf", "raw01", "raw255");

  /**
   * The preset {@code name} for a model of {@code channels} channels; {@code mean} and
   * {@code std}, if not null, replace the preset's (in the preset's units: 0..1 after torch's
   * and raw01's scaling, 0..255 for caffe and raw255).
   */
  public static Preprocessing of(String name, int channels, float[] mean, float[] std) {
    String p = name.toLowerCase(Locale.ROOT);
    Preprocessing base = switch (p) {
      case "torch" -> new Preprocessing(p, 255f, new float[] {0.485f, 0.456f, 0.406f},
          new float[] {0.229f, 0.224f, 0.225f}, false);
      case "caffe" -> new Preprocessing(p, 1f, new float[] {103.939f, 116.779f, 123.68f},
          new float[] {1, 1, 1}, true);
      case "tf" -> new Preprocessing(p, 127.5f, new float[] {1, 1, 1}, new float[] {1, 1, 1},
          false);
      case "raw01" -> new Preprocessing(p, 255f, new float[] {0, 0, 0}, new float[] {1, 1, 1},
          false);
      case "raw255" -> new Preprocessing(p, 1f, new float[] {0, 0, 0}, new float[] {1, 1, 1},
          false);
      default -> throw new IllegalArgumentException("unknown preprocessing '" + name
          + "'; available: " + String.join(", ", PRESETS));
    };
    float[] m = mean != null ? mean : base.mean;
    float[] s = std != null ? std : base.std;
    if (channels == 1 && mean == null && (p.equals("torch") || p.equals("caffe"))) {
      throw new IllegalArgumentException("the " + p + " preset has per-channel RGB means; a "
          + "1-channel model needs its own mean and std");
    }
    if (channels == 1 && m.length == 3 && mean == null) {
      m = new float[] {m[0]};
    }
    if (channels == 1 && s.length == 3 && std == null) {
      s = new float[] {s[0]};
    }
    if (m.length != channels || s.length != channels) {
      throw new IllegalArgumentException("the mean and std need " + channels + " value"
          + (channels == 1 ? "" : "s") + " (one per input channel), got " + m.length + " and "
          + s.length);
    }
    for (float v : s) {
      if (!(v > 0) || !Float.isFinite(v)) {
        throw new IllegalArgumentException("std values must be positive, got "
            + Arrays.toString(s));
      }
    }
    for (float v : m) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("mean values must be finite, got "
            + Arrays.toString(m));
      }
    }
    return new Preprocessing(p, base.divisor, m, s, base.bgr && channels == 3);
  }

  /** The preprocessor for a model whose input is channels-first (NCHW) or not. */
  public ModelSpec.Preprocessor preprocessor(boolean channelsFirst) {
    int channels = mean.length;
    return (px, height, width) -> {
      int plane = height * width;
      float[] out = new float[channels * plane];
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < channels; c++) {
          int src = bgr ? channels - 1 - c : c;
          // Divided, not multiplied by 1/255: torchvision's ToTensor rounds as x / 255.
          float v = (px[p * channels + src] / divisor - mean[c]) / std[c];
          out[channelsFirst ? c * plane + p : p * channels + c] = v;
        }
      }
      return out;
    };
  }

  /** The preprocessing as JSON fields, so that a result says how it was made. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("preset", preset).put("divisor", divisor).put("bgr", bgr);
    var m = o.putArray("mean");
    for (float v : mean) {
      m.add(v);
    }
    var s = o.putArray("std");
    for (float v : std) {
      s.add(v);
    }
    return o;
  }
}
