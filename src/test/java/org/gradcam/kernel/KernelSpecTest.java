package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradcam.cli.CliTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest extends CliTest {

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
    // As ./gradcam sets it (README "Cold start"): the kernel's graph runs keep oneDNN's reordered weights.
    assertThat(json.get("env")).isEqualTo(Map.of("TF_ONEDNN_ASSUME_FROZEN_WEIGHTS", "1"));
  }

  /** What JJava's installer writes (its own name {@code java}, its own jar). */
  private static final String JJAVA_KERNEL_JSON = """
      {"argv": ["java", "-jar", "/home/u/.local/share/jupyter/kernels/java/jjava-1.0-a6.jar",
                "{connection_file}"],
       "display_name": "Java", "language": "java", "interrupt_mode": "message",
       "env": {"JJAVA_CLASSPATH": "/home/u/lib/*"}}
      """;

  @Test
  void defaultInstallIsNamedGradcamAndLeavesAJavaKernelAlone() throws Exception {
    Path kernels = tmp.resolve("share/jupyter/kernels");
    Path jjava = kernels.resolve("java/kernel.json");
    Files.createDirectories(jjava.getParent());
    Files.writeString(jjava, JJAVA_KERNEL_JSON);
    assertThat(run("kernel", "install", "--prefix", tmp.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Installed kernelspec 'gradcam'");
    assertThat(kernels.resolve("gradcam/kernel.json")).isRegularFile();
    assertThat(Files.readString(jjava)).isEqualTo(JJAVA_KERNEL_JSON);
  }

  @Test
  void installRefusesToOverwriteAnotherKernelAndSaysWhatItFound() throws Exception {
    Path jjava = tmp.resolve("share/jupyter/kernels/java/kernel.json");
    Files.createDirectories(jjava.getParent());
    Files.writeString(jjava, JJAVA_KERNEL_JSON);
    assertThat(run("kernel", "install", "--prefix", tmp.toString(), "--name", "java"))
        .isEqualTo(2);
    // One error line (a build-tree run may add the "jar not built yet" warning before it), no stack trace.
    List<String> errors = err.toString().lines().filter(l -> !l.startsWith("warning: ")).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("error: " + jjava + " is the kernel \"Java\" (java -jar ")
        .contains("jjava-1.0-a6.jar", "--replace", "--name");
    assertThat(Files.readString(jjava)).isEqualTo(JJAVA_KERNEL_JSON);

    assertThat(run("kernel", "install", "--prefix", tmp.toString(), "--name", "java",
        "--replace")).as(err.toString()).isZero();
    assertThat(new ObjectMapper().readTree(jjava.toFile()).get("argv").get(3).asText())
        .isEqualTo(KernelMain.class.getName());
  }

  @Test
  void anOlderInstallOfOursNamedJavaIsPointedOutNotTouched() throws Exception {
    Path kernels = tmp.resolve("share/jupyter/kernels");
    Path old = KernelSpec.install(kernels, "java", KernelSpec.kernelJson(Path.of("/old/jdk/bin/java"),
        Path.of("/old/gradcam.jar"), Path.of("/old/lib")));
    String before = Files.readString(old);
    assertThat(run("kernel", "install", "--prefix", tmp.toString())).as(err.toString()).isZero();
    assertThat(err.toString()).contains(
        "note: " + old.getParent() + " is an older install of this kernel",
        "jupyter kernelspec remove java");
    assertThat(Files.readString(old)).isEqualTo(before);
    // JJava's own "java" kernel is not ours: nothing to point out.
    Files.writeString(old, JJAVA_KERNEL_JSON);
    assertThat(run("kernel", "install", "--prefix", tmp.toString())).isZero();
    assertThat(err.toString()).doesNotContain("note:");
  }

  @Test
  void installReplacesAnOlderInstallOfOurs() throws Exception {
    // An install from another checkout or JDK: other paths, same KernelMain.
    Map<String, Object> old = KernelSpec.kernelJson(Path.of("/old/jdk/bin/java"), Path.of("/old/gradcam.jar"),
        Path.of("/old/lib"));
    Path file = KernelSpec.install(tmp, "gradcam", old);
    Map<String, Object> current = KernelSpec.kernelJson(Path.of("/jdk/bin/java"), Path.of("/p/gradcam.jar"),
        Path.of("/p/lib"));
    assertThat(KernelSpec.install(tmp, "gradcam", current)).isEqualTo(file);
    assertThat(new ObjectMapper().readTree(file.toFile()).get("argv").get(0).asText()).isEqualTo("/jdk/bin/java");
  }

  @Test
  void unreadableKernelJsonIsNotOverwrittenEither() throws Exception {
    Path file = tmp.resolve("gradcam/kernel.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"argv\": [");
    assertThatThrownBy(() -> KernelSpec.install(tmp, "gradcam", Map.of("argv", List.of())))
        .isInstanceOf(KernelSpec.ForeignKernelException.class)
        .hasMessageContaining("not a readable kernelspec");
    Files.writeString(file, "{\"display_name\": \"no argv\"}");
    assertThatThrownBy(() -> KernelSpec.install(tmp, "gradcam", Map.of("argv", List.of())))
        .hasMessageContaining("without an argv list");
    assertThat(Files.readString(file)).isEqualTo("{\"display_name\": \"no argv\"}");
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
    assertThat(run("kernel", "install", "--prefix", tmp.toString(), "--name", "gradcam-test"))
        .isZero();
    Path file = tmp.resolve("share/jupyter/kernels/gradcam-test/kernel.json");
    assertThat(out.toString()).contains("Installed kernelspec 'gradcam-test'");
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertThat(json.get("display_name").asText()).isEqualTo("Java (gradcam)");
    assertThat(json.get("argv").get(0).asText()).isEqualTo(KernelSpec.currentJava().toString());
    assertThat(json.get("argv").get(2).asText()).endsWith("target/gradcam.jar:" + KernelSpec.builtJar().getParent() + "/lib/*");
    assertThat(json.get("argv").get(4).asText()).isEqualTo("{connection_file}");
    assertThat(json.get("env").get("TF_ONEDNN_ASSUME_FROZEN_WEIGHTS").asText()).isEqualTo("1");
  }

  @Test
  void cliRejectsUserTogetherWithPrefix() {
    assertThat(run("kernel", "install", "--user", "--prefix", tmp.toString())).isNotZero();
  }

  @Test
  void badKernelNameIsRefused() {
    assertThatThrownBy(() -> KernelSpec.install(tmp, "../evil", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
