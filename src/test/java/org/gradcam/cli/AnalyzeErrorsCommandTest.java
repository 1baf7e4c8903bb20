package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.gradcam.experiment.LocalizationErrors.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradcam analyze-errors} on 2 genuine VOC2007 test dog images (smoke test). */
class AnalyzeErrorsCommandTest extends CliTest {
  @Test
  void writesOneRowPerDogBoxTheCountsAndAGalleryPerCategoryFound(@TempDir Path dir)
      throws Exception {
    Path images = BenchmarkCommandTest.twoImages(dir);
    Path o = dir.resolve("errors");
    assertThat(run("analyze-errors", "--images", images.toString(), "--objects-csv",
        BenchmarkCommandTest.CSV.toString(), "--out", o.toString())).as(err.toString()).isZero();

    List<String> lines = Files.readAllLines(o.resolve("errors.csv"));
    assertThat(lines.get(0)).isEqualTo(AnalyzeErrorsCommand.CSV_HEADER);
    // 000001 and 001150 have one dog each in voc2007_test_objects.csv.
    assertThat(lines).hasSize(3);
    Set<String> categories = new HashSet<>();
    Set<String> labels = new HashSet<>();
    for (Category c : Category.values()) {
      labels.add(c.label());
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertThat(f).hasSize(AnalyzeErrorsCommand.CSV_HEADER.split(",").length);
      assertThat(f[0]).isIn(BenchmarkCommandTest.IDS);
      String category = f[f.length - 1];
      assertThat(labels).contains(category);
      categories.add(category);
      double iou = Double.parseDouble(f[12]);
      assertThat(iou).isBetween(0.0, 1.0);
      assertThat(category.equals("ok")).isEqualTo(iou >= 0.5);
      assertThat(Integer.parseInt(f[18])).isBetween(151, 268);
    }
    for (Category c : Category.values()) {
      Path gallery = o.resolve("gallery-" + c.slug() + ".png");
      assertThat(Files.exists(gallery)).as(c.label()).isEqualTo(categories.contains(c.label()));
      if (Files.exists(gallery)) {
        assertThat(ImageIO.read(gallery.toFile())).isNotNull();
      }
    }
    String md = Files.readString(o.resolve("errors.md"));
    assertThat(md).contains("./gradcam analyze-errors --images").contains(", 2 of 433 dog images")
        .contains("heatmap threshold **0.06**").contains("| total | 2 | 100.0 | 2 |");
    assertThat(out.toString()).contains(md.strip());
  }

  @Test
  void badInputIsAnErrorLineAndExitCode2(@TempDir Path dir) throws Exception {
    Path images = BenchmarkCommandTest.twoImages(dir);
    String csv = BenchmarkCommandTest.CSV.toString();
    String o = dir.resolve("o").toString();
    assertThat(run("analyze-errors", "--images", images.toString(), "--objects-csv", csv,
        "--out", o, "--method", "nosuchcam")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("valid methods");
    assertThat(run("analyze-errors", "--images", images.toString(), "--objects-csv", csv,
        "--out", o, "--threshold", "-0.1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("--threshold");
    assertThat(run("analyze-errors", "--voc", dir.resolve("nope").toString(), "--out", o))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("No such VOC folder");
  }
}
