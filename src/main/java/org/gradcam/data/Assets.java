package org.gradcam.data;

import java.io.BufferedReader;
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
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Finds the files an asset (model weights, published artifacts, data sets) is made of, in
 * order: the project cache, a local mirror, the public URL. Every file is checked against the
 * digest in {@code assets.csv}; downloads go to a temporary file that is moved into the cache
 * only once verified, so a failed or corrupt download never leaves a half-written file.
 */
public final class Assets {
  /** One file of an asset: its path relative to the cache or mirror root, origin and digest. */
  public record AssetFile(String asset, String path, URI url, String algorithm, String digest) {}

  private final Path cache;
  private final Path mirror;
  private final Map<String, List<AssetFile>> table;

  public Assets(Path cache, Path mirror) {
    this(cache, mirror, readTable());
  }

  Assets(Path cache, Path mirror, Map<String, List<AssetFile>> table) {
    this.cache = cache;
    this.mirror = mirror;
    this.table = table;
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

  /** {@code GRADCAM_MIRROR}, else {@code ../shared/data} beside the project (may not exist). */
  public static Path defaultMirror() {
    String env = System.getenv("GRADCAM_MIRROR");
    return env != null && !env.isBlank() ? Path.of(env)
        : home().resolve("../shared/data").normalize();
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
    return false;
  }

  /**
   * Checks every file of {@code asset} as found under {@code base} (e.g. a mirror a command reads
   * directly) against its digest; a missing or different file is an error.
   */
  public void verifyUnder(Path base, String asset) throws IOException {
    for (AssetFile f : files(asset)) {
      Path p = base.resolve(f.path());
      if (!Files.isRegularFile(p)) {
        throw new IOException(p + " is missing (a file of asset '" + asset + "')");
      }
      // Not verify(): its advice (delete, fetch) does not suit a folder read in place.
      String actual = Digest.of(p, f.algorithm());
      if (!actual.equalsIgnoreCase(f.digest())) {
        throw new IOException(p + " has " + f.algorithm() + " " + actual + " but asset '"
            + asset + "' expects " + f.digest() + ": it is not the published file; restore it "
            + "from " + f.url());
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
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try {
      writer.writeTo(tmp);
      verify(tmp, f);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void download(AssetFile f, Path target) throws IOException {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    copyVerified(f, target, tmp -> {
      HttpResponse<InputStream> response;
      try {
        response = client.send(HttpRequest.newBuilder(f.url()).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new IOException("cannot download asset '" + f.asset() + "' from " + f.url() + ": "
            + Objects.requireNonNullElse(e.getMessage(), e.toString())
            + " (no network? put the file at " + target + " or set GRADCAM_MIRROR)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("download interrupted: " + f.url(), e);
      }
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IOException("cannot download asset '" + f.asset() + "' from " + f.url()
            + ": HTTP " + response.statusCode());
      }
      long length = response.headers().firstValueAsLong("content-length").orElse(-1);
      try (InputStream in = response.body();
          OutputStream out = Files.newOutputStream(tmp);
          ProgressBar bar = new ProgressBarBuilder().setTaskName(target.getFileName().toString())
              .setInitialMax(length).setStyle(ProgressBarStyle.ASCII).setUnit("MB", 1 << 20)
              .build()) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          bar.stepBy(n);
        }
      }
    });
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
    try (InputStream in = Assets.class.getResourceAsStream("assets.csv");
        BufferedReader r = new BufferedReader(new InputStreamReader(
            Objects.requireNonNull(in, "assets.csv missing from the jar"), StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        String[] c = line.split(",", -1);
        out.computeIfAbsent(c[0], k -> new ArrayList<>())
            .add(new AssetFile(c[0], c[1], URI.create(c[2]), c[3], c[4]));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the asset table", e);
    }
    return out;
  }
}
