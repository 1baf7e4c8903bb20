package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gradcam notebook} with stand-ins for Jupyter on a PATH that holds only what the script
 * needs: it installs the kernel into the user's Jupyter dir (JUPYTER_DATA_DIR here) and hands over
 * to {@code jupyter lab} (or {@code jupyter notebook}) on the project's {@code notebooks/} folder,
 * by absolute path. Runs after {@code package} (the script would otherwise build the jar).
 */
class NotebookCommandIT {

  @TempDir
  Path tmp;

  @BeforeAll
  static void requireBuiltJar() {
    JupyterRunner.requireBuiltJar("NotebookCommandIT");
  }

  record Result(int exit, String stdout, String stderr) {}

  /** A PATH folder with the tools the script uses and the given Jupyter front ends. */
  private Path bin(String... frontEnds) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin-" + String.join("-", frontEnds)));
    // Wrappers, not links: JUnit warns about links out of its temporary folders.
    for (String tool : List.of("bash", "dirname", "find")) {
      Path real = Path.of("/usr/bin", tool);
      write(bin.resolve(tool), "#!/bin/sh\nexec " + (Files.exists(real) ? real : Path.of("/bin", tool)) + " \"$@\"\n");
    }
    write(bin.resolve("java"), "#!/bin/sh\nexec " + KernelSpec.currentJava() + " \"$@\"\n");
    // The stand-in records how it was started instead of serving notebooks.
    String record = "#!/bin/sh\nprintf '%s\\n' \"$PWD\" \"$JUPYTER_DATA_DIR\" \"$@\" > \"$RECORD\"\n";
    for (String name : frontEnds) {
      write(bin.resolve("jupyter-" + name), "#!/bin/sh\nexit 0\n");
    }
    write(bin.resolve("jupyter"), record);
    return bin;
  }

  private static void write(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Result run(Path bin, String... args) throws Exception {
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    List<String> command = new java.util.ArrayList<>(List.of(
        JupyterRunner.project().resolve("gradcam").toString(), "notebook"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("PATH", bin.toString());
    pb.environment().put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
    pb.environment().put("RECORD", tmp.resolve("record.txt").toString());
    Process process = pb.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("./gradcam notebook finished").isTrue();
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void installsTheKernelForTheUserThenStartsJupyterLabOnTheNotebooks() throws Exception {
    Result result = run(bin("lab", "notebook"), "--no-browser");
    assertThat(result.exit()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("Installed kernelspec 'gradcam'");
    Path kernelJson = tmp.resolve("jupyter-data/kernels/gradcam/kernel.json");
    JsonNode spec = new ObjectMapper().readTree(kernelJson.toFile());
    assertThat(spec.get("argv").get(3).asText()).isEqualTo(KernelMain.class.getName());
    assertThat(spec.get("argv").get(2).asText())
        .startsWith(JupyterRunner.project().resolve("target/gradcam.jar").toString());
    List<String> started = Files.readAllLines(tmp.resolve("record.txt"));
    assertThat(started.subList(1, started.size())).containsExactly(tmp.resolve("jupyter-data").toString(),
        "lab", JupyterRunner.project().resolve("notebooks").toString(), "--no-browser");
  }

  @Test
  void classicNotebookWhenThereIsNoLab() throws Exception {
    Result result = run(bin("notebook"));
    assertThat(result.exit()).as(result.stderr()).isZero();
    List<String> started = Files.readAllLines(tmp.resolve("record.txt"));
    assertThat(started.subList(2, started.size()))
        .containsExactly("notebook", JupyterRunner.project().resolve("notebooks").toString());
  }

  @Test
  void withoutJupyterItIsOneErrorLineNamingThePackages() throws Exception {
    Result result = run(bin());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.stderr().lines().toList()).containsExactly("error: neither 'jupyter lab' nor"
        + " 'jupyter notebook' is installed; on Debian: apt-get install jupyter-notebook jupyter-client"
        + " (or: pip install jupyterlab)");
    assertThat(tmp.resolve("jupyter-data")).doesNotExist();
  }
}
