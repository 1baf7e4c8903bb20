package org.gradcam.classify;

import static org.gradcam.eval.SignificantDigits.float32;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Target;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.image.OverlayPanels;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.io.StagedFiles;
import org.gradcam.classify.ClassificationCharts;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;

/**
 * A classifier's errors on a labelled ImageFolder, as files: {@code error_summary.json},
 * {@code error_details.csv}, {@code confusion_matrix.png}, {@code confidence_histogram.png},
 * {@code errors_by_class.png}, Grad-CAM pictures of the most confident mistakes in
 * {@code gradcam_errors/<TRUE>_as_<PRED>/} (the photo, the map of the predicted class, the map of
 * the true class) and, with {@code numSamples > 0}, a seeded gallery per class in
 * {@code gallery/<CLASS>.png}. All files are staged and appear together only when every one of
 * them has been written.
 */
public final class ErrorAnalysis {
  /** How the analysis was made, written into the summary. */
  public record Settings(String model, Path dataDir, String preprocessing, Interpolation resize,
      int topErrors, int numSamples, long seed, String layer, String method, Colormap colormap,
      double alpha) {}

  public static final String SUMMARY = "error_summary.json";
  public static final String DETAILS = "error_details.csv";
  public static final String CONFUSION = "confusion_matrix.png";
  public static final String HISTOGRAM = "confidence_histogram.png";
  public static final String BY_CLASS = "errors_by_class.png";
  public static final String GRADCAM_DIR = "gradcam_errors";
  public static final String GALLERY_DIR = "gallery";
  public static final String CSV_HEADER =
      "file,true,predicted,confidence,correct,true_probability,top_k";

  private final ImageFolder data;
  private final List<String> labels;
  private final List<ClassifiedImage> images;
  private final Settings settings;
  private final ConfusionMatrix matrix;

  public ErrorAnalysis(ImageFolder data, List<String> labels, List<ClassifiedImage> images,
      Settings settings) {
    this.data = data;
    this.labels = List.copyOf(labels);
    this.images = List.copyOf(images);
    this.settings = settings;
    this.matrix = ConfusionMatrix.of(data.classes(),
        images.stream().mapToInt(ClassifiedImage::trueClass).toArray(),
        images.stream().mapToInt(ClassifiedImage::predicted).toArray(), labels);
  }

  public ConfusionMatrix matrix() {
    return matrix;
  }

  /** The mistakes, most confident first (ties by file name, so the order is reproducible). */
  public List<ClassifiedImage> errorsByConfidence() {
    List<ClassifiedImage> errors = new ArrayList<>(images.stream().filter(i -> !i.correct())
        .toList());
    errors.sort(Comparator.comparingDouble(ClassifiedImage::confidence).reversed()
        .thenComparing(i -> i.file().toString()));
    return errors;
  }

  /** Mean confidence of the correct ({@code true}) or wrong predictions; NaN for none. */
  public double meanConfidence(boolean correct) {
    return images.stream().filter(i -> i.correct() == correct)
        .mapToDouble(ClassifiedImage::confidence).average().orElse(Double.NaN);
  }

  /**
   * The {@code n} images of each class folder in a seeded random order (fewer if the class has
   * fewer), classes in folder order: the same seed gives the same gallery.
   */
  public Map<Integer, List<ClassifiedImage>> samples(int n, long seed) {
    Map<Integer, List<ClassifiedImage>> out = new LinkedHashMap<>();
    Random random = new Random(seed);
    for (int c : data.classes()) {
      List<ClassifiedImage> of = new ArrayList<>(images.stream().filter(i -> i.trueClass() == c)
          .toList());
      Collections.shuffle(of, random);
      out.put(c, of.subList(0, Math.min(n, of.size())));
    }
    return out;
  }

  /**
   * Writes every file into {@code out}; {@code explainer} (on the model that classified the
   * images) draws the Grad-CAM pictures, none when it is null. Returns the files written.
   */
  public List<Path> write(Path out, Explainer explainer) throws IOException {
    try (StagedFiles staged = new StagedFiles()) {
      writeJson(staged.stage(out.resolve(SUMMARY)));
      writeCsv(staged.stage(out.resolve(DETAILS)));
      Images.writePng(ClassificationCharts.confusionMatrix(matrix, "Confusion matrix: "
          + settings.model() + " on " + settings.dataDir()), staged.stage(out.resolve(CONFUSION)));
      writeChart(ClassificationCharts.confidenceHistogram(images, "Confidence of correct "
          + "predictions and errors: " + settings.model()), staged.stage(out.resolve(HISTOGRAM)));
      writeChart(ClassificationCharts.errorsByClass(matrix, "Errors by true class: "
          + settings.model()), staged.stage(out.resolve(BY_CLASS)));
      if (explainer != null) {
        writeErrorMaps(out.resolve(GRADCAM_DIR), explainer, staged);
        if (settings.numSamples() > 0) {
          writeGallery(out.resolve(GALLERY_DIR), explainer, staged);
        }
      }
      staged.commit();
      return staged.targets();
    }
  }

  private static void writeChart(CategoryChart chart, Path file) throws IOException {
    try (OutputStream o = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, o, BitmapFormat.PNG);
    }
  }

  /** The summary as a map, in the order it is written. */
  public Map<String, Object> summary() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("analysis", "classification errors");
    s.put("model", settings.model());
    s.put("data_dir", settings.dataDir().toString());
    s.put("preprocessing", settings.preprocessing());
    s.put("resize", settings.resize().name().toLowerCase(Locale.ROOT));
    s.put("seed", settings.seed());
    s.put("images", images.size());
    s.put("skipped_files", data.skipped());
    s.put("correct", matrix.correct());
    s.put("errors", matrix.total() - matrix.correct());
    s.put("accuracy", matrix.accuracy());
    s.put("macro_f1", matrix.macroF1());
    s.put("weighted_f1", matrix.weightedF1());
    s.put("mean_confidence_correct", finiteOrNull(meanConfidence(true)));
    s.put("mean_confidence_errors", finiteOrNull(meanConfidence(false)));
    List<Map<String, Object>> perClass = new ArrayList<>();
    for (ConfusionMatrix.ClassMetrics m : matrix.metrics()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("label", m.name());
      c.put("index", m.label());
      c.put("support", m.support());
      c.put("predicted", m.predicted());
      c.put("correct", m.truePositives());
      c.put("precision", m.precision());
      c.put("recall", m.recall());
      c.put("f1", m.f1());
      perClass.add(c);
    }
    s.put("per_class", perClass);
    s.put("metrics_note", "precision, recall or F1 with a zero denominator (a class never "
        + "predicted, or without images) is 0, as scikit-learn's zero_division=0; macro_f1 "
        + "averages the classes with images");
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("rows", matrix.names().subList(0, matrix.rows()));
    cm.put("columns", matrix.names());
    cm.put("note", "counts[true row][predicted column]; columns: the true classes, then the "
        + "classes only predicted");
    List<long[]> counts = new ArrayList<>();
    for (int r = 0; r < matrix.rows(); r++) {
      long[] row = new long[matrix.columns()];
      for (int c = 0; c < row.length; c++) {
        row[c] = matrix.count(r, c);
      }
      counts.add(row);
    }
    cm.put("counts", counts);
    s.put("confusion_matrix", cm);
    Map<String, Object> confusions = new TreeMap<>();
    for (ClassifiedImage e : errorsByConfidence()) {
      confusions.merge(labels.get(e.trueClass()) + " -> " + labels.get(e.predicted()), 1,
          (a, b) -> (Integer) a + (Integer) b);
    }
    s.put("confusions", confusions);
    s.put("top_errors", errorsByConfidence().stream().limit(settings.topErrors())
        .map(e -> {
          Map<String, Object> m = new LinkedHashMap<>(); // in this order, unlike Map.of
          m.put("file", relative(e.file()));
          m.put("true", labels.get(e.trueClass()));
          m.put("predicted", labels.get(e.predicted()));
          m.put("confidence", e.confidence());
          return m;
        }).toList());
    Map<String, Object> cam = new LinkedHashMap<>();
    cam.put("layer", settings.layer());
    cam.put("method", settings.method());
    cam.put("colormap", settings.colormap().matplotlibName());
    cam.put("alpha", settings.alpha());
    cam.put("maps", "each divided by its own maximum");
    s.put("gradcam", cam);
    return s;
  }

  private static Object finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private void writeJson(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(file, json.writeValueAsString(summary()) + "\n", StandardCharsets.UTF_8);
  }

  private void writeCsv(Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(CSV_HEADER + "\n");
      for (ClassifiedImage i : images) {
        StringBuilder top = new StringBuilder();
        for (int j = 0; j < i.topK().length; j++) {
          top.append(j == 0 ? "" : ";").append(labels.get(i.topK()[j])).append(':')
              .append(float32(i.topKProbabilities()[j]));
        }
        w.write(String.join(",", csv(relative(i.file())), csv(labels.get(i.trueClass())),
            csv(labels.get(i.predicted())), float32(i.confidence()), "" + i.correct(),
            float32(i.trueProbability()), csv(top.toString())) + "\n");
      }
    }
  }

  /** A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break. */
  static String csv(String s) {
    return s.matches("[^,\"\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** The file's path under the data folder, with {@code /} on every system. */
  String relative(Path file) {
    return data.root().relativize(file).toString().replace('\\', '/');
  }

  /** A class name as a folder name: all but letters, digits, {@code . _ -} becomes {@code _}. */
  static String slug(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
  }

  /**
   * For each of the {@code topErrors} most confident mistakes: the photo, the Grad-CAM map of the
   * predicted class and that of the true class, side by side, captioned.
   */
  private void writeErrorMaps(Path dir, Explainer explainer, StagedFiles staged)
      throws IOException {
    List<ClassifiedImage> top = errorsByConfidence().stream().limit(settings.topErrors())
        .toList();
    Map<String, Integer> used = new LinkedHashMap<>();
    for (ClassifiedImage e : top) {
      BufferedImage photo = Images.read(e.file());
      float[] x = explainer.model().spec().input(photo, settings.resize());
      Explanation pred = explainer.explain(x, 1, new Target.ClassIndex(e.predicted())).get(0);
      Explanation truth = explainer.explain(x, 1, new Target.ClassIndex(e.trueClass())).get(0);
      List<BufferedImage> pictures = List.of(photo, overlay(explainer, photo, pred),
          overlay(explainer, photo, truth));
      List<String> captions = List.of(relative(e.file()),
          String.format(Locale.ROOT, "predicted: %s (p %.3f)", labels.get(e.predicted()),
              e.confidence()),
          String.format(Locale.ROOT, "true: %s (p %.3f)", labels.get(e.trueClass()),
              e.trueProbability()));
      String folder = slug(labels.get(e.trueClass())) + "_as_" + slug(labels.get(e.predicted()));
      String stem = stem(e.file());
      String name = String.format(Locale.ROOT, "%s_conf%.2f_gradcam", stem, e.confidence());
      int seen = used.merge(folder + "/" + name, 1, Integer::sum);
      Path file = dir.resolve(folder).resolve(name + (seen > 1 ? "_" + seen : "") + ".png");
      Images.writePng(OverlayPanels.strip(pictures, captions, 256), staged.stage(file));
    }
  }

  /** Per class folder, a grid of {@code numSamples} seeded random images' predicted maps. */
  private void writeGallery(Path dir, Explainer explainer, StagedFiles staged) throws IOException {
    for (Map.Entry<Integer, List<ClassifiedImage>> c
        : samples(settings.numSamples(), settings.seed()).entrySet()) {
      List<BufferedImage> pictures = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (ClassifiedImage i : c.getValue()) {
        BufferedImage photo = Images.read(i.file());
        float[] x = explainer.model().spec().input(photo, settings.resize());
        Explanation e = explainer.explain(x, 1, new Target.ClassIndex(i.predicted())).get(0);
        pictures.add(overlay(explainer, photo, e));
        captions.add(String.format(Locale.ROOT, "%s: %s %s (p %.3f)", stem(i.file()),
            i.correct() ? "right," : "WRONG, as", labels.get(i.predicted()), i.confidence()));
      }
      if (!pictures.isEmpty()) {
        Images.writePng(OverlayPanels.grid(pictures, captions, 4, 224),
            staged.stage(dir.resolve(slug(labels.get(c.getKey())) + ".png")));
      }
    }
  }

  private BufferedImage overlay(Explainer explainer, BufferedImage photo, Explanation e) {
    // Through the model's contract: with a center crop the map lies on the crop's part only.
    return Overlay.blend(photo, explainer.model().spec().mapOnImage(e.heatmap().normalized(),
        e.heatmap().height(), e.heatmap().width(), photo.getWidth(), photo.getHeight()),
        settings.colormap(), settings.alpha());
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
