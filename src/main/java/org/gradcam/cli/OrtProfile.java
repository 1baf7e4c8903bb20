package org.gradcam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.model.RunProfile;

/**
 * ONNX Runtime's profile file (Chrome trace JSON, written by {@code SessionOptions
 * .enableProfiling}) as kernel time per op type: every {@code "Session"} event
 * {@code model_run} is one call, every {@code "Node"} event named {@code *_kernel_time} one
 * kernel, its op type in {@code args.op_name}, times in microseconds. Kernels belong to the
 * call whose interval holds their start; only the last calls count, the earlier ones being
 * warm-ups.
 */
final class OrtProfile {
  private OrtProfile() {}

  /**
   * The last {@code runs} calls of the profile: call time and kernel time, both means per call
   * (so that kernels, which run one after another within their call, sum to at most the call).
   */
  static ForwardProfile.KernelTimes read(Path file, int runs) throws IOException {
    JsonNode events = new ObjectMapper().readTree(file.toFile());
    List<long[]> calls = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.path("cat").asText().equals("Session") && e.path("name").asText().equals("model_run")) {
        calls.add(new long[] {e.path("ts").asLong(), e.path("dur").asLong()});
      }
    }
    if (runs < 1 || calls.size() < runs) {
      throw new IOException(file + " holds " + calls.size() + " calls (model_run events), "
          + runs + " expected");
    }
    calls.sort(Comparator.comparingLong(c -> c[0]));
    List<long[]> kept = calls.subList(calls.size() - runs, calls.size());
    Map<String, double[]> byType = new LinkedHashMap<>(); // kernels in the first kept call, µs
    for (JsonNode e : events) {
      boolean kernel = e.path("cat").asText().equals("Node")
          && e.path("name").asText().endsWith("_kernel_time");
      if (!kernel) {
        continue;
      }
      long ts = e.path("ts").asLong();
      for (int c = 0; c < kept.size(); c++) {
        if (ts >= kept.get(c)[0] && ts <= kept.get(c)[0] + kept.get(c)[1]) {
          double[] acc = byType.computeIfAbsent(e.path("args").path("op_name").asText("(unnamed)"),
              k -> new double[2]);
          acc[0] += c == 0 ? 1 : 0;
          acc[1] += e.path("dur").asLong();
          break;
        }
      }
    }
    List<RunProfile.OpType> types = new ArrayList<>();
    byType.forEach((k, v) -> types.add(new RunProfile.OpType(k, (int) v[0], v[1] / runs)));
    types.sort(Comparator.comparingDouble(RunProfile.OpType::micros).reversed());
    double call = kept.stream().mapToDouble(c -> c[1]).sum() / runs;
    return new ForwardProfile.KernelTimes(call, List.copyOf(types));
  }
}
