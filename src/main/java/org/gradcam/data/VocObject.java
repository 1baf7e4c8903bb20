package org.gradcam.data;

/** One object row of {@code voc2007_test_objects.csv} (box 1-based inclusive, as in the XML). */
public record VocObject(String imageId, int width, int height, String className, boolean difficult,
    VocBox box) {}
