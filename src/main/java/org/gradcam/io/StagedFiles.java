package org.gradcam.io;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one command run, all or nothing: each output is first written to a hidden
 * temporary beside its final name ({@link #stage}); {@link #commit} renames them all into place
 * once the whole run has succeeded, and {@link #close} without a commit deletes the temporaries
 * and the folders this run created. A failed run thus leaves neither partial output nor a
 * changed previous output. Staging the same final path twice is an error: two outputs of one run
 * must never overwrite each other. Thread-safe (writer threads stage concurrently).
 */
public final class StagedFiles implements AutoCloseable {
  private final Map<Path, Path> staged = new LinkedHashMap<>(); // final path -> temporary
  private final List<Path> createdDirs = new ArrayList<>();
  private boolean committed;

  /** Where to write the content of {@code target}; it appears under its name on commit. */
  public synchronized Path stage(Path target) throws IOException {
    if (committed) {
      throw new IllegalStateException("already committed");
    }
    Path abs = target.toAbsolutePath().normalize();
    if (staged.containsKey(abs)) {
      throw new IOException("two outputs of this run would both be written to " + target);
    }
    if (Files.isDirectory(abs)) {
      throw new IOException(target + " is a directory, not a file");
    }
    for (Path d = abs.getParent(); d != null; d = d.getParent()) {
      if (Files.exists(d) && !Files.isDirectory(d)) {
        throw new IOException("Cannot write " + target + ": " + d + " is a file, not a directory");
      }
    }
    createParents(abs.getParent());
    Path tmp = AtomicFiles.tempSibling(abs);
    staged.put(abs, tmp);
    return tmp;
  }

  /** The final paths staged so far, in staging order. */
  public synchronized List<Path> targets() {
    return List.copyOf(staged.keySet());
  }

  /** Moves every staged file onto its final name (each move atomic). */
  public synchronized void commit() throws IOException {
    for (Map.Entry<Path, Path> e : staged.entrySet()) {
      if (!Files.isRegularFile(e.getValue())) {
        throw new IOException("output " + e.getKey() + " was staged but never written");
      }
    }
    for (Map.Entry<Path, Path> e : staged.entrySet()) {
      AtomicFiles.moveIntoPlace(e.getValue(), e.getKey());
    }
    committed = true;
  }

  /** Without a commit: deletes the temporaries and the (then empty) folders this run made. */
  @Override
  public synchronized void close() throws IOException {
    if (committed) {
      return;
    }
    IOException failure = null;
    for (Path tmp : staged.values()) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        failure = e;
      }
    }
    for (int i = createdDirs.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(createdDirs.get(i));
      } catch (DirectoryNotEmptyException e) {
        // someone else put a file there meanwhile: theirs, keep it
      } catch (IOException e) {
        failure = e;
      }
    }
    staged.clear();
    createdDirs.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private void createParents(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
      missing.add(0, d);
    }
    for (Path d : missing) {
      Files.createDirectories(d);
      createdDirs.add(d);
    }
  }
}
