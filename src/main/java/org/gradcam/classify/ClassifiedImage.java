package org.gradcam.classify;

import java.nio.file.Path;

/**
 * One image's prediction: the true and predicted label indices, the softmax probability of the
 * prediction ({@code confidence}) and of the true class, and the top-k classes with theirs.
 */
public record ClassifiedImage(Path file, int trueClass, int predicted, double confidence,
    double trueProbability, int[] topK, double[] topKProbabilities) {

  public boolean correct() {
    return trueClass == predicted;
  }
}
