package org.gradcam.model.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The weights of each layer, in Keras' own order (trainable then non-trainable: kernel, bias;
 * gamma, beta, moving mean, moving variance), which is how Keras itself loads them. Two
 * layouts:
 *
 * <ul>
 *   <li>HDF5 of {@code model.save('m.h5')}: group {@code model_weights/<layer>} whose
 *       {@code weight_names} attribute lists dataset paths relative to it. The names differ by
 *       Keras version ({@code conv2d/kernel:0} in Keras 2, {@code sequential/conv2d/kernel} in
 *       Keras 3, {@code conv2d_1_W:0} or {@code block1_conv1_W_1:0} in old files); only their
 *       order matters.
 *   <li>{@code model.weights.h5} of a Keras 3 {@code .keras} archive: datasets
 *       {@code layers/<layer>/vars/0, 1, ...} ({@code _layer_checkpoint_dependencies} instead of
 *       {@code layers} in files of Keras 2.13).
 * </ul>
 */
final class KerasWeights {
  /** One stored weight: its name in the file, shape and values (C order). */
  record Weight(String name, long[] shape, float[] values) {}

  private final String source;
  private final Group layersRoot;
  private final boolean varsLayout;

  /** For a nested model of an HDF5 file: all its weights, to be picked by layer name. */
  private final List<Weight> pool;

  private KerasWeights(String source, Group layersRoot, boolean varsLayout) {
    this(source, layersRoot, varsLayout, null);
  }

  private KerasWeights(String source, Group layersRoot, boolean varsLayout, List<Weight> pool) {
    this.source = source;
    this.layersRoot = layersRoot;
    this.varsLayout = varsLayout;
    this.pool = pool;
  }

  /**
   * The weights of a model nested as layer {@code name}. In HDF5 its group lists all its
   * weights (trainable ones of every layer first, then the non-trainable ones), named
   * {@code <layer>/kernel:0} or {@code <model>/<layer>/kernel}: each layer takes those whose
   * name has its own as a path component, which keeps Keras' order within the layer. A
   * {@code .keras} archive nests {@code layers/<model>/layers/<layer>/vars}.
   */
  KerasWeights nested(String name) throws IOException {
    if (varsLayout) {
      Node node = layersRoot == null ? null : layersRoot.getChild(name);
      for (String root : List.of("layers", "_layer_checkpoint_dependencies")) {
        if (node instanceof Group g && g.getChild(root) instanceof Group inner) {
          return new KerasWeights(source, inner, true);
        }
      }
      return new KerasWeights(source, null, true);
    }
    return new KerasWeights(source, null, false, of(name));
  }

  /** The {@code model_weights} group of a full-model HDF5 file. */
  static KerasWeights legacy(HdfFile hdf, String source) throws IOException {
    if (!(hdf.getChild("model_weights") instanceof Group g)) {
      throw new IOException(source + " has a model config but no 'model_weights' group");
    }
    return new KerasWeights(source, g, false);
  }

  /** The {@code model.weights.h5} of a {@code .keras} archive. */
  static KerasWeights keras3(HdfFile hdf, String source) throws IOException {
    for (String root : List.of("layers", "_layer_checkpoint_dependencies")) {
      if (hdf.getChild(root) instanceof Group g) {
        return new KerasWeights(source, g, true);
      }
    }
    return new KerasWeights(source, null, true); // a model without weights
  }

  /** The stored weights of a layer; empty when the file holds none for it. */
  List<Weight> of(String layer) throws IOException {
    if (pool != null) {
      return pool.stream().filter(w -> {
        String[] parts = w.name().split("/");
        return Arrays.asList(parts).subList(0, parts.length - 1).contains(layer);
      }).toList();
    }
    try {
      Node node = layersRoot == null ? null : layersRoot.getChild(layer);
      if (!(node instanceof Group group)) {
        return List.of();
      }
      return varsLayout ? vars(group) : named(group);
    } catch (HdfException e) {
      throw new IOException(source + ": cannot read the weights of layer '" + layer
          + "' (corrupt or truncated file?): " + e.getMessage(), e);
    }
  }

  private List<Weight> named(Group group) throws IOException {
    Attribute names = group.getAttribute("weight_names");
    if (names == null) {
      return List.of();
    }
    // h5py stores Keras' empty list as an empty float array: a layer without weights.
    if (names.isEmpty() || names.getSize() == 0) {
      return List.of();
    }
    Object data = names.getData();
    String[] weightNames;
    if (data instanceof String[] s) {
      weightNames = s;
    } else if (data instanceof String s) {
      weightNames = new String[] {s};
    } else {
      throw new IOException(source + ": the 'weight_names' attribute of " + group.getPath()
          + " is not a list of names (" + (data == null ? "null" : data.getClass()) + ")");
    }
    List<Weight> out = new ArrayList<>();
    for (String name : weightNames) {
      Node node = group;
      for (String part : name.split("/")) {
        node = node instanceof Group g ? g.getChild(part) : null;
      }
      if (!(node instanceof Dataset d)) {
        throw new IOException(source + ": weight '" + name + "' listed for " + group.getPath()
            + " is missing");
      }
      out.add(read(d, name));
    }
    return out;
  }

  private List<Weight> vars(Group group) throws IOException {
    if (!(group.getChild("vars") instanceof Group vars)) {
      return List.of();
    }
    Map<Integer, Dataset> byIndex = new TreeMap<>();
    for (var e : vars.getChildren().entrySet()) {
      if (e.getValue() instanceof Dataset d) {
        try {
          byIndex.put(Integer.parseInt(e.getKey()), d);
        } catch (NumberFormatException ex) {
          throw new IOException(source + ": unexpected weight '" + e.getKey() + "' in "
              + vars.getPath());
        }
      }
    }
    List<Weight> out = new ArrayList<>();
    for (var e : byIndex.entrySet()) {
      out.add(read(e.getValue(), "vars/" + e.getKey()));
    }
    return out;
  }

  private Weight read(Dataset d, String name) throws IOException {
    long[] shape = Arrays.stream(d.getDimensions()).asLongStream().toArray();
    Object data = d.isScalar() ? new float[] {((Number) d.getData()).floatValue()}
        : d.getDataFlat();
    float[] values;
    if (data instanceof float[] f) {
      values = f;
    } else if (data instanceof double[] dd) {
      values = new float[dd.length];
      for (int i = 0; i < dd.length; i++) {
        values[i] = (float) dd[i];
      }
    } else if (data instanceof long[] l) { // e.g. Normalization's count
      values = new float[l.length];
      for (int i = 0; i < l.length; i++) {
        values[i] = l[i];
      }
    } else {
      throw new IOException(source + ": weight " + d.getPath() + " is not numeric ("
          + d.getJavaType() + ")");
    }
    return new Weight(name, shape, values);
  }
}
