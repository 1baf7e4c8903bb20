package org.gradcam.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
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
  private HttpClient client;

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
      ensureInCache(f);
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
    return files.get(0).derived() && sourcesLocal(derivation(files.get(0)));
  }

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

  private boolean sourcesLocal(Derivation d) throws IOException {
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
    Derivation d = derivation(files.get(0));
    if (!sourcesLocal(d) && mirror != null && allVerified(mirror, files)) {
      return mirror.resolve(root);
    }
    Files.createDirectories(cache);
    Path staging = Files.createTempDirectory(cache, ".derive-" + asset + "-");
    try {
      d.derive(this, staging.resolve(root));
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
    return cache.resolve(root);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
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
      verify(p, f);
    }
    return true;
  }

  /** A present file with the wrong digest is an error, never silently replaced or used. */
  private static void verify(Path p, AssetFile f) throws IOException {
    String actual = Digest.of(p, f.algorithm());
    if (!actual.equalsIgnoreCase(f.digest())) {
      throw new IOException(p + " has " + f.algorithm() + " " + actual + " but asset '"
          + f.asset() + "' expects " + f.digest() + "; the file is corrupt or not the expected"
          + " version: delete it and run `gradcam fetch " + f.asset() + "`");
    }
  }

  private void ensureInCache(AssetFile f) throws IOException {
    Path target = cache.resolve(f.path());
    if (Files.isRegularFile(target)) {
      verify(target, f);
      return;
    }
    if (mirror != null && Files.isRegularFile(mirror.resolve(f.path()))) {
      Path source = mirror.resolve(f.path());
      verify(source, f);
      copyVerified(f, target, in -> Files.copy(source, in, StandardCopyOption.REPLACE_EXISTING));
      return;
    }
    download(f, target);
  }

  private interface Writer {
    void writeTo(Path tmp) throws IOException;
  }

  private static void copyVerified(AssetFile f, Path target, Writer writer) throws IOException {
    copyVerified(f, target, writer, null);
  }

  /** {@code from}: the URL of a download, named in the error instead of the temporary file. */
  private static void copyVerified(AssetFile f, Path target, Writer writer, URI from)
      throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try {
      writer.writeTo(tmp);
      if (from == null) {
        verify(tmp, f);
      } else {
        String actual = Digest.of(tmp, f.algorithm());
        if (!actual.equalsIgnoreCase(f.digest())) {
          throw new IOException("refused " + from + ": it has " + f.algorithm() + " " + actual
              + " but asset '" + f.asset() + "' expects " + f.digest() + " for " + f.path()
              + " (the origin serves another file, or it was damaged on the way); nothing was "
              + "kept");
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void download(AssetFile f, Path target) throws IOException {
    if (client == null) {
      client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(30)).build();
    }
    URI url = origins.apply(f.url());
    copyVerified(f, target, tmp -> {
      HttpResponse<InputStream> response;
      try {
        response = client.send(HttpRequest.newBuilder(url).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new IOException("cannot download asset '" + f.asset() + "' from " + url + ": "
            + Objects.requireNonNullElse(e.getMessage(), e.toString())
            + " (no network? put the file at " + target + " or set GRADCAM_MIRROR)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("download interrupted: " + url, e);
      }
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IOException("cannot download asset '" + f.asset() + "' from " + url
            + ": HTTP " + response.statusCode());
      }
      long length = response.headers().firstValueAsLong("content-length").orElse(-1);
      try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(tmp)) {
        if (length >= 0 && length < 1 << 20) {
          in.transferTo(out); // a bar per small file (400 stand-in images) would be noise
          return;
        }
        try (ProgressBar bar = new ProgressBarBuilder()
            .setTaskName(target.getFileName().toString()).setInitialMax(length)
            .setStyle(ProgressBarStyle.ASCII).setUnit("MB", 1 << 20).build()) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            bar.stepBy(n);
          }
        }
      }
    }, url);
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
