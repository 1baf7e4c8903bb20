package org.gradcam.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ImageFolder layout: folders matched to labels, clear errors for every mismatch. */
class ImageFolderTest {
  static final List<String> LABELS = List.of("Abyssinian", "Bengal", "golden retriever",
      "american_bulldog");

  static Path folder(Path root, String name, String... files) throws Exception {
    Path d = Files.createDirectories(root.resolve(name));
    for (String f : files) {
      Files.write(d.resolve(f), new byte[] {1});
    }
    return d;
  }

  @Test
  void foldersMatchLabelsExactlyOrWithUnderscoresForSpacesAndIgnoringCase(@TempDir Path dir)
      throws Exception {
    folder(dir, "golden_retriever", "b.JPG", "a.png", "notes.txt", ".hidden.jpg");
    folder(dir, "bengal", "c.jpeg");
    folder(dir, ".cache", "x.jpg"); // hidden folder: not a class
    ImageFolder f = ImageFolder.open(dir, LABELS);
    assertThat(f.folders()).containsExactly("bengal", "golden_retriever");
    assertThat(f.classes()).containsExactly(1, 2);
    assertThat(f.samples()).extracting(s -> s.file().getFileName().toString())
        .containsExactly("c.jpeg", "a.png", "b.JPG");
    assertThat(f.samples()).extracting(ImageFolder.Sample::label).containsExactly(1, 2, 2);
    assertThat(f.skipped()).isEqualTo(2);
  }

  @Test
  void aFolderWithoutALabelIsOneErrorListingBothSides(@TempDir Path dir) throws Exception {
    folder(dir, "Abyssinian", "a.jpg");
    folder(dir, "Siamese", "b.jpg");
    assertThatThrownBy(() -> ImageFolder.open(dir, LABELS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("match no label of the model: Siamese")
        .hasMessageContaining("folders: Abyssinian, Siamese")
        .hasMessageContaining("4 labels: Abyssinian, Bengal, golden retriever, american_bulldog");
  }

  @Test
  void anAliasNamesAFolderToo(@TempDir Path dir) throws Exception {
    folder(dir, "n02099601", "a.jpg");
    ImageFolder f = ImageFolder.open(dir, LABELS, List.of("n1", "n2", "n02099601", "n4"));
    assertThat(f.classes()).containsExactly(2);
  }

  @Test
  void anEmptyClassTwoFoldersForOneLabelAndAmbiguousLabelsAreErrors(@TempDir Path dir)
      throws Exception {
    Path empty = dir.resolve("empty");
    folder(empty, "Bengal", "a.jpg");
    folder(empty, "Abyssinian", "readme.txt");
    assertThatThrownBy(() -> ImageFolder.open(empty, LABELS))
        .hasMessageContaining("without any image").hasMessageContaining(": Abyssinian;");

    Path twice = dir.resolve("twice");
    folder(twice, "Bengal", "a.jpg");
    folder(twice, "bengal", "b.jpg");
    assertThatThrownBy(() -> ImageFolder.open(twice, LABELS))
        .hasMessageContaining("'Bengal' and 'bengal'").hasMessageContaining("both match");

    Path crane = dir.resolve("crane");
    folder(crane, "crane", "a.jpg");
    assertThatThrownBy(() -> ImageFolder.open(crane, List.of("crane", "heron", "crane")))
        .hasMessageContaining("matches two labels: 0 and 2");

    assertThatThrownBy(() -> ImageFolder.open(dir.resolve("nope"), LABELS))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    Path noClasses = Files.createDirectories(dir.resolve("flat"));
    Files.write(noClasses.resolve("a.jpg"), new byte[] {1});
    assertThatThrownBy(() -> ImageFolder.open(noClasses, LABELS))
        .hasMessageContaining("no class sub-folders");
  }
}
