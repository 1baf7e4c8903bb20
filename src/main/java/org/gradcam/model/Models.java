package org.gradcam.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gradcam.data.Assets;
import org.gradcam.model.keras.KerasModels;
import org.gradcam.model.onnx.OnnxImporter;

/**
 * The one model registry: a built-in name ({@link #NAMES}, weights resolved by the asset
 * manager) or the path of a user's ONNX or Keras file resolves to a {@link Model}.
 */
public final class Models {
  /** Every built-in model, the default first: adding one is its class and one entry here. */
  public static final List<BuiltInModel> BUILT_INS = List.of(SqueezeNet11.BUILT_IN,
      Vgg16.BUILT_IN, MobileNetV2.BUILT_IN);
  public static final List<String> NAMES = BUILT_INS.stream().map(BuiltInModel::name).toList();

  private Models() {}

  /**
   * What a user can say about a model file: a labels file (one name per line, in output order),
   * a preprocessing preset ({@link Preprocessing#PRESETS}; default {@code torch} for 3-channel
   * ONNX models, PyTorch's, and {@code raw01} for 1-channel ones) and a mean and std replacing
   * the preset's. Null fields mean the default.
   */
  public record Options(Path labels, String preprocess, float[] mean, float[] std) {
    public static final Options DEFAULT = new Options(null, null, null, null);

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
    Model m;
    if (isFile(nameOrPath)) {
      m = loadFile(nameOrPath, options);
    } else {
      if (options.changesPreprocessing()) {
        throw new IllegalArgumentException("built-in model " + nameOrPath + " keeps its own "
            + "preprocessing; --preprocess, --mean and --std are for model files");
      }
      m = load(nameOrPath, assets);
    }
    if (options.labels() != null) {
      try {
        m = m.withLabels(readLabels(options.labels()));
      } catch (IllegalArgumentException e) {
        m.close();
        throw new IllegalArgumentException(options.labels() + ": " + e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        m.close();
        throw e;
      }
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
    return OnnxImporter.load(file, path, p.preprocessor(true), ModelSpec.DEFAULT_GRAPH_BATCH)
        .withPreprocessing(p);
  }

  /** One label per line (trailing blank lines ignored); a blank label is an error. */
  static List<String> readLabels(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("does not exist");
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
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
