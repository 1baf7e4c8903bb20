package org.gradcam.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.io.Template;
import org.gradcam.model.ConvolutionsAlone;
import org.gradcam.model.Model;
import org.gradcam.model.RunProfile;
import org.gradcam.model.Vgg16;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Where our forward pass goes, for {@link OrtSpeed}'s section: TensorFlow's step stats of the
 * executed graph by op type at each batch, next to the time of ONNX Runtime's whole (untraced)
 * call and its own per-node profile at that batch (given as a {@link Reference}, so that only
 * {@link OrtSpeed} touches ONNX Runtime).
 */
final class ForwardProfile {
  /** The reference runtime's forward pass of {@code x} ({@code n} images). */
  interface Reference {
    /** Its own profile of {@code runs} calls, after warm-up calls left out of it. */
    KernelTimes profile(float[] x, int n, int runs) throws Exception;
  }

  /**
   * A profiled run of the reference.
   *
   * @param runMicros its whole profiled run (mean)
   * @param byType kernel time per run (mean) by op type
   */
  record KernelTimes(double runMicros, List<RunProfile.OpType> byType) {
    double kernelMicros() {
      return byType.stream().mapToDouble(RunProfile.OpType::micros).sum();
    }
  }

  /** Op types of either runtime by what they compute, in the order of the comparison table. */
  static final List<String> KINDS = List.of("convolution", "dense", "max pool", "concat",
      "global mean", "layout", "variables", "other");

  /** The kind of an op type of TensorFlow's or ONNX Runtime's profile. */
  static String kind(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    if (t.contains("conv")) {
      return "convolution";
    } else if (t.contains("matmul") || t.contains("gemm")) {
      return "dense";
    } else if (t.contains("maxpool")) {
      return "max pool";
    } else if (t.contains("concat")) {
      return "concat";
    } else if (t.equals("mean") || t.contains("globalaveragepool")) {
      return "global mean";
    } else if (t.contains("transpose") || t.contains("reorder")) {
      return "layout";
    } else if (t.equals("varhandleop") || t.equals("readvariableop")) {
      return "variables";
    }
    return "other";
  }

  /** Kernel time per run of the op types of {@code kind}. */
  static double micros(List<RunProfile.OpType> byType, String kind) {
    return byType.stream().filter(o -> kind(o.type()).equals(kind))
        .mapToDouble(RunProfile.OpType::micros).sum();
  }

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
   * Runtime's own profile at that batch, and each convolution timed alone.
   *
   * @param ort ONNX Runtime's forward
   */
  String of(Model model, SpeedTiming.Loader loader, String label, Reference ort)
      throws Exception {
    int profiled = model.name().equals(Vgg16.NAME) ? 3 : 10;
    List<RunProfile.Profile> ps = new ArrayList<>();
    List<KernelTimes> ortPs = new ArrayList<>();
    List<Double> oursMs = new ArrayList<>();
    List<Double> fixedMs = new ArrayList<>();
    List<List<Double>> convsMs = new ArrayList<>();
    List<ConvolutionsAlone.Layer> convLayers = List.of();
    for (int n : batches) {
      try (SpeedTiming.Alone alone = SpeedTiming.Alone.of(model, loader, n)) {
        Model m = alone.model();
        ps.add(RunProfile.forward(m, n, profiled));
        float[] x = SpeedTiming.randomBatch(model, n, n);
        ortPs.add(ort.profile(x, n, profiled));
        oursMs.add(1000.0 * n / imagesPerSecond(n, () -> m.logits(x, n).length));
        try (RunProfile.FixedCost fixed = new RunProfile.FixedCost(model, n)) {
          fixedMs.add(1000.0 * n / imagesPerSecond(n, fixed::run));
        }
        try (ConvolutionsAlone convs = new ConvolutionsAlone(m, n)) {
          convLayers = convs.layers();
          List<Double> each = new ArrayList<>();
          for (ConvolutionsAlone.Layer c : convLayers) {
            each.add(msPerCall(c.run()) - msPerCall(c.empty()));
          }
          convsMs.add(each);
        }
      }
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
    sb.append(PHRASES.get("kinds")).append("\n\n");
    sb.append(MarkdownTables.render(byKind(ps, ortPs), 2)).append('\n');
    for (int i = 0; i < ps.size(); i++) {
      RunProfile.Profile p = ps.get(i);
      KernelTimes o = ortPs.get(i);
      // Tracing slows small kernels most, so the rest takes the untraced convolutions alone.
      double convMs = convsMs.get(i).stream().mapToDouble(Double::doubleValue).sum();
      Map<String, String> v = new HashMap<>();
      v.put("rest", fixed2(Math.max(0, oursMs.get(i) - convMs - fixedMs.get(i))));
      v.put("others", p.byType().stream().filter(x -> !kind(x.type()).equals("convolution"))
          .limit(3)
          .map(x -> String.format(Locale.ROOT, "%s %.2f ms", x.type(), x.micros() / 1000))
          .collect(Collectors.joining(", ")));
      v.put("batch", String.valueOf(p.batch()));
      v.put("step", fixed2(p.stepMicros() / 1000));
      v.put("kernels", fixed2(p.kernelMicros() / 1000));
      v.put("conv", fixed2(p.convMicros() / 1000));
      v.put("convCount", String.valueOf(convLayers.size()));
      v.put("convSummed", fixed2(micros(p.byType(), "convolution") / 1000));
      v.put("ours", fixed2(oursMs.get(i)));
      v.put("fixed", fixed2(fixedMs.get(i)));
      v.put("convOurs", fixed2(convMs));
      v.put("ortRun", fixed2(o.runMicros() / 1000));
      double ortConv = micros(o.byType(), "convolution");
      v.put("ortConv", fixed2(ortConv / 1000));
      v.put("ortRest", fixed2((o.kernelMicros() - ortConv) / 1000));
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
    sb.append('\n').append(PHRASES.get("alone")).append("\n\n");
    sb.append(MarkdownTables.render(alone(convLayers, convsMs), 3));
    return sb.append('\n').toString();
  }

  /** Each convolution alone: ms per run and the rate it computes at, per batch. */
  private Table alone(List<ConvolutionsAlone.Layer> layers, List<List<Double>> ms) {
    Table t = Table.create("alone", StringColumn.create("convolution"),
        DoubleColumn.create("MFLOP per image"));
    for (int n : batches) {
      t.addColumns(DoubleColumn.create("ms per run, batch " + n),
          DoubleColumn.create("GFLOP/s, batch " + n));
    }
    for (int j = 0; j < layers.size(); j++) {
      ConvolutionsAlone.Layer c = layers.get(j);
      t.stringColumn(0).append(c.name());
      t.doubleColumn(1).append(c.flops() / 1e6);
      for (int i = 0; i < batches.size(); i++) {
        double runMs = ms.get(i).get(j);
        t.doubleColumn(2 + 2 * i).append(runMs);
        t.doubleColumn(3 + 2 * i).append(c.flops() * batches.get(i) / (runMs * 1e6));
      }
    }
    return t;
  }

  /** Kernel time by kind, ours (traced) beside ONNX Runtime's (its profiler), per batch. */
  private Table byKind(List<RunProfile.Profile> ours, List<KernelTimes> theirs) {
    Table t = Table.create("by kind", StringColumn.create("kind"));
    for (int n : batches) {
      t.addColumns(DoubleColumn.create("ours ms, batch " + n),
          DoubleColumn.create("ours share, batch " + n), DoubleColumn.create("ORT ms, batch " + n),
          DoubleColumn.create("ORT share, batch " + n));
    }
    for (String kind : KINDS) {
      boolean any = false;
      for (int i = 0; i < ours.size(); i++) {
        any |= micros(ours.get(i).byType(), kind) > 0 || micros(theirs.get(i).byType(), kind) > 0;
      }
      if (!any) {
        continue;
      }
      t.stringColumn(0).append(kind);
      for (int i = 0; i < ours.size(); i++) {
        double a = micros(ours.get(i).byType(), kind);
        double b = micros(theirs.get(i).byType(), kind);
        t.doubleColumn(1 + 4 * i).append(a / 1000);
        t.doubleColumn(2 + 4 * i).append(a / ours.get(i).kernelMicros());
        t.doubleColumn(3 + 4 * i).append(b / 1000);
        t.doubleColumn(4 + 4 * i).append(b / theirs.get(i).kernelMicros());
      }
    }
    return t;
  }

  private static String fixed2(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  /** Mean ms per call of {@code run} over a fifth of the cell time, after two warm-up calls. */
  private double msPerCall(IntSupplier run) {
    run.getAsInt();
    run.getAsInt();
    SpeedTiming.Timed t = SpeedTiming.time(seconds / 5, 3, run);
    return 1000 * t.seconds() / t.calls();
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
