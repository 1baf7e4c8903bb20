package org.gradcam.cam;

/**
 * A class activation mapping method: how the map of one image is computed from the target
 * layer's activations and the gradients of the target score with respect to them, both taken
 * from the same graph run.
 */
public interface CamMethod extends MapMethod {

  /** The raw map, {@code height x width} row-major, at the layer's resolution. */
  float[] map(FeatureMaps activations, FeatureMaps gradients);
}
