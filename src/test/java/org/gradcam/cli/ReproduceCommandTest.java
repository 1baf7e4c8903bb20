package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gradcam.TestData;
import org.gradcam.data.Assets;
import org.gradcam.eval.PublishedReproduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradcam reproduce} on a temp results folder, with 4 stand-in images to stay fast. */
class ReproduceCommandTest extends CliTest {
  static final Path MIRROR = TestData.MIRROR;

  @Test
  void writesEveryResultAndOnlyReplacesItsOwnFiles(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    Files.createDirectories(results.resolve("plots"));
    // Not ours: must survive. benchmarks.md is kept without --with-speed.
    Files.writeString(results.resolve("benchmarks.md"), "old timings");
    Files.writeString(results.resolve("notes.md"), "hand-written");
    Files.writeString(results.resolve("plots/mine.png"), "someone else's");
    Files.writeString(dir.resolve("outside.txt"), "outside results/");
    // A file an earlier run generated and this run no longer does: must go.
    Files.writeString(results.resolve("plots/stale-chart.png"), "stale");
    // Listed, but reached through symlinks: deleting them would reach outside results/.
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("victim.txt"), "not in results/");
    Files.createSymbolicLink(results.resolve("linked"), elsewhere);
    Files.createSymbolicLink(results.resolve("plots/link.png"), dir.resolve("outside.txt"));
    Files.writeString(results.resolve(ReproduceCommand.MANIFEST),
        "# old\nplots/stale-chart.png\n../outside.txt\nbenchmarks.md\nlinked/victim.txt\n"
            + "plots/link.png\n" + dir.resolve("outside.txt") + "\n");

    assertThat(run("reproduce", "--results", results.toString(), "--mirror", MIRROR.toString(),
        "--max-images", "4")).as(err.toString()).isZero();
    assertThat(err.toString()).contains("reproduce: published pickles")
        .contains("reproduce: Grad-CAM run: VOC2007 test, only 4 of its 433 dog images")
        .contains("reproduce: done:");

    assertThat(results.resolve("plots/stale-chart.png")).doesNotExist();
    assertThat(results.resolve("benchmarks.md")).hasContent("old timings");
    assertThat(results.resolve("notes.md")).hasContent("hand-written");
    assertThat(results.resolve("plots/mine.png")).hasContent("someone else's");
    assertThat(dir.resolve("outside.txt")).hasContent("outside results/");
    assertThat(elsewhere.resolve("victim.txt")).hasContent("not in results/");
    assertThat(results.resolve("plots/link.png")).isSymbolicLink();
    try (var s = Files.list(results)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(ReproduceCommand.STAGING_PREFIX));
    }

    // (a) the published reproduction is exactly PublishedReproduction's report.
    String report = Files.readString(results.resolve("published-reproduction.md"));
    assertThat(report).isEqualTo(new PublishedReproduction(MIRROR).report())
        .contains("## AP variants and difficult rules").contains("11-pt ignore")
        .contains("## Baselines").contains("centred 50% area");

    // (c) our runs, each labelled with its data.
    String voc = Files.readString(results.resolve(ReproduceCommand.VOC_DIR + "/summary.md"));
    assertThat(voc).startsWith("# Grad-CAM dog localisation: VOC2007 test, only 4 of its 433 "
        + "dog images (000001, 001150, 001763, 004545)");
    assertThat(results.resolve(ReproduceCommand.VOC_DIR + "/missing_images.txt")).exists();
    String pets = Files.readString(results.resolve(ReproduceCommand.STANDIN_DIR + "/summary.md"));
    assertThat(pets).startsWith("# Grad-CAM dog localisation: Oxford-IIIT Pet american_bulldog "
        + "(first 4 of 200 images").contains("STAND-IN, not VOC2007").doesNotContain("VOC2007 test, only");
    assertThat(Files.readAllLines(results.resolve(ReproduceCommand.STANDIN_DIR + "/targets.csv")))
        .hasSize(5);
    assertThat(results.resolve(ReproduceCommand.STANDIN_DIR + "/missing_images.txt"))
        .doesNotExist();

    // (d) charts and pictures; (e) README describing every generated file.
    List<String> manifest = Files.readAllLines(results.resolve(ReproduceCommand.MANIFEST))
        .stream().filter(l -> !l.startsWith("#")).toList();
    String readme = Files.readString(results.resolve("README.md"));
    for (String prefix : List.of("published-voc2007", "voc2007-4-images", "standin-oxford-pets")) {
      for (String suffix : List.of("-pr-iou-0.3", "-pr-iou-0.4", "-pr-iou-0.5",
          "-ap-vs-threshold")) {
        String file = "plots/" + prefix + suffix + ".png";
        assertThat(manifest).contains(file);
        BufferedImage png = ImageIO.read(results.resolve(file).toFile());
        assertThat(png.getWidth()).as(file).isEqualTo(800);
        assertThat(png.getHeight()).as(file).isEqualTo(600);
      }
    }
    List<String> pictures = List.of("voc2007-000001", "voc2007-001150", "voc2007-001763",
        "voc2007-004545", "standin-american_bulldog_10", "standin-american_bulldog_100");
    for (String p : pictures) {
      String file = "boxes/" + p + "-threshold-0.06.png";
      assertThat(manifest).contains(file);
      assertThat(results.resolve(file)).isRegularFile();
    }
    BufferedImage photo = ImageIO.read(MIRROR.resolve("voc2007-test/JPEGImages/000001.jpg")
        .toFile());
    BufferedImage picture = ImageIO.read(results.resolve("boxes/voc2007-000001-threshold-0.06.png")
        .toFile());
    assertThat(picture.getWidth()).isEqualTo(photo.getWidth());
    assertThat(picture.getHeight()).isGreaterThan(photo.getHeight()); // plus the caption strip
    for (String file : manifest) {
      assertThat(results.resolve(file)).as(file).isRegularFile();
      if (!file.equals("README.md")) {
        assertThat(readme).as("README mentions " + file).contains("`" + file + "`");
      }
    }
    assertThat(manifest).doesNotContain("benchmarks.md", "notes.md", "plots/mine.png");
    assertThat(readme).contains("benchmarks.md").contains("--with-speed")
        .contains("**not** VOC2007 numbers");

    // A second run deletes and rewrites the same set, and nothing else. A score that differs
    // only in float32 rounding (as on another CPU) keeps the committed file; a real change and
    // a broken file are rewritten.
    Path vocBoxes = results.resolve(ReproduceCommand.VOC_DIR + "/boxes.csv");
    Path petBoxes = results.resolve(ReproduceCommand.STANDIN_DIR + "/boxes.csv");
    String vocFresh = Files.readString(vocBoxes);
    String petFresh = Files.readString(petBoxes);
    String vocRounded = shiftFirstScore(vocFresh, 3e-7);
    Files.writeString(vocBoxes, vocRounded);
    Files.writeString(petBoxes, shiftFirstScore(petFresh, 1e-3));
    Files.writeString(results.resolve("plots/published-voc2007-pr-iou-0.3.png"), "stale");
    assertThat(run("reproduce", "--results", results.toString(), "--mirror", MIRROR.toString(),
        "--max-images", "4")).as(err.toString()).isZero();
    assertThat(Files.readAllLines(results.resolve(ReproduceCommand.MANIFEST)).stream()
        .filter(l -> !l.startsWith("#")).toList()).isEqualTo(manifest);
    assertThat(ImageIO.read(results.resolve("plots/published-voc2007-pr-iou-0.3.png").toFile()))
        .isNotNull();
    assertThat(results.resolve("plots/mine.png")).hasContent("someone else's");
    assertThat(vocBoxes).hasContent(vocRounded);
    assertThat(petBoxes).hasContent(petFresh);
    assertThat(err.toString()).containsPattern("\\d+ files unchanged \\(equal, or within "
        + "float32 rounding: RoundingTolerance\\), [1-9]\\d* written");
  }

  /** The CSV with the score of its first box moved by {@code delta}. */
  private static String shiftFirstScore(String csv, double delta) {
    String[] lines = csv.split("\n", -1);
    String[] f = lines[1].split(",");
    f[f.length - 1] = new java.math.BigDecimal(f[f.length - 1])
        .add(java.math.BigDecimal.valueOf(delta)).toPlainString();
    lines[1] = String.join(",", f);
    return String.join("\n", lines);
  }

  @Test
  void deletingListedFilesNeverLeavesTheResultsFolder(@TempDir Path dir) throws Exception {
    Path results = Files.createDirectories(dir.resolve("results/sub"));
    results = results.getParent();
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    for (String f : List.of("outside.txt", "elsewhere/victim.txt", "elsewhere/target.txt")) {
      Files.writeString(dir.resolve(f), f);
    }
    Files.writeString(results.resolve("mine.png"), "generated");
    Files.writeString(results.resolve("sub/old.csv"), "generated");
    Files.createSymbolicLink(results.resolve("linked"), elsewhere);
    Files.createSymbolicLink(results.resolve("link.png"), elsewhere.resolve("target.txt"));
    int deleted = ResultsFolder.deleteListed(results, List.of("../outside.txt",
        dir.resolve("outside.txt").toString(), "linked/victim.txt", "link.png",
        "sub/../../outside.txt", "mine.png", "sub/old.csv", "missing.png", ".", "sub"));
    assertThat(deleted).isEqualTo(2);
    assertThat(results.resolve("mine.png")).doesNotExist();
    assertThat(results.resolve("sub/old.csv")).doesNotExist();
    assertThat(dir.resolve("outside.txt")).hasContent("outside.txt");
    assertThat(elsewhere.resolve("victim.txt")).hasContent("elsewhere/victim.txt");
    assertThat(elsewhere.resolve("target.txt")).hasContent("elsewhere/target.txt");
    assertThat(results.resolve("link.png")).isSymbolicLink();
    assertThat(results.resolve("sub")).isDirectory();
  }

  /** A mirror of links to the real one, with {@code replaced} (relative paths) made real copies. */
  private static Path linkedMirror(Path root) throws Exception {
    Files.createDirectories(root);
    try (var s = Files.list(MIRROR)) {
      for (Path p : s.toList()) {
        Files.createSymbolicLink(root.resolve(p.getFileName().toString()), p.toAbsolutePath());
      }
    }
    return root;
  }

  /** Replaces the link {@code rel} of a linked mirror by a folder of links to its entries. */
  private static Path unlink(Path mirror, String rel) throws Exception {
    Path link = mirror.resolve(rel);
    Path target = Files.readSymbolicLink(link);
    Files.delete(link);
    Files.createDirectories(link);
    try (var s = Files.list(target)) {
      for (Path p : s.toList()) {
        Files.createSymbolicLink(link.resolve(p.getFileName().toString()), p);
      }
    }
    return link;
  }

  private static java.util.Map<String, String> snapshot(Path root) throws Exception {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String rel = root.relativize(p).toString();
        out.put(rel, Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
            : Files.isDirectory(p) ? "dir"
            : java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  @Test
  void aFailingRunLeavesThePreviousResultsUntouched(@TempDir Path dir) throws Exception {
    // What an earlier run left: its manifest lists files a new run would replace or delete.
    Path results = Files.createDirectories(dir.resolve("results/plots"));
    results = results.getParent();
    Files.writeString(results.resolve("published-reproduction.md"), "previous table");
    Files.writeString(results.resolve("plots/published-voc2007-pr-iou-0.3.png"), "previous");
    Files.writeString(results.resolve("plots/gone.png"), "previous");
    Files.writeString(results.resolve(ReproduceCommand.MANIFEST), "# old\n"
        + "published-reproduction.md\nplots/published-voc2007-pr-iou-0.3.png\nplots/gone.png\n");
    var before = snapshot(results);

    // (a) A tampered published pickle: refused before anything is generated.
    Path tampered = linkedMirror(dir.resolve("tampered"));
    Path pickles = unlink(unlink(tampered, "published").getParent(),
        "published/rayanramoul-GradCAM").resolve("results");
    Path copy = Files.createDirectories(dir.resolve("pickles"));
    try (var s = Files.list(Files.readSymbolicLink(pickles))) {
      for (Path p : s.toList()) {
        Files.copy(p, copy.resolve(p.getFileName().toString()));
      }
    }
    Files.delete(pickles);
    Files.createSymbolicLink(pickles, copy);
    Path pickle = copy.resolve("all_detected_dogs0.06.pickle");
    byte[] bytes = Files.readAllBytes(pickle);
    bytes[bytes.length / 2] ^= 1; // one flipped bit: still a loadable pickle, wrong boxes
    Files.write(pickle, bytes);
    assertThat(run("reproduce", "--results", results.toString(), "--mirror",
        tampered.toString(), "--max-images", "2")).isEqualTo(2);
    assertThat(err.toString().lines().filter(l -> l.startsWith("error: ")).toList())
        .singleElement().asString().contains("all_detected_dogs0.06.pickle")
        .contains("published-results").contains("expects");
    assertThat(err.toString()).doesNotContain("Grad-CAM run");
    assertThat(snapshot(results)).isEqualTo(before);

    // (b) Undecodable stand-in images: every input is an asset, so their digests refuse them
    // before the first Grad-CAM run, and nothing reaches results/.
    Path broken = linkedMirror(dir.resolve("broken"));
    unlink(broken, "oxford-iiit-pet-dogs");
    Path images = broken.resolve("oxford-iiit-pet-dogs/images");
    Path real = Files.readSymbolicLink(images);
    Files.delete(images);
    Files.createDirectories(images);
    try (var s = Files.list(real)) {
      for (Path p : s.toList()) {
        Files.writeString(images.resolve(p.getFileName().toString()), "not a JPEG");
      }
    }
    assertThat(run("reproduce", "--results", results.toString(), "--mirror", broken.toString(),
        "--max-images", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("\nerror: ").contains("american_bulldog_")
        .contains("asset 'oxford-pets-dogs' expects").doesNotContain("Grad-CAM run");
    assertThat(snapshot(results)).isEqualTo(before);
  }

  @Test
  void badInputIsAnErrorLineAndExit2AndDeletesNothing(@TempDir Path dir) throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("published-reproduction.md"), "previous");

    assertThat(run("reproduce", "--results", results.toString(), "--mirror",
        dir.resolve("no-mirror").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: No data mirror at").contains("no-mirror");

    // A mirror that lacks inputs: they are downloaded, and an unreachable origin is one error
    // line, before anything is deleted.
    Path partial = Files.createDirectories(dir.resolve("partial/voc2007-test"));
    ReproduceCommand offline = new ReproduceCommand(m -> new Assets(dir.resolve("cache"), m,
        u -> URI.create("http://127.0.0.1:1" + u.getPath())));
    assertThat(runWith(offline, "reproduce", "--results", results.toString(), "--mirror",
        partial.getParent().toString())).isEqualTo(2);
    assertThat(err.toString()).contains("\nerror: cannot download asset "
        + "'published-results' from http://127.0.0.1:1/rayanramoul/GradCAM/");

    assertThat(run("reproduce", "--results", results.toString(), "--mirror", MIRROR.toString(),
        "--no-mirror")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: give --mirror DIR or --no-mirror, not both");

    assertThat(run("reproduce", "--results", results.toString(), "--mirror", MIRROR.toString(),
        "--max-images", "0")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: --max-images must be at least 1");

    assertThat(run("reproduce", "--results", results.toString(), "--mirror", MIRROR.toString(),
        "--picture-threshold", "0.5")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: --picture-threshold must be one of");

    assertThat(results.resolve("published-reproduction.md")).hasContent("previous");
  }
}
