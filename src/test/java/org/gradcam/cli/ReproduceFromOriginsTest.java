package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.data.Assets;
import org.gradcam.data.Assets.AssetFile;
import org.gradcam.data.Digest;
import org.gradcam.data.TestTars;
import org.gradcam.eval.PublishedReproduction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gradcam reproduce} in a clone with no data mirror: every input comes from its origin,
 * here a loopback HTTP server standing in for raw.githubusercontent.com and the VOC site, serving
 * the mirror's bytes at the origins' paths. The 430 MB VOC test tar is replaced by a small tar
 * of XML annotations written from the mirror's objects CSV (its own digest in place of the real
 * md5); the CSV derived from it must then be the mirror's CSV byte for byte, or its digest check
 * fails.
 */
class ReproduceFromOriginsTest extends CliTest {
  static final Path MIRROR = TestData.MIRROR;
  static final List<String> FETCHED = List.of("published-results", "voc2007-test-tar",
      "voc2007-test-images", "oxford-pets-dogs", "squeezenet1.1");

  HttpServer server;
  String base;
  /** Request path -> bytes served; what was asked, in order. */
  final Map<String, byte[]> served = new ConcurrentHashMap<>();
  final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
  Path dir;
  AssetFile tarRow;

  @BeforeEach
  void serveTheOrigins() throws Exception {
    // Inside the project so the result files name the cache relative to it, as in a clone.
    Files.createDirectories(Path.of("target"));
    dir = Files.createTempDirectory(Path.of("target"), "reproduce-from-origins-");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    Assets real = new Assets(dir.resolve("unused"), null);
    for (String name : FETCHED) {
      for (AssetFile f : real.files(name)) {
        if (!name.equals("voc2007-test-tar")) {
          served.put(path(f.url()), Files.readAllBytes(MIRROR.resolve(f.path())));
        }
      }
    }
    AssetFile tar = real.files("voc2007-test-tar").get(0);
    Path small = TestTars.write(dir.resolve("voctest.tar"), annotationsFromMirrorCsv());
    served.put(path(tar.url()), Files.readAllBytes(small));
    tarRow = new AssetFile(tar.asset(), tar.path(), tar.url(), "sha256",
        Digest.of(small, "sha256"));
  }

  @AfterEach
  void stop() throws IOException {
    server.stop(0);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String p = ex.getRequestURI().getPath();
    asked.add(p);
    byte[] body = served.get(p);
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(200, body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static String path(URI origin) {
    return "/" + origin.getHost() + origin.getPath();
  }

  private UnaryOperator<URI> origins() {
    return u -> URI.create(base + path(u));
  }

  /** One VOC XML per image of the mirror's CSV (a stand-in for the tar's 4952 annotations). */
  private static Map<String, byte[]> annotationsFromMirrorCsv() throws IOException {
    Map<String, StringBuilder> xml = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(MIRROR.resolve("voc2007-test/voc2007_test_objects.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      StringBuilder x = xml.computeIfAbsent(c[0], id -> new StringBuilder("<annotation>\n")
          .append("\t<folder>VOC2007</folder>\n\t<filename>").append(id).append(".jpg</filename>\n")
          .append("\t<size>\n\t\t<width>").append(c[1]).append("</width>\n\t\t<height>")
          .append(c[2]).append("</height>\n\t\t<depth>").append(c[3]).append("</depth>\n")
          .append("\t</size>\n"));
      x.append("\t<object>\n\t\t<name>").append(c[5]).append("</name>\n\t\t<pose>").append(c[6])
          .append("</pose>\n\t\t<truncated>").append(c[7]).append("</truncated>\n\t\t<difficult>")
          .append(c[8]).append("</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>").append(c[9])
          .append("</xmin>\n\t\t\t<ymin>").append(c[10]).append("</ymin>\n\t\t\t<xmax>")
          .append(c[11]).append("</xmax>\n\t\t\t<ymax>").append(c[12])
          .append("</ymax>\n\t\t</bndbox>\n\t</object>\n");
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    xml.forEach((id, x) -> entries.put("VOCdevkit/VOC2007/Annotations/" + id + ".xml",
        x.append("</annotation>\n").toString().getBytes(StandardCharsets.UTF_8)));
    return entries;
  }

  private int reproduce(Path cache, Path results) {
    return runWith(new ReproduceCommand(m -> new Assets(cache, m, origins()).withFile(tarRow)),
        "reproduce", "--no-mirror", "--results", results.toString(), "--max-images", "2");
  }

  @Test
  void everyInputIsFetchedVerifiedAndDerivedWithoutAMirror() throws Exception {
    Path cache = dir.resolve("data/cache");
    Path results = dir.resolve("results");
    assertThat(reproduce(cache, results)).as(err.toString()).isZero();
    assertThat(err.toString()).contains("reproduce: inputs: from the asset cache, no data mirror");

    // Every file of every input asset was asked for once, and nothing else.
    Assets assets = new Assets(cache, null).withFile(tarRow);
    Set<String> expected = new TreeSet<>();
    for (String name : FETCHED) {
      assets.files(name).forEach(f -> expected.add(path(f.url())));
    }
    assertThat(expected).hasSize(4 + 1 + 4 + 400 + 52);
    assertThat(new TreeSet<>(asked)).isEqualTo(expected);
    assertThat(asked).hasSameSizeAs(expected);
    for (String name : List.of("published-results", "voc2007-test-images", "oxford-pets-dogs",
        "oxford-pets-dogs-boxes", "voc2007-test-objects", "squeezenet1.1")) {
      assertThat(assets.isLocal(name)).as(name).isTrue(); // in the cache, digests checked
    }
    // The derived inputs equal the mirror's files (their digests are the mirror's).
    assertThat(Files.readAllBytes(cache.resolve("voc2007-test/voc2007_test_objects.csv")))
        .isEqualTo(Files.readAllBytes(MIRROR.resolve("voc2007-test/voc2007_test_objects.csv")));
    assertThat(cache.resolve("oxford-iiit-pet-dogs/derived/Annotations/american_bulldog_10.xml"))
        .hasSameBinaryContentAs(
            MIRROR.resolve("oxford-iiit-pet-dogs/derived/Annotations/american_bulldog_10.xml"));

    // The same published reproduction as from the mirror, and runs on the fetched data.
    assertThat(Files.readString(results.resolve("published-reproduction.md")))
        .isEqualTo(new PublishedReproduction(MIRROR).report());
    String voc = Files.readString(results.resolve(ReproduceCommand.VOC_DIR + "/summary.md"));
    assertThat(voc).startsWith("# Grad-CAM dog localisation: VOC2007 test, only 4 of its 433 "
        + "dog images (000001, 001150, 001763, 004545)");
    String pets = Files.readString(results.resolve(ReproduceCommand.STANDIN_DIR + "/summary.md"));
    assertThat(pets).contains("first 2 of 200 images");
    // Data paths relative to the project, never absolute, and no mirror named.
    for (String s : List.of(voc, pets, Files.readString(results.resolve("README.md")))) {
      assertThat(s).doesNotContain(Path.of("").toAbsolutePath().toString())
          .doesNotContain(MIRROR.toString()).doesNotContain(Assets.display(MIRROR));
    }
    assertThat(pets).contains("`" + Path.of("").toAbsolutePath().relativize(
        cache.toAbsolutePath()).resolve("oxford-iiit-pet-dogs/derived/Annotations") + "`");

    // Next time no input needs a download: the origins may be gone.
    asked.clear();
    Assets offline = new Assets(cache, null, u -> URI.create("http://127.0.0.1:1/gone"))
        .withFile(tarRow);
    ReproduceCommand.Inputs inputs = ReproduceCommand.Inputs.resolve(offline, "squeezenet1.1");
    assertThat(inputs.petBoxes()).isEqualTo(cache.resolve("oxford-iiit-pet-dogs/derived/Annotations"));
    assertThat(asked).isEmpty();
  }

  @Test
  void aTamperedFileServedIsRefusedBeforeAnyResultIsTouched() throws Exception {
    String jpeg = "/raw.githubusercontent.com/rbgirshick/py-faster-rcnn/"
        + "781a917b378dbfdedb45b6a56189a31982da1b43/data/demo/001150.jpg";
    byte[] bytes = served.get(jpeg).clone();
    bytes[bytes.length / 2] ^= 1;
    served.put(jpeg, bytes);
    Path results = Files.createDirectories(dir.resolve("results"));
    Files.writeString(results.resolve("published-reproduction.md"), "previous");
    Path cache = dir.resolve("data/cache");

    assertThat(reproduce(cache, results)).isEqualTo(2);

    String expectedDigest = new Assets(cache, null).files("voc2007-test-images").stream()
        .filter(f -> f.path().endsWith("001150.jpg")).findFirst().orElseThrow().digest();
    List<String> lines = err.toString().strip().lines().toList();
    assertThat(lines.get(lines.size() - 1)).startsWith("error: refused " + base + jpeg
        + ": it has sha256 ").contains("but asset 'voc2007-test-images' expects " + expectedDigest);
    assertThat(lines.stream().filter(l -> l.startsWith("error:"))).hasSize(1);
    assertThat(err.toString()).doesNotContain("\tat ");
    assertThat(results.resolve("published-reproduction.md")).hasContent("previous");
    assertThat(cache.resolve("voc2007-test/JPEGImages/001150.jpg")).doesNotExist();
    try (Stream<Path> s = Files.walk(cache)) {
      assertThat(s.filter(p -> p.toString().endsWith(".part"))).isEmpty();
    }
  }
}
