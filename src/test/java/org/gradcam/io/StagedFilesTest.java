package org.gradcam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFilesTest {
  @TempDir Path dir;

  @Test
  void nothingAppearsBeforeCommitAndEverythingAfter() throws Exception {
    Path a = dir.resolve("out/a.png");
    Path b = dir.resolve("out/b.npy");
    try (StagedFiles staged = new StagedFiles()) {
      Files.writeString(staged.stage(a), "A");
      Files.writeString(staged.stage(b), "B");
      assertThat(a).doesNotExist();
      assertThat(b).doesNotExist();
      staged.commit();
    }
    assertThat(a).hasContent("A");
    assertThat(b).hasContent("B");
    try (Stream<Path> s = Files.list(dir.resolve("out"))) {
      assertThat(s).hasSize(2);
    }
  }

  @Test
  void closingWithoutCommitLeavesThePreviousStateAndNoFolderItMade() throws Exception {
    Path kept = Files.writeString(dir.resolve("kept.png"), "previous");
    try (StagedFiles staged = new StagedFiles()) {
      Files.writeString(staged.stage(kept), "new");
      Files.writeString(staged.stage(dir.resolve("new/deeper/x.png")), "x");
    }
    assertThat(kept).hasContent("previous");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("kept.png");
    }
  }

  @Test
  void theSameTargetTwiceIsAnError() throws Exception {
    try (StagedFiles staged = new StagedFiles()) {
      staged.stage(dir.resolve("x.png"));
      assertThatThrownBy(() -> staged.stage(dir.resolve("sub/../x.png")))
          .hasMessageContaining("would both be written to");
    }
  }
}
