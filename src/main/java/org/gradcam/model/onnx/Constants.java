package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.OnnxAttributes.attrI;
import static org.gradcam.model.onnx.OnnxAttributes.toFloats;
import static org.gradcam.model.onnx.Value.BATCH;

import ai.onnx.proto.OnnxMl;

/** Ops that make or pass a value without computing: Constant, Cast, Identity, Dropout. */
final class Constants {
  private Constants() {}

  /** Identity, and Dropout, which is one at inference. */
  static Value identity(ImportContext ctx, OnnxMl.NodeProto n) {
    if (n.getOpType().equals("Dropout") && n.getOutputCount() > 1
        && !n.getOutput(1).isEmpty()) {
      throw ctx.unsupported(n, "the mask output of Dropout");
    }
    return ctx.in(n, 0);
  }

  static Value constant(ImportContext ctx, OnnxMl.NodeProto n) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      switch (a.getName()) {
        case "value":
          return TensorData.decode(a.getT(), n, ctx.file, ctx.opset);
        case "value_float":
          return Value.floats(new float[] {a.getF()}, new long[0]);
        case "value_floats":
          return Value.floats(toFloats(a.getFloatsList()), new long[] {a.getFloatsCount()});
        case "value_int":
          return Value.ints(new long[] {a.getI()}, new long[0]);
        case "value_ints":
          return Value.ints(a.getIntsList().stream().mapToLong(Long::longValue).toArray(),
              new long[] {a.getIntsCount()});
        default:
          throw ctx.unsupported(n, "Constant attribute " + a.getName());
      }
    }
    throw ctx.bad(n, "Constant without a value");
  }

  static Value cast(ImportContext ctx, OnnxMl.NodeProto n) {
    Value x = ctx.required(n, 0);
    long to = attrI(n, "to", 0);
    boolean toFloat = to == OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    boolean toInt = to == OnnxMl.TensorProto.DataType.INT64_VALUE
        || to == OnnxMl.TensorProto.DataType.INT32_VALUE;
    if (toFloat && (x.op != null || x.floats != null)) {
      return x;
    }
    if (toInt && x.ints != null) {
      return x;
    }
    if (toFloat && x.ints != null) {
      float[] f = new float[x.ints.length];
      for (int i = 0; i < f.length; i++) {
        if (x.ints[i] == BATCH) {
          throw ctx.unsupported(n, "Cast of the dynamic batch size to float");
        }
        f[i] = x.ints[i];
      }
      return Value.floats(f, x.shape);
    }
    throw ctx.unsupported(n, "Cast to " + TensorData.typeName((int) to));
  }
}
