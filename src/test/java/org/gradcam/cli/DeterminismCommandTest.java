package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.data.Assets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command writes does not depend on how the images were batched, on the cache or on an
 * interruption: files are compared byte for byte, which is right on one machine and one kernel
 * path (the batch is the only thing that changes between the runs compared).
 */
class DeterminismCommandTest extends CliTest {
  /** 11 images: more than one graph run of 8, and not a multiple of 5 or 8. */
  static final int IMAGES = 11;
  static final Path STANDIN = TestData.path("oxford-iiit-pet-dogs");
  static final List<String> FILES = List.of("localize/boxes.csv", "localize/targets.csv",
      "localize/summary.md");

  @TempDir static Path data;

  @BeforeAll
  static void copyElevenStandInImages() throws IOException {
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("annotations"));
    try (Stream<Path> s = Files.list(STANDIN.resolve("images"))) {
      for (Path jpg : s.sorted().limit(IMAGES).toList()) {
        String id = jpg.getFileName().toString().replace(".jpg", "");
        Files.copy(jpg, data.resolve("images").resolve(jpg.getFileName()));
        Files.copy(STANDIN.resolve("derived/Annotations/" + id + ".xml"),
            data.resolve("annotations/" + id + ".xml"));
      }
    }
  }

  private static String[] localizeArgs(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("localize", "--images",
        data.resolve("images").toString(), "--annotations", data.resolve("annotations").toString(),
        "--out", out.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static byte[] bytes(Path p) throws IOException {
    return Files.readAllBytes(p);
  }

  @Test
  void localizeWritesTheSameBytesAtBatchSizes8And5And1(@TempDir Path dir) throws Exception {
    for (String b : List.of("8", "5", "1")) {
      assertThat(run(localizeArgs(dir.resolve(b).resolve("localize"), "--batch-size", b)))
          .as(err.toString()).isZero();
      assertThat(out.toString()).contains("images: " + IMAGES + " computed");
    }
    for (String f : FILES) {
      assertThat(bytes(dir.resolve("5").resolve(f))).as("%s at batch 5", f)
          .isEqualTo(bytes(dir.resolve("8").resolve(f)));
      assertThat(bytes(dir.resolve("1").resolve(f))).as("%s at batch 1", f)
          .isEqualTo(bytes(dir.resolve("8").resolve(f)));
    }
  }

  @Test
  void explainOfAnImageAloneAndInAFolderWritesTheSameHeatmapAndOverlay(@TempDir Path dir)
      throws Exception {
    Path images = data.resolve("images");
    assertThat(run("explain", "--image", images.toString(), "--out", dir.resolve("all").toString(),
        "--heatmap-out", dir.resolve("all-maps").toString(), "--batch-size", "auto"))
        .as(err.toString()).isZero();
    List<Path> files;
    try (Stream<Path> s = Files.list(images)) {
      files = s.sorted().toList();
    }
    for (Path image : List.of(files.get(0), files.get(5), files.get(IMAGES - 1))) {
      String id = image.getFileName().toString().replace(".jpg", "");
      Path alone = dir.resolve("alone-" + id);
      assertThat(run("explain", "--image", image.toString(), "--out",
          alone.resolve("overlay.png").toString(), "--heatmap-out",
          alone.resolve("map.npy").toString())).as(err.toString()).isZero();
      Path map = onlyFileStartingWith(dir.resolve("all-maps"), id + ".");
      Path overlay = onlyFileStartingWith(dir.resolve("all"), id + ".");
      assertThat(bytes(alone.resolve("map.npy"))).as("heatmap of %s", id).isEqualTo(bytes(map));
      assertThat(bytes(alone.resolve("overlay.png"))).as("overlay of %s", id)
          .isEqualTo(bytes(overlay));
    }
  }

  private static Path onlyFileStartingWith(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> hits = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertThat(hits).as("files %s* in %s", prefix, dir).hasSize(1);
      return hits.get(0);
    }
  }

  /**
   * A localize run killed (SIGKILL) after a few images, then resumed, writes what an
   * uninterrupted run writes. The killed run is a separate JVM so that the kill is real.
   */
  @Test
  void aKilledAndResumedLocalizeEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
    assertThat(run(localizeArgs(dir.resolve("whole"), "--batch-size", "1")))
        .as(err.toString()).isZero();

    Path resumed = dir.resolve("resumed");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dgradcam.home=" + Assets.home(), "org.gradcam.cli.Main"));
    command.addAll(List.of(localizeArgs(resumed, "--batch-size", "1")));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    Path cache = resumed.resolve("cache");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (cachedImages(cache) < 3 && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(child.isAlive()).as("the child was still running when killed; its log: %s",
        Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "")
        .isTrue();
    child.destroyForcibly().waitFor();
    long done = cachedImages(cache);
    assertThat(done).isBetween(3L, (long) IMAGES - 1);

    assertThat(run(localizeArgs(resumed, "--batch-size", "1"))).as(err.toString()).isZero();
    assertThat(out.toString()).contains("from cache");
    for (String f : List.of("boxes.csv", "targets.csv", "summary.md")) {
      assertThat(bytes(resumed.resolve(f))).as(f).isEqualTo(bytes(dir.resolve("whole").resolve(f)));
    }
  }

  private static long cachedImages(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".csv")).count();
    }
  }
}
