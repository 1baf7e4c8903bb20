package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gradcam.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KernelSpecTest {

  @TempDir
  Path tmp;

  @Test
  void kernelJsonStartsKernelMainWithJarAndLib() {
    Map<String, Object> json = KernelSpec.kernelJson(Path.of("/jdk/bin/java"), Path.of("/p/target/gradcam.jar"),
        Path.of("/p/target/lib"));
    assertThat(json.get("argv")).asList().containsExactly(
        "/jdk/bin/java", "-cp", "/p/target/gradcam.jar:/p/target/lib/*",
        "org.gradcam.kernel.KernelMain", "{connection_file}");
    assertThat(json).containsEntry("display_name", "Java (gradcam)").containsEntry("language", "java");
  }

  @Test
  void kernelsDirHonoursPrefixThenJupyterDataDir() {
    assertThat(KernelSpec.kernelsDir(tmp, Map.of("JUPYTER_DATA_DIR", "/ignored")))
        .isEqualTo(tmp.resolve("share/jupyter/kernels"));
    assertThat(KernelSpec.kernelsDir(null, Map.of("JUPYTER_DATA_DIR", tmp.toString())))
        .isEqualTo(tmp.resolve("kernels"));
    assertThat(KernelSpec.kernelsDir(null, Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".local/share/jupyter/kernels"));
  }

  @Test
  void builtJarIsBesideTheClassesInTheBuildTree() {
    assertThat(KernelSpec.builtJar().getFileName().toString()).isEqualTo("gradcam.jar");
    assertThat(KernelSpec.builtJar().getParent().getFileName().toString()).isEqualTo("target");
  }

  @Test
  void cliInstallWritesKernelJsonUnderPrefix() throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    int exit = cli.execute("kernel", "install", "--prefix", tmp.toString(), "--name", "java-test");
    assertThat(exit).isZero();
    Path file = tmp.resolve("share/jupyter/kernels/java-test/kernel.json");
    assertThat(out.toString()).contains("Installed kernelspec 'java-test'");
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertThat(json.get("display_name").asText()).isEqualTo("Java (gradcam)");
    assertThat(json.get("argv").get(0).asText()).isEqualTo(KernelSpec.currentJava().toString());
    assertThat(json.get("argv").get(2).asText()).endsWith("target/gradcam.jar:" + KernelSpec.builtJar().getParent() + "/lib/*");
    assertThat(json.get("argv").get(4).asText()).isEqualTo("{connection_file}");
  }

  @Test
  void cliRejectsUserTogetherWithPrefix() {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("kernel", "install", "--user", "--prefix", tmp.toString())).isNotZero();
  }

  @Test
  void badKernelNameIsRefused() {
    assertThatThrownBy(() -> KernelSpec.install(tmp, "../evil", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
