package org.gradcam.model;

import java.io.IOException;
import java.util.function.LongFunction;
import org.gradcam.data.Assets;

/**
 * A built-in architecture as the registry ({@link Models}) sees it: its name, its contract, how
 * its weights are found by the asset manager and, where it has one, its random-weight variant.
 * Each model class declares its own and registers itself as a {@link Provider}, as Keras
 * applications keep one module per model; {@link Models#BUILT_INS} lists what is registered.
 */
public record BuiltInModel(String name, ModelSpec spec, Loader loader, LongFunction<Model> random) {

  /**
   * A model class's registration: {@code @AutoService(BuiltInModel.Provider.class)}, listed by
   * its {@code @Priority} (the default model first; see {@link org.gradcam.registry.Registry}).
   */
  public interface Provider {
    BuiltInModel builtIn();
  }

  /** Builds the model from the weights the asset manager resolves. */
  @FunctionalInterface
  public interface Loader {
    Model load(Assets assets) throws IOException;
  }

  /** The model with its real weights. */
  public Model load(Assets assets) throws IOException {
    return loader.load(assets);
  }

  /** Whether the architecture can be built with random weights (for benchmarks and tests). */
  public boolean hasRandomWeights() {
    return random != null;
  }

  /** The architecture with seeded random weights; speed does not depend on their values. */
  public Model random(long seed) {
    if (random == null) {
      throw new IllegalArgumentException("model " + name + " has no random-weight variant");
    }
    return random.apply(seed);
  }
}
