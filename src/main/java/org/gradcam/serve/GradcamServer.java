package org.gradcam.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.Npy;
import org.gradcam.image.Colormap;
import org.gradcam.localize.Box;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.LayerInfo;
import org.gradcam.model.Model;

/**
 * {@code gradcam serve}: the page and the JSON API on Javalin (Jetty). Models are loaded by the
 * caller, once, and only read here. Graph runs go through a fixed pool of workers with a bounded
 * queue: when it is full a request is answered 503 with Retry-After at once, so a burst never
 * becomes an unbounded backlog. Every refused input is a 4xx {@code {"error": ...}}; an
 * unexpected failure is a 500 of that request only.
 */
public final class GradcamServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCES = "/org/gradcam/serve/";
  private static final int MAX_BATCH = 16;
  private static final int MAX_EXAMPLE_SAMPLE = 48;
  /** The memory kept results may hold together (images mostly): 512 MB. */
  static final long KEPT_BYTES = 512L << 20;

  private final Map<String, Model> models;
  private final Map<String, ImageFolder> datasets;
  private final String defaultModel;
  private final ServeSettings settings;
  private final ThreadPoolExecutor workers;
  private final ResultStore results;
  private final ExplainService service;
  private final Path scratch;
  private final Javalin app;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong meanMillis = new AtomicLong(200);
  private volatile boolean stopping;

  private GradcamServer(Map<String, Model> models, String defaultModel, ServeSettings settings,
      List<ImageFolder> datasets) throws IOException {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("serve needs at least one model");
    }
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    Map<String, ImageFolder> sets = new LinkedHashMap<>();
    for (ImageFolder d : datasets) {
      if (sets.put(d.name(), d) != null) {
        throw new IllegalArgumentException("two --dataset folders are named '" + d.name()
            + "'; name them apart with NAME=DIR");
      }
    }
    this.datasets = Collections.unmodifiableMap(sets);
    this.defaultModel = defaultModel != null ? defaultModel : models.keySet().iterator().next();
    if (!this.models.containsKey(this.defaultModel)) {
      throw new IllegalArgumentException("default model " + defaultModel + " is not loaded");
    }
    this.settings = settings;
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0,
        TimeUnit.SECONDS, settings.queue() == 0 ? new SynchronousQueue<>()
            : new ArrayBlockingQueue<>(settings.queue()), r -> {
          Thread t = new Thread(r, "gradcam-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.results = new ResultStore(settings.keptResults(), KEPT_BYTES);
    this.scratch = Files.createTempDirectory("gradcam-serve-");
    this.service = new ExplainService(settings.maxPixels(), scratch);
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = settings.maxUploadBytes();
      config.jetty.multipartConfig.cacheDirectory(scratch.toString());
      config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(
          settings.maxUploadBytes() * MAX_BATCH + (1 << 16), SizeUnit.BYTES);
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
    return workers;
  }

  /** Results currently kept for re-rendering (bounded by the settings). */
  int keptResults() {
    return results.size();
  }

  private void routes() {
    app.get("/", ctx -> resource(ctx, "web/index.html", "text/html; charset=utf-8"));
    app.get("/app.js", ctx -> resource(ctx, "web/app.js", "text/javascript; charset=utf-8"));
    app.get("/app.css", ctx -> resource(ctx, "web/app.css", "text/css; charset=utf-8"));
    app.get("/openapi.json", ctx -> resource(ctx, "openapi.json", "application/json"));
    app.get("/api/models", this::listModels);
    app.get("/api/models/{model}/layers", this::listLayers);
    app.get("/api/classes", this::listClasses);
    app.get("/api/examples", this::listExamples);
    app.get("/api/examples/{name}", this::example);
    app.get("/api/datasets", this::listDatasets);
    app.get("/api/datasets/{name}/classes", this::listDatasetClasses);
    app.get("/api/datasets/{name}/sample", this::sampleDataset);
    app.get("/api/datasets/{name}/image", this::datasetImage);
    app.post("/api/explain", ctx -> explain(ctx, false));
    app.post("/api/explain/batch", ctx -> explain(ctx, true));
    app.get("/api/results/{id}/{map}/overlay.png", this::overlay);
    app.get("/api/results/{id}/{map}/map.npy", this::npy);
    app.get("/api/results/{id}/{map}/boxes", this::rebox);

    app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
        e.getStatus() == 413 ? tooLarge()
            : e.getStatus() == 404 ? e.getMessage() + " (see /openapi.json)" : e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      String m = String.valueOf(e.getMessage());
      // Jetty's multipart parser refuses parts over the limit with an IllegalStateException.
      if (e instanceof IllegalStateException && m.toLowerCase(Locale.ROOT).contains("exceed")) {
        error(ctx, 413, tooLarge());
      } else {
        error(ctx, 500, "internal error: " + m);
      }
    });
    // Javalin's own refusals (no such endpoint, wrong method) become the same JSON shape.
    for (int status : new int[] {404, 405}) {
      app.error(status, ctx -> {
        if (ctx.attribute("api-error") == null) {
          error(ctx, status, "no " + ctx.method() + " endpoint " + ctx.path()
              + " (see /openapi.json)");
        }
      });
    }
  }

  private String tooLarge() {
    return "the upload is larger than the server's limit of " + settings.maxUploadBytes()
        + " bytes (--max-upload)";
  }

  private static void error(Context ctx, int status, String message) {
    ctx.attribute("api-error", true);
    ObjectNode o = JSON.createObjectNode().put("error", message).put("status", status);
    ctx.status(status).contentType("application/json").result(o.toString());
  }

  private static void json(Context ctx, Object value) throws IOException {
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(value));
  }

  private static void resource(Context ctx, String name, String type) throws IOException {
    try (InputStream in = GradcamServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw ApiError.notFound("missing resource " + name);
      }
      ctx.contentType(type).result(in.readAllBytes());
    }
  }

  private Model model(String name) {
    Model m = models.get(name);
    if (m == null) {
      throw ApiError.badRequest("unknown model '" + name + "'; loaded models: "
          + String.join(", ", models.keySet()));
    }
    return m;
  }

  private void listModels(Context ctx) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("default", defaultModel);
    ArrayNode list = o.putArray("models");
    for (Map.Entry<String, Model> e : models.entrySet()) {
      Model m = e.getValue();
      ObjectNode entry = list.addObject().put("name", e.getKey())
          .put("default_layer", m.defaultLayer()).put("classes", m.numClasses());
      if (m.spec().height() == m.spec().width()) {
        entry.put("input_size", m.spec().height());
      }
      entry.put("input_height", m.spec().height()).put("input_width", m.spec().width());
    }
    CamMethods.names().forEach(o.putArray("methods")::add);
    Colormap.names().forEach(o.putArray("colormaps")::add);
    json(ctx, o);
  }

  private void listLayers(Context ctx) throws IOException {
    Model m = models.get(ctx.pathParam("model"));
    if (m == null) {
      throw ApiError.notFound("unknown model '" + ctx.pathParam("model") + "'; loaded models: "
          + String.join(", ", models.keySet()));
    }
    ObjectNode o = JSON.createObjectNode().put("model", ctx.pathParam("model"))
        .put("default", m.defaultLayer());
    ArrayNode list = o.putArray("layers");
    for (String name : m.targetLayers()) {
      LayerInfo l = m.layer(name);
      ObjectNode layer = list.addObject().put("name", name).put("type", l.type());
      ArrayNode shape = layer.putArray("output_shape");
      for (long d : l.outputShape()) {
        shape.add(d);
      }
    }
    json(ctx, o);
  }

  private void listClasses(Context ctx) throws IOException {
    String q = ExplainParams.normalise(String.valueOf(ctx.queryParamMap().containsKey("q")
        ? ctx.queryParam("q") : ""));
    Model m = model(ctx.queryParamMap().containsKey("model") ? ctx.queryParam("model")
        : defaultModel);
    ArrayNode list = JSON.createArrayNode();
    for (int i = 0; i < m.numClasses() && list.size() < 50; i++) {
      ImageNetLabels.Label l = ImageNetLabels.get(i);
      if (q.isEmpty() || ExplainParams.normalise(l.description()).contains(q)) {
        list.addObject().put("index", i).put("name", l.name()).put("wnid", l.wnid());
      }
    }
    json(ctx, list);
  }

  private List<String> exampleNames() throws IOException {
    if (settings.examples() == null || !Files.isDirectory(settings.examples())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(settings.examples())) {
      return s.map(p -> p.getFileName().toString())
          .filter(f -> f.toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)")).sorted().toList();
    }
  }

  private void listExamples(Context ctx) throws IOException {
    List<String> names = new ArrayList<>(exampleNames());
    ObjectNode o = JSON.createObjectNode();
    String sample = ctx.queryParam("sample");
    if (sample != null) {
      int n = ExplainParams.integer("sample", sample);
      if (n < 1 || n > MAX_EXAMPLE_SAMPLE) {
        throw ApiError.badRequest("sample must be between 1 and " + MAX_EXAMPLE_SAMPLE
            + ", got " + n);
      }
      String seedText = ctx.queryParam("seed");
      long seed = seedText != null ? parseSeed(seedText) : new Random().nextInt(1_000_000);
      // A seeded shuffle: the same seed shows the same images again, as the page says.
      Collections.shuffle(names, new Random(seed));
      names = names.subList(0, Math.min(n, names.size()));
      o.put("seed", seed);
    }
    names.forEach(o.putArray("examples")::add);
    json(ctx, o);
  }

  private static long parseSeed(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("seed must be an integer, got '" + text + "'");
    }
  }

  private Path examplePath(String name) throws IOException {
    // Only names of the listing: no path of the request ever reaches the file system.
    if (!exampleNames().contains(name)) {
      throw ApiError.notFound("no example image '" + name + "'");
    }
    return settings.examples().resolve(name);
  }

  private void example(Context ctx) throws IOException {
    Path p = examplePath(ctx.pathParam("name"));
    // The type its content says, as the decoder reads it: a PNG named .jpg is image/png.
    String type = ImageFolder.mimeType(p);
    ctx.contentType(type != null ? type : "application/octet-stream")
        .result(Files.readAllBytes(p));
  }

  private ImageFolder dataset(String name) {
    ImageFolder d = datasets.get(name);
    if (d == null) {
      throw ApiError.notFound("no data set '" + name + "'; data sets: "
          + (datasets.isEmpty() ? "none (serve --dataset DIR adds one)"
              : String.join(", ", datasets.keySet())));
    }
    return d;
  }

  private void listDatasets(Context ctx) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode list = o.putArray("datasets");
    for (ImageFolder d : datasets.values()) {
      list.addObject().put("name", d.name()).put("classes", d.classes().size())
          .put("images", d.size());
    }
    json(ctx, o);
  }

  private void listDatasetClasses(Context ctx) throws IOException {
    ImageFolder d = dataset(ctx.pathParam("name"));
    ObjectNode o = JSON.createObjectNode().put("dataset", d.name());
    ArrayNode list = o.putArray("classes");
    d.classes().forEach((name, images) -> list.addObject().put("name", name)
        .put("images", images.size()));
    json(ctx, o);
  }

  private void sampleDataset(Context ctx) throws IOException {
    ImageFolder d = dataset(ctx.pathParam("name"));
    for (String q : ctx.queryParamMap().keySet()) {
      if (!List.of("class", "n", "seed").contains(q)) {
        throw ApiError.badRequest("unknown parameter '" + q + "'; known: class, n, seed");
      }
    }
    String cls = ctx.queryParam("class");
    if (cls == null || cls.isEmpty()) {
      throw ApiError.badRequest("class is required; classes of '" + d.name() + "': "
          + String.join(", ", d.classes().keySet()));
    }
    String nText = ctx.queryParam("n");
    int n = nText == null ? 6 : ExplainParams.integer("n", nText);
    if (n < 1 || n > MAX_EXAMPLE_SAMPLE) {
      throw ApiError.badRequest("n must be between 1 and " + MAX_EXAMPLE_SAMPLE + ", got " + n);
    }
    String seedText = ctx.queryParam("seed");
    long seed = seedText != null ? parseSeed(seedText) : new Random().nextInt(1_000_000);
    ObjectNode o = JSON.createObjectNode().put("dataset", d.name()).put("class", cls)
        .put("seed", seed);
    ArrayNode list = o.putArray("images");
    for (ImageFolder.Image i : d.sample(cls, n, seed)) {
      list.addObject().put("id", i.id()).put("name", i.name()).put("url", "/api/datasets/"
          + d.name() + "/image?id=" + java.net.URLEncoder.encode(i.id(),
              java.nio.charset.StandardCharsets.UTF_8));
    }
    json(ctx, o);
  }

  private void datasetImage(Context ctx) throws IOException {
    ImageFolder.Image i = dataset(ctx.pathParam("name")).image(ctx.queryParam("id"));
    ctx.contentType(i.mimeType()).result(Files.readAllBytes(i.file()));
  }

  /** An image of the request: an uploaded part, or an example by name. */
  private record Upload(String filename, byte[] bytes) {}

  private void explain(Context ctx, boolean batch) throws Exception {
    if (stopping) {
      ctx.header("Retry-After", "5");
      throw new ApiError(503, "the server is shutting down");
    }
    String type = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT);
    if (!type.startsWith("multipart/form-data")) {
      throw new ApiError(415, "send multipart/form-data with an 'image' file part (or an "
          + "'example' field), got Content-Type " + ctx.contentType());
    }
    long length = ctx.contentLength();
    if (length > settings.maxUploadBytes() * (batch ? MAX_BATCH : 1) + (1 << 16)) {
      throw new ApiError(413, tooLarge());
    }
    Map<String, String> form = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> f : ctx.formParamMap().entrySet()) {
      if (f.getValue().isEmpty()) {
        continue; // a file part: Javalin lists its name without a text value
      }
      if (f.getValue().size() != 1) {
        throw ApiError.badRequest("field '" + f.getKey() + "' given " + f.getValue().size()
            + " times");
      }
      form.put(f.getKey(), f.getValue().get(0));
    }
    List<Upload> uploads = new ArrayList<>();
    for (UploadedFile f : ctx.uploadedFiles("image")) {
      if (f.size() > settings.maxUploadBytes()) {
        throw new ApiError(413, tooLarge());
      }
      try (InputStream in = f.content()) {
        uploads.add(new Upload(f.filename() == null || f.filename().isBlank() ? "upload"
            : Path.of(f.filename().replace('\\', '/')).getFileName().toString(),
            in.readAllBytes()));
      }
    }
    for (String f : ctx.uploadedFileMap().keySet()) {
      if (!f.equals("image")) {
        throw ApiError.badRequest("unknown file part '" + f + "'; the image goes in 'image'");
      }
    }
    String example = form.remove("example");
    if (example != null) {
      uploads.add(new Upload(example, Files.readAllBytes(examplePath(example))));
    }
    String datasetName = form.remove("dataset");
    String datasetImage = form.remove("dataset_image");
    if (datasetImage != null || datasetName != null) {
      if (datasetImage == null || datasetName == null) {
        throw ApiError.badRequest("give both 'dataset' and 'dataset_image' (an id of "
            + "/api/datasets/{name}/sample)");
      }
      ImageFolder.Image i = dataset(datasetName).image(datasetImage);
      // The file's own name: the JSON's image field, as explain --json names an upload.
      uploads.add(new Upload(i.file().getFileName().toString(), Files.readAllBytes(i.file())));
    }
    if (uploads.isEmpty()) {
      throw ApiError.badRequest("no image: send a file part named 'image' or an 'example' field");
    }
    if (!batch && uploads.size() > 1) {
      throw ApiError.badRequest("one image per request here; POST several to /api/explain/batch");
    }
    if (uploads.size() > MAX_BATCH) {
      throw ApiError.badRequest("at most " + MAX_BATCH + " images per batch, got "
          + uploads.size());
    }
    ExplainParams params = ExplainParams.parse(form, this::model, defaultModel);
    List<ObjectNode> answers = runQueued(ctx, () -> {
      List<ObjectNode> out = new ArrayList<>();
      for (Upload u : uploads) {
        BufferedImage image = service.decode(u.bytes(), u.filename());
        Explained e = service.explain(image, stem(u.filename()), params);
        results.put(e);
        out.add(answer(e, params));
      }
      return out;
    });
    if (batch) {
      ObjectNode o = JSON.createObjectNode();
      ArrayNode list = o.putArray("results");
      answers.forEach(list::add);
      json(ctx, o);
    } else {
      json(ctx, answers.get(0));
    }
  }

  /** Runs {@code work} on a worker; a full queue is a 503 with a Retry-After estimate. */
  private <T> T runQueued(Context ctx, Callable<T> work) throws Exception {
    Future<T> future;
    inFlight.incrementAndGet();
    try {
      try {
        future = workers.submit(() -> {
          long start = System.nanoTime();
          try {
            return work.call();
          } finally {
            long ms = (System.nanoTime() - start) / 1_000_000;
            meanMillis.updateAndGet(m -> (m * 7 + ms) / 8);
          }
        });
      } catch (RejectedExecutionException e) {
        long waiting = workers.getQueue().size() + settings.workers();
        long seconds = Math.max(1, (meanMillis.get() * waiting / settings.workers() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiError(503, stopping ? "the server is shutting down"
            : "the server is busy (" + settings.workers() + " running, " + settings.queue()
                + " waiting); retry in " + seconds + " s");
      }
      try {
        return future.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ApiError a) {
          throw a;
        }
        if (cause instanceof IllegalArgumentException iae) {
          throw ApiError.badRequest(iae.getMessage());
        }
        if (cause instanceof OutOfMemoryError) {
          throw new ApiError(503, "out of memory for this request; retry later or send a "
              + "smaller image");
        }
        throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private ObjectNode answer(Explained e, ExplainParams p) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", e.id());
    o.put("width", e.original().getWidth()).put("height", e.original().getHeight());
    ArrayNode maps = o.putArray("maps");
    for (int i = 0; i < e.maps().size(); i++) {
      Explained.Map m = e.maps().get(i);
      ObjectNode map = m.line().deepCopy();
      Heatmap h = m.explanation().heatmap();
      map.putObject("map").put("dtype", "float32").put("byte_order", "little")
          .put("base64", Base64.getEncoder().encodeToString(Npy.float32Data(h.raw())))
          .put("max", h.max());
      map.set("boxes", boxesNode(m.explanation(), e.original(), p.thresholds(), p.smooth()));
      map.put("overlay_url", ExplainService.overlayUrl(e.id(), i));
      map.put("map_npy_url", ExplainService.npyUrl(e.id(), i));
      if (p.inline()) {
        map.put("overlay_png_base64", Base64.getEncoder().encodeToString(
            ExplainService.overlayPng(e.original(), h, p.colormap(), p.alpha())));
      }
      maps.add(map);
    }
    return o;
  }

  private static ArrayNode boxesNode(Explanation e, BufferedImage original, double[] thresholds,
      int smooth) {
    List<List<Box>> all = ExplainService.boxes(e, original.getWidth(), original.getHeight(),
        thresholds, smooth);
    ArrayNode out = JSON.createArrayNode();
    for (int t = 0; t < thresholds.length; t++) {
      ObjectNode at = out.addObject().put("threshold", thresholds[t]);
      ArrayNode list = at.putArray("boxes");
      for (Box b : all.get(t)) {
        list.addArray().add(b.xmin()).add(b.ymin()).add(b.xmax()).add(b.ymax());
      }
    }
    return out;
  }

  private Explained.Map storedMap(Context ctx, Explained e) {
    int i = ExplainParams.integer("map", ctx.pathParam("map"));
    if (i < 0 || i >= e.maps().size()) {
      throw ApiError.notFound("result " + e.id() + " has maps 0.." + (e.maps().size() - 1)
          + ", not " + i);
    }
    return e.maps().get(i);
  }

  private void overlay(Context ctx) throws Exception {
    Explained e = results.get(ctx.pathParam("id"));
    Explained.Map m = storedMap(ctx, e);
    Map<String, String> q = new LinkedHashMap<>();
    q.put("colormap", ctx.queryParamMap().containsKey("colormap") ? ctx.queryParam("colormap")
        : "jet");
    q.put("alpha", ctx.queryParamMap().containsKey("alpha") ? ctx.queryParam("alpha") : "0.4");
    Colormap c;
    try {
      c = Colormap.byName(q.get("colormap"));
    } catch (IllegalArgumentException ex) {
      throw ApiError.badRequest(ex.getMessage());
    }
    double alpha = ExplainParams.number("alpha", q.get("alpha"));
    if (!(alpha >= 0 && alpha <= 1)) {
      throw ApiError.badRequest("alpha must be in [0, 1], got " + q.get("alpha"));
    }
    // Through the bounded pool too: blending a large image costs memory and CPU per request.
    byte[] png = runQueued(ctx, () -> ExplainService.overlayPng(e.original(),
        m.explanation().heatmap(), c, alpha));
    ctx.contentType("image/png").result(png);
  }

  private void npy(Context ctx) {
    Explained e = results.get(ctx.pathParam("id"));
    Heatmap h = storedMap(ctx, e).explanation().heatmap();
    ctx.contentType("application/octet-stream")
        .header("Content-Disposition", "attachment; filename=\"map.npy\"")
        .result(Npy.float32Bytes(h.raw(), h.height(), h.width()));
  }

  private void rebox(Context ctx) throws Exception {
    Explained e = results.get(ctx.pathParam("id"));
    Explained.Map m = storedMap(ctx, e);
    String t = ctx.queryParamMap().containsKey("thresholds") ? ctx.queryParam("thresholds")
        : "0.06";
    double[] thresholds = ExplainParams.thresholds(t);
    int smooth = ExplainParams.integer("smooth", ctx.queryParamMap().containsKey("smooth")
        ? ctx.queryParam("smooth") : "20");
    if (smooth < 1 || smooth > 200) {
      throw ApiError.badRequest("smooth must be between 1 and 200, got " + smooth);
    }
    // Upsampling and smoothing at image size: bounded like every other computation.
    json(ctx, runQueued(ctx, () -> boxesNode(m.explanation(), e.original(), thresholds, smooth)));
  }

  private static String stem(String filename) {
    int dot = filename.lastIndexOf('.');
    return dot > 0 ? filename.substring(0, dot) : filename;
  }

  /**
   * Stops gracefully: new explain requests are refused (503), queued and running ones finish and
   * are answered, then Jetty stops. Idempotent.
   */
  @Override
  public void close() {
    stopping = true;
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.MINUTES);
      // The last answers are written after their worker is done; give them a moment.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (inFlight.get() > 0 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      Thread.sleep(100);
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
