package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.gradcam.TestData;
import org.gradcam.data.Assets.AssetFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetsTest {
  static final Path MIRROR = TestData.MIRROR;
  @TempDir Path tmp;

  @Test
  void resultsNameDataRelativeToTheProjectOrTheMirrorVariableNeverByAbsolutePath() {
    Path home = Path.of("/work/clone");
    assertThat(Assets.display(Path.of("/work/shared/data/voc2007-test/JPEGImages"), home, null))
        .isEqualTo("../shared/data/voc2007-test/JPEGImages");
    assertThat(Assets.display(Path.of("/work/clone/data/cache/x/Annotations"), home, null))
        .isEqualTo("data/cache/x/Annotations");
    assertThat(Assets.display(Path.of("/srv/mirror/voc2007-test/JPEGImages"), home,
        "/srv/mirror")).isEqualTo("$GRADCAM_MIRROR/voc2007-test/JPEGImages");
    assertThat(Assets.display(Path.of("/srv/mirror"), home, "/srv/mirror/"))
        .isEqualTo("$GRADCAM_MIRROR");
    // A folder the user named elsewhere stays as they gave it.
    assertThat(Assets.display(Path.of("/data/my-voc/JPEGImages"), home, "/srv/mirror"))
        .isEqualTo("/data/my-voc/JPEGImages");
  }

  @Test
  void resolvesFromTheMirrorAndVerifiesDigests() throws Exception {
    Assets assets = new Assets(tmp.resolve("cache"), MIRROR);
    Path dir = assets.directory("squeezenet1.1");
    assertThat(dir).isEqualTo(MIRROR.resolve("models/squeezenet1.1/weights"));
    assertThat(assets.files("squeezenet1.1")).hasSize(52);
    assertThat(assets.isLocal("published-results")).isTrue();
    assertThat(assets.isLocal("vgg16")).isFalse();
  }

  @Test
  void gitBlobDigestMatchesGit() throws Exception {
    Path f = tmp.resolve("hello.txt");
    Files.writeString(f, "hello\n", StandardCharsets.US_ASCII);
    // `echo hello | git hash-object --stdin`
    assertThat(Digest.of(f, "gitblob")).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
    assertThat(Digest.of(f, "md5")).isEqualTo("b1946ac92492d2347c6235b4d2611184");
  }

  @Test
  void aCorruptMirrorFileIsAClearErrorNotUsed() throws Exception {
    Path mirror = tmp.resolve("mirror");
    for (var f : new Assets(tmp, MIRROR).files("published-results")) {
      Path target = mirror.resolve(f.path());
      Files.createDirectories(target.getParent());
      Files.copy(MIRROR.resolve(f.path()), target);
    }
    Path pickle = mirror.resolve("published/rayanramoul-GradCAM/results/all_gt_dogs.pickle");
    byte[] bytes = Files.readAllBytes(pickle);
    bytes[100] ^= 1;
    Files.write(pickle, bytes);
    Assets assets = new Assets(tmp.resolve("cache"), mirror);
    assertThatThrownBy(() -> assets.directory("published-results"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("all_gt_dogs.pickle has gitblob")
        .hasMessageContaining("expects 44d6d33bfbe3ef7339909b0e199fb79449f19fa1");
  }

  /** Downloads from a server on loopback: a wrong body or a refused connection leaves nothing. */
  @Test
  void downloadsAreVerifiedAndNeverLeaveAHalfWrittenFile() throws Exception {
    byte[] good = "weights".getBytes(StandardCharsets.US_ASCII);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/good", ex -> send(ex, good));
    server.createContext("/bad", ex -> send(ex, "tampered".getBytes(StandardCharsets.US_ASCII)));
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String md5 = "b1d5b3e1cbd4b1d4d8b1f1bd5a8ffc7e";
      Path probe = tmp.resolve("probe");
      Files.write(probe, good);
      String digest = Digest.of(probe, "md5");
      Path cache = tmp.resolve("cache");
      Assets assets = new Assets(cache, null, Map.of(
          "good", List.of(new AssetFile("good", "m/good.bin", URI.create(base + "/good"), "md5", digest)),
          "bad", List.of(new AssetFile("bad", "m/bad.bin", URI.create(base + "/bad"), "md5", digest)),
          "down", List.of(new AssetFile("down", "m/down.bin", URI.create("http://127.0.0.1:1/x"), "md5", md5))));
      assertThat(Files.readAllBytes(assets.file("good"))).isEqualTo(good);
      assertThat(assets.file("good")).isEqualTo(cache.resolve("m/good.bin"));
      assertThatThrownBy(() -> assets.file("bad")).isInstanceOf(IOException.class)
          .hasMessageContaining("expects " + digest);
      assertThatThrownBy(() -> assets.file("down")).isInstanceOf(IOException.class)
          .hasMessageContaining("cannot download asset 'down'");
      try (var files = Files.walk(cache)) {
        assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
            .containsExactly("good.bin");
      }
    } finally {
      server.stop(0);
    }
  }

  private static void send(HttpExchange ex, byte[] body) throws IOException {
    ex.sendResponseHeaders(200, body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** Trimaps at hand: the boxes are derived into the cache, not read from the mirror's copy. */
  @Test
  void derivedAssetsAreDerivedWhenTheirSourcesAreLocalAndVerified() throws Exception {
    Path cache = tmp.resolve("cache");
    Assets assets = new Assets(cache, MIRROR);
    assertThat(assets.isLocal("oxford-pets-dogs-boxes")).isTrue();
    Path boxes = assets.directory("oxford-pets-dogs-boxes");
    assertThat(boxes).isEqualTo(cache.resolve("oxford-iiit-pet-dogs/derived"));
    assertThat(assets.files("oxford-pets-dogs-boxes")).hasSize(201);
    assertThat(Files.readAllBytes(boxes.resolve("Annotations/american_bulldog_33.xml")))
        .isEqualTo(Files.readAllBytes(
            MIRROR.resolve("oxford-iiit-pet-dogs/derived/Annotations/american_bulldog_33.xml")));
    try (var files = Files.list(cache)) { // no staging folder left behind
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(
          "oxford-iiit-pet-dogs");
    }
    // Second time: the verified cache.
    assertThat(assets.directory("oxford-pets-dogs-boxes")).isEqualTo(boxes);
    // The VOC objects CSV needs the 430 MB tar, absent here: the mirror's verified copy serves.
    assertThat(assets.file("voc2007-test-objects"))
        .isEqualTo(MIRROR.resolve("voc2007-test/voc2007_test_objects.csv"));
  }

  @Test
  void aDerivationThatDiffersFromItsDigestIsRefusedAndLeavesNothing() throws Exception {
    Path cache = tmp.resolve("cache");
    Assets real = new Assets(cache, MIRROR);
    AssetFile csv = real.files("oxford-pets-dogs-boxes").stream()
        .filter(f -> f.path().endsWith(".csv")).findFirst().orElseThrow();
    String wrong = "0".repeat(64);
    Assets assets = real.withFile(new AssetFile(csv.asset(), csv.path(), csv.url(),
        csv.algorithm(), wrong));
    assertThatThrownBy(() -> assets.directory("oxford-pets-dogs-boxes"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("derived oxford-iiit-pet-dogs/derived/whole_dog_boxes.csv has sha256 "
            + csv.digest())
        .hasMessageContaining("expects " + wrong);
    try (var files = Files.walk(cache)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
    assertThatThrownBy(() -> real.withFile(new AssetFile(csv.asset(), "elsewhere.csv", csv.url(),
        csv.algorithm(), wrong))).hasMessageContaining("has no file elsewhere.csv");
  }

  /** Every file of the main job's assets is one the mirror holds, with the digest it has. */
  @Test
  void theMainJobsDataAssetsMatchTheMirrorsBytes() throws Exception {
    Assets assets = new Assets(tmp.resolve("cache"), MIRROR);
    for (String name : List.of("voc2007-test-images", "voc2007-test-000001-xml",
        "oxford-pets-dogs", "oxford-pets-dogs-boxes", "voc2007-test-objects")) {
      for (AssetFile f : assets.files(name)) {
        assertThat(Digest.of(MIRROR.resolve(f.path()), f.algorithm())).as(f.path())
            .isEqualTo(f.digest());
      }
    }
    assertThat(assets.files("voc2007-test-images")).hasSize(4);
    assertThat(assets.files("oxford-pets-dogs")).hasSize(400);
    // Origins are the commits the mirror's PROVENANCE.md files name.
    assertThat(assets.files("oxford-pets-dogs")).allSatisfy(f -> assertThat(f.url().toString())
        .startsWith("https://raw.githubusercontent.com/Naveen-Dodda/Sample_Pets_dataset/"
            + "9281626a62066c09f278b9b41ac4bad3683d7541/"));
  }

  /** A server standing in for the origins: each URL's path under the loopback address. */
  @Test
  void originsCanBeRewrittenForAStandInServer() throws Exception {
    byte[] good = Files.readAllBytes(MIRROR.resolve("voc2007-test/JPEGImages/000001.jpg"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> asked = new java.util.ArrayList<>();
    server.createContext("/", ex -> {
      asked.add(ex.getRequestURI().getPath());
      send(ex, good);
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Assets assets = new Assets(tmp.resolve("cache"), null,
          u -> URI.create(base + "/" + u.getHost() + u.getPath()));
      AssetFile f = assets.files("voc2007-test-000001-xml").get(0);
      assertThatThrownBy(() -> assets.file("voc2007-test-000001-xml"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("refused " + base + "/raw.githubusercontent.com/CQRhinoZ/DAMSE/")
          .hasMessageContaining("expects " + f.digest());
      assertThat(asked).containsExactly("/raw.githubusercontent.com/CQRhinoZ/DAMSE/"
          + "55a0699041e075e717911da141191af7ab011e38/tests/data/VOCdevkit/VOC2007/Annotations/"
          + "000001.xml");
      try (var files = Files.walk(tmp.resolve("cache"))) {
        assertThat(files.filter(Files::isRegularFile)).isEmpty();
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void unknownAssetListsKnownOnes() {
    Assets assets = new Assets(tmp, null);
    assertThatThrownBy(() -> assets.files("resnet")).hasMessageContaining("unknown asset 'resnet'")
        .hasMessageContaining("squeezenet1.1");
  }
}
