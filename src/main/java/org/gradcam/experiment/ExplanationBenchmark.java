package org.gradcam.experiment;

import org.gradcam.data.PixelBox;
import org.gradcam.eval.PointingGame;
import org.gradcam.eval.MeanBestIou;
import org.gradcam.eval.EnergyPointingGame;
import org.gradcam.eval.EbpDifficultSubset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.gradcam.cam.BatchExplainer;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocObject;
import org.gradcam.data.VocObjectsCsv;
import org.gradcam.eval.PointingGame.Outcome;
import org.gradcam.eval.PointingGame.Point;
import org.gradcam.faithfulness.CausalMetric;
import org.gradcam.faithfulness.Curve;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.localize.PaperBoxExtractor;
import org.gradcam.model.Model;

/**
 * Per-image localisation and faithfulness numbers of one explainer on annotated images, for a
 * benchmark command: pointing game (all pairs and the EBP difficult subset), energy pointing
 * game, mean best IoU of the paper's 15% box, deletion and insertion AUC, and time per image.
 *
 * <p>One image, one class (e.g. VOC "dog" explained through the ImageNet dog classes): the map is
 * computed on the picture as the model's input ({@code ModelSpec#input}: resized, or resized and
 * center-cropped), then placed on the picture's own size for the localisation metrics as every
 * command draws it ({@code ModelSpec#mapOnImage}: with a crop on the crop's rectangle, 0
 * elsewhere) and upsampled to the input size for the causal curves, which perturb the model's
 * own input (with a crop, the cropped picture). See {@link PointingGame},
 * {@link EbpDifficultSubset}, {@link EnergyPointingGame}, {@link MeanBestIou} and
 * {@link CausalMetric} for the definitions. The curves score the explained class: the given
 * class, the class the explainer chose (top-1, best of a set), or the summed probability of a
 * {@link Target.ClassSet}.
 */
public final class ExplanationBenchmark {
  private final Explainer explainer;
  private final Target target;
  private final String className;
  private final Settings settings;

  /**
   * @param tolerance pointing game tolerance in pixels (TorchRay: 15)
   * @param interpolation how pictures are resized to the model input
   * @param boxFraction the fraction of the map maximum for the predicted box (paper: 0.15)
   */
  public record Settings(int tolerance, Interpolation interpolation, double boxFraction,
      CausalMetric deletion, CausalMetric insertion) {
    /** TorchRay tolerance, nearest-neighbour resize (as {@code gradcam explain}), RISE curves. */
    public static Settings defaults() {
      return new Settings(PointingGame.TORCHRAY_TOLERANCE, Interpolation.NEAREST,
          PaperBoxExtractor.PAPER_FRACTION, CausalMetric.deletion(), CausalMetric.insertion());
    }
  }

  /** One picture with every annotated object of it (all classes, VOC 1-based boxes). */
  public record Image(String id, BufferedImage picture, List<VocObject> objects) {
    public Image {
      objects = List.copyOf(objects);
    }
  }

  /**
   * @param targetClass the explained class, -1 for a class set
   * @param point the map's maximum at picture resolution
   * @param pointing hit or miss (skipped when the class's boxes are all difficult)
   * @param difficult whether the pair belongs to the EBP difficult subset
   * @param explainMillis preprocessing and explanation: the image's share of its chunk's (see
   *     {@link ExplanationBenchmark#run(List, java.util.function.BiConsumer)})
   * @param totalMillis everything, the curves included
   */
  public record ImageResult(String id, int targetClass, Point point, Outcome pointing,
      boolean difficult, double energy, double meanBestIou, Curve deletion, Curve insertion,
      double explainMillis, double totalMillis) {
    /** The pointing outcome counted in the difficult subset (skipped outside it). */
    public Outcome pointingDifficult() {
      return difficult ? pointing : Outcome.SKIPPED;
    }

    public double deletionAuc() {
      return deletion.auc();
    }

    public double insertionAuc() {
      return insertion.auc();
    }
  }

  /**
   * Means over the images; accuracies are {@code hits / (hits + misses)}, NaN without pairs.
   * Mean best IoU skips images without a non-difficult box (NaN).
   */
  public record Summary(int images, long hits, long misses, double pointingAccuracy,
      long difficultHits, long difficultMisses, double difficultPointingAccuracy,
      double meanEnergy, double meanBestIou, double meanDeletionAuc, double meanInsertionAuc,
      double meanExplainMillis, double meanTotalMillis) {}

  public ExplanationBenchmark(Explainer explainer, Target target, String className,
      Settings settings) {
    if (target instanceof Target.TopK) {
      throw new IllegalArgumentException("the benchmark explains one class per image; top-k "
          + "gives several");
    }
    this.explainer = explainer;
    this.target = target;
    this.className = className;
    this.settings = settings;
  }

  public List<ImageResult> run(List<Image> images) {
    return run(images, (image, e) -> { });
  }

  public ImageResult run(Image image) {
    return run(image, e -> { });
  }

  /**
   * As {@link #run(Image)}, handing the image's explanation to {@code explained} once all its
   * numbers are measured (outside the timings), so a caller can derive more from the same map
   * (e.g. boxes for AP) without a second, possibly expensive, explanation.
   */
  public ImageResult run(Image image, java.util.function.Consumer<Explanation> explained) {
    return run(List.of(image), (i, e) -> explained.accept(e)).get(0);
  }

  /**
   * Every image's numbers, in order. The images are explained by the shared stage
   * ({@link BatchExplainer}) in consecutive chunks of the model's graph batch, one explanation
   * call per chunk: each graph run is that many rows whatever it holds, so a lone image would pay
   * for a whole padded run, and maps do not depend on their batch (README, Determinism). Each image's {@code explainMillis} is its share of its
   * chunk's preprocessing and explanation; {@code explained} gets each image's explanation once
   * its numbers are measured (outside the timings), in order.
   */
  public List<ImageResult> run(List<Image> images,
      java.util.function.BiConsumer<Image, Explanation> explained) {
    List<ImageResult> out = new ArrayList<>(images.size());
    try {
      new BatchExplainer(explainer, target, settings.interpolation())
          .pictures(images.stream().map(Image::picture).toList(), batch -> {
            double share = batch.nanos() / 1e6 / batch.images().size();
            for (BatchExplainer.Explained x : batch.images()) {
              Image image = images.get(x.index());
              Explanation e = x.explanations().get(0);
              out.add(measure(image, e, share));
              explained.accept(image, e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e); // pictures in memory are never read from a file
    }
    return out;
  }

  private ImageResult measure(Image image, Explanation e, double explainMillis) {
    long start = System.nanoTime();
    Model model = explainer.model();
    BufferedImage picture = image.picture();

    int width = picture.getWidth();
    int height = picture.getHeight();
    List<GroundTruthBox> boxes = image.objects().stream()
        .filter(o -> o.className().equals(className))
        .map(o -> new GroundTruthBox(o.box(), o.difficult())).toList();
    if (boxes.isEmpty()) {
      throw new IllegalArgumentException("image " + image.id() + " has no '" + className
          + "' object");
    }
    for (VocObject o : image.objects()) {
      if (o.width() != width || o.height() != height) {
        throw new IllegalArgumentException("image " + image.id() + " is " + width + "x" + height
            + " but its annotation says " + o.width() + "x" + o.height());
      }
    }
    Heatmap map = e.heatmap();
    // Raw, not normalised as ImageMap's: these metrics are scale-free (argmax, energy share, a
    // fraction of the maximum), and normalising first would round differently. Placed as
    // ImageMap places it: a crop's map covers the crop's rectangle only, the model saw no more.
    float[] up = model.spec().mapOnImage(map.raw(), map.height(), map.width(), width, height);
    Point point = PointingGame.argmax(up, width, height);
    Outcome pointing = PointingGame.evaluate(point, boxes, width, height, settings.tolerance());
    boolean difficult = EbpDifficultSubset.isDifficult(image.objects(), className);
    double energy = EnergyPointingGame.score(up, width, height, boxes);
    List<PixelBox> predicted = new PaperBoxExtractor().extract(up, width, height,
        settings.boxFraction());
    double iou = MeanBestIou.of(predicted, boxes, width, height);

    int[] classes = scoredClasses(e);
    // The curves delete from and insert into what the model was explained on: its input (with a
    // crop, the cropped picture, not the parts outside it that the model never saw).
    Curve deletion = settings.deletion().run(model, picture, settings.interpolation(), map, classes);
    Curve insertion = settings.insertion().run(model, picture, settings.interpolation(), map,
        classes);
    double rest = (System.nanoTime() - start) / 1e6;
    return new ImageResult(image.id(), e.targetClass(), point, pointing, difficult, energy,
        iou, deletion, insertion, explainMillis, explainMillis + rest);
  }

  public static Summary summarize(List<ImageResult> results) {
    PointingGame.Tally all = new PointingGame.Tally();
    PointingGame.Tally hard = new PointingGame.Tally();
    for (ImageResult r : results) {
      all.add("", r.pointing());
      hard.add("", r.pointingDifficult());
    }
    return new Summary(results.size(), all.hits(), all.misses(), all.accuracy(), hard.hits(),
        hard.misses(), hard.accuracy(), mean(results, ImageResult::energy),
        mean(results, ImageResult::meanBestIou), mean(results, ImageResult::deletionAuc),
        mean(results, ImageResult::insertionAuc), mean(results, ImageResult::explainMillis),
        mean(results, ImageResult::totalMillis));
  }

  /**
   * The images of {@code objectsCsv} with at least one {@code className} object and a JPEG
   * {@code <id>.jpg} in {@code jpegDir}, by id, at most {@code limit} (0: all).
   */
  public static List<Image> loadVoc(Path jpegDir, Path objectsCsv, String className, int limit)
      throws IOException {
    Map<String, List<VocObject>> byImage = new TreeMap<>();
    for (VocObject o : VocObjectsCsv.read(objectsCsv)) {
      byImage.computeIfAbsent(o.imageId(), k -> new ArrayList<>()).add(o);
    }
    List<Image> out = new ArrayList<>();
    for (Map.Entry<String, List<VocObject>> entry : byImage.entrySet()) {
      if (limit > 0 && out.size() == limit) {
        break;
      }
      Path file = jpegDir.resolve(entry.getKey() + ".jpg");
      if (Files.isRegularFile(file)
          && entry.getValue().stream().anyMatch(o -> o.className().equals(className))) {
        out.add(new Image(entry.getKey(), Images.read(file), entry.getValue()));
      }
    }
    return out;
  }

  private int[] scoredClasses(Explanation e) {
    if (target instanceof Target.ClassSet s) {
      return s.indices();
    }
    return new int[] {e.targetClass()};
  }

  private static double mean(List<ImageResult> results, ToDoubleFunction<ImageResult> f) {
    return results.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).average()
        .orElse(Double.NaN);
  }
}
