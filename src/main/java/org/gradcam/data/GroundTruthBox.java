package org.gradcam.data;

/** One annotated object of the evaluated class; {@code difficult} as in the VOC annotation. */
public record GroundTruthBox(VocBox box, boolean difficult) {}
