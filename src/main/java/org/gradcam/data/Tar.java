package org.gradcam.data;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.gradcam.io.AtomicFiles;

/**
 * Uncompressed tar archives (POSIX ustar, GNU and pax, e.g. the VOC
 * {@code VOCtest_06-Nov-2007.tar}) read with Commons Compress: regular files and directories are
 * extracted, links and devices skipped (a link could point anywhere), and entries that would
 * land outside the destination ({@code ..}, absolute paths) are refused.
 */
public final class Tar {
  private Tar() {}

  /** Extracts {@code tar} below {@code dest}; returns the number of regular files written. */
  public static int extract(Path tar, Path dest) throws IOException {
    if (!Files.isRegularFile(tar)) {
      throw new IOException("No such tar file: " + tar);
    }
    Path root = Files.createDirectories(dest).toAbsolutePath().normalize();
    int[] files = {0};
    forEachEntry(tar, (entry, in) -> {
      Path target = inside(root, entry.getName(), tar);
      if (entry.isDirectory()) {
        Files.createDirectories(target);
      } else {
        Files.createDirectories(target.getParent());
        AtomicFiles.write(target, in::transferTo);
        files[0]++;
      }
    });
    return files[0];
  }

  /** What to do with one regular file of the archive. */
  public interface FileVisitor {
    /**
     * @param in the entry's bytes; reading fewer than {@code size} is allowed (the rest is
     *     skipped), reading more is not possible, closing it leaves the archive open
     */
    void visit(String name, long size, InputStream in) throws IOException;
  }

  private interface EntryVisitor {
    void visit(TarArchiveEntry entry, InputStream in) throws IOException;
  }

  /**
   * Streams every regular file of {@code tar} to {@code visitor} in archive order, without
   * writing anything to disk (e.g. to read the XML annotations of the 430 MB VOC test tar).
   */
  public static void forEachFile(Path tar, FileVisitor visitor) throws IOException {
    forEachEntry(tar, (entry, in) -> {
      if (!entry.isDirectory()) {
        visitor.visit(entry.getName(), entry.getSize(), in);
      }
    });
  }

  /** Every regular file and directory; links, devices and FIFOs are skipped. */
  private static void forEachEntry(Path tar, EntryVisitor visitor) throws IOException {
    if (!Files.isRegularFile(tar)) {
      throw new IOException("No such tar file: " + tar);
    }
    try (TarArchiveInputStream in = new TarArchiveInputStream(
        new BufferedInputStream(Files.newInputStream(tar), 1 << 16),
        StandardCharsets.UTF_8.name())) {
      // The visitor may close its stream (try-with-resources): that must not close the archive.
      InputStream entryBytes = new FilterInputStream(in) {
        @Override
        public void close() {}
      };
      for (TarArchiveEntry e; (e = next(in, tar)) != null; ) {
        if (!e.isCheckSumOK()) {
          throw new IOException(tar + ": bad tar header checksum (not a tar file, or corrupt)");
        }
        byte type = e.getLinkFlag();
        if (e.isDirectory() || type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
            || type == TarConstants.LF_CONTIG) {
          visitor.visit(e, entryBytes);
        }
      }
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream in, Path tar) throws IOException {
    try {
      return in.getNextEntry();
    } catch (IOException e) {
      // Commons Compress says "Error detected parsing the header" for a header whose numbers
      // are not octal, which is what a file that is no tar at all looks like.
      throw new IOException(tar + ": bad tar header (not a tar file, or corrupt; its fields or "
          + "checksum do not parse): " + e.getMessage(), e);
    }
  }

  private static Path inside(Path root, String name, Path tar) throws IOException {
    Path p = root.resolve(name).normalize();
    if (name.startsWith("/") || !p.startsWith(root) || p.equals(root)) {
      throw new IOException(tar + ": entry '" + name + "' would be written outside " + root);
    }
    return p;
  }
}
