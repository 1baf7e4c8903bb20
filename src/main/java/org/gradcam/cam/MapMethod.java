package org.gradcam.cam;

/**
 * Any method that turns one image into a class activation map at the target layer's resolution:
 * either a {@link CamMethod}, which needs only the activations and gradients of one graph run, or
 * a {@link PerturbationCam}, which also scores perturbed inputs. {@link CamMethods} lists them by
 * name; {@link Explainer} runs either kind.
 */
public interface MapMethod {

  /** The name used on the command line, e.g. {@code gradcam}. */
  String name();
}
