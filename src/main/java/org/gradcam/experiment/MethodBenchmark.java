package org.gradcam.experiment;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.cam.BatchExplainer;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Target;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocObject;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.VocEvaluator;
import org.gradcam.image.Images;
import org.gradcam.localize.CourseBoxExtractor;
import org.gradcam.localize.Precision;
import org.gradcam.localize.UniformFilter;
import org.gradcam.model.ImageNetLabels;

/**
 * One row of {@code gradcam benchmark}: one explainer (model, layer, CAM method) on a dog
 * dataset, every image explained once for its top ImageNet dog class (151..268). From that one
 * map per image:
 *
 * <ul>
 *   <li>{@link ExplanationBenchmark}: pointing game, energy pointing game, deletion and insertion
 *       AUC, milliseconds per image;
 *   <li>AP at IoU 0.5 of the dog boxes: the map divided by its maximum, placed on the image
 *       ({@link ImageMap}: with a center crop on the crop's part only),
 *       boxed by the published procedure ({@link CourseBoxExtractor}, uniform filter 20, float32
 *       as the published maps) at one heatmap threshold, every box scored by the mean map inside
 *       it ({@link BoxScore#MEAN}, as {@code gradcam localize}), evaluated with
 *       {@link VocEvaluator} under {@link Protocol#PUBLISHED}.
 * </ul>
 */
public final class MethodBenchmark {
  /** The published experiment's heatmap threshold used for the AP column. */
  public static final double PUBLISHED_THRESHOLD = 0.06;
  public static final double AP_IOU = 0.5;

  /**
   * @param apPercent AP at IoU 0.5, percent, published protocol
   * @param boxes number of boxes the AP ranked
   */
  public record Row(String model, String layer, String method, int images, double threshold,
      double apPercent, int boxes, ExplanationBenchmark.Summary summary) {}

  private MethodBenchmark() {}

  /** The dog target of the benchmark: each image's best ImageNet dog class. */
  public static Target dogTarget() {
    return Target.bestOf(Target.range(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG));
  }

  /** The pictures of {@code data} with their dog boxes, as {@link ExplanationBenchmark} takes them. */
  public static List<ExplanationBenchmark.Image> images(DogDataset data) throws IOException {
    List<ExplanationBenchmark.Image> out = new ArrayList<>();
    for (Map.Entry<String, java.nio.file.Path> f : data.files().entrySet()) {
      BufferedImage picture = Images.read(f.getValue());
      List<VocObject> objects = new ArrayList<>();
      for (GroundTruthBox g : data.groundTruth().byImage().get(f.getKey())) {
        objects.add(new VocObject(f.getKey(), picture.getWidth(), picture.getHeight(),
            DogDataset.CLASS, g.difficult(), g.box()));
      }
      out.add(new ExplanationBenchmark.Image(f.getKey(), picture, objects));
    }
    return out;
  }

  /**
   * Runs {@code explainer} on {@code images} (those of {@code data}); {@code afterImage} is called
   * after each image (e.g. a progress bar).
   */
  public static Row run(String modelName, Explainer explainer, DogDataset data,
      List<ExplanationBenchmark.Image> images, double threshold, Runnable afterImage) {
    return run(modelName, explainer, dogTarget(), data, images, threshold, afterImage);
  }

  /**
   * As above with another target than {@link #dogTarget()}: one class of a model of one's own
   * (e.g. its "dog" output, {@link LocalizationTarget}).
   */
  public static Row run(String modelName, Explainer explainer, Target target, DogDataset data,
      List<ExplanationBenchmark.Image> images, double threshold, Runnable afterImage) {
    ExplanationBenchmark bench = new ExplanationBenchmark(explainer, target, DogDataset.CLASS,
        ExplanationBenchmark.Settings.defaults());
    List<ExplanationBenchmark.ImageResult> results = new ArrayList<>();
    Map<String, ImageMap> maps = new LinkedHashMap<>();
    if (!images.isEmpty()) {
      // Untimed warm-up: the first run of a graph path pays one-off set-up costs that would
      // otherwise be charged to whichever method comes first.
      BatchExplainer warmUp = new BatchExplainer(explainer, target,
          ExplanationBenchmark.Settings.defaults().interpolation());
      warmUp.explain(0, List.of(warmUp.load(images.get(0).picture())));
    }
    // In chunks of the graph batch: a lone image would pay for a whole padded graph run.
    results.addAll(bench.run(images, (image, e) -> {
      BufferedImage p = image.picture();
      maps.put(image.id(), ImageMap.of(image.id(), e, p.getWidth(), p.getHeight(),
          explainer.model().spec()));
      afterImage.run();
    }));
    List<Detection> detections = boxes(maps, threshold);
    double ap = 100 * VocEvaluator.evaluate(data.groundTruth().restrictedTo(maps.keySet()),
        detections, new double[] {AP_IOU}, Protocol.PUBLISHED).get(0).ap();
    return new Row(modelName, explainer.layer(), explainer.method().name(), images.size(),
        threshold, ap, detections.size(), ExplanationBenchmark.summarize(results));
  }

  /** The published-procedure boxes of every map at {@code threshold}, mean-scored. */
  public static List<Detection> boxes(Map<String, ImageMap> maps, double threshold) {
    return ThresholdSweep.run(maps, new double[] {threshold}, extractor(), BoxScore.MEAN)
        .detectionsAt(threshold);
  }

  /** The published box procedure as {@code gradcam localize} runs it. */
  public static CourseBoxExtractor extractor() {
    return new CourseBoxExtractor(UniformFilter.DEFAULT_SIZE, Precision.FLOAT32);
  }
}
