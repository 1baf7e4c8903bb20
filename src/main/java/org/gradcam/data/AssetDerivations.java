package org.gradcam.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.data.Assets.AssetFile;

/**
 * The derived assets (origin {@code derived:NAME} in {@code assets.csv}): which other assets each
 * is made from, and making its files in a staging folder, checked against the table's digests
 * before they are moved into the cache.
 */
final class AssetDerivations {
  private AssetDerivations() {}

  /** Makes a derived asset's files from other assets. */
  interface Derivation {
    /** The assets it reads. */
    List<String> sources();

    /** Writes the files below {@code dir}, the asset's folder (paths as in the table). */
    void derive(Assets assets, Path dir) throws IOException;
  }

  /** The derivations named by {@code derived:NAME} origins in {@code assets.csv}. */
  static Derivation derivation(AssetFile f) {
    String name = f.url().getSchemeSpecificPart();
    return switch (name) {
      // PROVENANCE.md's rule on the stand-in's trimaps (the JPEGs give the depth).
      case "whole-dog-boxes" -> new Derivation() {
        public List<String> sources() {
          return List.of("oxford-pets-dogs");
        }

        public void derive(Assets assets, Path dir) throws IOException {
          WholeDogBoxes.derive(assets.directory("oxford-pets-dogs"), dir);
        }
      };
      // Every object of the official test tar's XML annotations.
      case "voc2007-test-objects" -> new Derivation() {
        public List<String> sources() {
          return List.of("voc2007-test-tar");
        }

        public void derive(Assets assets, Path dir) throws IOException {
          VocObjectsCsv.deriveFromTar(assets.file("voc2007-test-tar"),
              dir.resolve("voc2007_test_objects.csv"));
        }
      };
      default -> throw new IllegalStateException("asset '" + f.asset() + "' names an unknown "
          + "derivation '" + name + "'");
    };
  }

  /**
   * Derives the asset's files below a staging folder of {@code cache}, checks each against its
   * digest and only then moves them all into the cache; nothing is kept on failure.
   */
  static void deriveIntoCache(Assets assets, Derivation d, String asset, List<AssetFile> files,
      Path root, Path cache) throws IOException {
    Files.createDirectories(cache);
    Path staging = Files.createTempDirectory(cache, ".derive-" + asset + "-");
    try {
      d.derive(assets, staging.resolve(root));
      for (AssetFile f : files) {
        Path p = staging.resolve(f.path());
        if (!Files.isRegularFile(p)) {
          throw new IOException("deriving asset '" + asset + "' did not produce " + f.path());
        }
        String actual = Digest.of(p, f.algorithm());
        if (!actual.equalsIgnoreCase(f.digest())) {
          throw new IOException("derived " + f.path() + " has " + f.algorithm() + " " + actual
              + " but asset '" + asset + "' expects " + f.digest() + ": its sources ("
              + String.join(", ", d.sources()) + ") or the derivation differ from those the "
              + "digest was made with");
        }
      }
      for (AssetFile f : files) {
        Path target = cache.resolve(f.path());
        Files.createDirectories(target.getParent());
        Files.move(staging.resolve(f.path()), target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      deleteTree(staging);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
