package org.gradcam.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradcam.io.AtomicFiles;

/**
 * The Jupyter kernelspec ({@code kernel.json}) that starts {@link KernelMain} with the built jar,
 * and where Jupyter looks for it.
 */
public final class KernelSpec {

  /**
   * Not {@code java}: that is JJava's and IJava's own name, so installing one kernel would replace
   * the other and a notebook would open in a kernel without the project on its class path.
   */
  public static final String DEFAULT_NAME = "gradcam";
  public static final String DISPLAY_NAME = "Java (gradcam)";

  /** The environment the kernel runs with, as {@code ./gradcam} sets it. */
  static final Map<String, String> ENV = Map.of(
      // Weights are variables never written after loading: oneDNN may keep its reordered kernels
      // (README "Cold start"); without it every cell's Session.run reorders them again.
      "TF_ONEDNN_ASSUME_FROZEN_WEIGHTS", "1");

  private KernelSpec() {}

  /**
   * The kernelspec: {@code argv} runs {@code javaExecutable -cp JAR:LIB/* KernelMain {connection_file}};
   * interrupts are sent as messages (a SIGINT would end the JVM).
   */
  public static Map<String, Object> kernelJson(Path javaExecutable, Path jar, Path libDir) {
    String classpath = jar.toAbsolutePath() + File.pathSeparator + libDir.toAbsolutePath().resolve("*");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("argv", List.of(
        javaExecutable.toAbsolutePath().toString(), "-cp", classpath,
        KernelMain.class.getName(), "{connection_file}"));
    json.put("display_name", DISPLAY_NAME);
    json.put("language", "java");
    json.put("interrupt_mode", "message");
    json.put("env", ENV);
    return json;
  }

  /** The {@code java} launcher of the running JVM ({@code java.home}). */
  public static Path currentJava() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
  }

  /**
   * The built jar: the jar this class was loaded from, or {@code target/gradcam.jar} beside
   * {@code target/classes} when running from the build tree (tests, IDE).
   */
  public static Path builtJar() {
    try {
      Path location = Path.of(KernelSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(location)) {
        return location.toAbsolutePath();
      }
      return location.toAbsolutePath().getParent().resolve("gradcam.jar");
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the gradcam jar", e);
    }
  }

  /**
   * Jupyter's kernels directory: {@code PREFIX/share/jupyter/kernels} with a prefix, else the
   * user's data dir ({@code JUPYTER_DATA_DIR} if set, else the platform default) + {@code /kernels}.
   */
  public static Path kernelsDir(Path prefix, Map<String, String> env) {
    if (prefix != null) {
      return prefix.toAbsolutePath().resolve(Path.of("share", "jupyter", "kernels"));
    }
    String dataDir = env.get("JUPYTER_DATA_DIR");
    if (dataDir != null && !dataDir.isBlank()) {
      return Path.of(dataDir).toAbsolutePath().resolve("kernels");
    }
    Path home = Path.of(System.getProperty("user.home"));
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac")) {
      return home.resolve(Path.of("Library", "Jupyter", "kernels"));
    }
    if (os.startsWith("windows") && env.get("APPDATA") != null) {
      return Path.of(env.get("APPDATA"), "jupyter", "kernels");
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(Path.of(".local", "share"));
    return data.resolve(Path.of("jupyter", "kernels"));
  }

  /** Why {@link #install} refused to write: a kernel.json that is not ours is in the way. */
  public static final class ForeignKernelException extends IOException {
    ForeignKernelException(String message) {
      super(message);
    }
  }

  /**
   * Writes {@code kernelsDir/name/kernel.json}, replacing an older one of ours; returns its path.
   * A kernel.json that does not start {@link KernelMain} (another kernel, or one Jupyter cannot
   * read) is replaced only with {@code replace}, else a {@link ForeignKernelException} names it.
   */
  public static Path install(Path kernelsDir, String name, Map<String, Object> kernelJson, boolean replace)
      throws IOException {
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("kernel name must be letters, digits, '.', '_' or '-': " + name);
    }
    Path dir = kernelsDir.resolve(name);
    Path file = dir.resolve("kernel.json");
    if (!replace && Files.exists(file)) {
      String found = foreignKernel(file);
      if (found != null) {
        throw new ForeignKernelException(file + " is " + found + ", not this project's kernel; install"
            + " under another --name, or pass --replace to overwrite it");
      }
    }
    Files.createDirectories(dir);
    // Jupyter may list kernels while we write: it must never read half a kernel.json.
    byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsBytes(kernelJson);
    AtomicFiles.write(file, json);
    return file;
  }

  /** {@link #install} that never replaces a kernel that is not ours. */
  public static Path install(Path kernelsDir, String name, Map<String, Object> kernelJson) throws IOException {
    return install(kernelsDir, name, kernelJson, false);
  }

  /** Whether {@code kernelJson} exists and starts our {@link KernelMain}. */
  public static boolean isOurs(Path kernelJson) {
    return Files.isRegularFile(kernelJson) && foreignKernel(kernelJson) == null;
  }

  /**
   * Null when {@code kernelJson} starts our {@link KernelMain} (whatever java and jar), else what it
   * is: the kernel's display name and command, or why it cannot be read.
   */
  static String foreignKernel(Path kernelJson) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(kernelJson.toFile());
    } catch (IOException e) {
      return "not a readable kernelspec (" + e.getMessage().lines().findFirst().orElse("") + ")";
    }
    JsonNode argv = json == null ? null : json.get("argv");
    if (argv == null || !argv.isArray()) {
      return "a kernelspec without an argv list";
    }
    List<String> command = new ArrayList<>();
    argv.forEach(a -> command.add(a.asText()));
    if (command.contains(KernelMain.class.getName())) {
      return null;
    }
    String display = json.path("display_name").asText("");
    String shown = String.join(" ", command);
    if (shown.length() > 160) {
      shown = shown.substring(0, 157) + "...";
    }
    return "the kernel " + (display.isEmpty() ? "" : "\"" + display + "\" ") + "(" + shown + ")";
  }
}
