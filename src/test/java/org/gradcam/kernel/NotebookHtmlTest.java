package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed {@code results/notebooks/*.html} hold every picture and HTML table of the
 * committed notebooks (so they are regenerated, by {@code ./gradcam reproduce}, whenever a
 * notebook is re-executed), and the completeness check itself catches a missing picture.
 */
class NotebookHtmlTest {

  @TempDir
  Path tmp;

  static List<Path> notebooks() throws Exception {
    return NotebookOutputs.notebooks();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notebooks")
  void committedHtmlHoldsEveryPictureAndTableOfItsNotebook(Path notebook) throws Exception {
    Path html = JupyterRunner.project().resolve("results/notebooks").resolve(NotebookHtml.htmlName(notebook));
    assertThat(NotebookHtml.missingOutputs(notebook, html))
        .as("%s is out of date: regenerate it with ./gradcam reproduce", html).isEmpty();
  }

  /** A notebook with a picture (base64 split over lines, as Jupyter may store it) and a table. */
  private Path notebook() throws Exception {
    Path nb = tmp.resolve("t.ipynb");
    Files.writeString(nb, """
        {"cells": [
          {"cell_type": "markdown", "source": "# t", "metadata": {}},
          {"cell_type": "code", "source": "img", "metadata": {}, "execution_count": 1, "outputs": [
            {"output_type": "execute_result", "execution_count": 1, "metadata": {},
             "data": {"image/png": "iVBORw0KGgo\\nAAAANSUhEUg==\\n", "text/plain": "BufferedImage 1x1"}}]},
          {"cell_type": "code", "source": "table", "metadata": {}, "execution_count": 2, "outputs": [
            {"output_type": "execute_result", "execution_count": 2, "metadata": {},
             "data": {"text/html": ["<table>\\n", "<tr><td>0.5</td></tr>\\n", "</table>"], "text/plain": "t"}}]}
        ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        """);
    return nb;
  }

  @Test
  void missingPicturesAndTablesAreNamed() throws Exception {
    Path nb = notebook();
    Path html = tmp.resolve("t.html");
    Files.writeString(html, "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==\">"
        + "<div><table>\n<tr><td>0.5</td></tr>\n</table></div>");
    assertThat(NotebookHtml.missingOutputs(nb, html)).isEmpty();

    Files.writeString(html, "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUX==\">"
        + "<div><table>\n<tr><td>0.25</td></tr>\n</table></div>");
    assertThat(NotebookHtml.missingOutputs(nb, html))
        .containsExactly("the picture of cell 1", "the HTML table of cell 2");
    assertThat(NotebookHtml.missingOutputs(nb, tmp.resolve("none.html"))).hasSize(1);
  }
}
