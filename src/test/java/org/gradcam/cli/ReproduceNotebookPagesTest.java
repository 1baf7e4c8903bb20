package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gradcam.data.Assets;
import org.gradcam.kernel.NotebookHtml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reproduce} writes {@code notebooks/*.html}, complete, or keeps them without nbconvert. */
class ReproduceNotebookPagesTest extends CliTest {

  private static final List<Path> NOTEBOOKS = notebooks();

  private static List<Path> notebooks() {
    try {
      return NotebookHtml.notebooks(Assets.home().resolve("notebooks"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private int reproduce(ReproduceCommand command, Path results) {
    return runWith(command, "reproduce", "--results", results.toString(), "--mirror",
        ReproduceCommandTest.MIRROR.toString(), "--max-images", "1");
  }

  @Test
  void writesOneCompleteHtmlPerNotebookAndListsIt(@TempDir Path dir) throws Exception {
    boolean nbconvert = NotebookHtml.nbconvertAvailable();
    if (!nbconvert && "true".equals(System.getenv("CI"))) {
      fail("`jupyter nbconvert` is not installed but CI=true (apt-get install jupyter-nbconvert)");
    }
    assumeTrue(nbconvert, "`jupyter nbconvert` is not installed");
    assertThat(NOTEBOOKS).isNotEmpty();
    Path results = dir.resolve("results");
    assertThat(reproduce(new ReproduceCommand(), results)).as(err.toString()).isZero();
    List<String> manifest = Files.readAllLines(results.resolve(ReproduceCommand.MANIFEST));
    String readme = Files.readString(results.resolve("README.md"));
    assertThat(readme).contains("## Notebooks as HTML");
    for (Path notebook : NOTEBOOKS) {
      String page = "notebooks/" + NotebookHtml.htmlName(notebook);
      assertThat(manifest).contains(page);
      assertThat(readme).contains("[`" + page + "`](" + page + ")");
      assertThat(NotebookHtml.missingOutputs(notebook, results.resolve(page))).as(page).isEmpty();
    }
  }

  @Test
  void withoutNbconvertThePreviousPagesAreKept(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    Path page = Files.createDirectories(results.resolve("notebooks")).resolve("01-old.html");
    Files.writeString(page, "<html>an earlier export</html>");
    Files.writeString(results.resolve(ReproduceCommand.MANIFEST), "# old\nnotebooks/01-old.html\n");
    ReproduceCommand command = new ReproduceCommand();
    command.nbconvertAvailable = () -> false;
    assertThat(reproduce(command, results)).as(err.toString()).isZero();
    assertThat(err.toString()).contains("reproduce: notebooks: `jupyter nbconvert` is not installed");
    assertThat(page).hasContent("<html>an earlier export</html>");
  }
}
