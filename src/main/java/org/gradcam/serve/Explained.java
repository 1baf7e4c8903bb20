package org.gradcam.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.util.List;
import org.gradcam.cam.Explanation;
import org.gradcam.model.ModelSpec;

/**
 * One explain request's outcome, kept (bounded, see {@link ResultStore}) so the page can
 * re-render the overlay and the boxes at another alpha, colormap or threshold without a graph
 * run. Immutable once built; the arrays it holds are never handed out for writing.
 *
 * @param id the random name of the result in URLs
 * @param original the decoded image
 * @param spec the explained model's contract: with a center crop the maps lie on the crop's part
 *     of {@code original} ({@link ModelSpec#mapOnImage})
 * @param maps one map per target class, each with its {@code explain --json} fields
 */
record Explained(String id, BufferedImage original, ModelSpec spec, List<Map> maps) {

  /** One map: the explanation and the command line's JSON fields for it. */
  record Map(Explanation explanation, ObjectNode line) {}
}
