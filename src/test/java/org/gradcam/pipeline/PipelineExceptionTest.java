package org.gradcam.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PipelineExceptionTest {
  @Test
  void outOfMemorySaysWhatToDo() {
    PipelineException e = new PipelineException(3, "x.jpg", new OutOfMemoryError("Java heap space"));
    assertThat(e.getMessage()).startsWith("x.jpg: out of memory (Java heap limit ")
        .contains("GRADCAM_JAVA_OPTS=-Xmx").doesNotContain("Java heap space");
    assertThat(e.item()).isEqualTo(3);
  }

  @Test
  void messageNamingTheItemIsKept() {
    assertThat(new PipelineException(0, "x.jpg", new IOException("x.jpg: truncated")).getMessage())
        .isEqualTo("x.jpg: truncated");
    assertThat(new PipelineException(0, "x.jpg", new IOException("bad")).getMessage())
        .isEqualTo("x.jpg: bad");
  }
}
