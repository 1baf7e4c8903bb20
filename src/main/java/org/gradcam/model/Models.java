package org.gradcam.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gradcam.data.Assets;
import org.gradcam.image.CenterCrop;
import org.gradcam.model.keras.KerasModels;
import org.gradcam.model.onnx.OnnxImporter;
import org.gradcam.registry.Registry;

/**
 * The one model registry: a built-in name ({@link #NAMES}, weights resolved by the asset
 * manager) or the path of a user's ONNX or Keras file resolves to a {@link Model}.
 */
public final class Models {
  /** Every built-in model, the default first: adding one is its class, which registers itself. */
  public static final List<BuiltInModel> BUILT_INS = Registry.of(BuiltInModel.Provider.class)
      .stream().map(p -> p.get().builtIn()).toList();
  public static final List<String> NAMES = BUILT_INS.stream().map(BuiltInModel::name).toList();

  private Models() {}

  /**
   * What a user can say about a model file: a labels file (one name per line, in output order),
   * a preprocessing preset ({@link Preprocessing#PRESETS}; default {@code torch} for 3-channel
   * ONNX models, PyTorch's, and {@code raw01} for 1-channel ones) and a mean and std replacing
   * the preset's. For any model: torchvision's resize of the short side to {@code resizeShort}
   * and center crop ({@code centerCrop} {height, width}, default the model's input size; see
   * {@link CenterCrop}), and the output activation the probabilities are computed with ({@link
   * Predictions#ACTIVATIONS}; default {@code sigmoid} for an ONNX file whose output is a
   * Sigmoid, else {@code softmax}). Null fields mean the default.
   */
  public record Options(Path labels, String preprocess, float[] mean, float[] std,
      Integer resizeShort, int[] centerCrop, String outputActivation) {
    public static final Options DEFAULT = new Options(null, null, null, null);

    public Options(Path labels, String preprocess, float[] mean, float[] std) {
      this(labels, preprocess, mean, std, null, null, null);
    }

    /** What of these options a built-in model takes: the crop and the output activation. */
    public Options forBuiltIn() {
      return new Options(null, null, null, null, resizeShort, centerCrop, outputActivation);
    }

    boolean changesPreprocessing() {
      return preprocess != null || mean != null || std != null;
    }
  }

  /** The file extensions of the model files this registry loads: ONNX and Keras. */
  public static final List<String> FILE_EXTENSIONS = List.of(".onnx", ".h5", ".hdf5", ".keras");

  /** Whether {@code nameOrPath} names a model file rather than a built-in model. */
  public static boolean isFile(String nameOrPath) {
    return !NAMES.contains(nameOrPath) && (extension(nameOrPath) != null
        || Files.exists(Path.of(nameOrPath)));
  }

  private static String extension(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    return FILE_EXTENSIONS.stream().filter(lower::endsWith).findFirst().orElse(null);
  }

  /** A built-in model by name or a model file by path, with default options. */
  public static Model resolve(String nameOrPath, Assets assets) throws IOException {
    return load(nameOrPath, assets, Options.DEFAULT);
  }

  /**
   * A built-in model by name or a model file ({@code .onnx}, Keras {@code .h5}/{@code .keras})
   * by path. The built-ins keep their
   * own preprocessing; labels may be given for any model and must match its output size.
   */
  public static Model load(String nameOrPath, Assets assets, Options options) throws IOException {
    if (options.centerCrop() != null && options.resizeShort() == null) {
      throw new IllegalArgumentException("a center crop needs a resize of the short side "
          + "(torchvision's Resize(N) then CenterCrop)");
    }
    Model m;
    if (isFile(nameOrPath)) {
      m = loadFile(nameOrPath, options);
    } else {
      if (options.changesPreprocessing()) {
        throw new IllegalArgumentException("built-in model " + nameOrPath + " keeps its own "
            + "preprocessing; a preprocessing preset, mean and std are for model files");
      }
      m = load(nameOrPath, assets);
    }
    try {
      if (options.labels() != null) {
        try {
          m = m.withLabels(readLabels(options.labels()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(options.labels() + ": " + e.getMessage(), e);
        }
      }
      if (options.resizeShort() != null) {
        int[] c = options.centerCrop() != null ? options.centerCrop()
            : new int[] {m.spec().height(), m.spec().width()};
        m = m.withCrop(new CenterCrop(options.resizeShort(), c[0], c[1]));
      }
      if (options.outputActivation() != null) {
        m = m.withOutputActivation(options.outputActivation());
      }
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  private static Model loadFile(String path, Options options) throws IOException {
    Path file = Path.of(path);
    String extension = extension(path);
    if (extension == null) {
      throw new IllegalArgumentException("model file " + path + " is neither ONNX (.onnx) nor "
          + "Keras (.h5, .hdf5, .keras); the built-in models are " + String.join(", ", NAMES));
    }
    if (!extension.equals(".onnx")) {
      // A Keras model's own layers usually preprocess, so its default is the pixels as they are.
      Preprocessing p = Preprocessing.of(options.preprocess() != null ? options.preprocess()
          : "raw255", 3, options.mean(), options.std());
      return KerasModels.load(file, p.preprocessor(false)).withPreprocessing(p);
    }
    OnnxImporter.Header h = OnnxImporter.header(file);
    String preset = options.preprocess() != null ? options.preprocess()
        : h.input().channels() == 1 ? "raw01" : "torch";
    Preprocessing p = Preprocessing.of(preset, h.input().channels(), options.mean(),
        options.std());
    Model m = OnnxImporter.load(file, path, p.preprocessor(true), ModelSpec.DEFAULT_GRAPH_BATCH)
        .withPreprocessing(p);
    try {
      OnnxImporter.Extras extras = OnnxImporter.extras(file);
      if (extras.sigmoidOutput()) {
        m = m.withOutputActivation("sigmoid");
      }
      if (options.labels() == null) {
        // A labels file wins; else the file's own class names, if it carries them.
        try {
          List<String> labels = metadataLabels(extras.metadata());
          if (labels != null) {
            m = m.withLabels(labels);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path + ": " + (e.getMessage().startsWith("metadata")
              ? "" : "metadata labels: ") + e.getMessage(), e);
        }
      }
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /** The metadata keys that may hold an ONNX file's class names, in the order looked at. */
  public static final List<String> LABEL_KEYS = List.of("labels", "classes");

  /**
   * The class names an ONNX file's {@code metadata_props} carry, or null: the value of key
   * {@code labels} (else {@code classes}), either a JSON list of strings or one name per line
   * (the labels-file rules), e.g. written by {@code onnx.helper.set_model_props(m, {"labels":
   * json.dumps(names)})}.
   */
  static List<String> metadataLabels(java.util.Map<String, String> metadata) {
    for (String key : LABEL_KEYS) {
      String v = metadata.get(key);
      if (v == null) {
        continue;
      }
      String where = "metadata '" + key + "': ";
      if (v.strip().startsWith("[")) {
        List<String> names = new ArrayList<>();
        try {
          var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(v);
          for (var e : node) {
            if (!e.isTextual() || e.asText().isBlank()) {
              throw new IllegalArgumentException(where + "entry " + (names.size() + 1) + " is "
                  + e + "; it needs a JSON list of non-empty strings");
            }
            names.add(e.asText().strip());
          }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(where + "not a JSON list (" + e.getOriginalMessage()
              + ")");
        }
        return names;
      }
      try {
        return labelLines(new ArrayList<>(v.lines().toList()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
    }
    return null;
  }

  /** One label per line (trailing blank lines ignored); a blank label is an error. */
  static List<String> readLabels(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("does not exist");
    }
    return labelLines(new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)));
  }

  private static List<String> labelLines(List<String> lines) {
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty()) {
        throw new IllegalArgumentException("blank line " + (i + 1)
            + "; it needs one label per line, in output order");
      }
      lines.set(i, l);
    }
    return lines;
  }

  /** The built-in model by name. */
  public static BuiltInModel builtIn(String name) {
    return BUILT_INS.stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseThrow(() -> unknown(name));
  }

  public static ModelSpec spec(String name) {
    return builtIn(name).spec();
  }

  public static Model load(String name, Assets assets) throws IOException {
    return builtIn(name).load(assets);
  }

  /**
   * The architecture with random weights, for benchmarks (speed does not depend on the values):
   * VGG16's real weights are 528 MB that are often not at hand.
   */
  public static Model random(String name, long seed) {
    BuiltInModel b = builtIn(name);
    if (!b.hasRandomWeights()) {
      throw new IllegalArgumentException("model " + name + " has no random-weight variant; "
          + "random weights exist for " + String.join(", ", BUILT_INS.stream()
              .filter(BuiltInModel::hasRandomWeights).map(BuiltInModel::name).toList()));
    }
    return b.random(seed);
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown model '" + name + "'; available: "
        + String.join(", ", NAMES));
  }
}
