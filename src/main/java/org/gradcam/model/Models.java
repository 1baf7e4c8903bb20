package org.gradcam.model;

import java.io.IOException;
import java.util.List;
import org.gradcam.data.Assets;

/** The models this toolkit knows by name, loaded with weights resolved by the asset manager. */
public final class Models {
  public static final List<String> NAMES = List.of(SqueezeNet11.NAME, Vgg16.NAME, MobileNetV2.NAME);

  private Models() {}

  public static ModelSpec spec(String name) {
    return switch (name) {
      case SqueezeNet11.NAME -> SqueezeNet11.spec();
      case Vgg16.NAME -> Vgg16.spec();
      case MobileNetV2.NAME -> MobileNetV2.spec();
      default -> throw unknown(name);
    };
  }

  public static Model load(String name, Assets assets) throws IOException {
    switch (name) {
      case SqueezeNet11.NAME:
        return SqueezeNet11.load(assets.directory("squeezenet1.1"));
      case Vgg16.NAME:
        try {
          return Vgg16.load(assets.file("vgg16"));
        } catch (IOException e) {
          throw new IOException("VGG16 ImageNet weights (528 MB) are not available: "
              + e.getMessage() + ". Run `gradcam fetch vgg16` on a connected machine, or use "
              + "--model squeezenet1.1, whose weights are small and in the mirror.", e);
        }
      case MobileNetV2.NAME:
        return MobileNetV2.load(assets.file(MobileNetV2.NAME));
      default:
        throw unknown(name);
    }
  }

  /**
   * The architecture with random weights, for benchmarks (speed does not depend on the values):
   * VGG16's real weights are 528 MB that are often not at hand.
   */
  public static Model random(String name, long seed) {
    return switch (name) {
      case SqueezeNet11.NAME -> SqueezeNet11.random(seed);
      case Vgg16.NAME -> Vgg16.random(seed);
      case MobileNetV2.NAME -> throw new IllegalArgumentException("model " + name
          + " has no random-weight variant (it is rebuilt from its TFLite file); random weights "
          + "exist for " + SqueezeNet11.NAME + " and " + Vgg16.NAME);
      default -> throw unknown(name);
    };
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown model '" + name + "'; available: "
        + String.join(", ", NAMES));
  }
}
