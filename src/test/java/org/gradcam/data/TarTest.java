package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures made with GNU tar 1.34: {@code tar --format=gnu|ustar|pax -b 1 -cf X.tar VOCdevkit}. */
class TarTest {
  static final Path DIR = Path.of("src/test/resources/org/gradcam/data");
  static final String LONG = "VOCdevkit/VOC2007/" + "a".repeat(120) + ".txt";

  @Test
  void gnuTarWithLongName(@TempDir Path dest) throws Exception {
    assertThat(Tar.extract(DIR.resolve("gnu.tar"), dest)).isEqualTo(3);
    assertThat(Files.readString(dest.resolve("VOCdevkit/VOC2007/JPEGImages/000001.jpg")))
        .isEqualTo("jpegbytes");
    assertThat(Files.readString(dest.resolve("VOCdevkit/VOC2007/Annotations/000001.xml")))
        .isEqualTo("<annotation/>");
    assertThat(Files.readString(dest.resolve(LONG))).isEqualTo("long");
  }

  @Test
  void paxTarWithLongName(@TempDir Path dest) throws Exception {
    assertThat(Tar.extract(DIR.resolve("pax.tar"), dest)).isEqualTo(3);
    assertThat(Files.readString(dest.resolve(LONG))).isEqualTo("long");
    assertThat(Files.readString(dest.resolve("VOCdevkit/VOC2007/JPEGImages/000001.jpg")))
        .isEqualTo("jpegbytes");
  }

  @Test
  void ustarWithNamePrefix(@TempDir Path dest) throws Exception {
    assertThat(Tar.extract(DIR.resolve("ustar.tar"), dest)).isEqualTo(3);
    assertThat(Files.readString(dest.resolve("VOCdevkit/VOC2007/" + "d".repeat(90)
        + "/file_in_prefix.txt"))).isEqualTo("deep");
  }

  @Test
  void notATarIsRefused(@TempDir Path dest) throws Exception {
    Path bogus = Files.write(dest.resolve("bogus.tar"), new byte[1024]);
    Files.write(bogus, "x".repeat(600).getBytes());
    assertThatThrownBy(() -> Tar.extract(bogus, dest.resolve("o")))
        .hasMessageContaining("checksum");
    assertThatThrownBy(() -> Tar.extract(dest.resolve("none.tar"), dest))
        .hasMessageContaining("No such tar file");
  }
}
