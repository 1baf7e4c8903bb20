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
