package org.gradcam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesTheContentAndLeavesNoTemporary() throws Exception {
    Path f = dir.resolve("sub/a.csv");
    AtomicFiles.writeLines(f, List.of("x,y", "1,2"));
    assertThat(f).hasContent("x,y\n1,2\n");
    AtomicFiles.writeString(f, "replaced");
    assertThat(f).hasContent("replaced");
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("a.csv");
    }
  }

  @Test
  void aWriterFailingHalfwayLeavesNeitherTargetNorTemporary() throws Exception {
    Path f = dir.resolve("new.png");
    assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
      out.write(new byte[100_000]); // past the buffer: bytes reached the temporary file
      throw new IOException("disk full");
    })).hasMessage("disk full");
    assertThat(f).doesNotExist();
    assertThat(names()).isEmpty();
  }

  @Test
  void theExistingTargetIsIntactAfterAFailedWriteAndWhileWriting() throws Exception {
    Path f = dir.resolve("old.md");
    Files.writeString(f, "previous");
    assertThatThrownBy(() -> AtomicFiles.writeText(f, w -> {
      w.write("half of the new ");
      w.flush();
      // A reader during the write still sees the whole previous file.
      assertThat(f).hasContent("previous");
      throw new IllegalStateException("interrupted");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(f).hasContent("previous");
    assertThat(names()).containsExactly("old.md");
  }

  @Test
  void aBodyClosingItsStreamStillCommits() throws Exception {
    Path f = dir.resolve("c.bin");
    AtomicFiles.write(f, out -> {
      out.write(new byte[] {1, 2, 3});
      out.close(); // ImageIO and XChart close the stream they are given
    });
    assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
  }
}
