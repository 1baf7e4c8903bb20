package org.gradcam.serve;

import static org.gradcam.serve.Responses.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The API's gallery area: the example images and the labelled data sets the page offers. Only
 * names of the listings reach the file system, never a path of the request.
 */
final class GalleryRoutes {
  private static final int MAX_SAMPLE = 48;

  private final Path examples;
  private final Map<String, ImageFolder> datasets;

  /** {@code examples} may be null or missing: no examples. */
  GalleryRoutes(Path examples, List<ImageFolder> datasets) {
    this.examples = examples;
    Map<String, ImageFolder> sets = new LinkedHashMap<>();
    for (ImageFolder d : datasets) {
      if (sets.put(d.name(), d) != null) {
        throw new IllegalArgumentException("two --dataset folders are named '" + d.name()
            + "'; name them apart with NAME=DIR");
      }
    }
    this.datasets = Collections.unmodifiableMap(sets);
  }

  private List<String> exampleNames() throws IOException {
    if (examples == null || !Files.isDirectory(examples)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(examples)) {
      return s.map(p -> p.getFileName().toString())
          .filter(f -> f.toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)")).sorted().toList();
    }
  }

  void listExamples(Context ctx) throws IOException {
    List<String> names = new ArrayList<>(exampleNames());
    ObjectNode o = JSON.createObjectNode();
    String sample = ctx.queryParam("sample");
    if (sample != null) {
      int n = ExplainParams.integer("sample", sample);
      if (n < 1 || n > MAX_SAMPLE) {
        throw ApiError.badRequest("sample must be between 1 and " + MAX_SAMPLE + ", got " + n);
      }
      long seed = Responses.seed(ctx);
      // A seeded shuffle: the same seed shows the same images again, as the page says.
      Collections.shuffle(names, new Random(seed));
      names = names.subList(0, Math.min(n, names.size()));
      o.put("seed", seed);
    }
    names.forEach(o.putArray("examples")::add);
    Responses.json(ctx, o);
  }

  /** The file of an example listed under this name; any other name is a 404. */
  Path examplePath(String name) throws IOException {
    if (!exampleNames().contains(name)) {
      throw ApiError.notFound("no example image '" + name + "'");
    }
    return examples.resolve(name);
  }

  void example(Context ctx) throws IOException {
    Path p = examplePath(ctx.pathParam("name"));
    // The type its content says, as the decoder reads it: a PNG named .jpg is image/png.
    String type = ImageFolder.mimeType(p);
    ctx.contentType(type != null ? type : "application/octet-stream")
        .result(Files.readAllBytes(p));
  }

  /** The data set of this name; any other name is a 404 that lists them. */
  ImageFolder dataset(String name) {
    ImageFolder d = datasets.get(name);
    if (d == null) {
      throw ApiError.notFound("no data set '" + name + "'; data sets: "
          + (datasets.isEmpty() ? "none (serve --dataset DIR adds one)"
              : String.join(", ", datasets.keySet())));
    }
    return d;
  }

  void listDatasets(Context ctx) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode list = o.putArray("datasets");
    for (ImageFolder d : datasets.values()) {
      list.addObject().put("name", d.name()).put("classes", d.classes().size())
          .put("images", d.size());
    }
    Responses.json(ctx, o);
  }

  void listDatasetClasses(Context ctx) throws IOException {
    ImageFolder d = dataset(ctx.pathParam("name"));
    ObjectNode o = JSON.createObjectNode().put("dataset", d.name());
    ArrayNode list = o.putArray("classes");
    d.classes().forEach((name, images) -> list.addObject().put("name", name)
        .put("images", images.size()));
    Responses.json(ctx, o);
  }

  void sampleDataset(Context ctx) throws IOException {
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
    if (n < 1 || n > MAX_SAMPLE) {
      throw ApiError.badRequest("n must be between 1 and " + MAX_SAMPLE + ", got " + n);
    }
    long seed = Responses.seed(ctx);
    ObjectNode o = JSON.createObjectNode().put("dataset", d.name()).put("class", cls)
        .put("seed", seed);
    ArrayNode list = o.putArray("images");
    for (ImageFolder.Image i : d.sample(cls, n, seed)) {
      list.addObject().put("id", i.id()).put("name", i.name()).put("url", "/api/datasets/"
          + d.name() + "/image?id=" + URLEncoder.encode(i.id(), StandardCharsets.UTF_8));
    }
    Responses.json(ctx, o);
  }

  void datasetImage(Context ctx) throws IOException {
    ImageFolder.Image i = dataset(ctx.pathParam("name")).image(ctx.queryParam("id"));
    ctx.contentType(i.mimeType()).result(Files.readAllBytes(i.file()));
  }
}
