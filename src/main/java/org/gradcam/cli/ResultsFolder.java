package org.gradcam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.gradcam.experiment.RoundingTolerance;
import org.gradcam.io.AtomicFiles;

/**
 * The write job of {@code gradcam reproduce}: the staged files into the results folder, and the
 * previous run's files this run no longer writes out of it, never touching anything else (a path
 * outside the folder, a symlink, a file reached through a symlinked folder).
 */
final class ResultsFolder {
  private ResultsFolder() {}

  /**
   * Moves every staged file into {@code results} (each move atomic, replacing the previous
   * version, unless only float32 rounding differs), then deletes what the previous run listed in
   * its manifest and this run no longer writes.
   *
   * @param keepNotebookPages whether the previous notebooks/*.html stay (no nbconvert here)
   */
  static void commit(Path stage, Path results, boolean keepNotebookPages, PrintWriter log)
      throws IOException {
    Path root = results.toAbsolutePath().normalize();
    Set<String> stale = new LinkedHashSet<>(List.of("README.md", "published-reproduction.md",
        ReproduceCommand.MANIFEST));
    for (String dir : List.of(ReproduceCommand.VOC_DIR, ReproduceCommand.STANDIN_DIR)) {
      ReproduceCommand.RUN_FILES.forEach(f -> stale.add(dir + "/" + f));
    }
    Path manifest = root.resolve(ReproduceCommand.MANIFEST);
    if (Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          stale.add(line.strip());
        }
      }
    }
    List<Path> fresh;
    try (Stream<Path> s = Files.walk(stage)) {
      fresh = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .map(stage::relativize).sorted().toList();
    }
    Path rootReal = root.toRealPath();
    for (Path rel : fresh) {
      // Never write through a symlinked folder to somewhere outside results/.
      if (!insideFolder(rootReal, root.resolve(rel))) {
        throw new IOException(root.resolve(rel) + " lies outside " + results
            + " (a symlinked folder?); nothing was changed");
      }
    }
    int kept = 0;
    for (Path rel : fresh) {
      Path target = root.resolve(rel);
      // Another CPU's rounding is not a new result: the committed file stays as it is.
      if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
          && RoundingTolerance.same(target, stage.resolve(rel))) {
        kept++;
        continue;
      }
      Files.createDirectories(target.getParent());
      AtomicFiles.moveIntoPlace(stage.resolve(rel), target);
    }
    fresh.forEach(rel -> stale.remove(rel.toString().replace(rel.getFileSystem().getSeparator(),
        "/")));
    stale.remove("benchmarks.md"); // kept unless --with-speed, which rewrote it above
    if (keepNotebookPages) {
      stale.removeIf(f -> f.startsWith(ReproduceCommand.NOTEBOOKS_DIR + "/"));
    }
    int deleted = deleteListed(root, stale);
    for (String dir : List.of("plots", "boxes", ReproduceCommand.NOTEBOOKS_DIR)) {
      deleteIfEmpty(root.resolve(dir));
    }
    ReproduceCommand.progress(log, String.format(Locale.ROOT, "%d files unchanged (equal, or "
        + "within float32 rounding: RoundingTolerance), %d written, %d previously generated "
        + "files deleted", kept, fresh.size() - kept, deleted));
  }

  /**
   * Deletes the listed files (paths relative to {@code root}) that are regular files inside it:
   * a path outside it ({@code ../x}, absolute), a symlink, or a file reached through a symlinked
   * folder leading out of it is left alone. Returns how many were deleted.
   */
  static int deleteListed(Path root, Collection<String> relative) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    Path real = abs.toRealPath();
    int deleted = 0;
    for (String rel : relative) {
      Path p = abs.resolve(rel).normalize();
      if (p.startsWith(abs) && !p.equals(abs) && insideFolder(real, p)
          && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
        deleted++;
      }
    }
    return deleted;
  }

  /** Whether {@code p}'s nearest existing folder, symlinks resolved, is inside {@code real}. */
  private static boolean insideFolder(Path real, Path p) throws IOException {
    Path dir = p.toAbsolutePath().normalize().getParent();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    return dir != null && dir.toRealPath().startsWith(real);
  }

  static void deleteIfEmpty(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // A leftover temp folder is harmless; the results are what matters.
    }
  }
}
