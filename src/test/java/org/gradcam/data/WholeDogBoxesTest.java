package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WholeDogBoxesTest {
  static final Path PETS = TestData.path("oxford-iiit-pet-dogs");

  /** 1 pet, 2 background, 3 band; rows top to bottom. */
  private static int[] trimap(String... rows) {
    int w = rows[0].length();
    int[] t = new int[w * rows.length];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < w; x++) {
        t[y * w + x] = rows[y].charAt(x) - '0';
      }
    }
    return t;
  }

  @Test
  void bandPixelsGoToTheNearerSideAndTiesToTheDog() {
    // Rows 1-2: column 0 is pet, column 6 background; band columns 1..5 are at distances 1..5
    // from the pet and 5..1 from the background: columns 1, 2, 3 (tie at 3) join the dog. Row 3
    // starts with background, so each of its band pixels is nearer the background (1, 2, 3
    // against sqrt(2), sqrt(5), sqrt(10) from the pet) and stays out.
    int[] t = trimap(
        "1333332",
        "1333332",
        "2333332");
    assertThat(WholeDogBoxes.box(t, 7, 3)).containsExactly(1, 1, 4, 2);
    // Without any background pixel every band pixel is nearer the pet.
    assertThat(WholeDogBoxes.box(trimap("3313", "3333"), 4, 2)).containsExactly(1, 1, 4, 2);
    // Band only: no dog.
    assertThat(WholeDogBoxes.box(trimap("33", "22"), 2, 2)).isNull();
  }

  @Test
  void distanceIsEuclideanNotCityBlock() {
    // The band pixel at (3, 3) is sqrt(8) = 2.83 from the pet at (1, 1) and 3 from the
    // background at (3, 0): Euclidean puts it in the dog (city block would say 4 > 3).
    int[] t = trimap(
        "3332",
        "3133",
        "3333",
        "3333");
    double[] toPet = WholeDogBoxes.squaredDistanceTo(t, 4, 4, 1);
    double[] toBg = WholeDogBoxes.squaredDistanceTo(t, 4, 4, 2);
    assertThat(toPet[3 * 4 + 3]).isEqualTo(8.0);
    assertThat(toBg[3 * 4 + 3]).isEqualTo(9.0);
    assertThat(toBg[3 * 4 + 0]).isEqualTo(18.0);
    assertThat(WholeDogBoxes.box(t, 4, 4)).containsExactly(1, 1, 4, 4);
  }

  @Test
  void anUnexpectedTrimapValueIsAnError() {
    assertThatThrownBy(() -> WholeDogBoxes.box(trimap("14"), 2, 1))
        .hasMessageContaining("trimap value 4 at (1, 0)");
  }

  /** The mirror's derived files are exactly what the rule gives on its trimaps, all 200. */
  @Test
  void derivationEqualsTheMirrorsDerivedFilesByteForByte(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isDirectory(PETS.resolve("derived")), "no data mirror at " + PETS);
    List<WholeDogBoxes.DogBox> boxes = WholeDogBoxes.derive(PETS, tmp);
    assertThat(boxes).hasSize(200);
    assertThat(boxes.stream().filter(WholeDogBoxes.DogBox::truncated)).hasSize(117);
    assertThat(Files.readString(tmp.resolve("whole_dog_boxes.csv")))
        .isEqualTo(Files.readString(PETS.resolve("derived/whole_dog_boxes.csv")));
    List<Path> expected;
    try (Stream<Path> s = Files.list(PETS.resolve("derived/Annotations"))) {
      expected = s.sorted().toList();
    }
    assertThat(expected).hasSize(200);
    for (Path xml : expected) {
      Path ours = tmp.resolve("Annotations").resolve(xml.getFileName().toString());
      assertThat(Files.readAllBytes(ours)).as(xml.getFileName().toString())
          .isEqualTo(Files.readAllBytes(xml));
    }
    try (Stream<Path> s = Files.list(tmp.resolve("Annotations"))) {
      assertThat(s.count()).isEqualTo(200);
    }
  }
}
