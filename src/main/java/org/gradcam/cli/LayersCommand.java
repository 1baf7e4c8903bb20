package org.gradcam.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.gradcam.data.Assets;
import org.gradcam.model.LayerInfo;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gradcam layers}: a model's layers, as Keras' {@code summary()}, with Grad-CAM targets. */
@Command(name = "layers", mixinStandardHelpOptions = true,
    description = {"Every layer of a model: name (for --layer), op, output shape (height, width, "
        + "channels for spatial maps), parameters. 'candidate' marks the valid Grad-CAM target "
        + "layers (spatial maps larger than 1x1 whose gradient reaches the logits), 'default' "
        + "the layer explain uses when --layer is not given."})
public final class LayersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = "squeezenet1.1", paramLabel = "NAME|FILE",
      completionCandidates = Candidates.ModelNames.class,
      description = "${COMPLETION-CANDIDATES}, or a model file (.onnx, Keras .h5/.keras) "
          + "(default: ${DEFAULT-VALUE})")
  String modelName;

  @picocli.CommandLine.Mixin ModelFileOptions modelFile = new ModelFileOptions();

  @Override
  public Integer call() throws Exception {
    try (Model m = Models.load(modelName, Assets.defaults(), modelFile.options())) {
      PrintWriter out = spec.commandLine().getOut();
      ModelSpec s = m.spec();
      String def = m.defaultLayer();
      out.printf("model %s: input %dx%dx%d (%s), %d classes, %,d parameters%n", m.name(),
          s.height(), s.width(), s.channels(), s.channelsFirst() ? "NCHW" : "NHWC",
          m.numClasses(), m.parameterCount());
      List<LayerInfo> layers = m.summary();
      int width = Math.max(5, layers.stream().mapToInt(l -> l.name().length()).max().orElse(5));
      String row = "%-" + width + "s  %-20s  %-16s  %12s  %s%n";
      out.printf(row, "layer", "op", "output shape", "params", "");
      Set<String> targets = new HashSet<>(m.targetLayers());
      for (LayerInfo l : layers) {
        String mark = l.name().equals(def) ? "candidate, default"
            : targets.contains(l.name()) ? "candidate" : "";
        out.printf(row, l.name(), l.type(), Arrays.toString(l.outputShape()),
            String.format("%,d", l.params()), mark);
      }
      out.flush();
    }
    return 0;
  }
}
