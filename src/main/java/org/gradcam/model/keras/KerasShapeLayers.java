package org.gradcam.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.gradcam.model.MaxPool;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Pools, global pools, Flatten, Reshape, ZeroPadding2D, and the layers that are identities at
 * inference (dropout, noise, random augmentation).
 */
final class KerasShapeLayers {
  private KerasShapeLayers() {}

  static Operand<TFloat32> pool(LayerBuild b, boolean max) throws IOException {
    Operand<TFloat32> x = b.x4();
    b.channelsLast();
    int[] size = b.pair("pool_size", 2);
    int[] s = b.c.hasNonNull("strides") ? b.pair("strides", 1) : size;
    String padding = b.padding();
    if (max) {
      return MaxPool.of(b.named, x, size[0], size[1], s[0], s[1], padding);
    }
    // TF's AvgPool, as Keras: with "same", the padding is not counted in the average.
    return b.named.nn.avgPool(x, List.of(1L, (long) size[0], (long) size[1], 1L),
        List.of(1L, (long) s[0], (long) s[1], 1L), padding);
  }

  static Operand<TFloat32> globalPool(LayerBuild b, boolean max) throws IOException {
    Operand<TFloat32> x = b.x4();
    b.channelsLast();
    boolean keep = b.c.path("keepdims").asBoolean(false);
    Operand<org.tensorflow.types.TInt32> axes = b.scope.constant(new int[] {1, 2});
    return max ? b.named.max(x, axes, Max.keepDims(keep))
        : b.named.math.mean(x, axes, Mean.keepDims(keep));
  }

  static Operand<TFloat32> flatten(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    b.channelsLast();
    long features = 1;
    for (int i = 1; i < x.shape().numDimensions(); i++) {
      features *= x.shape().size(i);
    }
    // Row-major over (height, width, channels): Keras' channels-last flatten order.
    return b.named.reshape(x, b.scope.constant(new long[] {-1, features}));
  }

  static Operand<TFloat32> identity(LayerBuild b) throws IOException {
    return b.named.identity(b.x());
  }

  static Operand<TFloat32> zeroPadding(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x4();
    b.channelsLast();
    JsonNode p = b.c.get("padding");
    int[][] hw;
    if (p == null || p.isNumber()) {
      int v = p == null ? 1 : p.asInt();
      hw = new int[][] {{v, v}, {v, v}};
    } else if (p.isArray() && p.size() == 2 && p.get(0).isNumber()) {
      hw = new int[][] {{p.get(0).asInt(), p.get(0).asInt()}, {p.get(1).asInt(), p.get(1).asInt()}};
    } else if (p.isArray() && p.size() == 2 && p.get(0).isArray()) {
      hw = new int[][] {{p.get(0).get(0).asInt(), p.get(0).get(1).asInt()},
          {p.get(1).get(0).asInt(), p.get(1).get(1).asInt()}};
    } else {
      throw b.error("cannot read option padding=" + p);
    }
    return b.named.pad(x, b.scope.constant(new int[][] {{0, 0}, hw[0], hw[1], {0, 0}}),
        b.scope.constant(0f));
  }

  static Operand<TFloat32> reshape(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    JsonNode t = b.c.path("target_shape");
    long[] shape = new long[t.size() + 1];
    shape[0] = -1;
    long known = 1;
    int free = -1;
    for (int i = 0; i < t.size(); i++) {
      shape[i + 1] = t.get(i).asLong();
      if (shape[i + 1] == -1) {
        free = i + 1;
      } else {
        known *= shape[i + 1];
      }
    }
    long size = 1;
    for (int i = 1; i < x.shape().numDimensions(); i++) {
      size *= x.shape().size(i);
    }
    if (free > 0) {
      shape[free] = size / known;
      known *= shape[free];
    }
    if (known != size) {
      throw b.error("cannot reshape " + x.shape() + " to target_shape " + t);
    }
    shape[0] = -1;
    return b.named.reshape(x, b.scope.constant(shape));
  }
}
