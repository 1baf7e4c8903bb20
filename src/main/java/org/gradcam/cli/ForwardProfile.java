package org.gradcam.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.io.Template;
import org.gradcam.model.Model;
import org.gradcam.model.RunProfile;
import org.gradcam.model.Vgg16;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Where our forward pass goes, for {@link OrtSpeed}'s section: TensorFlow's step stats of the
 * executed graph by op type at each batch, next to the time of ONNX Runtime's whole (untraced)
 * call at that batch (given as a job, so that only {@link OrtSpeed} touches ONNX Runtime).
 */
final class ForwardProfile {
  private static final Map<String, String> PHRASES =
      Template.phrases(ForwardProfile.class, "forward-profile.properties");
  private final List<Integer> batches;
  private final double seconds;

  ForwardProfile(List<Integer> batches, double seconds) {
    this.batches = List.copyOf(batches);
    this.seconds = seconds;
  }

  /**
   * TensorFlow's step stats of our forward pass at each batch (unpadded), next to ONNX
   * Runtime's whole run at that batch: the bound our kernels put on the ratio.
   *
   * @param ort ONNX Runtime's forward of {@code x} ({@code n} images) as a timing job
   */
  String of(Model model, String label, BiFunction<float[], Integer, IntSupplier> ort) {
    int profiled = model.name().equals(Vgg16.NAME) ? 3 : 10;
    List<RunProfile.Profile> ps = new ArrayList<>();
    List<Double> ortMs = new ArrayList<>();
    List<Double> oursMs = new ArrayList<>();
    for (int n : batches) {
      Model m = model.atGraphBatch(n);
      ps.add(RunProfile.forward(m, n, profiled));
      float[] x = SpeedTiming.randomBatch(model, n, n);
      oursMs.add(1000.0 * n / imagesPerSecond(n, () -> m.logits(x, n).length));
      ortMs.add(1000.0 * n / imagesPerSecond(n, ort.apply(x, n)));
    }
    Table t = Table.create("profile", StringColumn.create("op type (executed)"));
    for (int i = 0; i < batches.size(); i++) {
      t.addColumns(StringColumn.create("kernels, batch " + batches.get(i)),
          DoubleColumn.create("ms per run, batch " + batches.get(i)),
          DoubleColumn.create("share, batch " + batches.get(i)));
    }
    List<String> types = new ArrayList<>();
    for (RunProfile.Profile p : ps) {
      p.byType().forEach(o -> {
        if (!types.contains(o.type())) {
          types.add(o.type());
        }
      });
    }
    for (String type : types) {
      t.stringColumn(0).append(type);
      for (int i = 0; i < ps.size(); i++) {
        RunProfile.OpType o = ps.get(i).byType().stream().filter(x -> x.type().equals(type))
            .findFirst().orElse(new RunProfile.OpType(type, 0, 0));
        t.stringColumn(1 + 3 * i).append(String.valueOf(o.kernels()));
        t.doubleColumn(2 + 3 * i).append(o.micros() / 1000);
        t.doubleColumn(3 + 3 * i).append(o.micros() / ps.get(i).kernelMicros());
      }
    }
    StringBuilder sb = new StringBuilder("### " + label + ": where our forward pass goes\n\n");
    sb.append(MarkdownTables.render(t, 2)).append('\n');
    for (int i = 0; i < ps.size(); i++) {
      RunProfile.Profile p = ps.get(i);
      // Tracing slows every kernel down, so the convolutions' traced share of the traced run
      // is applied to the untraced run's time rather than taking traced times at face value.
      double convShare = p.convMicros() / p.stepMicros();
      double convMs = convShare * oursMs.get(i);
      double bound = ortMs.get(i) / convMs;
      Map<String, String> v = new HashMap<>();
      v.put("bound", fixed2(bound));
      v.put("target", fixed2(OrtSpeed.FORWARD_TARGET));
      v.put("rest", fixed2(oursMs.get(i) - convMs));
      v.put("others", p.byType().stream().filter(o -> !o.type().contains("Conv2D")).limit(3)
          .map(o -> String.format(Locale.ROOT, "%s %.2f ms", o.type(), o.micros() / 1000))
          .collect(Collectors.joining(", ")));
      String verdict = bound < OrtSpeed.FORWARD_TARGET ? "bound" : "room";
      v.put("verdict", Template.fill(verdict, PHRASES.get(verdict), v));
      v.put("batch", String.valueOf(p.batch()));
      v.put("step", fixed2(p.stepMicros() / 1000));
      v.put("kernels", fixed2(p.kernelMicros() / 1000));
      v.put("conv", fixed2(p.convMicros() / 1000));
      v.put("share", fixed2(convShare));
      v.put("convSummed", fixed2(p.micros("Conv2D") / 1000));
      v.put("ours", fixed2(oursMs.get(i)));
      v.put("convOurs", fixed2(convMs));
      v.put("ort", fixed2(ortMs.get(i)));
      v.put("convNodes", String.valueOf(p.nodes("Conv2D")));
      v.put("fusedNodes", String.valueOf(p.nodes("FusedConv2D")));
      v.put("fused", fusedNames(p));
      v.put("transposes", String.valueOf(p.nodes("Transpose")));
      v.put("pads", String.valueOf(p.nodes("Pad")));
      v.put("pools", String.valueOf(p.nodes("MaxPool")));
      v.put("feed", String.format(Locale.ROOT, "%.3f", p.feedMicros() / 1000));
      v.put("fetch", String.format(Locale.ROOT, "%.3f", p.fetchMicros() / 1000));
      sb.append(Template.fill("batch", PHRASES.get("batch"), v)).append('\n');
    }
    return sb.append('\n').toString();
  }

  private static String fixed2(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  private double imagesPerSecond(int n, IntSupplier run) {
    return SpeedTiming.rate(seconds, n, run).imagesPerSecond();
  }

  private static String fusedNames(RunProfile.Profile p) {
    List<String> names = p.executed().keySet().stream().filter(k -> k.contains("FusedConv2D"))
        .sorted().toList();
    return names.isEmpty() ? "none" : String.join("`, `", names);
  }
}
