package org.gradcam.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.gradcam.data.Assets;
import org.gradcam.model.MobileNetV2;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.SqueezeNet11;
import org.gradcam.model.Vgg16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime, an independent implementation, runs the exported file: its logits must be ours
 * up to float32 rounding (different summation orders), for the real SqueezeNet 1.1 weights
 * (channels-first input, ceil-mode pooling, SAME and VALID convs, concat, global pooling) and
 * for VGG16 with random weights (channels-last input, Keras flatten, dense layers).
 */
class OnnxExportTest {
  @TempDir Path tmp;

  @Test
  void onnxRuntimeGivesOurSqueezeNetLogits() throws Exception {
    try (Model model = Models.load(SqueezeNet11.NAME, Assets.defaults())) {
      checkAgainstOrt(model, 3, 1e-4);
    }
  }

  @Test
  void onnxRuntimeGivesOurRandomVgg16Logits() throws Exception {
    try (Model model = Vgg16.random(7)) {
      checkAgainstOrt(model, 2, 1e-4);
    }
  }

  @Test
  void modelsWithLayersTheExportDoesNotWriteAreRefused() throws Exception {
    // MobileNet V2's layers are all recorded now, but a fused ReLU6 conv has no export here.
    try (Model model = Models.load(MobileNetV2.NAME, Assets.defaults())) {
      assertThatThrownBy(() -> OnnxExport.export(model))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Conv1: layer kind FUSED_CONV has no ONNX export")
          .hasMessageContaining("cannot be exported to ONNX");
    }
  }

  /** Random images through our graph and through ORT on the written file. */
  private void checkAgainstOrt(Model model, int n, double relative) throws Exception {
    Path file = tmp.resolve(model.name() + ".onnx");
    OnnxExport.write(model, file);
    assertThat(Files.size(file)).isGreaterThan(4L * model.parameterCount());
    Random rnd = new Random(11);
    float[] batch = new float[n * model.spec().inputLength()];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = (float) rnd.nextGaussian();
    }
    float[] ours = model.logits(batch, n);
    long[] shape = model.spec().inputShape();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] theirs = new float[ours.length];
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(file.toString(), options);
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch),
            new long[] {n, shape[0], shape[1], shape[2]});
        OrtSession.Result r = session.run(Map.of("input", x))) {
      OnnxTensor logits = (OnnxTensor) r.get("logits").orElseThrow();
      assertThat(logits.getInfo().getShape()).containsExactly(n, model.numClasses());
      logits.getFloatBuffer().get(theirs);
    }
    double scale = 0;
    for (float v : ours) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertThat(scale).isGreaterThan(0);
    double worst = 0;
    for (int i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
    }
    // float32 sums of ~10^4 products in another order: relative errors of a few 1e-6.
    assertThat(worst).as("max |ours - ORT| over logits of magnitude up to %s", scale)
        .isLessThanOrEqualTo(relative * scale);
    // The images differ, so a wrong layout would not pass by giving every image one answer.
    assertThat(java.util.Arrays.copyOfRange(theirs, 0, model.numClasses()))
        .isNotEqualTo(java.util.Arrays.copyOfRange(theirs, model.numClasses(), 2 * model.numClasses()));
  }
}
