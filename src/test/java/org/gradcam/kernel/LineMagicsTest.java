package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LineMagics} on a folder laid out like the project, with a recording class path. */
class LineMagicsTest {

  @TempDir
  Path project;

  private Path notebooks;
  private final Set<Path> classpath = new LinkedHashSet<>();
  private LineMagics magics;

  @BeforeEach
  void layOutProject() throws Exception {
    notebooks = Files.createDirectories(project.resolve("notebooks"));
    Path lib = Files.createDirectories(project.resolve("target/lib"));
    Files.writeString(project.resolve("target/gradcam.jar"), "jar");
    for (String jar : List.of("b.jar", "a.jar", "notes.txt")) {
      Files.writeString(lib.resolve(jar), jar);
    }
    // The kernel starts in the notebook's folder, as under Jupyter.
    magics = new LineMagics(entries -> {
      List<Path> added = new ArrayList<>();
      entries.stream().filter(classpath::add).forEach(added::add);
      return added;
    }, notebooks);
  }

  private String run(String cell) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      String code = magics.run(cell);
      return code + "\u0000" + out.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void classpathAddsJarsAndGlobsRelativeToTheNotebookFolderOnce() {
    String[] result = run("%classpath ../target/gradcam.jar ../target/lib/*.jar\nint x = 1;").split("\u0000");
    Path target = project.resolve("target");
    assertThat(classpath).containsExactly(target.resolve("gradcam.jar"), target.resolve("lib/a.jar"),
        target.resolve("lib/b.jar"));
    // The magic line is blank, so compiler line numbers still count from the cell's first line.
    assertThat(result[0]).isEqualTo("\nint x = 1;");
    assertThat(result[1]).isEqualTo("%classpath: added 3 of 3 entries to the class path\n");

    String again = run("  %jars " + target.resolve("lib") + "/*" + File.pathSeparator + "../target/gradcam.jar")
        .split("\u0000")[1];
    assertThat(classpath).hasSize(4).contains(target.resolve("lib/notes.txt"));
    assertThat(again).isEqualTo("%jars: added 1 of 4 entries to the class path (3 already on it)\n");
  }

  @Test
  void quotedArgumentsMayHoldBlanks() throws Exception {
    Path spaced = Files.createDirectories(project.resolve("my libs")).resolve("c.jar");
    Files.writeString(spaced, "c");
    run("%jars \"" + project.resolve("my libs") + "/*.jar\"");
    assertThat(classpath).containsExactly(spaced);
    assertThat(LineMagics.split(" a 'b c'  \"d\"e ")).containsExactly("a", "b c", "de");
  }

  @Test
  void anEntryThatMatchesNothingSaysWhereRelativePathsStart() {
    assertThatThrownBy(() -> magics.run("int a = 1;\n%classpath target/lib/*"))
        .isInstanceOf(LineMagics.MagicException.class)
        .hasMessageContaining("%classpath in line 2: nothing matches target/lib/*")
        .hasMessageContaining("working directory " + notebooks);
    assertThatThrownBy(() -> magics.run("%jars"))
        .hasMessageContaining("%jars in line 1 needs at least one jar or folder");
    assertThat(classpath).isEmpty();
  }

  @Test
  void unknownMagicsAreAnsweredNotCompiled() {
    assertThatThrownBy(() -> magics.run("import java.util.*;\n%maven org.knowm.xchart:xchart:3.8.8"))
        .isInstanceOf(LineMagics.MagicException.class)
        .hasMessageStartingWith("Unknown magic %maven in line 2: the Java (gradcam) kernel knows only the"
            + " line magics %classpath and %jars")
        .hasMessageContaining("2 | %maven org.knowm.xchart:xchart:3.8.8");
    assertThatThrownBy(() -> magics.run("%%time\nint a = 1;")).hasMessageStartingWith("Unknown magic %%time in line 1");
  }

  @Test
  void javaLinesWithPercentAreNotMagics() {
    String cell = "int r = 7\n    % 3;\nString f = \"%d\".formatted(r);";
    assertThat(magics.run(cell)).isEqualTo(cell);
    assertThat(LineMagics.strip("%jars x.jar\nint a = 1;")).isEqualTo("\nint a = 1;");
  }
}
