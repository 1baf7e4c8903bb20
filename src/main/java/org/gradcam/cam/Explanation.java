package org.gradcam.cam;

/** The map of one image for one target class, with the logits of that image. */
public record Explanation(int image, int targetClass, float[] logits, Heatmap heatmap) {}
