package org.gradcam.cam;

import org.gradcam.model.Predictions;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.model.ForwardBackward;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;

/**
 * Computes class activation maps for batches of preprocessed images: one graph run per batch
 * fetches logits, activations and gradients; the method turns each image's pair into a map. A
 * {@link PerturbationCam} also gets the image's input and a scorer that runs the model on
 * perturbed copies of it.
 * Holds no state between calls besides the model, so results never depend on earlier images.
 */
public final class Explainer {
  private final Model model;
  private final String layer;
  private final MapMethod method;

  public Explainer(Model model, String layer, MapMethod method) {
    this.model = model;
    this.layer = model.resolveLayer(layer);
    this.method = method;
    model.layer(this.layer);
  }

  public Model model() {
    return model;
  }

  public String layer() {
    return layer;
  }

  public MapMethod method() {
    return method;
  }

  /**
   * Explains each of {@code n} images laid out back to back in {@code batch}, in the model's
   * input layout. Returns one explanation per image and target class, images in order. For a
   * {@link Target.ClassSet} the explanation's target class is -1 (the map is of the summed
   * logits).
   */
  public List<Explanation> explain(float[] batch, int n, Target target) {
    if (method instanceof PerturbationCam perturbation) {
      return explainPerturbed(perturbation, batch, n, target);
    }
    int[] images;
    int[] classes;
    float[] input = batch;
    if (target instanceof Target.TopK t) {
      float[] logits = model.logits(batch, n);
      if (t.k() > model.numClasses()) {
        throw new IllegalArgumentException("top-k " + t.k() + " is more than the "
            + model.numClasses() + " classes of model " + model.name());
      }
      int k = t.k();
      images = new int[n * k];
      classes = new int[n * k];
      for (int i = 0; i < n; i++) {
        int[] top = Predictions.topIndices(logits, i * model.numClasses(), model.numClasses(), k);
        for (int j = 0; j < k; j++) {
          images[i * k + j] = i;
          classes[i * k + j] = top[j];
        }
      }
      input = repeat(batch, model.spec().inputLength(), images);
    } else if (target instanceof Target.BestOf b) {
      float[] logits = model.logits(batch, n);
      requireInRange(b.candidates());
      images = range(n);
      classes = new int[n];
      for (int i = 0; i < n; i++) {
        classes[i] = b.choose(logits, i * model.numClasses());
      }
    } else if (target instanceof Target.ClassSet s) {
      requireInRange(s.indices());
      images = range(n);
      int k = model.numClasses();
      float[] seed = new float[n * k];
      for (int i = 0; i < n; i++) {
        for (int c : s.indices()) {
          seed[i * k + c] = 1f;
        }
      }
      return toExplanations(model.forwardBackward(layer, batch, n, seed), images, batch, seed);
    } else {
      images = range(n);
      // -1 asks the graph for each image's top-1 class within the same run.
      classes = filled(n, target instanceof Target.ClassIndex c ? c.index() : -1);
    }
    return toExplanations(model.forwardBackward(layer, input, images.length, classes), images,
        input, null);
  }

  /**
   * A perturbation method's explanations: one forward run (logits and activations, no gradient
   * op: the method never reads a gradient) gives each image's target classes and feature maps;
   * top-k maps of an image share its run instead of repeating its input rows.
   */
  private List<Explanation> explainPerturbed(PerturbationCam perturbation, float[] batch, int n,
      Target target) {
    int k = model.numClasses();
    if (target instanceof Target.TopK t && t.k() > k) {
      throw new IllegalArgumentException("top-k " + t.k() + " is more than the " + k
          + " classes of model " + model.name());
    } else if (target instanceof Target.BestOf b) {
      requireInRange(b.candidates());
    } else if (target instanceof Target.ClassSet s) {
      requireInRange(s.indices());
    } else if (target instanceof Target.ClassIndex c) {
      requireInRange(new int[] {c.index()});
    }
    float[][] run = model.forward(layer, batch, n);
    float[] logits = run[0];
    long[] shape = model.layer(layer).outputShape();
    int h = (int) shape[0];
    int w = (int) shape[1];
    int channels = (int) shape[2];
    int mapSize = h * w * channels;
    List<Explanation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] classes;
      if (target instanceof Target.TopK t) {
        classes = Predictions.topIndices(logits, i * k, k, t.k());
      } else if (target instanceof Target.BestOf b) {
        classes = new int[] {b.choose(logits, i * k)};
      } else if (target instanceof Target.ClassSet) {
        classes = new int[] {-1};
      } else if (target instanceof Target.ClassIndex c) {
        classes = new int[] {c.index()};
      } else {
        // Ties to the lowest index, as the graph's ArgMax of the gradient path.
        classes = Predictions.topIndices(logits, i * k, k, 1);
      }
      float[] imageLogits = java.util.Arrays.copyOfRange(logits, i * k, (i + 1) * k);
      FeatureMaps a = new FeatureMaps(h, w, channels,
          java.util.Arrays.copyOfRange(run[1], i * mapSize, (i + 1) * mapSize));
      for (int c : classes) {
        float[] seed = new float[k];
        if (c >= 0) {
          seed[c] = 1f;
        } else {
          for (int member : ((Target.ClassSet) target).indices()) {
            seed[member] = 1f;
          }
        }
        float[] raw = perturbation.map(a, perturbationInput(batch, i, seed));
        out.add(new Explanation(i, c, imageLogits, new Heatmap(h, w, raw)));
      }
    }
    return out;
  }

  /**
   * One explanation per row of {@code run}; row {@code i} is image {@code images[i]}, whose model
   * input is row {@code i} of {@code input}. {@code seeds} (one row of class weights per row of
   * the run) is null when each row explains the single class the run reports.
   */
  private List<Explanation> toExplanations(ForwardBackward run, int[] images, float[] input,
      float[] seeds) {
    List<Explanation> out = new ArrayList<>(images.length);
    for (int i = 0; i < images.length; i++) {
      FeatureMaps a = new FeatureMaps(run.height(), run.width(), run.channels(), run.activationsOf(i));
      FeatureMaps g = new FeatureMaps(run.height(), run.width(), run.channels(), run.gradientsOf(i));
      float[] raw;
      if (method instanceof CamMethod cam) {
        raw = cam.map(a, g);
      } else if (method instanceof PerturbationCam perturbation) {
        raw = perturbation.map(a, perturbationInput(input, i, seedRow(run, seeds, i)));
      } else {
        throw new IllegalStateException("unsupported method kind " + method.getClass());
      }
      Heatmap map = new Heatmap(run.height(), run.width(), raw);
      out.add(new Explanation(images[i], run.targetClasses()[i], run.logitsOf(i), map));
    }
    return out;
  }

  private static float[] seedRow(ForwardBackward run, float[] seeds, int row) {
    float[] seed = new float[run.classes()];
    if (seeds == null) {
      seed[run.targetClasses()[row]] = 1f;
    } else {
      System.arraycopy(seeds, row * run.classes(), seed, 0, run.classes());
    }
    return seed;
  }

  /** Row {@code row} of {@code input} with a scorer of {@code sum_c seed_c softmax_c}. */
  private PerturbationCam.Input perturbationInput(float[] input, int row, float[] seed) {
    int len = model.spec().inputLength();
    float[] x = java.util.Arrays.copyOfRange(input, row * len, (row + 1) * len);
    int classes = model.numClasses();
    PerturbationCam.Scorer scorer = (inputs, m) -> {
      float[] logits = model.logits(inputs, m);
      float[] out = new float[m];
      for (int j = 0; j < m; j++) {
        double[] p = Predictions.softmax(logits, j * classes, classes);
        double s = 0;
        for (int c = 0; c < classes; c++) {
          s += seed[c] * p[c];
        }
        out[j] = (float) s;
      }
      return out;
    };
    ModelSpec spec = model.spec();
    return new PerturbationCam.Input(x, spec.height(), spec.width(), spec.channels(),
        spec.channelsFirst(), scorer, model.graphBatch());
  }

  private void requireInRange(int[] classes) {
    for (int c : classes) {
      if (c >= model.numClasses()) {
        throw new IllegalArgumentException("class index " + c + " out of range: model "
            + model.name() + " has " + model.numClasses() + " classes");
      }
    }
  }

  private static int[] range(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  private static int[] filled(int n, int value) {
    int[] out = new int[n];
    java.util.Arrays.fill(out, value);
    return out;
  }

  private static float[] repeat(float[] batch, int length, int[] images) {
    float[] out = new float[images.length * length];
    for (int i = 0; i < images.length; i++) {
      System.arraycopy(batch, images[i] * length, out, i * length, length);
    }
    return out;
  }
}
