package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Elementwise.unary;

import ai.onnx.proto.OnnxMl;
import java.util.Map;

/**
 * Every ONNX op the importer converts, by op type, in one table: adding an op is one entry here
 * and one method in the class of its family. Anything not in the table is an error naming the
 * op, the node and the opset.
 */
final class OnnxOps {
  /** Converts one node, whose inputs it reads through the context, to its (first) output. */
  @FunctionalInterface
  interface Converter {
    Value convert(ImportContext ctx, OnnxMl.NodeProto node);
  }

  static final Map<String, Converter> BY_TYPE = Map.ofEntries(
      op("Conv", Convolution::conv),
      op("Gemm", Linear::gemm),
      op("MatMul", Linear::matMul),
      op("BatchNormalization", Normalization::batchNorm),
      op("LayerNormalization", Normalization::layerNorm),
      op("Softmax", Normalization::softmax),
      op("Relu", unary((tf, x) -> tf.nn.relu(x))),
      op("LeakyRelu", Elementwise::leakyRelu),
      op("Sigmoid", unary((tf, x) -> tf.math.sigmoid(x))),
      op("Tanh", unary((tf, x) -> tf.math.tanh(x))),
      op("Erf", unary((tf, x) -> tf.math.erf(x))),
      op("Sqrt", unary((tf, x) -> tf.math.sqrt(x))),
      op("Exp", unary((tf, x) -> tf.math.exp(x))),
      op("Neg", unary((tf, x) -> tf.math.neg(x))),
      op("Reciprocal", unary((tf, x) -> tf.math.reciprocal(x))),
      op("HardSigmoid", Elementwise::hardSigmoid),
      op("HardSwish", Elementwise::hardSwish),
      op("Clip", Elementwise::clip),
      op("Add", Elementwise::binary),
      op("Sub", Elementwise::binary),
      op("Mul", Elementwise::binary),
      op("Div", Elementwise::binary),
      op("Pow", Elementwise::binary),
      op("MaxPool", Pooling::pool),
      op("AveragePool", Pooling::pool),
      op("GlobalAveragePool", Pooling::globalAveragePool),
      op("GlobalMaxPool", Pooling::globalMaxPool),
      op("ReduceMean", Pooling::reduceMean),
      op("Shape", ShapeOps::shape),
      op("Reshape", ShapeOps::reshape),
      op("Flatten", ShapeOps::flatten),
      op("Squeeze", ShapeOps::squeeze),
      op("Unsqueeze", ShapeOps::unsqueeze),
      op("Transpose", ShapeOps::transpose),
      op("Gather", SliceOps::gather),
      op("Slice", SliceOps::slice),
      op("Concat", SliceOps::concat),
      op("Pad", SliceOps::pad),
      op("Constant", Constants::constant),
      op("Cast", Constants::cast),
      op("Identity", Constants::identity),
      op("Dropout", Constants::identity));

  private OnnxOps() {}

  private static Map.Entry<String, Converter> op(String type, Converter converter) {
    return Map.entry(type, converter);
  }

  /** The node's output value; an op of another domain or not in the table is an error. */
  static Value convert(ImportContext ctx, OnnxMl.NodeProto n) {
    if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
      throw ctx.unsupported(n, "op domain '" + n.getDomain() + "'");
    }
    Converter c = BY_TYPE.get(n.getOpType());
    if (c == null) {
      throw ctx.unsupported(n, "op " + n.getOpType());
    }
    return c.convert(ctx, n);
  }
}
