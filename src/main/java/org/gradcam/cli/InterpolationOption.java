package org.gradcam.cli;

import org.gradcam.image.Resize.Interpolation;

/**
 * {@code --resize nearest|bilinear}: converter and completion candidates, so a wrong value gets
 * picocli's "Invalid value for option '--resize': expected one of [nearest, bilinear]" instead
 * of Java's enum message, and the names stay lower case as the help shows them.
 */
final class InterpolationOption extends EnumOption<Interpolation> {
  InterpolationOption() {
    super(Interpolation.class);
  }
}
