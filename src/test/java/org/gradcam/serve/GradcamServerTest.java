package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gradcam.TestData;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.cli.CliTest;
import org.gradcam.data.Assets;
import org.gradcam.data.Npy;
import org.gradcam.data.PixelBox;
import org.gradcam.experiment.ImageMap;
import org.gradcam.localize.CourseBoxExtractor;
import org.gradcam.localize.Precision;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API against the command line, every endpoint, and every refused input. */
class GradcamServerTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test/JPEGImages");
  static final Path PETS = TestData.path("oxford-iiit-pet-dogs/images");

  static Model model;
  static GradcamServer server;
  static Http http;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    model = Models.load("squeezenet1.1", Assets.defaults());
    server = GradcamServer.start(Map.of("squeezenet1.1", model), "squeezenet1.1",
        ServeSettings.defaults(0, PETS));
    http = new Http(server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (model != null) {
      model.close();
    }
  }

  static byte[] bytes(Path p) throws Exception {
    return Files.readAllBytes(p);
  }

  /** The CLI's JSON fields of a map, without the overlay (a path there, a URL here). */
  static JsonNode withoutOverlay(JsonNode line) {
    ObjectNode o = ((ObjectNode) line).deepCopy();
    o.remove("overlay");
    return o;
  }

  static JsonNode cliFieldsOf(JsonNode apiMap) {
    ObjectNode o = ((ObjectNode) apiMap).deepCopy();
    for (String f : List.of("overlay", "map", "boxes", "overlay_url", "map_npy_url",
        "overlay_png_base64")) {
      o.remove(f);
    }
    return o;
  }

  @Test
  void explainEqualsTheCommandLineByteForByte() throws Exception {
    Path image = VOC.resolve("001150.jpg");
    Path png = tmp.resolve("dog.png");
    Path npy = tmp.resolve("dog.npy");
    assertThat(run("explain", "--image", image.toString(), "--out", png.toString(), "--heatmap-out",
        npy.toString(), "--json", "--layer", "fire8", "--method", "gradcam++", "--colormap",
        "viridis", "--alpha", "0.55", "--resize", "bilinear")).as(err.toString()).isZero();
    JsonNode line = Http.JSON.readTree(out.toString());

    Http.Response a = http.post("/api/explain", new Http.Form().image("001150.jpg", bytes(image))
        .field("layer", "fire8").field("method", "gradcam++").field("colormap", "viridis")
        .field("alpha", "0.55").field("resize", "bilinear").field("inline", "true"));
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    JsonNode map = a.json().get("maps").get(0);
    assertThat(a.json().get("maps")).hasSize(1);
    assertThat(cliFieldsOf(map)).isEqualTo(withoutOverlay(line));
    assertThat(map.get("overlay").asText()).isEqualTo(map.get("overlay_url").asText());

    byte[] npyFile = bytes(npy);
    byte[] raw = Base64.getDecoder().decode(map.get("map").get("base64").asText());
    // The .npy data part (after its header) is the same little-endian float32 bytes.
    assertThat(raw).isEqualTo(Arrays.copyOfRange(npyFile, npyFile.length - raw.length,
        npyFile.length));
    assertThat(raw.length).isEqualTo(4 * 13 * 13);
    assertThat(http.get(map.get("map_npy_url").asText()).body()).isEqualTo(npyFile);

    assertThat(Base64.getDecoder().decode(map.get("overlay_png_base64").asText()))
        .isEqualTo(bytes(png));
    assertThat(http.get(map.get("overlay_url").asText() + "?colormap=viridis&alpha=0.55").body())
        .isEqualTo(bytes(png));
    // Re-rendering at another alpha is another picture, equal to the CLI's at that alpha.
    Path png2 = tmp.resolve("dog2.png");
    assertThat(run("explain", "--image", image.toString(), "--out", png2.toString(), "--layer",
        "fire8", "--method", "gradcam++", "--colormap", "hot", "--alpha", "0.9", "--resize",
        "bilinear")).isZero();
    byte[] hot = http.get(map.get("overlay_url").asText() + "?colormap=hot&alpha=0.9").body();
    assertThat(hot).isEqualTo(bytes(png2)).isNotEqualTo(bytes(png));
  }

  @Test
  void topKAndClassTargetsEqualTheCommandLine() throws Exception {
    Path image = VOC.resolve("000001.jpg");
    Path topk = tmp.resolve("topk");
    Path heat = tmp.resolve("heat");
    assertThat(run("explain", "--image", image.toString(), "--top-k", "3", "--out", topk.toString(),
        "--heatmap-out", heat.toString(), "--json")).as(err.toString()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.toString().lines().toList()) {
      lines.add(Http.JSON.readTree(l));
    }
    Http.Response a = http.post("/api/explain", new Http.Form().image("000001.jpg", bytes(image))
        .field("top_k", "3"));
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    JsonNode maps = a.json().get("maps");
    assertThat(maps).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(cliFieldsOf(maps.get(i))).isEqualTo(withoutOverlay(lines.get(i)));
      int c = lines.get(i).get("target").get("index").asInt();
      assertThat(http.get(maps.get(i).get("map_npy_url").asText()).body())
          .isEqualTo(bytes(heat.resolve("000001_class" + c + ".npy")));
      assertThat(http.get(maps.get(i).get("overlay_url").asText()).body())
          .isEqualTo(bytes(topk.resolve("000001_class" + c + ".png")));
    }
    // A class by index and by name (the third-ranked class) give the same map as --class.
    int third = lines.get(2).get("target").get("index").asInt();
    String name = lines.get(2).get("target").get("name").asText();
    Path one = tmp.resolve("one.npy");
    assertThat(run("explain", "--image", image.toString(), "--class", "" + third, "--out",
        tmp.resolve("one.png").toString(), "--heatmap-out", one.toString())).isZero();
    for (String given : List.of("" + third, name.toUpperCase().replace('_', ' '))) {
      Http.Response c = http.post("/api/explain", new Http.Form()
          .image("000001.jpg", bytes(image)).field("class", given));
      assertThat(c.status()).as(c.text()).isEqualTo(200);
      JsonNode m = c.json().get("maps").get(0);
      assertThat(m.get("target").get("index").asInt()).isEqualTo(third);
      assertThat(http.get(m.get("map_npy_url").asText()).body()).isEqualTo(bytes(one));
    }
  }

  @Test
  void boxesAreTheLocalizeProcedureOnTheMapAtEachThreshold() throws Exception {
    Path image = VOC.resolve("001150.jpg");
    Http.Response a = http.post("/api/explain", new Http.Form().image("x.jpg", bytes(image))
        .field("thresholds", "0.06,0.3,0.7"));
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    JsonNode result = a.json();
    JsonNode map = result.get("maps").get(0);
    int w = result.get("width").asInt();
    int h = result.get("height").asInt();
    // Reference: the map as decoded from the response, boxed as localize does.
    byte[] raw = Base64.getDecoder().decode(map.get("map").get("base64").asText());
    float[] values = new float[raw.length / 4];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    Explanation e = new Explanation(0, 0, new float[1000], new Heatmap(13, 13, values));
    float[] upsampled = ImageMap.of("x", e, w, h).values();
    CourseBoxExtractor boxes = new CourseBoxExtractor(20, Precision.FLOAT32);
    double[] thresholds = {0.06, 0.3, 0.7};
    JsonNode got = map.get("boxes");
    assertThat(got).hasSize(3);
    int total = 0;
    for (int t = 0; t < 3; t++) {
      assertThat(got.get(t).get("threshold").asDouble()).isEqualTo(thresholds[t]);
      List<PixelBox> expected = boxes.extract(upsampled, w, h, thresholds[t]);
      total += expected.size();
      assertThat(Http.JSON.convertValue(got.get(t).get("boxes"), int[][].class))
          .isEqualTo(expected.stream().map(PixelBox::toArray).toArray(int[][]::new));
    }
    assertThat(total).isPositive();
    // Re-boxing a kept result needs no graph run and gives the same boxes.
    Http.Response again = http.get("/api/results/" + result.get("id").asText()
        + "/0/boxes?thresholds=0.7,0.06");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get(0)).isEqualTo(got.get(2));
    assertThat(again.json().get(1)).isEqualTo(got.get(0));
  }

  @Test
  void modelsLayersClassesExamplesAndOpenApi() throws Exception {
    JsonNode models = http.get("/api/models").json();
    assertThat(models.get("default").asText()).isEqualTo("squeezenet1.1");
    assertThat(models.get("models").get(0).get("default_layer").asText()).isEqualTo("fire9");
    assertThat(Http.JSON.convertValue(models.get("methods"), List.class))
        .isEqualTo(CamMethods.names());
    JsonNode layers = http.get("/api/models/squeezenet1.1/layers").json();
    assertThat(layers.get("default").asText()).isEqualTo("fire9");
    List<String> names = new ArrayList<>();
    layers.get("layers").forEach(l -> names.add(l.get("name").asText()));
    assertThat(names).isEqualTo(model.targetLayers()).contains("fire9", "conv1");
    JsonNode fire9 = layers.get("layers").get(names.indexOf("fire9"));
    assertThat(fire9.get("output_shape").toString()).isEqualTo("[13,13,512]");

    JsonNode classes = http.get("/api/classes?q=retriever").json();
    List<String> found = new ArrayList<>();
    classes.forEach(c -> found.add(c.get("name").asText()));
    assertThat(found).contains("golden retriever", "Labrador retriever");
    assertThat(classes.get(0).get("index").asInt()).isBetween(151, 268);

    JsonNode examples = http.get("/api/examples").json().get("examples");
    assertThat(examples).hasSize(200);
    String first = examples.get(0).asText();
    assertThat(http.get("/api/examples/" + first).body()).isEqualTo(bytes(PETS.resolve(first)));
    JsonNode s1 = http.get("/api/examples?sample=6&seed=42").json();
    JsonNode s2 = http.get("/api/examples?sample=6&seed=42").json();
    JsonNode s3 = http.get("/api/examples?sample=6&seed=43").json();
    assertThat(s1.get("seed").asLong()).isEqualTo(42);
    assertThat(s1.get("examples")).hasSize(6).isEqualTo(s2.get("examples"))
        .isNotEqualTo(s3.get("examples"));
    // An example explained by name is that file explained as an upload.
    Http.Response byName = http.post("/api/explain", new Http.Form().field("example", first));
    Http.Response upload = http.post("/api/explain", new Http.Form().image(first,
        bytes(PETS.resolve(first))));
    assertThat(byName.status()).as(byName.text()).isEqualTo(200);
    assertThat(byName.json().get("maps").get(0).get("map"))
        .isEqualTo(upload.json().get("maps").get(0).get("map"));

    JsonNode api = http.get("/openapi.json").json();
    assertThat(api.get("openapi").asText()).startsWith("3.");
    List<String> paths = new ArrayList<>();
    api.get("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths).contains("/api/models", "/api/models/{model}/layers", "/api/explain",
        "/api/explain/batch", "/api/results/{id}/{map}/overlay.png",
        "/api/results/{id}/{map}/map.npy", "/api/results/{id}/{map}/boxes", "/api/classes",
        "/api/examples", "/api/examples/{name}", "/openapi.json", "/");
    // Each documented explain field is one the server accepts, and the reverse.
    List<String> fields = new ArrayList<>();
    api.at("/paths/~1api~1explain/post/requestBody/content/multipart~1form-data/schema/properties")
        .fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyInAnyOrderElementsOf(ExplainParams.FIELDS);
    Http.Response page = http.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.text()).contains("<script src=\"app.js\"");
    assertThat(http.get("/app.js").status()).isEqualTo(200);
  }

  @Test
  void batchExplainsEachImageAsAlone() throws Exception {
    Path a = VOC.resolve("000001.jpg");
    Path b = VOC.resolve("004545.jpg");
    Http.Response batch = http.post("/api/explain/batch", new Http.Form()
        .image("000001.jpg", bytes(a)).image("004545.jpg", bytes(b)).field("method", "layercam"));
    assertThat(batch.status()).as(batch.text()).isEqualTo(200);
    JsonNode results = batch.json().get("results");
    assertThat(results).hasSize(2);
    for (int i = 0; i < 2; i++) {
      Path p = i == 0 ? a : b;
      Http.Response alone = http.post("/api/explain", new Http.Form()
          .image(p.getFileName().toString(), bytes(p)).field("method", "layercam"));
      assertThat(cliFieldsOf(results.get(i).get("maps").get(0)))
          .isEqualTo(cliFieldsOf(alone.json().get("maps").get(0)));
      assertThat(results.get(i).get("maps").get(0).get("map"))
          .isEqualTo(alone.json().get("maps").get(0).get("map"));
    }
  }

  static void assertError(Http.Response r, int status, String... messageParts) throws Exception {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode j = r.json();
    assertThat(j.get("status").asInt()).isEqualTo(status);
    assertThat(j.get("error").asText()).contains(messageParts);
  }

  Http.Form dog() throws Exception {
    return new Http.Form().image("dog.jpg", bytes(VOC.resolve("001150.jpg")));
  }

  @Test
  void everyBadInputIsAClearJsonError() throws Exception {
    assertError(http.post("/api/explain", new Http.Form().image("notes.jpg",
        "just text".getBytes())), 415, "notes.jpg", "not a readable image");
    assertError(http.post("/api/explain", new Http.Form().image("empty.png", new byte[0])), 400,
        "empty.png", "empty");
    byte[] jpg = bytes(VOC.resolve("001150.jpg"));
    assertError(http.post("/api/explain", new Http.Form().image("cut.jpg",
        Arrays.copyOf(jpg, jpg.length / 2))), 415, "cut.jpg", "truncated or corrupt");
    assertError(http.post("/api/explain", dog().field("model", "resnet")), 400,
        "unknown model 'resnet'", "squeezenet1.1");
    assertError(http.post("/api/explain", dog().field("layer", "fire99")), 400,
        "unknown layer 'fire99'", "fire9");
    assertError(http.post("/api/explain", dog().field("method", "magic")), 400,
        "unknown CAM method 'magic'", "gradcam");
    assertError(http.post("/api/explain", dog().field("class", "1000")), 400,
        "class 1000 out of range", "0..999");
    assertError(http.post("/api/explain", dog().field("class", "-3")), 400, "out of range");
    assertError(http.post("/api/explain", dog().field("class", "retriever")), 400,
        "no class named 'retriever'", "golden retriever (207)");
    assertError(http.post("/api/explain", dog().field("class", "1").field("top_k", "2")), 400,
        "not both");
    assertError(http.post("/api/explain", dog().field("top_k", "0")), 400, "top_k");
    assertError(http.post("/api/explain", dog().field("top_k", "two")), 400,
        "top_k must be an integer");
    assertError(http.post("/api/explain", dog().field("alpha", "1.5")), 400, "alpha");
    assertError(http.post("/api/explain", dog().field("alpha", "NaN")), 400, "alpha");
    assertError(http.post("/api/explain", dog().field("colormap", "cividis")), 400,
        "cividis", "viridis");
    assertError(http.post("/api/explain", dog().field("resize", "cubic")), 400, "resize");
    assertError(http.post("/api/explain", dog().field("thresholds", "0.1,2")), 400,
        "threshold", "[0, 1]");
    assertError(http.post("/api/explain", dog().field("thresholds", "")), 400, "thresholds");
    assertError(http.post("/api/explain", dog().field("smooth", "0")), 400, "smooth");
    assertError(http.post("/api/explain", dog().field("inline", "yes")), 400, "inline");
    assertError(http.post("/api/explain", dog().field("colour", "jet")), 400,
        "unknown field 'colour'");
    assertError(http.post("/api/explain", dog().file("picture", "x.jpg", new byte[3])), 400,
        "unknown file part 'picture'");
    assertError(http.post("/api/explain", new Http.Form().field("model", "squeezenet1.1")), 400,
        "no image");
    assertError(http.post("/api/explain", dog().image("b.jpg", jpg)), 400,
        "/api/explain/batch");
    assertError(http.post("/api/explain", new Http.Form().field("example", "../../etc/passwd")),
        404, "no example image");
    assertError(http.post("/api/explain", "application/json", "{}".getBytes()), 415,
        "multipart/form-data");
    assertError(http.get("/api/models/resnet/layers"), 404, "unknown model 'resnet'");
    assertError(http.get("/api/nothing"), 404, "/api/nothing", "not found", "/openapi.json");
    assertError(http.get("/api/results/abc/0/overlay.png"), 404, "no result 'abc'");
    assertError(http.get("/api/examples/nope.jpg"), 404, "no example image");
    assertError(http.get("/api/examples?sample=0"), 400, "sample");
    assertError(http.get("/api/examples?sample=3&seed=x"), 400, "seed");

    Http.Response ok = http.post("/api/explain", dog());
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    String id = ok.json().get("id").asText();
    assertError(http.get("/api/results/" + id + "/1/map.npy"), 404, "maps 0..0");
    assertError(http.get("/api/results/" + id + "/x/map.npy"), 400, "map must be an integer");
    assertError(http.get("/api/results/" + id + "/0/overlay.png?alpha=-1"), 400, "alpha");
    assertError(http.get("/api/results/" + id + "/0/overlay.png?colormap=nope"), 400, "nope");
    assertError(http.get("/api/results/" + id + "/0/boxes?thresholds=x"), 400, "thresholds");
    // None of it took the server down.
    assertThat(http.post("/api/explain", dog()).status()).isEqualTo(200);
  }

  @Test
  void uploadAndPixelLimitsAre413() throws Exception {
    try (GradcamServer small = GradcamServer.start(Map.of("squeezenet1.1", model), null,
        ServeSettings.defaults(0, null).withLimits(120_000, 100_000))) {
      Http h = new Http(small.port());
      byte[] big = new byte[200_000];
      Arrays.fill(big, (byte) 7);
      assertError(h.post("/api/explain", new Http.Form().image("big.jpg", big)), 413,
          "larger than the server's limit of 120000 bytes");
      // Just over the limit, within the request's slack for headers: refused by the parser.
      assertError(h.post("/api/explain", new Http.Form().image("big.jpg",
          Arrays.copyOf(big, 130_000))), 413, "larger than the server's limit");
      // 001150.jpg is 500x375 = 187500 pixels, refused from its header.
      Path dog = VOC.resolve("001150.jpg");
      assertThat(Files.size(dog)).isLessThan(120_000);
      assertError(h.post("/api/explain", new Http.Form().image("dog.jpg", bytes(dog))), 413,
          "dog.jpg", "500x375", "above the limit");
      Path tiny = Path.of("src/test/resources/image/noise_10x7.png");
      Http.Response ok = h.post("/api/explain", new Http.Form().image("small.png", bytes(tiny)));
      assertThat(ok.status()).as(ok.text()).isEqualTo(200);
      assertThat(h.get("/api/models").status()).isEqualTo(200);
    }
  }

  @Test
  void aFullQueueAnswers503WithRetryAfterAndRecovers() throws Exception {
    try (GradcamServer busy = GradcamServer.start(Map.of("squeezenet1.1", model), null,
        ServeSettings.defaults(0, null).withQueue(1, 1))) {
      Http h = new Http(busy.port());
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      // Occupies the only worker so the queue state is known, not raced.
      busy.workers().submit(() -> {
        running.countDown();
        release.await();
        return null;
      });
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Http.Response> queued = CompletableFuture.supplyAsync(() -> {
        try {
          return h.post("/api/explain", dog());
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (busy.workers().getQueue().isEmpty() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      Http.Response refused = h.post("/api/explain", dog());
      assertError(refused, 503, "busy");
      assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
      release.countDown();
      assertThat(queued.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(h.post("/api/explain", dog()).status()).isEqualTo(200);
    }
  }

  @Test
  void stopsGracefullyAnsweringQueuedWorkAndRefusingNew() throws Exception {
    GradcamServer s = GradcamServer.start(Map.of("squeezenet1.1", model), null,
        ServeSettings.defaults(0, null).withQueue(1, 4));
    int port = s.port();
    Http h = new Http(port);
    CountDownLatch release = new CountDownLatch(1);
    s.workers().submit(() -> {
      release.await();
      return null;
    });
    CompletableFuture<Http.Response> queued = CompletableFuture.supplyAsync(() -> {
      try {
        return h.post("/api/explain", dog());
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    while (s.workers().getQueue().isEmpty()) {
      Thread.sleep(10);
    }
    CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
    Thread.sleep(200);
    assertError(h.post("/api/explain", dog()), 503, "shutting down");
    assertThat(closing).isNotDone();
    release.countDown();
    Http.Response answered = queued.get(60, TimeUnit.SECONDS);
    assertThat(answered.status()).as(answered.text()).isEqualTo(200);
    assertThat(answered.json().get("maps")).hasSize(1);
    closing.get(60, TimeUnit.SECONDS);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      throw new AssertionError("still accepting connections after close");
    } catch (ConnectException expected) {
      // Jetty is stopped.
    }
  }

  @Test
  void bindsToLoopbackByDefault() throws Exception {
    assertThat(ServeSettings.defaults(0, null).host()).isEqualTo("127.0.0.1");
    InetAddress outside = null;
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(n.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && n.isUp()) {
          outside = a;
        }
      }
    }
    if (outside != null) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(outside, server.port()), 2000);
        throw new AssertionError("reachable on " + outside + " though bound to loopback");
      } catch (ConnectException expected) {
        // Only 127.0.0.1 listens.
      }
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
    }
  }

  @Test
  void serveCommandLineErrorsAreOneLine() {
    assertThat(run("serve", "--port", "0", "--workers", "0")).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("error: --workers must be >= 1, got 0");
    assertThat(run("serve", "--port", "0", "--model", "resnet")).isEqualTo(2);
    assertThat(err.toString().strip()).startsWith("error: unknown model 'resnet'");
    assertThat(run("serve", "--port", "" + server.port())).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("error: cannot serve on 127.0.0.1:" + server.port())
        .doesNotContain("\n").doesNotContain("at org.");
    assertThat(run("serve", "--examples", "/nonexistent/dir")).isEqualTo(2);
    assertThat(err.toString().strip()).startsWith("error: --examples /nonexistent/dir is not a");
  }
}
