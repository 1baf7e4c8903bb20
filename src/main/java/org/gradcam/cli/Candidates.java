package org.gradcam.cli;

import java.util.Iterator;
import org.gradcam.cam.CamMethods;
import org.gradcam.model.Models;

/**
 * picocli completion candidates drawn from the registries, so help texts
 * ({@code ${COMPLETION-CANDIDATES}}) and shell completion list what the registries hold, never
 * a hand-copied list.
 */
final class Candidates {
  private Candidates() {}

  /** The built-in models. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Models.NAMES.iterator();
    }
  }

  /** The map methods, the default first. */
  static final class CamMethodNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return CamMethods.names().iterator();
    }
  }

  /** What explain takes: the map methods, then the saliency methods (Guided Backprop). */
  static final class ExplainMethodNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return CamMethods.allNames().iterator();
    }
  }
}
