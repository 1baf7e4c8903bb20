package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradcam.data.Assets;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.RunProfile;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's profile read as kernel time per op type, and the kinds both profiles map to. */
class OrtProfileTest {
  @TempDir Path tmp;

  private static String run(long ts, long dur) {
    return "{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":" + ts + ",\"dur\":" + dur + "}";
  }

  private static String node(String name, String op, long ts, long dur) {
    return "{\"cat\":\"Node\",\"name\":\"" + name + "\",\"ts\":" + ts + ",\"dur\":" + dur
        + ",\"args\":{\"op_name\":\"" + op + "\"}}";
  }

  @Test
  void warmUpCallsAreLeftOutAndKernelsAveragedPerCall() throws IOException {
    // Calls at 0 (warm-up), 100 and 200, listed out of order; fences are not kernels.
    Path f = tmp.resolve("p.json");
    Files.writeString(f, "[" + String.join(",", run(200, 50), run(0, 90), run(100, 40),
        node("a_kernel_time", "Conv", 5, 80), node("a_fence_before", "Conv", 4, 1),
        node("a_kernel_time", "Conv", 101, 20), node("b_kernel_time", "Conv", 121, 10),
        node("c_kernel_time", "Concat", 132, 4),
        node("a_kernel_time", "Conv", 201, 24), node("b_kernel_time", "Conv", 226, 12),
        node("c_kernel_time", "Concat", 239, 6)) + "]");
    ForwardProfile.KernelTimes t = OrtProfile.read(f, 2);
    assertThat(t.runMicros()).isEqualTo(45.0); // mean of 40 and 50
    assertThat(t.byType()).containsExactly(
        new RunProfile.OpType("Conv", 2, (20 + 10 + 24 + 12) / 2.0),
        new RunProfile.OpType("Concat", 1, (4 + 6) / 2.0));
    assertThat(t.kernelMicros()).isEqualTo(38.0);
    assertThatThrownBy(() -> OrtProfile.read(f, 4)).hasMessageContaining("holds 3 calls");
  }

  @Test
  void squeezeNetsRealProfileHasItsKernelsWithinEachCall() throws Exception {
    Path onnx = ReproduceCommand.defaultMirror().resolve(OrtSpeed.SQUEEZENET_ONNX);
    long traces = profileDirs();
    try (Model model = Models.load(SqueezeNet11.NAME, Assets.defaults());
        OrtSpeed.Ort ort = new OrtSpeed.Ort(onnx, model.spec().inputShape())) {
      ForwardProfile.KernelTimes t = ort.profile(SpeedTiming.randomBatch(model, 2, 1), 2, 3);
      // ONNX Runtime fuses each Conv with its Relu: 26 convolution kernels per call, 8 concats,
      // 3 max pools, and its sequential executor runs them one after another within the call.
      Map<String, Integer> kernels = new java.util.HashMap<>();
      t.byType().forEach(o -> kernels.put(o.type(), o.kernels()));
      assertThat(kernels).containsEntry("Conv", 26).containsEntry("Concat", 8)
          .containsEntry("MaxPool", 3).doesNotContainKey("Relu");
      assertThat(t.kernelMicros()).isPositive().isLessThanOrEqualTo(t.runMicros());
      assertThat(ForwardProfile.micros(t.byType(), "convolution"))
          .isGreaterThan(0.5 * t.kernelMicros());
    }
    assertThat(profileDirs()).as("the profile's temporary folder deleted").isEqualTo(traces);
  }

  private static long profileDirs() throws IOException {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("ort-profile")).count();
    }
  }

  @Test
  void bothRuntimesOpTypesMapToOneKind() {
    Map<String, String> kinds = Map.ofEntries(Map.entry("_MklNativeFusedConv2D", "convolution"),
        Map.entry("_FusedConv2D", "convolution"), Map.entry("Conv", "convolution"),
        Map.entry("_MklNativeFusedMatMul", "dense"), Map.entry("Gemm", "dense"),
        Map.entry("_MklNativeMaxPool", "max pool"), Map.entry("MaxPool", "max pool"),
        Map.entry("ConcatV2", "concat"), Map.entry("Concat", "concat"),
        Map.entry("Mean", "global mean"), Map.entry("GlobalAveragePool", "global mean"),
        Map.entry("_MklTranspose", "layout"), Map.entry("ReorderOutput", "layout"),
        Map.entry("VarHandleOp", "variables"), Map.entry("ReadVariableOp", "variables"),
        Map.entry("Flatten", "other"), Map.entry("Const", "other"));
    kinds.forEach((type, kind) -> assertThat(ForwardProfile.kind(type)).as(type).isEqualTo(kind));
    assertThat(ForwardProfile.KINDS).containsAll(kinds.values());
    assertThat(ForwardProfile.micros(List.of(new RunProfile.OpType("Conv", 2, 5),
        new RunProfile.OpType("_MklNativeFusedConv2D", 1, 2), new RunProfile.OpType("Flatten", 1,
        7)), "convolution")).isEqualTo(7.0);
  }
}
