package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.JarURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowNativeTest {

  /**
   * In fresh JVMs: JavaCPP's own loader (any org.bytedeco.javacpp property turns the direct load
   * off; it also fills the cache on a new machine), then the direct load, which must be taken
   * and compute bit for bit the same logits.
   */
  @Test
  void directLoadFromTheCacheIsTakenAndComputesTheSameNumbers() throws Exception {
    List<String> viaJavaCpp = probe("-Dorg.bytedeco.javacpp.logger.debug=false");
    assertThat(viaJavaCpp).contains("direct=false");
    List<String> direct = probe();
    assertThat(direct).contains("direct=true");
    assertThat(logits(direct)).startsWith("logits=").hasSizeGreaterThan(1000)
        .isEqualTo(logits(viaJavaCpp));
  }

  @Test
  void cacheMatchingTheJarEntriesIsUsed(@TempDir Path cache) throws IOException {
    List<Path> files = fakeCache(cache);
    assertThat(TensorFlowNative.cachedLibraries(cache, loader())).contains(files);
  }

  @Test
  void cacheDifferingInSizeTimeOrPresenceIsNot(@TempDir Path cache) throws IOException {
    List<Path> files = fakeCache(cache);
    Path cc = files.get(1);
    FileTime time = Files.getLastModifiedTime(cc);
    Files.setLastModifiedTime(cc, FileTime.fromMillis(time.toMillis() + 2000));
    assertThat(TensorFlowNative.cachedLibraries(cache, loader())).isEmpty();
    Files.setLastModifiedTime(cc, time);
    try (RandomAccessFile f = new RandomAccessFile(cc.toFile(), "rw")) {
      f.setLength(f.length() - 1);
    }
    Files.setLastModifiedTime(cc, time);
    assertThat(TensorFlowNative.cachedLibraries(cache, loader())).isEmpty();
    Files.delete(cc);
    assertThat(TensorFlowNative.cachedLibraries(cache, loader())).isEmpty();
  }

  private static ClassLoader loader() {
    return TensorFlowNative.class.getClassLoader();
  }

  /** Sparse files with the size and time of the jar entries, laid out as JavaCPP does. */
  private static List<Path> fakeCache(Path cache) throws IOException {
    List<Path> out = new ArrayList<>();
    for (String lib : TensorFlowNative.LIBRARIES) {
      JarURLConnection jar = (JarURLConnection) loader().getResource(TensorFlowNative.DIR + lib)
          .openConnection();
      Path f = cache.resolve(Path.of(jar.getJarFile().getName()).getFileName().toString())
          .resolve(jar.getJarEntry().getName());
      Files.createDirectories(f.getParent());
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(jar.getJarEntry().getSize());
      }
      Files.setLastModifiedTime(f, FileTime.fromMillis(jar.getJarEntry().getTime()));
      out.add(f);
    }
    return out;
  }

  private static String logits(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("logits=")).findFirst().orElse("");
  }

  private static List<String> probe(String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        TensorFlowNativeProbe.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text.lines().toList();
  }
}
