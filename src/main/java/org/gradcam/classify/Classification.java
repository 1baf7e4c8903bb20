package org.gradcam.classify;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.gradcam.model.Predictions;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;

/**
 * Classifies every image of an {@link ImageFolder}: decoded by content, turned into the model's
 * input by its {@link ModelSpec} (resize, then its preprocessing) and run in batches.
 */
public final class Classification {
  /** Logits {@code [n, classes]} of {@code n} inputs laid out back to back. */
  @FunctionalInterface
  public interface Logits {
    float[] of(float[] batch, int n);
  }

  private Classification() {}

  /** With a model: its spec, its class count and {@link Model#logits}. */
  public static List<ClassifiedImage> run(Model model, ImageFolder data, Interpolation resize,
      int topK, int batchSize, IntConsumer progress) throws IOException {
    return run(model.spec(), model.numClasses(), model::logits, data, resize, topK, batchSize,
        progress);
  }

  /**
   * Every sample in order. {@code batchSize} images are decoded and run together (the model cuts
   * them into its own graph batch, so the numbers do not depend on it); {@code progress} gets the
   * count of each finished batch. {@code topK} is capped at the class count.
   */
  public static List<ClassifiedImage> run(ModelSpec spec, int classes, Logits logits,
      ImageFolder data, Interpolation resize, int topK, int batchSize, IntConsumer progress)
      throws IOException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
    }
    int k = Math.min(topK, classes);
    List<ImageFolder.Sample> samples = data.samples();
    List<ClassifiedImage> out = new ArrayList<>(samples.size());
    int len = spec.inputLength();
    for (int from = 0; from < samples.size(); from += batchSize) {
      int n = Math.min(batchSize, samples.size() - from);
      float[] batch = new float[n * len];
      for (int i = 0; i < n; i++) {
        BufferedImage image = Images.read(samples.get(from + i).file());
        System.arraycopy(spec.input(image, resize), 0, batch, i * len, len);
      }
      float[] z = logits.of(batch, n);
      if (z.length != (long) n * classes) {
        throw new IllegalStateException("expected " + n + " x " + classes + " logits, got "
            + z.length);
      }
      for (int i = 0; i < n; i++) {
        ImageFolder.Sample s = samples.get(from + i);
        out.add(classify(s, z, i * classes, classes, k));
      }
      progress.accept(n);
    }
    return out;
  }

  /** The prediction of one row of logits: the top-1 (first index on a tie) and the top-k. */
  static ClassifiedImage classify(ImageFolder.Sample s, float[] logits, int offset, int classes,
      int k) {
    for (int c = 0; c < classes; c++) {
      if (!Float.isFinite(logits[offset + c])) {
        throw new IllegalStateException(s.file() + ": the model gave a non-finite logit "
            + logits[offset + c] + " for class " + c);
      }
    }
    double[] p = Predictions.softmax(logits, offset, classes);
    int[] top = Predictions.topIndices(logits, offset, classes, k);
    double[] topP = new double[k];
    for (int j = 0; j < k; j++) {
      topP[j] = p[top[j]];
    }
    return new ClassifiedImage(s.file(), s.label(), top[0], p[top[0]], p[s.label()], top, topP);
  }
}
