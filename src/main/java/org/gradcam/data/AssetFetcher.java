package org.gradcam.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gradcam.data.Assets.AssetFile;

/**
 * Gets one asset file into the cache, digest-checked: kept when the cache has it, else copied
 * from the mirror, else downloaded from its origin; every copy goes to a temporary file moved
 * into place only once verified.
 */
final class AssetFetcher {
  private final Path cache;
  private final Path mirror;
  private final UnaryOperator<URI> origins;
  private HttpClient client;

  AssetFetcher(Path cache, Path mirror, UnaryOperator<URI> origins) {
    this.cache = cache;
    this.mirror = mirror;
    this.origins = Objects.requireNonNull(origins);
  }

  /** A present file with the wrong digest is an error, never silently replaced or used. */
  static void verify(Path p, AssetFile f) throws IOException {
    String actual = Digest.of(p, f.algorithm());
    if (!actual.equalsIgnoreCase(f.digest())) {
      throw new IOException(p + " has " + f.algorithm() + " " + actual + " but asset '"
          + f.asset() + "' expects " + f.digest() + "; the file is corrupt or not the expected"
          + " version: delete it and run `gradcam fetch " + f.asset() + "`");
    }
  }

  void ensureInCache(AssetFile f) throws IOException {
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
}
