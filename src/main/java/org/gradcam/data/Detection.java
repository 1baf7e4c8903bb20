package org.gradcam.data;

/** One predicted box on an image, with the confidence used to rank it. */
public record Detection(String imageId, VocBox box, double score) {}
