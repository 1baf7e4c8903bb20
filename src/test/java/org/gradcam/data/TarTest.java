package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
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

  @Test
  void entriesOutsideTheDestinationAreRefusedAndNothingLandsThere(@TempDir Path tmp)
      throws Exception {
    Path dest = tmp.resolve("dest");
    for (String evil : List.of("../evil.txt", "VOCdevkit/../../evil.txt", "/tmp/evil.txt")) {
      Path tar = TestTars.write(tmp.resolve("evil.tar"), Map.of(evil, "x".getBytes()));
      assertThatThrownBy(() -> Tar.extract(tar, dest)).isInstanceOf(IOException.class)
          .hasMessageContaining("entry '" + evil + "' would be written outside");
    }
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
    try (Stream<Path> s = Files.walk(dest)) {
      assertThat(s.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void linksAreSkippedAndAVisitorMayCloseItsEntry(@TempDir Path tmp) throws Exception {
    Path tar = tmp.resolve("links.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      TarArchiveEntry link = new TarArchiveEntry("VOCdevkit/passwd", TarConstants.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
      for (String name : List.of("VOCdevkit/a.txt", "VOCdevkit/b.txt")) {
        TarArchiveEntry file = new TarArchiveEntry(name);
        file.setSize(3);
        out.putArchiveEntry(file);
        out.write(name.substring(10, 11).repeat(3).getBytes(StandardCharsets.US_ASCII));
        out.closeArchiveEntry();
      }
    }
    List<String> seen = new ArrayList<>();
    Tar.forEachFile(tar, (name, size, in) -> {
      try (in) {
        seen.add(name + "=" + new String(in.readAllBytes(), StandardCharsets.US_ASCII) + "/"
            + size);
      }
    });
    assertThat(seen).containsExactly("VOCdevkit/a.txt=aaa/3", "VOCdevkit/b.txt=bbb/3");
    Path dest = tmp.resolve("dest");
    assertThat(Tar.extract(tar, dest)).isEqualTo(2);
    assertThat(dest.resolve("VOCdevkit/passwd")).doesNotExist();
    assertThat(Files.readString(dest.resolve("VOCdevkit/b.txt"))).isEqualTo("bbb");
  }
}
