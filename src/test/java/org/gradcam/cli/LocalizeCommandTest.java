package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradcam.TestData;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.VocBox;
import org.gradcam.data.VocObjectsCsv;
import org.gradcam.eval.DifficultMode;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.ThresholdResult;
import org.gradcam.eval.VocEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradcam localize} on the 4 genuine VOC2007 test dog images (fast). */
class LocalizeCommandTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test");
  static final String IMAGES = VOC.resolve("JPEGImages").toString();
  static final String CSV = VOC.resolve("voc2007_test_objects.csv").toString();
  static final List<String> IDS = List.of("000001", "001150", "001763", "004545");
  static final double[] THRESHOLDS = {0.01, 0.02, 0.06};

  private int runOnFour(Path dir, String... extra) {
    List<String> args = new ArrayList<>(List.of("localize", "--images", IMAGES,
        "--objects-csv", CSV, "--out", dir.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void endToEndOnTheFourVocImages(@TempDir Path dir) throws Exception {
    assertThat(runOnFour(dir)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("found 4 of 433 annotated dog images")
        .contains("429 missing on disk").contains("images: 4 computed, 0 from cache");
    assertThat(Files.readAllLines(dir.resolve("missing_images.txt"))).hasSize(429);

    List<String> lines = Files.readAllLines(dir.resolve("boxes.csv"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("image_id,threshold,xmin,ymin,xmax,ymax,score");
    Map<Double, List<Detection>> byThreshold = new LinkedHashMap<>();
    Set<String> pairs = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      double t = Double.parseDouble(f[1]);
      double score = Double.parseDouble(f[6]);
      assertThat(score).isBetween(0.0, 1.0);
      pairs.add(f[0] + "@" + t);
      byThreshold.computeIfAbsent(t, k -> new ArrayList<>()).add(new Detection(f[0],
          new VocBox(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
              Double.parseDouble(f[5])), score));
    }
    for (String id : IDS) {
      for (double t : THRESHOLDS) {
        assertThat(pairs).as("boxes of %s at %s", id, t).contains(id + "@" + t);
      }
    }

    // The summary's numbers are what VocEvaluator gives on the written CSV.
    GroundTruth all = VocObjectsCsv.groundTruth(VocObjectsCsv.read(Path.of(CSV)), "dog");
    Map<String, List<org.gradcam.data.GroundTruthBox>> four = new LinkedHashMap<>();
    IDS.forEach(id -> four.put(id, all.byImage().get(id)));
    GroundTruth gt = new GroundTruth(four);
    String summary = Files.readString(dir.resolve("summary.md"));
    assertThat(out.toString()).contains(summary.strip());
    assertThat(summary).contains("voc2007-test, 4 of 433 dog images")
        .contains("0-based start, exclusive stop").contains("mean of the normalised map");
    for (double t : THRESHOLDS) {
      String section = section(summary, t);
      for (Protocol p : List.of(Protocol.PUBLISHED, Protocol.PUBLISHED.with(DifficultMode.IGNORE))) {
        String name = p.difficult() == DifficultMode.COUNT ? "difficult counted (published)"
            : "difficult ignored (VOC)";
        List<ThresholdResult> r = VocEvaluator.evaluate(gt, byThreshold.get(t),
            new double[] {0.3, 0.4, 0.5}, p);
        double[] ap = cells(section, "| " + name + " | ap |");
        double[] recall = cells(section, "| " + name + " | recall |");
        for (int i = 0; i < 3; i++) {
          assertThat(ap[i]).isBetween(0.0, 100.0).isCloseTo(100 * r.get(i).ap(),
              org.assertj.core.data.Offset.offset(5e-5));
          assertThat(recall[i]).isBetween(0.0, 100.0).isCloseTo(100 * r.get(i).recall(),
              org.assertj.core.data.Offset.offset(5e-5));
        }
      }
    }
    // The full-image baseline is evaluated on the same GT.
    List<Detection> full = new ArrayList<>();
    for (String id : IDS) {
      var o = VocObjectsCsv.read(Path.of(CSV)).stream().filter(v -> v.imageId().equals(id))
          .findFirst().orElseThrow();
      full.add(new Detection(id, new VocBox(0, 0, o.width(), o.height()), 1.0));
    }
    String baseline = summary.substring(summary.indexOf("baseline, one full-image box"));
    double[] fullAp = cells(baseline, "| difficult counted (published) | ap |");
    List<ThresholdResult> fr = VocEvaluator.evaluate(gt, full, new double[] {0.3, 0.4, 0.5},
        Protocol.PUBLISHED);
    for (int i = 0; i < 3; i++) {
      assertThat(fullAp[i]).isCloseTo(100 * fr.get(i).ap(), org.assertj.core.data.Offset.offset(5e-5));
    }
    // top-dog: every explained class is a dog class.
    List<String> targets = Files.readAllLines(dir.resolve("targets.csv"));
    assertThat(targets).hasSize(5);
    for (String line : targets.subList(1, 5)) {
      int c = Integer.parseInt(line.split(",")[1]);
      assertThat(c).isBetween(151, 268);
    }
  }

  @Test
  void secondRunUsesTheCacheAndGivesTheSameOutput(@TempDir Path dir) throws Exception {
    assertThat(runOnFour(dir)).as(err.toString()).isZero();
    String boxes = Files.readString(dir.resolve("boxes.csv"));
    String summary = Files.readString(dir.resolve("summary.md"));

    assertThat(runOnFour(dir)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("images: 0 computed, 4 from cache (model not loaded)");
    assertThat(Files.readString(dir.resolve("boxes.csv"))).isEqualTo(boxes);
    assertThat(Files.readString(dir.resolve("summary.md"))).isEqualTo(summary);

    // An interrupted run: one image's entry never got written, a temp file was left behind.
    Files.delete(dir.resolve("cache/001150.csv"));
    Files.writeString(dir.resolve("cache/004545.csv.123.tmp"), "partial");
    assertThat(runOnFour(dir)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("images: 1 computed, 3 from cache");
    assertThat(Files.readString(dir.resolve("boxes.csv"))).isEqualTo(boxes);

    // A damaged entry is recomputed, not trusted.
    Files.writeString(dir.resolve("cache/000001.csv"), "garbage");
    assertThat(runOnFour(dir)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("images: 1 computed, 3 from cache");

    // Other settings never reuse boxes made with different ones.
    assertThat(runOnFour(dir, "--target", "dog-sum")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("images: 4 computed, 0 from cache");
    assertThat(Files.readString(dir.resolve("targets.csv"))).contains("sum of dog classes");

    // Nor boxes of another map method.
    assertThat(runOnFour(dir, "--method", "layercam")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("images: 4 computed, 0 from cache").contains("map=layercam");
  }

  @Test
  void cacheEntriesAreKeyedOnImageContentAndVerified(@TempDir Path dir) throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    for (String id : IDS) {
      Files.copy(Path.of(IMAGES, id + ".jpg"), images.resolve(id + ".jpg"));
    }
    Path cached = dir.resolve("cached");
    // Batch 1 throughout: an image recomputed alone then gets the numbers of a fresh run.
    String[] args = {"localize", "--images", images.toString(), "--objects-csv", CSV, "--out",
        cached.toString(), "--batch-size", "1"};
    assertThat(run(args)).as(err.toString()).isZero();

    // Another picture under the same id: its boxes are recomputed, not taken from the cache.
    Files.copy(Path.of(IMAGES, "001763.jpg"), images.resolve("001150.jpg"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(run(args)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("images: 1 computed, 3 from cache");
    Path fresh = dir.resolve("fresh");
    assertThat(run("localize", "--images", images.toString(), "--objects-csv", CSV, "--out",
        fresh.toString(), "--batch-size", "1")).as(err.toString()).isZero();
    Path expected = fresh.resolve("boxes.csv");
    assertSameBoxes(cached.resolve("boxes.csv"), expected);

    // A truncated entry (its last lines lost) that still parses as boxes: recomputed.
    Path entry = cached.resolve("cache/000001.csv");
    List<String> lines = Files.readAllLines(entry);
    assertThat(lines.size()).isGreaterThan(6);
    Files.write(entry, lines.subList(0, lines.size() - 2));
    // An edited box, everything else intact: recomputed as well.
    Path edited = cached.resolve("cache/004545.csv");
    List<String> e = new ArrayList<>(Files.readAllLines(edited));
    int boxLine = e.size() - 2;
    String[] v = e.get(boxLine).split(",");
    v[1] = String.valueOf(Integer.parseInt(v[1]) + 1);
    e.set(boxLine, String.join(",", v));
    Files.write(edited, e);
    assertThat(run(args)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("images: 2 computed, 2 from cache");
    assertSameBoxes(cached.resolve("boxes.csv"), expected);
  }

  /** Same rows (image, threshold, box), scores equal to float32 precision. */
  private static void assertSameBoxes(Path actual, Path expected) throws Exception {
    List<String> a = Files.readAllLines(actual);
    List<String> b = Files.readAllLines(expected);
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      int cut = a.get(i).lastIndexOf(',');
      assertThat(a.get(i).substring(0, cut)).isEqualTo(b.get(i).substring(0, b.get(i)
          .lastIndexOf(',')));
      if (i > 0) {
        assertThat(Double.parseDouble(a.get(i).substring(cut + 1))).as(a.get(i)).isCloseTo(
            Double.parseDouble(b.get(i).substring(b.get(i).lastIndexOf(',') + 1)),
            org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  @Test
  void aFailedRunWritesNoResultFile(@TempDir Path dir) throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    for (String id : IDS) {
      Files.copy(Path.of(IMAGES, id + ".jpg"), images.resolve(id + ".jpg"));
    }
    Files.writeString(images.resolve("001763.jpg"), "not a JPEG");
    Path o = dir.resolve("o");
    assertThat(run("localize", "--images", images.toString(), "--objects-csv", CSV, "--out",
        o.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("error: ").contains("001763.jpg");
    try (var s = Files.list(o)) {
      // Only the resumable per-image cache may remain; no summary, boxes or image list.
      assertThat(s.map(p -> p.getFileName().toString())).isSubsetOf("cache");
    }
  }

  @Test
  void vocLayoutWithXmlAnnotationsAndPaperMethod(@TempDir Path dir) throws Exception {
    Path voc = dir.resolve("myvoc");
    Files.createDirectories(voc.resolve("JPEGImages"));
    Files.createDirectories(voc.resolve("Annotations"));
    Files.copy(VOC.resolve("JPEGImages/000001.jpg"), voc.resolve("JPEGImages/000001.jpg"));
    Files.copy(VOC.resolve("Annotations/000001.xml"), voc.resolve("Annotations/000001.xml"));
    assertThat(run("localize", "--voc", voc.toString(), "--out", dir.resolve("o").toString(),
        "--box-method", "paper", "--thresholds", "0.15", "--score", "max")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("found 1 of 1 annotated dog images")
        .contains("# Grad-CAM dog localisation: myvoc").contains("heatmap threshold 0.15");
    List<String> lines = Files.readAllLines(dir.resolve("o/boxes.csv"));
    assertThat(lines).hasSize(2); // the paper rule gives exactly one box
    assertThat(lines.get(1)).startsWith("000001,0.15,");
  }

  /** --data names a dataset of the main job, resolved as its assets (boxes derived). */
  @Test
  void dataOptionResolvesTheMainJobsDatasetsThroughTheAssets(@TempDir Path dir) throws Exception {
    assertThat(run("localize", "--data", "oxford-pets-standin", "--max-images", "1",
        "--thresholds", "0.06", "--out", dir.toString())).as(err.toString()).isZero();
    String summary = Files.readString(dir.resolve("summary.md"));
    assertThat(summary).contains("first 1 of 200 found images")
        .contains("ground truth: `" + Path.of("").toAbsolutePath().relativize(
            org.gradcam.data.Assets.cacheRoot()) + "/oxford-iiit-pet-dogs/derived/Annotations`");
    assertThat(Files.readAllLines(dir.resolve("targets.csv"))).hasSize(2);
    // The VOC images' ground truth is a CSV asset, not a folder of XML files.
    Path voc = dir.resolve("voc");
    assertThat(run("localize", "--data", "voc2007-test-4-images", "--max-images", "1",
        "--thresholds", "0.06", "--out", voc.toString())).as(err.toString()).isZero();
    assertThat(Files.readString(voc.resolve("summary.md")))
        .contains("voc2007_test_objects.csv");

    String o = dir.resolve("o").toString();
    assertThat(run("localize", "--data", "coco", "--out", o)).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: Invalid value for option '--data': expected "
        + "one of [voc2007-test-4-images, oxford-pets-standin] (case-insensitive) but was 'coco'");
    assertThat(run("localize", "--data", "voc2007-test-4-images", "--objects-csv", CSV,
        "--out", o)).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: --data voc2007-test-4-images brings its own "
        + "ground truth");
    assertThat(run("localize", "--data", "voc2007-test-4-images", "--images", "x", "--out", o))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: give exactly one of --voc DIR, --images DIR "
        + "or --data NAME");
  }

  @Test
  void badInputsGiveClearErrorsAndExit2(@TempDir Path dir) throws Exception {
    String o = dir.resolve("o").toString();
    assertThat(run("localize", "--images", dir.resolve("nope").toString(), "--objects-csv", CSV,
        "--out", o)).isEqualTo(2);
    assertThat(err.toString()).contains("error: No such images folder").contains("nope");

    assertThat(run("localize", "--images", IMAGES, "--annotations",
        dir.resolve("noann").toString(), "--out", o)).isEqualTo(2);
    assertThat(err.toString()).contains("error: No such annotations folder");

    assertThat(run("localize", "--voc", dir.resolve("novoc").toString(), "--out", o)).isEqualTo(2);
    assertThat(err.toString()).contains("error: No such VOC folder");

    assertThat(run("localize", "--images", IMAGES, "--out", o)).isEqualTo(2);
    assertThat(err.toString()).contains("error: --images needs --annotations");

    assertThat(run("localize", "--images", IMAGES, "--objects-csv", CSV, "--out", o,
        "--thresholds", "0.01,1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("error: heatmap threshold must be in [0, 1], got 1.5");

    assertThat(run("localize", "--images", IMAGES, "--objects-csv", CSV, "--out", o,
        "--target", "cat")).isEqualTo(2);
    assertThat(err.toString()).contains("error: Invalid value for option '--target': 'cat' is "
        + "not a label of the model");

    assertThat(run("localize", "--images", IMAGES, "--objects-csv", CSV, "--out", o,
        "--method", "gradcam3")).isEqualTo(2);
    assertThat(err.toString()).contains("error: unknown CAM method 'gradcam3'");

    // Annotations with dogs, but none of their images on disk.
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(run("localize", "--images", empty.toString(), "--objects-csv", CSV, "--out", o))
        .isEqualTo(2);
    assertThat(err.toString()).contains("error: no dog images found: none of the 433 images");

    // Annotations without any dog.
    Path ann = Files.createDirectories(dir.resolve("ann"));
    Files.writeString(ann.resolve("000002.xml"), "<annotation><object><name>train</name>"
        + "<difficult>0</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax>"
        + "<ymax>5</ymax></bndbox></object></annotation>");
    assertThat(run("localize", "--images", IMAGES, "--annotations", ann.toString(), "--out", o))
        .isEqualTo(2);
    assertThat(err.toString()).contains("error: no dog images found: no image in");
  }

  @Test
  void fetchExtractRefusesNonTarAssets() {
    assertThat(run("fetch", "squeezenet1.1", "--extract")).isEqualTo(2);
    assertThat(err.toString()).contains("error: --extract needs a one-file .tar asset");
  }

  private static String section(String summary, double t) {
    String header = "heatmap threshold " + java.math.BigDecimal.valueOf(t).stripTrailingZeros()
        .toPlainString() + "\n";
    int start = summary.indexOf(header);
    assertThat(start).as("section for %s", t).isPositive();
    int end = summary.indexOf("\n## ", start);
    return summary.substring(start, end < 0 ? summary.length() : end);
  }

  private static double[] cells(String section, String prefix) {
    String line = section.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    String[] f = line.substring(prefix.length()).split("\\|");
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      out[i] = Double.parseDouble(f[i].strip());
    }
    return out;
  }
}
