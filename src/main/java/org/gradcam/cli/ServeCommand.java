package org.gradcam.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.gradcam.data.Assets;
import org.gradcam.image.Images;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.serve.GradcamServer;
import org.gradcam.serve.ImageFolder;
import org.gradcam.serve.ServeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradcam serve}: the explorer page and the JSON API over HTTP, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves a page (/) to explore Grad-CAM maps in the browser and a JSON API "
        + "(/api/..., described by /openapi.json). Stops gracefully on SIGTERM or Ctrl-C: "
        + "running requests are answered first."})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "address to bind; 0.0.0.0 opens the server to the network (default: "
          + "${DEFAULT-VALUE}, this machine only)")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "port, 0 for any free one "
      + "(default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--model", split = ",", paramLabel = "M",
      description = "models to load once at start, the first the default; repeatable: a "
          + "built-in name or a model file (.onnx, Keras .h5/.keras) as FILE or NAME=FILE, "
          + "NAME being its name in the API (default: squeezenet1.1)")
  List<String> modelNames;

  @picocli.CommandLine.Mixin ModelFileOptions modelFile = new ModelFileOptions();

  @Option(names = "--workers", defaultValue = "2",
      description = "explain requests computed at once (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--queue", defaultValue = "16",
      description = "explain requests waiting beyond those; more get 503 with Retry-After "
          + "(default: ${DEFAULT-VALUE})")
  int queue;

  @Option(names = "--max-upload", defaultValue = "20000000", paramLabel = "BYTES",
      description = "largest image upload (default: ${DEFAULT-VALUE})")
  long maxUpload;

  @Option(names = "--max-pixels", defaultValue = "40000000", paramLabel = "N",
      description = "refuse images of more than N pixels, read from the header before decoding "
          + "(default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Option(names = "--examples", paramLabel = "DIR", description = "example images the page "
      + "offers (default: the mirror's oxford-iiit-pet-dogs/images, when present)")
  Path examples;

  @Option(names = "--dataset", paramLabel = "[NAME=]DIR", description = "a data set in the "
      + "ImageFolder layout (DIR/CLASS/IMAGE) for the page's gallery; repeatable; NAME defaults "
      + "to the folder's name (with its parent's for train, test, val) (default: the mirror's "
      + "oxford-iiit-pet-3class/test, when present)")
  List<String> datasets;

  /** The models serve offers when none is named. */
  static final List<String> DEFAULT_MODELS = List.of("squeezenet1.1");

  /**
   * Loads each model once, in order (the first is the default), keyed by the name the API uses:
   * a built-in's name, or for a file {@code NAME=FILE} or else the file's name without its
   * extension. The one place that turns serve's {@code --model} values into models, for serve and
   * speed --serve alike; {@code fileOptions} apply to the model files, their crop and output
   * activation to the built-ins too ({@link Models.Options#forBuiltIn}). On failure the models
   * loaded so far are closed.
   */
  static Map<String, Model> loadModels(List<String> specs, Models.Options fileOptions)
      throws Exception {
    Map<String, Model> models = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    try {
      for (String spec : specs) {
        int eq = spec.indexOf('=');
        String path = eq > 0 ? spec.substring(eq + 1) : spec;
        String key = eq > 0 ? spec.substring(0, eq) : Models.isFile(path) ? stem(path) : path;
        if (!key.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
          throw new IllegalArgumentException("--model " + spec + ": the name '" + key + "' must "
              + "be letters, digits, '.', '_' or '-' (it is part of the API's URLs)");
        }
        if (paths.containsKey(key)) {
          if (paths.get(key).equals(path)) {
            continue;
          }
          throw new IllegalArgumentException("two models named '" + key + "' (" + paths.get(key)
              + " and " + path + "); name one with --model NAME=FILE");
        }
        paths.put(key, path);
        // As benchmark: a built-in beside model files takes what applies to it (the crop).
        models.put(key, Models.load(path, Assets.defaults(),
            Models.isFile(path) ? fileOptions : fileOptions.forBuiltIn()));
      }
      return models;
    } catch (Exception | Error e) {
      models.values().forEach(Model::close);
      throw e;
    }
  }

  private static String stem(String path) {
    String name = Path.of(path).getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The --dataset folders, indexed; the mirror's labelled pets when none is given. */
  static List<ImageFolder> datasets(List<String> specs) throws Exception {
    List<ImageFolder> out = new ArrayList<>();
    if (specs == null || specs.isEmpty()) {
      Path pets = Assets.defaultMirror().resolve("oxford-iiit-pet-3class/test");
      if (Files.isDirectory(pets)) {
        out.add(ImageFolder.index("oxford-iiit-pet-3class-test", pets));
      }
      return out;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String spec : specs) {
      ImageFolder d;
      try {
        d = ImageFolder.parse(spec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--dataset " + e.getMessage(), e);
      }
      if (!names.add(d.name())) { // before the models load: a typo fails at once
        throw new IllegalArgumentException("two --dataset folders are named '" + d.name()
            + "'; name them apart with NAME=DIR");
      }
      out.add(d);
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    List<String> names = modelNames == null || modelNames.isEmpty() ? DEFAULT_MODELS : modelNames;
    Path exampleDir = examples != null ? examples
        : Assets.defaultMirror().resolve("oxford-iiit-pet-dogs/images");
    if (examples != null && !Files.isDirectory(examples)) {
      throw new IllegalArgumentException("--examples " + examples + " is not a directory");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
    }
    if (queue < 0) {
      throw new IllegalArgumentException("--queue must be >= 0, got " + queue);
    }
    if (maxUpload < 1) {
      throw new IllegalArgumentException("--max-upload must be >= 1 byte, got " + maxUpload);
    }
    if (!(maxPixels >= 1 && maxPixels <= Images.DEFAULT_MAX_PIXELS)) {
      throw new IllegalArgumentException("--max-pixels must be between 1 and "
          + Images.DEFAULT_MAX_PIXELS + ", got " + maxPixels);
    }
    ServeSettings settings = new ServeSettings(host, port, workers, queue, maxUpload, maxPixels,
        Files.isDirectory(exampleDir) ? exampleDir : null, 64);
    List<ImageFolder> folders = datasets(datasets);
    Map<String, Model> models = loadModels(names, modelFile.options());
    List<Model> loaded = new ArrayList<>(models.values());
    boolean started = false;
    try {
      GradcamServer server = GradcamServer.start(models, models.keySet().iterator().next(), settings,
          folders);
      started = true;
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        // SIGTERM or Ctrl-C: answer what is running, then free the models' native memory.
        server.close();
        loaded.forEach(Model::close);
        stopped.countDown();
      }, "gradcam-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      String shown = host.contains(":") ? "[" + host + "]" : host;
      spec.commandLine().getOut().println("serving " + String.join(", ", models.keySet())
          + " on http://" + shown + ":" + server.port() + "/ (Ctrl-C stops)"
          + (folders.isEmpty() ? "" : "; gallery data sets: " + String.join(", ",
              folders.stream().map(ImageFolder::name).toList())));
      spec.commandLine().getOut().flush();
      stopped.await();
      return 0;
    } finally {
      if (!started) {
        loaded.forEach(Model::close);
      }
    }
  }
}
