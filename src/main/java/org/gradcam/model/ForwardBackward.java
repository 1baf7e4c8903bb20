package org.gradcam.model;

/**
 * What one graph run returns for a batch of {@code n} images: the logits {@code [n, classes]},
 * the target layer's activations and the gradients of each image's target logit with respect to
 * them, both {@code [n, h, w, c]} channels-last, and the class each gradient was taken for.
 */
public record ForwardBackward(int n, int classes, int height, int width, int channels,
    float[] logits, float[] activations, float[] gradients, int[] targetClasses) {

  public int mapSize() {
    return height * width * channels;
  }

  public float[] logitsOf(int image) {
    float[] out = new float[classes];
    System.arraycopy(logits, image * classes, out, 0, classes);
    return out;
  }

  public float[] activationsOf(int image) {
    float[] out = new float[mapSize()];
    System.arraycopy(activations, image * mapSize(), out, 0, mapSize());
    return out;
  }

  public float[] gradientsOf(int image) {
    float[] out = new float[mapSize()];
    System.arraycopy(gradients, image * mapSize(), out, 0, mapSize());
    return out;
  }
}
