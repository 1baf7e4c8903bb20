package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gradcam.TestData;
import org.gradcam.cli.CliTest;
import org.gradcam.data.Assets;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery's data sets: ImageFolder indexing by content, seeded samples, images served and
 * explained by id only (no request path reaches the file system), and the 4xx errors.
 */
class DatasetGalleryTest extends CliTest {
  static final Path PETS = TestData.path("oxford-iiit-pet-dogs/images");
  static final Path PETS3 = TestData.path("oxford-iiit-pet-3class/test");

  @TempDir static Path tmp;
  static Path small;
  static Path outside;
  static Path examples;
  static Model model;
  static GradcamServer server;
  static Http http;

  /**
   * A small data set: two classes of stand-in photos, one a PNG named .jpg, one in a sub-folder,
   * plus what must not be listed: a README, a hidden file, an empty class, a symlink out.
   */
  static Path smallDataset() throws Exception {
    Path root = tmp.resolve("small");
    Path dogs = Files.createDirectories(root.resolve("dogs"));
    Path cats = Files.createDirectories(root.resolve("cats/nested"));
    Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(root.resolve(".hidden"));
    Files.copy(PETS.resolve("american_bulldog_10.jpg"), dogs.resolve("a.jpg"));
    Files.copy(PETS.resolve("american_bulldog_100.jpg"), dogs.resolve("b.jpg"));
    Files.copy(PETS.resolve("american_bulldog_101.jpg"), dogs.resolve("noextension"));
    BufferedImage png = ImageIO.read(PETS.resolve("american_bulldog_102.jpg").toFile());
    ImageIO.write(png, "png", cats.getParent().resolve("png-named.jpg").toFile());
    Files.copy(PETS.resolve("american_bulldog_103.jpg"), cats.resolve("deep.jpg"));
    Files.writeString(dogs.resolve("README.txt"), "not an image\n");
    Files.copy(PETS.resolve("american_bulldog_104.jpg"), dogs.resolve(".secret.jpg"));
    Files.copy(PETS.resolve("american_bulldog_105.jpg"), root.resolve(".hidden/x.jpg"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.copy(PETS.resolve("american_bulldog_106.jpg"), outside.resolve("private.jpg"));
    Files.createSymbolicLink(dogs.resolve("link.jpg"), outside.resolve("private.jpg"));
    return root;
  }

  @BeforeAll
  static void start() throws Exception {
    small = smallDataset();
    // Examples named by extension against their content: the served type follows the content.
    examples = Files.createDirectories(tmp.resolve("examples"));
    Files.copy(small.resolve("cats/png-named.jpg"), examples.resolve("png-named.jpg"));
    Files.copy(small.resolve("dogs/a.jpg"), examples.resolve("jpeg-named.png"));
    model = Models.load("squeezenet1.1", Assets.defaults());
    server = GradcamServer.start(Map.of("squeezenet1.1", model), "squeezenet1.1",
        ServeSettings.defaults(0, examples), List.of(ImageFolder.index("small", small),
            ImageFolder.parse(PETS3.toString())));
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

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void assertError(Http.Response r, int status, String fragment) throws Exception {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode o = r.json();
    assertThat(o.get("status").asInt()).isEqualTo(status);
    assertThat(o.get("error").asText()).contains(fragment);
  }

  static List<String> ids(JsonNode sample) {
    List<String> out = new ArrayList<>();
    sample.get("images").forEach(i -> out.add(i.get("id").asText()));
    return out;
  }

  @Test
  void indexesClassFoldersByContentAndNothingElse() throws Exception {
    ImageFolder d = ImageFolder.index("small", small);
    assertThat(d.classes().keySet()).containsExactly("cats", "dogs");
    assertThat(d.classes().get("dogs")).extracting(ImageFolder.Image::id)
        .containsExactly("dogs/a.jpg", "dogs/b.jpg", "dogs/noextension");
    assertThat(d.classes().get("cats")).extracting(ImageFolder.Image::id)
        .containsExactly("cats/nested/deep.jpg", "cats/png-named.jpg");
    assertThat(d.image("cats/png-named.jpg").mimeType()).isEqualTo("image/png");
    assertThat(d.image("dogs/noextension").mimeType()).isEqualTo("image/jpeg");

    JsonNode all = http.get("/api/datasets").json().get("datasets");
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("name").asText()).isEqualTo("small");
    assertThat(all.get(0).get("classes").asInt()).isEqualTo(2);
    assertThat(all.get(0).get("images").asInt()).isEqualTo(5);
    // A split folder is named with its parent: "test" alone says nothing.
    assertThat(all.get(1).get("name").asText()).isEqualTo("oxford-iiit-pet-3class-test");

    JsonNode classes = http.get("/api/datasets/oxford-iiit-pet-3class-test/classes").json();
    List<String> names = new ArrayList<>();
    int total = 0;
    for (JsonNode c : classes.get("classes")) {
      names.add(c.get("name").asText());
      int n = c.get("images").asInt();
      total += n;
      try (Stream<Path> s = Files.list(PETS3.resolve(c.get("name").asText()))) {
        assertThat(n).as(c.toString()).isEqualTo((int) s.count());
      }
    }
    assertThat(names).containsExactly("Abyssinian", "Bengal", "american_bulldog");
    assertThat(total).isEqualTo(298);
  }

  @Test
  void theSameSeedGivesTheSameSample() throws Exception {
    String base = "/api/datasets/oxford-iiit-pet-3class-test/sample?class=Bengal";
    JsonNode s1 = http.get(base + "&n=6&seed=42").json();
    JsonNode s2 = http.get(base + "&seed=42&n=6").json();
    JsonNode s3 = http.get(base + "&n=6&seed=43").json();
    assertThat(s1.get("seed").asLong()).isEqualTo(42);
    assertThat(s1.get("class").asText()).isEqualTo("Bengal");
    assertThat(ids(s1)).hasSize(6).doesNotHaveDuplicates().isEqualTo(ids(s2))
        .isNotEqualTo(ids(s3));
    // The documented draw, redone here from the folder itself: sorted ids, Java's seeded shuffle.
    List<String> folder = new ArrayList<>();
    try (Stream<Path> s = Files.list(PETS3.resolve("Bengal"))) {
      s.forEach(p -> folder.add("Bengal/" + p.getFileName()));
    }
    Collections.sort(folder);
    Collections.shuffle(folder, new Random(42));
    assertThat(ids(s1)).isEqualTo(folder.subList(0, 6));

    // Default n is 6; without a seed the server picks one and says which.
    JsonNode drawn = http.get(base).json();
    assertThat(drawn.get("images")).hasSize(6);
    JsonNode again = http.get(base + "&seed=" + drawn.get("seed").asLong()).json();
    assertThat(ids(again)).isEqualTo(ids(drawn));
    // More than the class holds: all of it, once each.
    JsonNode cats = http.get("/api/datasets/small/sample?class=cats&n=10&seed=1").json();
    assertThat(new HashSet<>(ids(cats))).containsExactlyInAnyOrder("cats/nested/deep.jpg",
        "cats/png-named.jpg");
  }

  @Test
  void imagesAreServedAndExplainedByIdWithTheTypeTheirContentSays() throws Exception {
    JsonNode sample = http.get("/api/datasets/small/sample?class=cats&n=2&seed=7").json();
    for (JsonNode i : sample.get("images")) {
      Http.Response r = http.get(i.get("url").asText());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(Files.readAllBytes(small.resolve(i.get("id").asText())));
      assertThat(r.header("Content-Type")).isEqualTo(
          i.get("id").asText().endsWith("png-named.jpg") ? "image/png" : "image/jpeg");
    }
    // A data-set image explained by id is that file explained as an upload, PNG named .jpg too.
    for (String id : List.of("cats/png-named.jpg", "dogs/noextension")) {
      Http.Response byId = http.post("/api/explain", new Http.Form().field("dataset", "small")
          .field("dataset_image", id).field("method", "gradcam++"));
      assertThat(byId.status()).as(byId.text()).isEqualTo(200);
      String file = Path.of(id).getFileName().toString();
      Http.Response upload = http.post("/api/explain", new Http.Form()
          .image(file, Files.readAllBytes(small.resolve(id))).field("method", "gradcam++"));
      assertThat(upload.status()).as(upload.text()).isEqualTo(200);
      JsonNode a = byId.json().get("maps").get(0);
      JsonNode b = upload.json().get("maps").get(0);
      assertThat(a.get("map")).isEqualTo(b.get("map"));
      assertThat(a.get("top5")).isEqualTo(b.get("top5"));
      assertThat(a.get("image")).isEqualTo(b.get("image"));
    }
  }

  @Test
  void examplesAreServedWithTheTypeTheirContentSays() throws Exception {
    Http.Response png = http.get("/api/examples/png-named.jpg");
    assertThat(png.status()).isEqualTo(200);
    assertThat(png.header("Content-Type")).isEqualTo("image/png");
    assertThat(png.body()).isEqualTo(Files.readAllBytes(examples.resolve("png-named.jpg")));
    assertThat(http.get("/api/examples/jpeg-named.png").header("Content-Type"))
        .isEqualTo("image/jpeg");
  }

  @Test
  void noPathOfARequestEscapesTheDataSet() throws Exception {
    assertThat(Files.readAllBytes(small.resolve("dogs/link.jpg"))).isNotEmpty();
    for (String id : List.of("../outside/private.jpg", "dogs/../../outside/private.jpg",
        "dogs/link.jpg", "/etc/passwd", "dogs/../dogs/a.jpg", "dogs/.secret.jpg",
        ".hidden/x.jpg", "dogs/README.txt", "..", "")) {
      assertError(http.get("/api/datasets/small/image?id=" + q(id)), 404, "has no image");
      assertError(http.post("/api/explain", new Http.Form().field("dataset", "small")
          .field("dataset_image", id)), 404, "has no image");
    }
    for (String cls : List.of("..", "../small", "dogs/..", ".hidden", "empty")) {
      assertError(http.get("/api/datasets/small/sample?class=" + q(cls)), 404, "has no class");
    }
    assertError(http.get("/api/datasets/" + q("../small") + "/classes"), 404, "");
    assertError(http.get("/api/datasets/..%2F..%2Fetc/classes"), 404, "");
    assertError(http.get("/api/datasets/small/image"), 404, "has no image");
  }

  @Test
  void badRequestsAreClearJsonErrors() throws Exception {
    assertError(http.get("/api/datasets/nope/classes"), 404, "no data set 'nope'; data sets: "
        + "small, oxford-iiit-pet-3class-test");
    assertError(http.get("/api/datasets/nope/sample?class=x"), 404, "no data set 'nope'");
    assertError(http.get("/api/datasets/small/sample"), 400, "class is required; classes of "
        + "'small': cats, dogs");
    assertError(http.get("/api/datasets/small/sample?class=dogs&n=0"), 400,
        "n must be between 1 and 48, got 0");
    assertError(http.get("/api/datasets/small/sample?class=dogs&n=49"), 400, "n must be");
    assertError(http.get("/api/datasets/small/sample?class=dogs&n=two"), 400,
        "n must be an integer, got 'two'");
    assertError(http.get("/api/datasets/small/sample?class=dogs&seed=x"), 400,
        "seed must be an integer");
    assertError(http.get("/api/datasets/small/sample?class=dogs&count=3"), 400,
        "unknown parameter 'count'");
    assertError(http.post("/api/explain", new Http.Form().field("dataset", "small")), 400,
        "give both 'dataset' and 'dataset_image'");
    assertError(http.post("/api/explain", new Http.Form().field("dataset_image", "dogs/a.jpg")),
        400, "give both");
    assertError(http.post("/api/explain", new Http.Form().field("dataset", "nope")
        .field("dataset_image", "dogs/a.jpg")), 404, "no data set 'nope'");
    assertError(http.post("/api/explain", new Http.Form().field("dataset", "small")
        .field("dataset_image", "dogs/a.jpg").image("x.jpg",
            Files.readAllBytes(PETS.resolve("american_bulldog_10.jpg")))), 400,
        "one image per request");
  }

  @Test
  void theApiDocumentsTheDataSetEndpoints() throws Exception {
    JsonNode api = http.get("/openapi.json").json();
    List<String> paths = new ArrayList<>();
    api.get("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths).contains("/api/datasets", "/api/datasets/{name}/classes",
        "/api/datasets/{name}/sample", "/api/datasets/{name}/image");
  }

  @Test
  void serveRefusesADatasetItCannotUseInOneLine() throws Exception {
    assertThat(run("serve", "--port", "0", "--dataset", "/nonexistent/dir")).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("error: --dataset /nonexistent/dir is not a directory");
    assertThat(run("serve", "--port", "0", "--dataset", PETS.toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("error: --dataset " + PETS + ": no class folder with images")
        .doesNotContain("\n");
    assertThat(run("serve", "--port", "0", "--dataset", "a=" + small, "--dataset", "a=" + PETS3))
        .isEqualTo(2);
    assertThat(err.toString().strip()).startsWith("error: two --dataset folders are named 'a'");
    assertThat(run("serve", "--port", "0", "--dataset", "bad name=" + small)).isEqualTo(2);
    assertThat(err.toString().strip()).startsWith("error: --dataset bad name=");
  }

  @Test
  void namesComeFromTheFolderOrAreGiven() throws Exception {
    assertThat(ImageFolder.defaultName(Path.of("/data/pets/test"))).isEqualTo("pets-test");
    assertThat(ImageFolder.defaultName(Path.of("/data/my pets"))).isEqualTo("my_pets");
    assertThat(ImageFolder.parse("mine=" + small).name()).isEqualTo("mine");
    assertThat(ImageFolder.parse(small.toString()).name()).isEqualTo("small");
  }
}
