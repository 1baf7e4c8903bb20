package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;
import org.gradcam.model.Predictions;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.ReluBackward;

/**
 * Guided Backpropagation (Springenberg et al. 2015), as pytorch-grad-cam's {@code
 * GuidedBackpropReLUModel}: the gradient of the target logit with respect to the input, where
 * every ReLU passes the gradient back only where both its forward input and the upstream
 * gradient are positive (ReLU6 too, see {@link ReluBackward#GUIDED}). The backward pass is
 * written out op by op over the model's graph ({@link Model#inputGradient(float[], int, float[],
 * ReluBackward)}), because TF Java cannot replace the gradient registered for Relu; so it works
 * on every model, built-in or imported. The result has the input's resolution, not a
 * layer's, so this is not a {@link MapMethod}.
 */
@AutoService(SaliencyMethod.class)
@Priority(10)
public final class GuidedBackprop implements SaliencyMethod {
  /** The command-line name. */
  public static final String NAME = "guidedbackprop";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Saliency> explain(Model model, String layer, float[] batch, int n, Target target) {
    int k = model.numClasses();
    List<int[]> rows = new ArrayList<>(); // {image, class}; class -1 with a class set
    if (target instanceof Target.ClassIndex c) {
      requireInRange(model, c.index());
      for (int i = 0; i < n; i++) {
        rows.add(new int[] {i, c.index()});
      }
    } else if (target instanceof Target.ClassSet) {
      for (int i = 0; i < n; i++) {
        rows.add(new int[] {i, -1});
      }
    } else {
      float[] logits = model.logits(batch, n);
      for (int i = 0; i < n; i++) {
        if (target instanceof Target.TopK t) {
          for (int c : Predictions.topIndices(logits, i * k, k, Math.min(t.k(), k))) {
            rows.add(new int[] {i, c});
          }
        } else if (target instanceof Target.BestOf b) {
          for (int c : b.candidates()) {
            requireInRange(model, c);
          }
          rows.add(new int[] {i, b.choose(logits, i * k)});
        } else {
          rows.add(new int[] {i, Predictions.topIndices(logits, i * k, k, 1)[0]});
        }
      }
    }
    int[] images = rows.stream().mapToInt(r -> r[0]).toArray();
    int[] classes = rows.stream().mapToInt(r -> r[1]).toArray();
    return saliency(model, batch, images, classes, target);
  }

  /**
   * The guided gradient for row {@code r}: image {@code images[r]} of {@code batch}, seeded with
   * class {@code classes[r]}, or with all classes of {@code target} when that is -1 (a class set).
   */
  static List<Saliency> saliency(Model model, float[] batch, int[] images, int[] classes,
      Target target) {
    int k = model.numClasses();
    int len = model.spec().inputLength();
    int m = images.length;
    float[] input = new float[m * len];
    float[] seed = new float[m * k];
    for (int r = 0; r < m; r++) {
      System.arraycopy(batch, images[r] * len, input, r * len, len);
      if (classes[r] >= 0) {
        seed[r * k + classes[r]] = 1f;
      } else if (target instanceof Target.ClassSet s) {
        for (int c : s.indices()) {
          requireInRange(model, c);
          seed[r * k + c] = 1f;
        }
      } else {
        throw new IllegalArgumentException("class -1 needs a class-set target, got " + target);
      }
    }
    float[] grad = model.inputGradient(input, m, seed, ReluBackward.GUIDED);
    ModelSpec spec = model.spec();
    List<Saliency> out = new ArrayList<>(m);
    for (int r = 0; r < m; r++) {
      out.add(new Saliency(images[r], classes[r], spec.height(), spec.width(),
          toHwc(grad, r * len, spec.channels(), spec.height() * spec.width(),
              spec.channelsFirst())));
    }
    return out;
  }

  static float[] toHwc(float[] x, int offset, int channels, int plane, boolean channelsFirst) {
    float[] out = new float[channels * plane];
    if (!channelsFirst) {
      System.arraycopy(x, offset, out, 0, out.length);
      return out;
    }
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < plane; p++) {
        out[p * channels + c] = x[offset + c * plane + p];
      }
    }
    return out;
  }

  private static void requireInRange(Model model, int c) {
    if (c >= model.numClasses()) {
      throw new IllegalArgumentException("class index " + c + " out of range: model "
          + model.name() + " has " + model.numClasses() + " classes");
    }
  }
}
