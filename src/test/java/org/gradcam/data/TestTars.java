package org.gradcam.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes small tar archives of regular files for tests, names exactly as given. */
public final class TestTars {
  private TestTars() {}

  public static Path write(Path tar, Map<String, byte[]> files) throws IOException {
    try (OutputStream file = Files.newOutputStream(tar);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        // preserveAbsolutePath: a test of the traversal guard needs "/etc/x" kept as written.
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        out.putArchiveEntry(entry);
        out.write(e.getValue());
        out.closeArchiveEntry();
      }
      out.finish();
    }
    return tar;
  }
}
