package org.gradcam.model;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gradcam.model.tflite.TfliteModel;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * MobileNet V2 1.0 224 (Sandler et al. 2018), ImageNet, from the uint8 quantisation-aware
 * trained TFLite file of the Coral test data ({@code mobilenet_v2_1.0_224_quant.tflite}, TF1
 * slim model, 1001 classes with "background" first).
 *
 * <p>The file is rebuilt as a float graph ({@link TfliteNet}): weights and biases are the
 * dequantised constants, but activations are float, not rounded to 8 bits: the graph
 * <em>approximates</em> the quantised model (logits within a few quantisation steps, same
 * ranking in practice). The background logit is dropped inside the graph (a slice named
 * {@code predictions}), so the model has 1000 logits in the order of {@link ImageNetLabels}:
 * file class {@code i + 1} is ImageNet class {@code i}.
 *
 * <p>Layers carry Keras {@code MobileNetV2} names: {@code Conv1}, {@code expanded_conv_depthwise},
 * {@code expanded_conv_project}, {@code block_N_expand|depthwise|project|add}, {@code Conv_1}
 * (1x1, 320 to 1280, 7x7), {@code global_average_pooling2d}, {@code Logits} (the 1x1 classifier
 * conv), {@code Logits_flat}, {@code predictions}. Batch norm is folded into each conv and each
 * conv includes its ReLU6, so a conv layer here is Keras' conv + BN + activation: {@code Conv_1}
 * here equals Keras' {@code out_relu}. Grad-CAM uses {@code Conv_1} by default.
 */
@AutoService(BuiltInModel.Provider.class)
@Priority(30)
public final class MobileNetV2 implements BuiltInModel.Provider {
  public static final String NAME = "mobilenet_v2";
  public static final String DEFAULT_LAYER = "Conv_1";
  public static final int INPUT_SIZE = 224;
  /** The uint8 input quantisation of the file: {@code real = (q - 128) / 128}. */
  public static final float INPUT_SCALE = 1f / 128f;
  public static final int INPUT_ZERO_POINT = 128;
  /** Logits in the file; the first is "background". */
  public static final int FILE_CLASSES = 1001;

  private static final Pattern SLIM = Pattern.compile(
      "MobilenetV2/(Conv|Conv_1|expanded_conv(?:_(\\d+))?|Logits)/([A-Za-z0-9_]+).*");

  /** The registry's entry: the TFLite file of the asset; no random weights (it is the file). */
  public static final BuiltInModel BUILT_IN = new BuiltInModel(NAME, spec(),
      assets -> load(assets.file(NAME)), null);

  /** For the registry ({@link Models}), which finds the model by this class. */
  public MobileNetV2() {}

  @Override
  public BuiltInModel builtIn() {
    return BUILT_IN;
  }

  public static ModelSpec spec() {
    return new ModelSpec(INPUT_SIZE, false, DEFAULT_LAYER, MobileNetV2::preprocessInput);
  }

  /**
   * What the quantised model computes from RGB pixels 0..255 (HWC, unchanged layout):
   * {@code (pixel - 128) / 128}, the dequantised uint8 input, in [-1, 0.9921875]. Keras'
   * {@code mobilenet_v2.preprocess_input} ({@code pixel / 127.5 - 1}) maps to [-1, 1]; the two
   * differ by at most 1/128.
   */
  public static float[] preprocessInput(float[] rgbHwc, int height, int width) {
    float[] out = new float[rgbHwc.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (rgbHwc[i] - INPUT_ZERO_POINT) * INPUT_SCALE;
    }
    return out;
  }

  /** Builds the model from the {@code .tflite} file. */
  public static Model load(Path tflite) throws IOException {
    return build(TfliteModel.read(tflite));
  }

  /** Builds the model from a parsed file, checking it is the expected MobileNet V2. */
  public static Model build(TfliteModel file) throws IOException {
    TfliteModel.Tensor in = file.tensor(file.inputs()[0]);
    TfliteModel.Tensor out = file.tensor(file.outputs()[0]);
    if (!java.util.Arrays.equals(in.shape(), new int[] {1, INPUT_SIZE, INPUT_SIZE, 3})
        || !java.util.Arrays.equals(out.shape(), new int[] {1, FILE_CLASSES})) {
      throw new IOException(file.source() + ": not MobileNet V2 224 (input "
          + java.util.Arrays.toString(in.shape()) + ", output "
          + java.util.Arrays.toString(out.shape()) + ")");
    }
    if (in.quantization() == null || in.quantization().scale()[0] != INPUT_SCALE
        || in.quantization().zeroPoint()[0] != INPUT_ZERO_POINT) {
      throw new IOException(file.source() + ": input quantisation differs from (q - "
          + INPUT_ZERO_POINT + ") * " + INPUT_SCALE + ", which preprocessInput assumes");
    }
    Graph graph = TensorFlowNative.newGraph();
    NetBuilder net = new NetBuilder(graph);
    try {
      TfliteNet.Built built = TfliteNet.build(net, file, (op, t) -> layerName(t.name()));
      Operand<TFloat32> logits = net.sliceColumns("predictions", built.logits(), 1,
          FILE_CLASSES - 1);
      return net.build(NAME, spec(), built.input(), logits);
    } catch (IOException | RuntimeException e) {
      net.close(); // its session holds the graph open
      graph.close();
      throw e;
    }
  }

  /**
   * The Keras name of the layer producing a TFLite tensor, from the TF-slim scope its name
   * starts with (the converter joins fused names with ';'); otherwise the name sanitised to TF's
   * node name pattern {@code [A-Za-z0-9.][A-Za-z0-9_.\-]*}.
   */
  static String layerName(String tensorName) {
    String first = tensorName.split(";", 2)[0];
    Matcher m = SLIM.matcher(first);
    if (m.matches()) {
      String scope = m.group(1);
      String block = m.group(2);
      String part = m.group(3);
      if (scope.equals("Conv")) {
        return "Conv1";
      }
      if (scope.equals("Conv_1")) {
        return "Conv_1";
      }
      if (scope.equals("Logits")) {
        return switch (part) {
          case "AvgPool" -> "global_average_pooling2d";
          case "Conv2d_1c_1x1" -> "Logits";
          default -> "Logits_flat";
        };
      }
      if (block == null) {
        return "expanded_conv_" + part;
      }
      return "block_" + block + "_" + part;
    }
    return sanitize(first);
  }

  static String sanitize(String name) {
    String s = name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) && s.charAt(0) != '.') {
      s = "t" + s;
    }
    return s;
  }
}
