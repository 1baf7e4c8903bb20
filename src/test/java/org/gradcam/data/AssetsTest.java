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
import org.gradcam.data.Assets.AssetFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetsTest {
  static final Path MIRROR = Path.of("../shared/data");
  @TempDir Path tmp;

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

  @Test
  void unknownAssetListsKnownOnes() {
    Assets assets = new Assets(tmp, null);
    assertThatThrownBy(() -> assets.files("resnet")).hasMessageContaining("unknown asset 'resnet'")
        .hasMessageContaining("squeezenet1.1");
  }
}
