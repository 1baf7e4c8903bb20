package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed notebooks are committed executed, so that they read (and render on GitHub) with
 * their results: every code cell has outputs, none an error, and each shows at least one picture.
 * Re-execute with {@code jupyter nbconvert --to notebook --execute --inplace} after editing.
 */
class NotebookOutputsTest {

  static List<Path> notebooks() throws Exception {
    List<Path> notebooks = NotebookOutputs.notebooks();
    assertThat(notebooks).as("notebooks/*.ipynb").isNotEmpty();
    return notebooks;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notebooks")
  void committedNotebookHasOutputsForEveryCodeCell(Path notebook) throws Exception {
    assertThat(NotebookOutputs.problems(notebook))
        .as("%s must be committed executed (jupyter nbconvert --to notebook --execute --inplace)",
            notebook.getFileName())
        .isEmpty();
  }
}
