package org.gradcam.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.gradcam.data.Assets;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.SqueezeNet11;

/**
 * What every section of {@code speed} shares: the one timing loop, the CPU clock, medians and
 * spreads of repeated cells, random inputs, the built-in models as the benchmark loads them, the
 * JPEGs of a folder.
 */
final class SpeedTiming {
  private SpeedTiming() {}

  /** How many calls a timed loop made in how many seconds of wall clock. */
  record Timed(int calls, double seconds) {
    /** Calls per second times {@code n} (images per call). */
    double rate(int n) {
      return calls * n / seconds;
    }
  }

  /** Images per second of a cell, and this process's CPU ms (all threads) per image. */
  record Rate(double imagesPerSecond, double cpuMsPerImage) {}

  /**
   * Calls {@code run} until {@code seconds} of wall clock have passed and at least
   * {@code minCalls} calls were made: the one timing loop of every speed table.
   */
  static Timed time(double seconds, int minCalls, IntSupplier run) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int calls = 0;
    do {
      run.getAsInt();
      calls++;
    } while (System.nanoTime() < end || calls < minCalls);
    return new Timed(calls, (System.nanoTime() - start) / 1e9);
  }

  /**
   * {@code run} ({@code n} images per call) after two warm-up calls, for {@code seconds}; the CPU
   * time depends much less on other work on the machine than the rate does.
   */
  static Rate rate(double seconds, int n, IntSupplier run) {
    run.getAsInt();
    run.getAsInt();
    long cpu = processCpuNanos();
    Timed t = time(seconds, 1, run);
    return new Rate(t.rate(n), (processCpuNanos() - cpu) / 1e6 / ((double) t.calls() * n));
  }

  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  /** {@code n} rows of the model's input, Gaussian (speed does not depend on the values). */
  static float[] randomBatch(Model model, int n, long seed) {
    Random rnd = new Random(seed);
    float[] batch = new float[n * model.spec().inputLength()];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = (float) rnd.nextGaussian();
    }
    return batch;
  }

  /** How far two runs' outputs are apart: the largest difference and the largest of {@code a}. */
  record Gap(double worst, double scale) {
    static Gap of(float[] a, float[] b) {
      double worst = 0;
      double scale = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(a[i]));
      }
      return new Gap(worst, scale);
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** "median (min-max)" of repeated measurements; one measurement alone. */
  static String spread(double[] v, int decimals) {
    double[] s = v.clone();
    Arrays.sort(s);
    String f = "%." + decimals + "f";
    return s.length == 1 ? String.format(Locale.ROOT, f, median(v))
        : String.format(Locale.ROOT, f + " (" + f + "-" + f + ")", median(v), s[0],
            s[s.length - 1]);
  }

  /** Whether speed times the built-in {@code name} with its ImageNet weights (else random). */
  static boolean imageNetWeights(String name) throws IOException {
    return name.equals(SqueezeNet11.NAME) && Assets.defaults().isLocal("squeezenet1.1");
  }

  /**
   * A built-in model as speed times it: SqueezeNet 1.1 with its ImageNet weights when {@code
   * imageNet} ({@link #imageNetWeights}), else random weights (speed does not depend on them;
   * VGG16 always, saving its 528 MB file).
   */
  static Model builtIn(String name, boolean imageNet) throws IOException {
    return imageNet ? Models.load(name, Assets.defaults()) : Models.random(name, 1);
  }

  /** Loads a model afresh: a new session on every call. */
  interface Loader {
    Model load() throws IOException;
  }

  /**
   * {@code base} itself at its graph batch, else a model loaded afresh to run at {@code
   * graphBatch} rows only, its session closed with it. A session's kernels must see one row
   * count, as every run of the project's pads to the graph batch: with {@code
   * TF_ONEDNN_ASSUME_FROZEN_WEIGHTS=1} oneDNN's fused MatMul keeps its reordered weights for the
   * first row count it runs and reorders them again on every run of any other, so a view of
   * {@code base} ({@link Model#atGraphBatch}) would time those reorders (README "Cold start").
   */
  record Alone(Model base, Model loaded, Model model) implements AutoCloseable {
    static Alone of(Model base, Loader loader, int graphBatch) throws IOException {
      if (graphBatch == base.graphBatch()) {
        return new Alone(base, null, base);
      }
      Model m = loader.load();
      return new Alone(base, m, m.atGraphBatch(graphBatch));
    }

    /** The rows of a batch: this graph batch, then the base's where it differs. */
    List<Model> andBase() {
      return loaded == null ? List.of(base) : List.of(model, base);
    }

    @Override
    public void close() {
      if (loaded != null) {
        loaded.close();
      }
    }
  }

  /** The row label of a built-in: its name, marked when its weights are random. */
  static String label(String name, boolean imageNet) {
    return name + (imageNet ? "" : " (random)");
  }

  /** The folder's .jpg/.jpeg files, sorted. */
  static List<Path> jpegs(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g"))
          .sorted().toList();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
