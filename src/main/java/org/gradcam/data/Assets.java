package org.gradcam.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.gradcam.io.Csv;

/**
 * Finds the files an asset (model weights, published artifacts, data sets) is made of, in
 * order: the project cache, a local mirror, the public URL. Every file is checked against the
 * digest in {@code assets.csv}; downloads go to a temporary file that is moved into the cache
 * only once verified, so a failed or corrupt download never leaves a half-written file.
 *
 * <p>A <em>derived</em> asset (origin {@code derived:NAME}) is one the project computes itself
 * from public assets, such as the stand-in's whole-dog boxes from its trimaps: it comes from the
 * cache, else is derived into the cache when its sources are at hand without a download, else
 * from a mirror copy, else is derived after fetching its sources; the result is checked against
 * the same digests as any download.
 *
 * <p>This class is the registry (the table, the locations, which copy to use); {@link
 * AssetFetcher} copies or downloads a file and checks its digest, {@link AssetDerivations} makes
 * the derived ones.
 */
public final class Assets {
  /** One file of an asset: its path relative to the cache or mirror root, origin and digest. */
  public record AssetFile(String asset, String path, URI url, String algorithm, String digest) {
    boolean derived() {
      return DERIVED.equals(url.getScheme());
    }
  }

  static final String DERIVED = "derived";

  private final Path cache;
  private final Path mirror;
  private final Map<String, List<AssetFile>> table;
  private final UnaryOperator<URI> origins;
  private final AssetFetcher fetcher;

  public Assets(Path cache, Path mirror) {
    this(cache, mirror, UnaryOperator.identity());
  }

  /**
   * @param origins maps each file's public URL to the one actually fetched: the identity, or,
   *     e.g. for tests or an in-house copy of the origins, another server with the same paths;
   *     the digests stay those of {@code assets.csv}
   */
  public Assets(Path cache, Path mirror, UnaryOperator<URI> origins) {
    this(cache, mirror, readTable(), origins);
  }

  Assets(Path cache, Path mirror, Map<String, List<AssetFile>> table) {
    this(cache, mirror, table, UnaryOperator.identity());
  }

  Assets(Path cache, Path mirror, Map<String, List<AssetFile>> table,
      UnaryOperator<URI> origins) {
    this.cache = cache;
    this.mirror = mirror;
    this.table = table;
    this.origins = Objects.requireNonNull(origins);
    this.fetcher = new AssetFetcher(cache, mirror, origins);
  }

  /**
   * The default locations: {@code data/cache} under the project directory (system property
   * {@code gradcam.home}, else the working directory) and the mirror named by
   * {@code GRADCAM_MIRROR}, else {@code ../shared/data} beside the project when it exists.
   */
  public static Assets defaults() {
    Path mirror = defaultMirror();
    return new Assets(cacheRoot(), Files.isDirectory(mirror) ? mirror : null);
  }

  /** The project directory: system property {@code gradcam.home}, else the working directory. */
  public static Path home() {
    return Path.of(System.getProperty("gradcam.home", ".")).toAbsolutePath().normalize();
  }

  /** The project cache, {@code data/cache} under {@link #home()}. */
  public static Path cacheRoot() {
    return home().resolve("data/cache");
  }

  /**
   * How results name a data path, so that no file records one machine's absolute paths:
   * {@code $GRADCAM_MIRROR/...} below the mirror that variable names, relative to the project
   * below the project or the default mirror beside it ({@code ../shared/data/...}), else as given
   * (a folder the user named).
   */
  public static String display(Path p) {
    return display(p, home(), System.getenv("GRADCAM_MIRROR"));
  }

  static String display(Path p, Path home, String mirrorVariable) {
    Path abs = p.toAbsolutePath().normalize();
    if (mirrorVariable != null && !mirrorVariable.isBlank()) {
      Path m = Path.of(mirrorVariable).toAbsolutePath().normalize();
      if (abs.startsWith(m)) {
        return abs.equals(m) ? "$GRADCAM_MIRROR" : "$GRADCAM_MIRROR/" + slashes(m.relativize(abs));
      }
    }
    Path beside = home.resolve("../shared/data").normalize();
    if (abs.startsWith(home) || abs.startsWith(beside)) {
      return abs.equals(home) ? "." : slashes(home.relativize(abs));
    }
    return p.toString();
  }

  /** {@link #display(Path)} of a path given as text. */
  public static String display(String path) {
    return display(Path.of(path));
  }

  private static String slashes(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  /** {@code GRADCAM_MIRROR}, else {@code ../shared/data} beside the project (may not exist). */
  public static Path defaultMirror() {
    String env = System.getenv("GRADCAM_MIRROR");
    return env != null && !env.isBlank() ? Path.of(env)
        : home().resolve("../shared/data").normalize();
  }

  /**
   * A copy whose table has {@code replacement} in place of the row of the same asset and path:
   * for a stand-in origin whose file differs from the public one (a test's small tar in place of
   * the 430 MB VOC tar), so the digest check stays on.
   */
  public Assets withFile(AssetFile replacement) {
    Map<String, List<AssetFile>> copy = new LinkedHashMap<>(table);
    List<AssetFile> files = new ArrayList<>(files(replacement.asset()));
    int i = 0;
    while (i < files.size() && !files.get(i).path().equals(replacement.path())) {
      i++;
    }
    if (i == files.size()) {
      throw new IllegalArgumentException("asset '" + replacement.asset() + "' has no file "
          + replacement.path());
    }
    files.set(i, replacement);
    copy.put(replacement.asset(), List.copyOf(files));
    return new Assets(cache, mirror, copy, origins);
  }

  public List<String> names() {
    return List.copyOf(table.keySet());
  }

  public List<AssetFile> files(String asset) {
    List<AssetFile> files = table.get(asset);
    if (files == null) {
      throw new IllegalArgumentException("unknown asset '" + asset + "'; known assets: "
          + String.join(", ", table.keySet()));
    }
    return files;
  }

  /**
   * The local directory holding every file of the asset (verified), fetching what is missing.
   * For a one-file asset, use {@link #file}.
   */
  public Path directory(String asset) throws IOException {
    List<AssetFile> files = files(asset);
    Path root = commonRoot(files);
    if (files.get(0).derived()) {
      return derived(asset, files, root);
    }
    for (Path base : bases()) {
      if (allVerified(base, files)) {
        return base.resolve(root);
      }
    }
    for (AssetFile f : files) {
      fetcher.ensureInCache(f);
    }
    return cache.resolve(root);
  }

  /** The local path of a one-file asset, verified, fetched when missing. */
  public Path file(String asset) throws IOException {
    List<AssetFile> files = files(asset);
    if (files.size() != 1) {
      throw new IllegalArgumentException("asset '" + asset + "' has " + files.size()
          + " files; use directory()");
    }
    return directory(asset).resolve(Path.of(files.get(0).path()).getFileName());
  }

  /** Whether the asset is available without a download. */
  public boolean isLocal(String asset) throws IOException {
    List<AssetFile> files = files(asset);
    for (Path base : bases()) {
      if (allVerified(base, files)) {
        return true;
      }
    }
    return files.get(0).derived() && sourcesLocal(AssetDerivations.derivation(files.get(0)));
  }

  private boolean sourcesLocal(AssetDerivations.Derivation d) throws IOException {
    for (String source : d.sources()) {
      if (!isLocal(source)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Cache; else derived when the sources need no download; else a verified mirror copy (saves
   * fetching e.g. the 430 MB VOC tar for one CSV); else derived from the fetched sources.
   */
  private Path derived(String asset, List<AssetFile> files, Path root) throws IOException {
    if (allVerified(cache, files)) {
      return cache.resolve(root);
    }
    AssetDerivations.Derivation d = AssetDerivations.derivation(files.get(0));
    if (!sourcesLocal(d) && mirror != null && allVerified(mirror, files)) {
      return mirror.resolve(root);
    }
    AssetDerivations.deriveIntoCache(this, d, asset, files, root, cache);
    return cache.resolve(root);
  }

  private List<Path> bases() {
    List<Path> out = new ArrayList<>();
    out.add(cache);
    if (mirror != null) {
      out.add(mirror);
    }
    return out;
  }

  private boolean allVerified(Path base, List<AssetFile> files) throws IOException {
    for (AssetFile f : files) {
      Path p = base.resolve(f.path());
      if (!Files.isRegularFile(p)) {
        return false;
      }
      AssetFetcher.verify(p, f);
    }
    return true;
  }

  private static Path commonRoot(List<AssetFile> files) {
    Path root = Path.of(files.get(0).path()).getParent();
    for (AssetFile f : files) {
      while (!Path.of(f.path()).startsWith(root)) {
        root = root.getParent();
      }
    }
    return root;
  }

  private static Map<String, List<AssetFile>> readTable() {
    Map<String, List<AssetFile>> out = new LinkedHashMap<>();
    try (InputStream in = Assets.class.getResourceAsStream("assets.csv")) {
      for (AssetFile f : Csv.read(new InputStreamReader(
          Objects.requireNonNull(in, "assets.csv missing from the jar"), StandardCharsets.UTF_8),
          "assets.csv", List.of("asset", "file", "url", "algorithm", "digest"),
          c -> new AssetFile(c[0], c[1], URI.create(c[2]), c[3], c[4]))) {
        out.computeIfAbsent(f.asset(), k -> new ArrayList<>()).add(f);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the asset table", e);
    }
    return out;
  }
}
