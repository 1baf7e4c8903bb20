package org.gradcam.model;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads layer weights from a Keras HDF5 weights file (the {@code save_weights} layout of Keras
 * 1 and 2): one group per layer whose {@code weight_names} attribute lists its datasets, kernel
 * first then bias, named either {@code block1_conv1_W_1:0} (old files such as the published
 * VGG16 weights) or {@code block1_conv1/kernel:0} (newer ones). A whole-model file, whose
 * weights sit under {@code model_weights}, is read too.
 */
public final class KerasH5Weights implements LayerWeights, AutoCloseable {
  private final Path file;
  private final HdfFile hdf;
  private final Group root;

  public KerasH5Weights(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No such weights file: " + file);
    }
    this.file = file;
    try {
      this.hdf = new HdfFile(file);
      // jhdf reads past the end of a cut file without complaint; HDF5 records its own length.
      long stored = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress()
          + hdf.getUserBlockSize();
      if (Files.size(file) < stored) {
        hdf.close();
        throw new IOException(file + " is truncated: " + Files.size(file) + " bytes, the file says "
            + stored + " (interrupted download? delete it and fetch it again)");
      }
      Node weights = hdf.getChild("model_weights");
      this.root = weights instanceof Group g ? g : hdf;
    } catch (HdfException | IllegalArgumentException e) {
      throw new IOException(file + " is not a readable HDF5 weights file (corrupt or truncated?): "
          + e.getMessage(), e);
    }
  }

  @Override
  public float[][] get(String layer, long[] kernelShape) throws IOException {
    try {
      if (!(root.getChild(layer) instanceof Group group)) {
        throw new IOException(file + " has no weights for layer '" + layer + "' (layers present: "
            + String.join(", ", root.getChildren().keySet()) + ")");
      }
      Attribute names = group.getAttribute("weight_names");
      if (names == null || !(names.getData() instanceof String[] weightNames)
          || weightNames.length != 2) {
        throw new IOException(file + ": layer '" + layer
            + "' has no 'weight_names' attribute listing a kernel and a bias");
      }
      float[] kernel = read(group, weightNames[0], kernelShape);
      float[] bias = read(group, weightNames[1], new long[] {kernelShape[kernelShape.length - 1]});
      return new float[][] {kernel, bias};
    } catch (HdfException e) {
      throw new IOException(file + ": cannot read layer '" + layer + "' (corrupt or truncated?): "
          + e.getMessage(), e);
    }
  }

  private float[] read(Group group, String name, long[] shape) throws IOException {
    Node node = group;
    for (String part : name.split("/")) {
      node = node instanceof Group g ? g.getChild(part) : null;
    }
    if (!(node instanceof Dataset dataset)) {
      throw new IOException(file + ": dataset '" + group.getPath() + name + "' is missing");
    }
    long[] dims = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
    if (!Arrays.equals(dims, shape)) {
      throw new IOException(file + ": " + group.getPath() + name + " has shape "
          + Arrays.toString(dims) + ", expected " + Arrays.toString(shape));
    }
    Object data = dataset.getDataFlat();
    if (data instanceof float[] f) {
      return f;
    }
    if (data instanceof double[] d) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    throw new IOException(file + ": " + group.getPath() + name + " is not floating point ("
        + dataset.getJavaType() + ")");
  }

  @Override
  public void close() {
    hdf.close();
  }
}
