package org.gradcam.model.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.NetBuilder;
import org.gradcam.model.TensorFlowNative;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Rebuilds a full Keras model (architecture and weights) as a TensorFlow graph: an HDF5 file of
 * {@code model.save('m.h5')} (attribute {@code model_config} plus group {@code model_weights},
 * Keras 2 or 3) or a Keras 3 {@code .keras} archive ({@code config.json} plus
 * {@code model.weights.h5}). The layers are those of {@link KerasLayers}; anything else is one
 * error naming the layer class, the layer and the option.
 *
 * <p>Grad-CAM needs the class scores before the softmax, so a softmax that ends the model (an
 * {@code Activation('softmax')} or {@code Softmax} layer, or a last {@code Dense} with
 * {@code activation='softmax'}) is left out: the model's logits are its input, and the summary
 * says so in that layer's type. The input is fed as it is, channels-last RGB 0..255: a Keras
 * model's own preprocessing is whatever {@code Rescaling}/{@code Normalization} layers it has.
 */
public final class KerasModels {
  private KerasModels() {}

  /** Loads a {@code .h5} / {@code .hdf5} full model or a {@code .keras} archive. */
  public static Model load(Path file) throws IOException {
    return load(file, (rgb, h, w) -> rgb.clone());
  }

  /**
   * As {@link #load(Path)}, with a preprocessing applied to the RGB 0..255 pixels before the
   * model's own layers (for models saved without their {@code Rescaling}/{@code Normalization}).
   */
  public static Model load(Path file, ModelSpec.Preprocessor preprocessor) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No such Keras model file: " + file);
    }
    String source = file.toString();
    if (isZip(file)) {
      return loadKeras3(file, source, preprocessor);
    }
    try (HdfFile hdf = openHdf(file, source)) {
      String json = stringAttribute(hdf, "model_config");
      if (json == null) {
        throw new IOException(source + " has no 'model_config' attribute: it holds weights only "
            + "(Keras save_weights), not a full model saved by model.save('m.h5')");
      }
      KerasConfig config = KerasConfig.parse(json, source);
      return build(config, KerasWeights.legacy(hdf, source), source, stem(file), preprocessor);
    } catch (HdfException e) {
      throw new IOException(source + " is not a readable HDF5 file (corrupt or truncated?): "
          + e.getMessage(), e);
    }
  }

  private static Model loadKeras3(Path file, String source,
      ModelSpec.Preprocessor preprocessor) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry configEntry = zip.getEntry("config.json");
      ZipEntry weightsEntry = zip.getEntry("model.weights.h5");
      if (configEntry == null || weightsEntry == null) {
        throw new IOException(source + " is a zip file without config.json and model.weights.h5, "
            + "so not a Keras 3 .keras model");
      }
      String json;
      byte[] weights;
      try (InputStream in = zip.getInputStream(configEntry)) {
        json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      try (InputStream in = zip.getInputStream(weightsEntry)) {
        weights = in.readAllBytes();
      }
      KerasConfig config = KerasConfig.parse(json, source + "!config.json");
      try (HdfFile hdf = HdfFile.fromBytes(weights)) {
        return build(config, KerasWeights.keras3(hdf, source + "!model.weights.h5"), source,
            stem(file), preprocessor);
      } catch (HdfException e) {
        throw new IOException(source + ": model.weights.h5 is not readable HDF5 (corrupt?): "
            + e.getMessage(), e);
      }
    } catch (ZipException e) {
      throw new IOException(source + " is not a readable .keras archive (corrupt or truncated "
          + "zip?): " + e.getMessage(), e);
    }
  }

  private static boolean isZip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }
  }

  private static HdfFile openHdf(Path file, String source) throws IOException {
    HdfFile hdf;
    try {
      hdf = new HdfFile(file);
    } catch (HdfException | IllegalArgumentException e) {
      throw new IOException(source + " is neither a Keras HDF5 file nor a .keras archive "
          + "(corrupt or truncated?): " + e.getMessage(), e);
    }
    // jhdf reads past the end of a cut file without complaint; HDF5 records its own length.
    long stored = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress()
        + hdf.getUserBlockSize();
    if (Files.size(file) < stored) {
      hdf.close();
      throw new IOException(source + " is truncated: " + Files.size(file) + " bytes, the file "
          + "says " + stored);
    }
    return hdf;
  }

  private static String stringAttribute(HdfFile hdf, String name) {
    Attribute a = hdf.getAttribute(name);
    if (a == null) {
      return null;
    }
    Object data = a.getData();
    return data instanceof String s ? s : data instanceof String[] arr && arr.length == 1
        ? arr[0] : null;
  }

  /**
   * Builds the layers of {@code config} on {@code input} and returns the output. A nested model
   * (a pretrained base, an augmentation Sequential) is built in place: its layers keep their
   * Keras names, prefixed {@code <nested model>.} only where another layer has the same name
   * (TensorFlow op names allow no slash).
   */
  private static Operand<TFloat32> wire(KerasConfig config, Operand<TFloat32> input,
      KerasWeights weights, KerasLayers layers, Set<String> used, Set<String> outer,
      String prefix, boolean outermost, String source) throws IOException {
    Map<String, Operand<TFloat32>> outputs = new HashMap<>();
    outputs.put(config.inputName, input);
    for (KerasConfig.Layer l : config.layers) {
      List<Operand<TFloat32>> inputs = l.inputs().stream().map(outputs::get).toList();
      Operand<TFloat32> out;
      if (KerasConfig.isModel(l.className())) {
        KerasConfig sub = KerasConfig.nested(l, source);
        if (inputs.size() != 1) {
          throw new IOException(source + ": nested model '" + l.name() + "' takes "
              + inputs.size() + " inputs; one is supported");
        }
        out = wire(sub, inputs.get(0), weights.nested(l.name()), layers, used, outer,
            prefix + l.name() + ".", false, source);
      } else {
        String name = !outermost && (used.contains(l.name()) || outer.contains(l.name()))
            ? prefix + l.name() : l.name();
        if (!used.add(name)) {
          throw new IOException(source + ": two layers are named '" + name + "'");
        }
        boolean last = outermost && l.name().equals(config.output);
        if (!name.matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*")) {
          throw new IOException(source + ": layer name '" + name + "' is not usable as a "
              + "TensorFlow op name (letters, digits, '_', '.', '-')");
        }
        out = layers.build(new KerasConfig.Layer(name, l.className(), l.config(), l.inputs(),
            l.callKwargs()),
            inputs, weights.of(l.name()), last);
      }
      outputs.put(l.name(), out);
    }
    return outputs.get(config.output);
  }

  /** The model's name: its file name without the extension (Keras' own is often "model"). */
  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static Model build(KerasConfig config, KerasWeights weights, String source,
      String name, ModelSpec.Preprocessor preprocessor) throws IOException {
    long[] in = config.inputShape;
    if (in == null) {
      throw new IOException(source + ": the model config gives no input shape (no InputLayer "
          + "and no batch_input_shape)");
    }
    if (in[0] != in[1] || in[2] != 3) {
      throw new IOException(source + ": input shape " + java.util.Arrays.toString(in)
          + " (height, width, channels); only square RGB inputs are supported so far");
    }
    Graph graph = TensorFlowNative.newGraph();
    NetBuilder net = new NetBuilder(graph);
    try {
      Operand<TFloat32> input = net.input(config.inputName, in[0], in[1], in[2]);
      Set<String> used = new HashSet<>(Set.of(config.inputName));
      Set<String> outer = new HashSet<>(used);
      config.layers.forEach(l -> outer.add(l.name()));
      Operand<TFloat32> logits = wire(config, input, weights, new KerasLayers(net, source), used,
          outer, "", true, source);
      if (logits.shape().numDimensions() != 2) {
        throw new IOException(source + ": the output layer '" + config.output + "' has shape "
            + logits.shape() + "; a classifier's output [batch, classes] is needed");
      }
      ModelSpec spec = new ModelSpec((int) in[0], false, null, preprocessor);
      return net.build(name, spec, input, logits);
    } catch (IOException | RuntimeException e) {
      net.close(); // its session holds the graph open
      graph.close();
      throw e;
    }
  }
}
