package org.gradcam.serve;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.Stream;
import org.gradcam.model.Model;

/**
 * {@code gradcam serve}: the page and the JSON API on Javalin (Jetty). Models are loaded by the
 * caller, once, and only read here. Graph runs go through a fixed pool of workers with a bounded
 * queue ({@link WorkQueue}): when it is full a request is answered 503 with Retry-After at once,
 * so a burst never becomes an unbounded backlog. Every refused input is a 4xx
 * {@code {"error": ...}}; an unexpected failure is a 500 of that request only.
 *
 * <p>This class holds the route table and the server's life cycle; the handlers are those of
 * each API area: {@link ModelRoutes}, {@link GalleryRoutes}, {@link ExplainRoutes}.
 */
public final class GradcamServer implements AutoCloseable {
  /** The memory kept results may hold together (images mostly): 512 MB. */
  static final long KEPT_BYTES = 512L << 20;

  private final ServeSettings settings;
  private final WorkQueue queue;
  private final ResultStore results;
  private final ModelRoutes models;
  private final GalleryRoutes gallery;
  private final ExplainRoutes explain;
  private final Path scratch;
  private final Javalin app;

  private GradcamServer(Map<String, Model> models, String defaultModel, ServeSettings settings,
      List<ImageFolder> datasets) throws IOException {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("serve needs at least one model");
    }
    this.gallery = new GalleryRoutes(settings.examples(), datasets);
    this.models = new ModelRoutes(models, defaultModel);
    this.settings = settings;
    this.queue = new WorkQueue(settings);
    this.results = new ResultStore(settings.keptResults(), KEPT_BYTES);
    this.scratch = Files.createTempDirectory("gradcam-serve-");
    this.explain = new ExplainRoutes(settings, this.models, gallery,
        new ExplainService(settings.maxPixels(), scratch), results, queue);
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = settings.maxUploadBytes();
      config.jetty.multipartConfig.cacheDirectory(scratch.toString());
      config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(
          settings.maxUploadBytes() * UploadForm.MAX_BATCH + (1 << 16), SizeUnit.BYTES);
      config.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
    });
    routes();
  }

  /** Starts serving on the settings' host and port; {@link #port()} says which one. */
  public static GradcamServer start(Map<String, Model> models, String defaultModel,
      ServeSettings settings) throws IOException {
    return start(models, defaultModel, settings, List.of());
  }

  /** {@link #start(Map, String, ServeSettings)} with data sets for the page's gallery. */
  public static GradcamServer start(Map<String, Model> models, String defaultModel,
      ServeSettings settings, List<ImageFolder> datasets) throws IOException {
    GradcamServer s = new GradcamServer(models, defaultModel, settings, datasets);
    try {
      s.app.start(settings.host(), settings.port());
    } catch (RuntimeException e) {
      s.close();
      // Javalin's message says the port is taken; say which address too.
      throw new IllegalStateException("cannot serve on " + settings.host() + ":"
          + settings.port() + ": " + e.getMessage(), e);
    }
    return s;
  }

  public int port() {
    return app.port();
  }

  /** The worker pool, for tests that occupy it to fill the queue deterministically. */
  ThreadPoolExecutor workers() {
    return queue.executor();
  }

  /** Results currently kept for re-rendering (bounded by the settings). */
  int keptResults() {
    return results.size();
  }

  private void routes() {
    app.get("/", ctx -> Responses.resource(ctx, "web/index.html", "text/html; charset=utf-8"));
    app.get("/app.js", ctx -> Responses.resource(ctx, "web/app.js", "text/javascript; charset=utf-8"));
    app.get("/app.css", ctx -> Responses.resource(ctx, "web/app.css", "text/css; charset=utf-8"));
    app.get("/openapi.json", ctx -> Responses.resource(ctx, "openapi.json", "application/json"));
    app.get("/api/models", models::list);
    app.get("/api/models/{model}/layers", models::layers);
    app.get("/api/classes", models::classes);
    app.get("/api/examples", gallery::listExamples);
    app.get("/api/examples/{name}", gallery::example);
    app.get("/api/datasets", gallery::listDatasets);
    app.get("/api/datasets/{name}/classes", gallery::listDatasetClasses);
    app.get("/api/datasets/{name}/sample", gallery::sampleDataset);
    app.get("/api/datasets/{name}/image", gallery::datasetImage);
    app.post("/api/explain", ctx -> explain.explain(ctx, false));
    app.post("/api/explain/batch", ctx -> explain.explain(ctx, true));
    app.get("/api/results/{id}/{map}/overlay.png", explain::overlay);
    app.get("/api/results/{id}/{map}/map.npy", explain::npy);
    app.get("/api/results/{id}/{map}/boxes", explain::rebox);

    app.exception(ApiError.class, (e, ctx) -> Responses.error(ctx, e.status(), e.getMessage()));
    app.exception(HttpResponseException.class, (e, ctx) -> Responses.error(ctx, e.getStatus(),
        e.getStatus() == 413 ? UploadForm.tooLarge(settings)
            : e.getStatus() == 404 ? e.getMessage() + " (see /openapi.json)" : e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      String m = String.valueOf(e.getMessage());
      // Jetty's multipart parser refuses parts over the limit with an IllegalStateException.
      if (e instanceof IllegalStateException && m.toLowerCase(Locale.ROOT).contains("exceed")) {
        Responses.error(ctx, 413, UploadForm.tooLarge(settings));
      } else {
        Responses.error(ctx, 500, "internal error: " + m);
      }
    });
    // Javalin's own refusals (no such endpoint, wrong method) become the same JSON shape.
    for (int status : new int[] {404, 405}) {
      app.error(status, ctx -> {
        if (ctx.attribute("api-error") == null) {
          Responses.error(ctx, status, "no " + ctx.method() + " endpoint " + ctx.path()
              + " (see /openapi.json)");
        }
      });
    }
  }

  /**
   * Stops gracefully: new explain requests are refused (503), queued and running ones finish and
   * are answered, then Jetty stops. Idempotent.
   */
  @Override
  public void close() {
    try {
      queue.drain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.stop();
    try (Stream<Path> s = Files.walk(scratch)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // A temporary folder; the OS cleans it up eventually.
    }
  }
}
