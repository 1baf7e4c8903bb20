package org.gradcam.model;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import org.tensorflow.Graph;
import org.tensorflow.TensorFlow;

/**
 * Loads TensorFlow's native libraries, straight from JavaCPP's cache when it already holds the
 * files of this TensorFlow Java jar. JavaCPP's own loader first looks for some twenty CUDA
 * libraries that a CPU build never has, in every jar of the class path: on a cold JVM that search
 * is a third of a second of the one-second load, on every start. The cache check is JavaCPP's
 * own (same size, same modification time as the jar entry it was extracted from); when it fails,
 * or whenever JavaCPP is configured through {@code org.bytedeco.javacpp.*} properties, JavaCPP
 * loads everything itself as usual.
 */
public final class TensorFlowNative {
  /** Where the jar keeps the libraries, and the order they depend on each other. */
  static final String DIR = "org/tensorflow/internal/c_api/linux-x86_64/";
  static final List<String> LIBRARIES = List.of("libtensorflow_framework.so.2",
      "libtensorflow_cc.so.2", "libjnitensorflow.so");

  private static boolean loaded;
  private static boolean direct;

  private TensorFlowNative() {}

  /** Loads the libraries once per process; true if they came straight from the cache. */
  public static synchronized boolean load() {
    if (!loaded) {
      direct = loadCached();
      TensorFlow.version(); // JavaCPP's loader; with the libraries in place it only links them
      loaded = true;
    }
    return direct;
  }

  /** A new graph, the libraries loaded first (by {@link #load}). */
  public static Graph newGraph() {
    load();
    return new Graph();
  }

  private static boolean loadCached() {
    if (!"Linux".equals(System.getProperty("os.name"))
        || !"amd64".equals(System.getProperty("os.arch"))
        || System.getProperties().stringPropertyNames().stream()
            .anyMatch(k -> k.startsWith("org.bytedeco.javacpp."))) {
      return false;
    }
    Path cache = Path.of(System.getProperty("user.home"), ".javacpp", "cache");
    Optional<List<Path>> files = cachedLibraries(cache, TensorFlowNative.class.getClassLoader());
    if (files.isEmpty()) {
      return false;
    }
    try {
      for (Path f : files.get()) {
        System.load(f.toString());
      }
    } catch (UnsatisfiedLinkError e) {
      return false; // JavaCPP tries again and reports its own error if it fails too
    }
    // Read by JavaCPP's Loader when it initialises, which nothing has done yet in this process.
    // It holds for every JavaCPP library of the process: TensorFlow is the only one here.
    System.setProperty("org.bytedeco.javacpp.loadLibraries", "false");
    return true;
  }

  /**
   * The cached copies of {@link #LIBRARIES} under {@code cache}, as JavaCPP lays them out
   * ({@code <jar file name>/<entry name>}), if every one has the size and modification time of
   * the jar entry it was extracted from; empty otherwise.
   */
  static Optional<List<Path>> cachedLibraries(Path cache, ClassLoader loader) {
    List<Path> out = new ArrayList<>();
    try {
      for (String lib : LIBRARIES) {
        URL url = loader.getResource(DIR + lib);
        if (url == null || !"jar".equals(url.getProtocol())) {
          return Optional.empty();
        }
        JarURLConnection jar = (JarURLConnection) url.openConnection();
        JarEntry entry = jar.getJarEntry();
        Path jarFile = Path.of(jar.getJarFileURL().toURI());
        Path cached = cache.resolve(jarFile.getFileName().toString()).resolve(entry.getName());
        if (!Files.isRegularFile(cached) || Files.size(cached) != entry.getSize()
            || Files.getLastModifiedTime(cached).toMillis() != entry.getTime()) {
          return Optional.empty();
        }
        out.add(cached);
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(out);
  }
}
