package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.TO_NHWC;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradcam.model.LayerInfo;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The layers an import offers: only what the output depends on, each float tensor recorded once
 * under its ONNX name (4-D ones as NHWC maps) with its summary row, and the default layer.
 */
final class ImportedLayers {
  private final Ops tf;
  private final Set<String> needed;
  final Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
  final List<LayerInfo> summary = new ArrayList<>();
  /** 4-D layers, the candidate feature maps. */
  private final Set<String> imageLayout = new HashSet<>();

  ImportedLayers(Ops tf, OnnxMl.GraphProto g, String output) {
    this.tf = tf;
    this.needed = ancestors(g, output);
  }

  /** Whether the output depends on a tensor name or node key ({@code name#nodeI}). */
  boolean needed(String key) {
    return needed.contains(key);
  }

  /** The layer's NHWC output; once recorded, a name keeps its first tensor. */
  Operand<TFloat32> record(String name, String type, Value v, long params) {
    if (layers.containsKey(name)) {
      return layers.get(name);
    }
    if (v.nhwc || v.op.shape().numDimensions() == 4) {
      imageLayout.add(name);
    }
    Operand<TFloat32> op = v.op;
    if (op.shape().numDimensions() == 4 && !v.nhwc) {
      op = tf.linalg.transpose(op, tf.constant(TO_NHWC));
    }
    long[] dims = op.shape().asArray();
    layers.put(name, op);
    summary.add(new LayerInfo(name, type, Arrays.copyOfRange(dims, 1, dims.length), params));
    return op;
  }

  /** The last spatial (larger than 1x1) non-pooling layer: the classifier's feature map. */
  String defaultLayer(String inputName) {
    String last = null;
    for (LayerInfo l : summary) {
      long[] s = l.outputShape();
      // Only maps the graph made in image layout and larger than 1 both ways: a 4-D tensor that
      // came out of a Transpose (ConvNeXt's channels-last [N, 1, 1, C] LayerNorm) is no map.
      if (l.isSpatial() && s[0] > 1 && s[1] > 1 && !l.type().contains("Pool")
          && imageLayout.contains(l.name()) && !l.name().equals(inputName)) {
        last = l.name();
      }
    }
    return last;
  }

  /**
   * The tensor names and node keys ({@code name#nodeI}) the output depends on, so that side
   * branches are neither built nor offered as Grad-CAM layers (their gradient is zero).
   */
  private static Set<String> ancestors(OnnxMl.GraphProto g, String output) {
    Map<String, Integer> producer = new HashMap<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      for (String o : g.getNode(i).getOutputList()) {
        producer.put(o, i);
      }
    }
    Set<String> out = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(output));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!out.add(t)) {
        continue;
      }
      Integer i = producer.get(t);
      if (i != null) {
        OnnxMl.NodeProto n = g.getNode(i);
        out.add(n.getName() + "#node" + i);
        n.getInputList().stream().filter(s -> !s.isEmpty()).forEach(todo::push);
      }
    }
    return out;
  }
}
