package org.gradcam;

import java.nio.file.Path;
import org.gradcam.data.Assets;

/**
 * Files of the data mirror for the tests, found by the one rule the commands use
 * ({@link Assets#defaultMirror()}: {@code GRADCAM_MIRROR}, else {@code ../shared/data} beside
 * the project), so that a test never names a machine's layout itself.
 */
public final class TestData {
  /** The mirror's root. */
  public static final Path MIRROR = Assets.defaultMirror();

  private TestData() {}

  /** A file or folder of the mirror, by its path below the root, e.g. {@code voc2007-test}. */
  public static Path path(String relative) {
    return MIRROR.resolve(relative);
  }
}
