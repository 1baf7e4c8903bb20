package org.gradcam.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file the project writes goes through here: the content is written to a hidden temporary
 * file in the target's directory, then moved onto the target name with an atomic rename. A reader (or a later run) therefore sees either the previous file or the complete new
 * one, never a truncated file that looks finished; a writer that fails leaves the previous target
 * as it was and no temporary file behind.
 */
public final class AtomicFiles {
  /** Prefix of the temporary files, so a crash leftover is recognisable (and hidden). */
  public static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  /** Writes bytes to a stream; the stream is closed by {@link AtomicFiles}. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes text (UTF-8) to a writer; the writer is closed by {@link AtomicFiles}. */
  @FunctionalInterface
  public interface TextBody {
    void writeTo(Writer out) throws IOException;
  }

  /** Writes {@code body}'s bytes to {@code target} atomically, creating the parent folders. */
  public static void write(Path target, Body body) throws IOException {
    Path abs = target.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      // A rename would replace an empty directory, which is never what a writer means.
      throw new IOException(target + " is a directory, not a file");
    }
    Files.createDirectories(abs.getParent());
    Path tmp = tempSibling(abs);
    try {
      // CREATE_NEW (not createTempFile) so the file gets the usual umask permissions, not 0600.
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
        body.writeTo(new NonClosing(out));
        // No fsync: the rename guards against an interrupted or concurrent run, which is the
        // point; forcing every overlay to disk would cost explain more than its graph run.
      }
      moveIntoPlace(tmp, abs);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames a finished file onto its final name, replacing what was there, atomically where the
   * file system can (readers see the old file or the new one, never a half of either).
   */
  public static void moveIntoPlace(Path finished, Path target) throws IOException {
    try {
      Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(finished, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes UTF-8 text through a buffered writer, atomically. */
  public static void writeText(Path target, TextBody body) throws IOException {
    write(target, out -> {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      body.writeTo(w);
      w.flush();
    });
  }

  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Lines, each ended by a newline, as {@link Files#write(Path, Iterable, java.nio.charset.Charset, java.nio.file.OpenOption...)}. */
  public static void writeLines(Path target, List<String> lines) throws IOException {
    writeText(target, w -> {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    });
  }

  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Whether {@code file} is a leftover temporary of {@link #write} (e.g. after a kill -9). */
  public static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(TEMP_PREFIX) && name.endsWith(".tmp");
  }

  /** A fresh hidden temporary name beside {@code target} (nothing is created). */
  public static Path tempSibling(Path target) {
    String name = target.getFileName().toString();
    // Keep well under the usual 255-byte name limit.
    String base = name.length() > 100 ? name.substring(0, 100) : name;
    long r = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    return target.resolveSibling(TEMP_PREFIX + base + "." + Long.toString(r, 36) + ".tmp");
  }

  /** Bodies may close their stream (ImageIO, XChart do); the real close is ours. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
