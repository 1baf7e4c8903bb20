package org.gradcam.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Says in words why a file could not be written. The JDK's exceptions carry only a path (a
 * {@code FileAlreadyExistsException /out} when a parent of the target is a regular file, a bare
 * {@code /out/x.npy} for "Not a directory"), which reads like no reason at all.
 */
public final class WriteErrors {
  private WriteErrors() {}

  /** An IOException "Cannot write WHAT TARGET: REASON" with {@code e} as its cause. */
  public static IOException of(String what, Path target, IOException e) {
    return new IOException("Cannot write " + what + " " + target + ": " + reason(target, e), e);
  }

  static String reason(Path target, IOException e) {
    Path file = firstFileAmongParents(target);
    if (file != null) {
      return file + " is a file, not a directory";
    }
    if (Files.isDirectory(target)) {
      return "it is a directory";
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied" + (a.getFile() == null || a.getFile().equals(target.toString())
          ? "" : " on " + a.getFile());
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " already exists";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + (f.getFile() == null || f.getFile().equals(target.toString())
          ? "" : " (" + f.getFile() + ")");
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The nearest existing ancestor of {@code target} if it is not a directory, else null. */
  private static Path firstFileAmongParents(Path target) {
    for (Path p = target.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return Files.isDirectory(p) ? null : p;
      }
    }
    return null;
  }
}
