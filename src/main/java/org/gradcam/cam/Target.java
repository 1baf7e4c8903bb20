package org.gradcam.cam;

/** Which class score a map explains. */
public sealed interface Target {

  /** A given class index. */
  record ClassIndex(int index) implements Target {
    public ClassIndex {
      if (index < 0) {
        throw new IllegalArgumentException("class index must be >= 0, got " + index);
      }
    }
  }

  /** Each image's top-scoring class. */
  record Top1() implements Target {}

  /** Each of each image's k top-scoring classes. */
  record TopK(int k) implements Target {
    public TopK {
      if (k < 1) {
        throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
      }
    }
  }

  /**
   * The sum of several class logits, e.g. the 118 ImageNet dog classes: the gradient is seeded
   * with a multi-hot vector over {@code indices}, so by linearity of differentiation it equals
   * the sum of the single-class gradients. The explanation's target class is reported as -1.
   */
  record ClassSet(int[] indices) implements Target {
    public ClassSet {
      indices = validSet(indices, "class set");
    }

    @Override
    public int[] indices() {
      return indices.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClassSet c && java.util.Arrays.equals(indices, c.indices);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
      return "ClassSet" + java.util.Arrays.toString(indices);
    }
  }

  /**
   * Per image, the highest-scoring class among {@code candidates} (ties: the lower index), e.g.
   * the top dog class; it is found from the logits and then explained as an explicit class.
   */
  record BestOf(int[] candidates) implements Target {
    public BestOf {
      candidates = validSet(candidates, "candidate set");
    }

    @Override
    public int[] candidates() {
      return candidates.clone();
    }

    /** The candidate with the largest logit of the image at {@code offset} in {@code logits}. */
    public int choose(float[] logits, int offset) {
      int best = candidates[0];
      for (int c : candidates) {
        if (logits[offset + c] > logits[offset + best]) {
          best = c;
        }
      }
      return best;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BestOf b && java.util.Arrays.equals(candidates, b.candidates);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(candidates);
    }

    @Override
    public String toString() {
      return "BestOf" + java.util.Arrays.toString(candidates);
    }
  }

  /** Classes {@code first..last}, both included, e.g. the ImageNet dog range 151..268. */
  static int[] range(int first, int last) {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("need 0 <= first <= last, got " + first + ".." + last);
    }
    return java.util.stream.IntStream.rangeClosed(first, last).toArray();
  }

  private static int[] validSet(int[] indices, String what) {
    if (indices == null || indices.length == 0) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    int[] sorted = indices.clone();
    java.util.Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] < 0) {
        throw new IllegalArgumentException("class index must be >= 0, got " + sorted[i]);
      }
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException(what + " has class " + sorted[i] + " twice");
      }
    }
    return sorted;
  }

  static Target classSet(int... indices) {
    return new ClassSet(indices);
  }

  static Target bestOf(int... candidates) {
    return new BestOf(candidates);
  }

  static Target classIndex(int index) {
    return new ClassIndex(index);
  }

  static Target top1() {
    return new Top1();
  }

  static Target topK(int k) {
    return new TopK(k);
  }
}
