package org.gradcam.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The 1000 ImageNet-1k classes in the index order of Keras VGG16 and SqueezeNet 1.1, with
 * WordNet ids, and Keras' {@code decode_predictions}. Shipped in the jar (from the
 * MobileNet-Caffe {@code synset.txt}, BSD-3-Clause) because every model here needs it.
 */
public final class ImageNetLabels {
  /** One ImageNet class. {@code name} is the first synonym, {@code description} all of them. */
  public record Label(int index, String wnid, String name, String description) {}

  /** One line of {@code decode_predictions}. */
  public record Prediction(int index, String wnid, String name, double logit, double probability) {}

  /** ImageNet-1k indices 151..268 are the 118 dog breeds. */
  public static final int FIRST_DOG = 151;
  public static final int LAST_DOG = 268;
  /** The number of ImageNet-1k classes. */
  public static final int COUNT = 1000;

  private static final List<Label> LABELS = load();

  private ImageNetLabels() {}

  public static Label get(int index) {
    if (index < 0 || index >= LABELS.size()) {
      throw new IllegalArgumentException("class index " + index + " out of range 0.."
          + (LABELS.size() - 1));
    }
    return LABELS.get(index);
  }

  public static boolean isDog(int index) {
    return index >= FIRST_DOG && index <= LAST_DOG;
  }

  /** The {@code top} most likely classes of one image's logits, softmax probabilities beside. */
  public static List<Prediction> decodePredictions(float[] logits, int top) {
    if (logits.length != LABELS.size()) {
      throw new IllegalArgumentException("expected " + LABELS.size() + " logits, got "
          + logits.length);
    }
    double[] p = Predictions.softmax(logits, 0, logits.length);
    List<Prediction> out = new ArrayList<>();
    for (int i : Predictions.topIndices(logits, 0, logits.length, top)) {
      Label l = LABELS.get(i);
      out.add(new Prediction(i, l.wnid(), l.name(), logits[i], p[i]));
    }
    return out;
  }

  private static List<Label> load() {
    List<Label> out = new ArrayList<>();
    try (InputStream in = ImageNetLabels.class.getResourceAsStream("imagenet_synsets.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(
            Objects.requireNonNull(in, "imagenet_synsets.txt missing from the jar"),
            StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        int space = line.indexOf(' ');
        String description = line.substring(space + 1).trim();
        out.add(new Label(out.size(), line.substring(0, space), description.split(",")[0].trim(),
            description));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read ImageNet labels", e);
    }
    return List.copyOf(out);
  }
}
