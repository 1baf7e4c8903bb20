package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.gradcam.kernel.JupyterRunner.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Executes every {@code notebooks/*.ipynb} with the project's kernel (installed from the built jar
 * into a temporary JUPYTER_DATA_DIR) into a temporary folder, so a notebook that no longer runs
 * against the current library fails the build. The committed files are not modified. Any cell
 * error, or a cell running longer than {@value #CELL_TIMEOUT_SECONDS} s, fails the test; without
 * jupyter the test is skipped, except on CI (CI=true), where that is a failure.
 */
class NotebooksIT {

  static final int CELL_TIMEOUT_SECONDS = 600;
  static final int NOTEBOOK_TIMEOUT_SECONDS = 900;

  @TempDir
  static Path tmp;

  private static JupyterRunner jupyter;

  @BeforeAll
  static void requireBuiltJar() {
    JupyterRunner.requireBuiltJar("NotebooksIT");
  }

  @BeforeEach
  void installKernelspecOnce() throws Exception {
    JupyterRunner.requireJupyter("the notebooks IT");
    if (jupyter == null) {
      jupyter = JupyterRunner.installKernel(tmp);
    }
  }

  static List<Path> notebooks() throws Exception {
    return NotebookOutputsTest.notebooks();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notebooks")
  void notebookExecutesWithoutErrors(Path notebook) throws Exception {
    Path out = tmp.resolve("executed");
    Run run = jupyter.nbconvert(notebook, CELL_TIMEOUT_SECONDS, NOTEBOOK_TIMEOUT_SECONDS,
        "--output-dir", out.toString());
    assertThat(run.exit()).as("nbconvert of %s:\n%s", notebook.getFileName(), run.output()).isZero();
    Path executed = out.resolve(notebook.getFileName());
    assertThat(executed).isRegularFile();
    assertThat(NotebookOutputs.problems(executed)).as("executed %s", notebook.getFileName()).isEmpty();
  }
}
