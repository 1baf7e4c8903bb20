package org.gradcam.image;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests of other packages craft the images of {@link ImagesTest}. */
public final class ImagesTestAccess {
  private ImagesTestAccess() {}

  public static Path pngClaiming(Path file, int width, int height) throws IOException {
    return ImagesTest.pngClaiming(file, width, height);
  }
}
