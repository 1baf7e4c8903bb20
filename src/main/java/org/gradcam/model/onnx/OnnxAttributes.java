package org.gradcam.model.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/** A node's attributes by name, each with the default ONNX gives it when absent. */
final class OnnxAttributes {
  private OnnxAttributes() {}

  static OnnxMl.AttributeProto attr(OnnxMl.NodeProto n, String name) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  static long attrI(OnnxMl.NodeProto n, String name, long def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getI();
  }

  static float attrF(OnnxMl.NodeProto n, String name, float def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getF();
  }

  static String attrS(OnnxMl.NodeProto n, String name, String def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getS().toStringUtf8();
  }

  static long[] attrInts(OnnxMl.NodeProto n, String name, long[] def) {
    OnnxMl.AttributeProto a = attr(n, name);
    return a == null ? def : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  static float[] toFloats(List<Float> l) {
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = l.get(i);
    }
    return f;
  }
}
