package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.image.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What explain writes where: --out's meaning, name collisions, inputs and failed runs. */
class ExplainOutputsTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test/JPEGImages");
  @TempDir Path tmp;

  private List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void assertError(int exit, String message) {
    assertThat(exit).as(out.toString()).isEqualTo(2);
    List<String> lines = err.toString().lines().toList();
    assertThat(lines).as(err.toString()).isNotEmpty();
    assertThat(lines.get(lines.size() - 1)).startsWith("error: ").contains(message);
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** The same picture re-encoded as PNG (a PNG input whose overlay would take its name). */
  private Path pngCopy(String id, Path file) throws Exception {
    Images.writePng(Images.read(VOC.resolve(id + ".jpg")), file);
    return file;
  }

  @Test
  void outEqualToTheInputIsRefusedAndTheInputKept() throws Exception {
    Path img = pngCopy("001150", tmp.resolve("dog.png"));
    byte[] before = Files.readAllBytes(img);
    assertError(run("explain", "--image", img.toString(), "--out", img.toString()),
        "would overwrite the input");
    assertThat(Files.readAllBytes(img)).isEqualTo(before);
    // The same through another spelling of the path.
    assertError(run("explain", "--image", img.toString(), "--out",
        tmp.resolve("sub/../dog.png").toString()), "would overwrite the input");
    Path npy = tmp.resolve("x.npy");
    Files.copy(TestData.path("models/squeezenet1.1/test_data_set/0/input_0.npy"), npy);
    before = Files.readAllBytes(npy);
    assertError(run("explain", "--input-npy", npy.toString(), "--out", tmp.resolve("x.png")
        .toString(), "--heatmap-out", npy.toString()), "would overwrite the input");
    assertThat(Files.readAllBytes(npy)).isEqualTo(before);
    assertThat(names(tmp)).containsExactly("dog.png", "x.npy");
  }

  @Test
  void aDirectoryHoldingInputsOfTheOverlayNamesIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    pngCopy("000001", dir.resolve("a.png"));
    pngCopy("001763", dir.resolve("b.png"));
    byte[] a = Files.readAllBytes(dir.resolve("a.png"));
    assertError(run("explain", "--image", dir.toString(), "--out", dir.toString()),
        "would overwrite the input");
    assertThat(names(dir)).containsExactly("a.png", "b.png");
    assertThat(Files.readAllBytes(dir.resolve("a.png"))).isEqualTo(a);
    // With --top-k the names depend on the classes: refused when writing, nothing left behind.
    Path topk = Files.createDirectories(tmp.resolve("topk"));
    Path copy = Files.copy(VOC.resolve("000001.jpg"), topk.resolve("x.jpg"));
    assertThat(run("explain", "--image", copy.toString(), "--top-k", "2", "--out",
        topk.toString(), "--json")).as(err.toString()).isZero();
    String first = names(topk).stream().filter(n -> n.endsWith(".png")).findFirst().orElseThrow();
    Path trap = topk.resolve(first.replace(".png", ".jpg"));
    Files.move(topk.resolve(first), trap); // now an input named like the overlay to be written
    Files.copy(trap, topk.resolve(first));
    Files.delete(trap);
    List<String> before = names(topk);
    byte[] input = Files.readAllBytes(topk.resolve(first));
    assertError(run("explain", "--image", topk.resolve(first).toString(), "--image",
        copy.toString(), "--top-k", "2", "--out", topk.toString()), "overwrite the input");
    assertThat(names(topk)).isEqualTo(before);
    assertThat(Files.readAllBytes(topk.resolve(first))).isEqualTo(input);
  }

  @Test
  void inputsWithTheSameNameGetDistinctOutputs() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("in/a"));
    Path b = Files.createDirectories(tmp.resolve("in/b"));
    Files.copy(VOC.resolve("000001.jpg"), a.resolve("dog.jpg"));
    Files.copy(VOC.resolve("001763.jpg"), b.resolve("dog.jpg"));
    Files.copy(VOC.resolve("004545.jpg"), a.resolve("x.jpg"));
    pngCopy("001150", a.resolve("x.png"));
    Path maps = tmp.resolve("maps");
    assertThat(run("explain", "--image", a.resolve("dog.jpg").toString(), "--image",
        b.resolve("dog.jpg").toString(), "--image", a.resolve("x.jpg").toString(), "--image",
        a.resolve("x.png").toString(), "--out", maps.toString(), "--heatmap-out",
        tmp.resolve("raw").toString(), "--batch-size", "1")).as(err.toString()).isZero();
    assertThat(names(maps)).containsExactly("a_dog_jpg.png", "b_dog_jpg.png", "x_jpg.png",
        "x_png.png");
    assertThat(names(tmp.resolve("raw"))).containsExactly("a_dog_jpg.npy", "b_dog_jpg.npy",
        "x_jpg.npy", "x_png.npy");
    assertThat(err.toString()).contains("would all be named dog; written as a_dog_jpg, b_dog_jpg")
        .contains("would all be named x; written as x_jpg, x_png");
    // Each output is its own input's: equal to a run on that image alone.
    for (String[] c : new String[][] {{"000001", "a_dog_jpg"}, {"001763", "b_dog_jpg"},
        {"004545", "x_jpg"}}) {
      Path alone = tmp.resolve(c[0] + ".png");
      assertThat(run("explain", "--image", VOC.resolve(c[0] + ".jpg").toString(), "--out",
          alone.toString(), "--heatmap-out", tmp.resolve(c[0] + ".npy").toString(),
          "--batch-size", "1")).as(err.toString()).isZero();
      assertSamePicture(Images.read(maps.resolve(c[1] + ".png")), Images.read(alone));
      double[] x = Npy.read(tmp.resolve("raw/" + c[1] + ".npy")).values();
      double[] y = Npy.read(tmp.resolve(c[0] + ".npy")).values();
      assertThat(x).hasSameSizeAs(y);
      for (int i = 0; i < x.length; i++) {
        assertThat(x[i]).isCloseTo(y[i], org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(y[i])));
      }
    }
    // The same file twice is a mistake, not two maps.
    assertError(run("explain", "--image", a.resolve("dog.jpg").toString(), "--image",
        tmp.resolve("in/b/../a/dog.jpg").toString(), "--out", tmp.resolve("twice").toString()),
        "is given twice");
    assertThat(tmp.resolve("twice")).doesNotExist();
  }

  private static void assertSamePicture(BufferedImage x, BufferedImage y) {
    assertThat(x.getWidth()).isEqualTo(y.getWidth());
    assertThat(x.getHeight()).isEqualTo(y.getHeight());
    int worst = 0;
    for (int j = 0; j < y.getHeight(); j++) {
      for (int i = 0; i < y.getWidth(); i++) {
        int p = x.getRGB(i, j);
        int q = y.getRGB(i, j);
        for (int s = 0; s < 24; s += 8) {
          worst = Math.max(worst, Math.abs(((p >> s) & 255) - ((q >> s) & 255)));
        }
      }
    }
    assertThat(worst).as("largest channel difference").isLessThanOrEqualTo(2);
  }

  @Test
  void outIsAFileForOneMapAndADirectoryForSeveral() throws Exception {
    String one = VOC.resolve("001150.jpg").toString();
    String two = VOC.resolve("000001.jpg").toString();
    Path dir = Files.createDirectories(tmp.resolve("existing"));
    assertError(run("explain", "--image", one, "--out", dir.toString()),
        "is a directory, but one map is written");
    assertError(run("explain", "--image", one, "--out", tmp.resolve("o.png").toString(),
        "--heatmap-out", dir.toString()), "--heatmap-out " + dir + " is a directory");
    Path file = Files.writeString(tmp.resolve("file"), "mine");
    assertError(run("explain", "--image", one, "--image", two, "--out", file.toString()),
        "is a file, but several maps are written");
    assertError(run("explain", "--image", one, "--image", two, "--out",
        tmp.resolve("maps.png").toString()), "names a .png file, but several maps");
    assertError(run("explain", "--image", one, "--top-k", "2", "--out",
        tmp.resolve("top.png").toString()), "several maps");
    assertError(run("explain", "--image", one, "--out", tmp.resolve("same.png").toString(),
        "--heatmap-out", tmp.resolve("same.png").toString()), "name the same file");
    // "--out maps" for a single image would be a PNG file named maps: refused.
    assertError(run("explain", "--image", one, "--out", tmp.resolve("maps").toString()),
        "does not end in .png, but one map is written");
    assertError(run("explain", "--image", one, "--out", tmp.resolve("m.png").toString(),
        "--heatmap-out", tmp.resolve("raw").toString()), "does not end in .npy");
    assertThat(file).hasContent("mine");
    assertThat(names(tmp)).containsExactly("existing", "file");
    assertThat(names(dir)).isEmpty();
    // --top-k 1 is one map: a file.
    Path top1 = tmp.resolve("top1.png");
    assertThat(run("explain", "--image", one, "--top-k", "1", "--out", top1.toString()))
        .as(err.toString()).isZero();
    assertThat(Images.read(top1).getWidth()).isEqualTo(Images.read(VOC.resolve("001150.jpg"))
        .getWidth());
  }

  @Test
  void aFailedRunLeavesNoOutputAndThePreviousOnesUnchanged() throws Exception {
    Path bad = Files.writeString(tmp.resolve("zz-broken.jpg"), "not an image");
    String good = VOC.resolve("001150.jpg").toString();
    Path fresh = tmp.resolve("fresh/maps");
    assertError(run("explain", "--image", good, "--image", bad.toString(), "--out",
        fresh.toString(), "--heatmap-out", tmp.resolve("fresh/raw").toString(),
        "--batch-size", "1", "--json"), "zz-broken.jpg");
    assertThat(tmp.resolve("fresh")).doesNotExist();
    assertThat(out.toString()).isEmpty(); // no JSON line names a file that is not there

    Path maps = tmp.resolve("maps");
    assertThat(run("explain", "--image", good, "--image", VOC.resolve("000001.jpg").toString(),
        "--out", maps.toString())).as(err.toString()).isZero();
    byte[] previous = Files.readAllBytes(maps.resolve("001150.png"));
    Files.writeString(maps.resolve("notes.txt"), "mine");
    // Same first image, other colormap: its overlay would change, but the run fails later.
    assertError(run("explain", "--image", good, "--image", bad.toString(), "--out",
        maps.toString(), "--colormap", "gray", "--batch-size", "1"), "zz-broken.jpg");
    assertThat(names(maps)).containsExactly("000001.png", "001150.png", "notes.txt");
    assertThat(Files.readAllBytes(maps.resolve("001150.png"))).isEqualTo(previous);
  }
}
