package org.gradcam.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.gradcam.data.Detection;
import org.gradcam.data.EvaluationInputs;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.PublishedPickles;
import org.gradcam.data.VocObject;
import org.gradcam.data.VocObjectsCsv;
import org.gradcam.io.AtomicFiles;
import org.gradcam.io.Template;
import tech.tablesaw.api.Table;

/**
 * Re-evaluates the published experiment's pickles (rayanramoul/GradCAM) and compares the result
 * with the table its README publishes, under protocol variants, to find what the published numbers
 * are. Writes {@code results/published-reproduction.md} (via {@code gradcam reproduce}).
 *
 * <p>Usage: {@code PublishedReproduction DATA_DIR [OUT.md]}, where DATA_DIR holds
 * {@code published/rayanramoul-GradCAM/} and {@code voc2007-test/voc2007_test_objects.csv}.
 */
public final class PublishedReproduction {
  static final double[] IOUS = {0.3, 0.4, 0.5};
  /** The README's order. */
  static final List<String> HEATMAP_THRESHOLDS = List.of("0.02", "0.01", "0.06");
  /** The published table has 6 decimals (percent): agreement within rounding. */
  static final double MATCH_TOLERANCE = 5e-6;
  /** The report's prose, a template beside this class. */
  static final String TEMPLATE = "published-reproduction.md";
  private static final String REPORT = Template.sections(PublishedReproduction.class, TEMPLATE)
      .get("report");

  private final GroundTruth gt;
  private final List<VocObject> vocObjects;
  private final Map<String, List<Detection>> detections = new LinkedHashMap<>();
  private final Map<String, double[]> publishedTable;

  /** One way of evaluating: which detections, ranked how, under which protocol. */
  record Variant(String name, Protocol protocol, UnaryOperator<List<Detection>> selection) {}

  public PublishedReproduction(Path dataDir) throws IOException {
    this(dataDir.resolve("published/rayanramoul-GradCAM/results"),
        dataDir.resolve("voc2007-test/voc2007_test_objects.csv"),
        dataDir.resolve("published/rayanramoul-GradCAM/published_table.csv"));
  }

  /**
   * From the published pickles' folder (asset {@code published-results}) and the VOC objects
   * CSV, with the published table the project carries (the numbers of the README).
   */
  public PublishedReproduction(Path pickles, Path objectsCsv) throws IOException {
    this(pickles, objectsCsv, null);
  }

  private PublishedReproduction(Path pickles, Path csv, Path table) throws IOException {
    if (!Files.isDirectory(pickles) || !Files.isRegularFile(csv)) {
      throw new IOException("no published pickles folder " + pickles + " or no objects CSV "
          + csv);
    }
    vocObjects = VocObjectsCsv.read(csv);
    gt = EvaluationInputs.withDifficultFlags(
        PublishedPickles.readGroundTruth(pickles.resolve("all_gt_dogs.pickle")),
        VocObjectsCsv.groundTruth(vocObjects, "dog"));
    for (String t : HEATMAP_THRESHOLDS) {
      detections.put(t, PublishedPickles.readDetections(
          pickles.resolve("all_detected_dogs" + t + ".pickle")));
    }
    publishedTable = table == null ? PublishedTableCsv.bundled() : PublishedTableCsv.read(table);
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: PublishedReproduction DATA_DIR [OUT.md]");
      System.exit(2);
    }
    Path out = Path.of(args.length == 2 ? args[1] : "results/published-reproduction.md");
    new PublishedReproduction(Path.of(args[0])).write(out);
    System.out.println("wrote " + out);
  }

  public GroundTruth groundTruth() {
    return gt;
  }

  public Map<String, List<Detection>> detections() {
    return detections;
  }

  /** The published heatmap thresholds, in the README's order. */
  public static List<String> heatmapThresholds() {
    return HEATMAP_THRESHOLDS;
  }

  /** The published IoU thresholds. */
  public static double[] ious() {
    return IOUS.clone();
  }

  /**
   * Evaluator results (one per IoU) per heatmap threshold, of the detections after
   * {@code selection} (e.g. {@link DetectionSelections#lastPerImage}, which reproduces the
   * published table), under {@code protocol}.
   */
  public Map<String, List<ThresholdResult>> results(UnaryOperator<List<Detection>> selection,
      Protocol protocol) {
    Map<String, List<ThresholdResult>> out = new LinkedHashMap<>();
    for (String h : HEATMAP_THRESHOLDS) {
      out.put(h, VocEvaluator.evaluate(gt, selection.apply(detections.get(h)), IOUS, protocol));
    }
    return out;
  }

  /** The two AP methods crossed with the two difficult rules, published protocol first. */
  public static List<Protocol> apAndDifficultProtocols() {
    List<Protocol> out = new ArrayList<>();
    for (ApMethod m : ApMethod.values()) {
      for (DifficultMode d : DifficultMode.values()) {
        out.add(Protocol.PUBLISHED.with(m).with(d));
      }
    }
    return out;
  }

  /** {@code "all-point, difficult counted"}. */
  public static String protocolLabel(Protocol p) {
    return p.apMethod().id() + ", difficult "
        + (p.difficult() == DifficultMode.COUNT ? "counted" : "ignored");
  }

  public void write(Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    AtomicFiles.writeString(out, report());
  }

  static List<Variant> variants() {
    Protocol p = Protocol.PUBLISHED;
    UnaryOperator<List<Detection>> all = d -> d;
    return List.of(
        new Variant("published protocol: all rows, all-point, count, +1, >, stable ties", p, all),
        new Variant("11-point AP", p.with(ApMethod.ELEVEN_POINT), all),
        new Variant("difficult ignored (VOC standard)", p.with(DifficultMode.IGNORE), all),
        new Variant("11-point AP, difficult ignored", p.with(ApMethod.ELEVEN_POINT)
            .with(DifficultMode.IGNORE), all),
        new Variant("IoU without +1", p.with(Iou.Convention.CONTINUOUS), all),
        new Variant("IoU >= threshold", p.withStrictThreshold(false), all),
        new Variant("ties in reverse input order", p, DetectionSelections::reversed),
        new Variant("detections moved to 1-based (xmin+1, ymin+1)", p,
            DetectionSelections::oneBased),
        new Variant("first row of each image only", p, DetectionSelections::firstPerImage),
        new Variant("last row of each image only", p, DetectionSelections::lastPerImage),
        new Variant("last row of each image only, ties reversed", p,
            d -> DetectionSelections.reversed(DetectionSelections.lastPerImage(d))));
  }

  List<ThresholdResult> evaluate(String heatmapThreshold, Variant v) {
    return VocEvaluator.evaluate(gt, v.selection().apply(detections.get(heatmapThreshold)), IOUS,
        v.protocol());
  }

  /** Each variant's largest differences to the published table, and whether it matches. */
  Table variantTable() {
    return tables().variants();
  }

  private PublishedTables tables() {
    return new PublishedTables(this, publishedTable, vocObjects);
  }

  /** The report: the template {@code published-reproduction.md} with this data's tables. */
  public String report() {
    PublishedTables tables = tables();
    Table variants = tables.variants();
    List<String> matching = new ArrayList<>();
    for (int r = 0; r < variants.rowCount(); r++) {
      if (variants.stringColumn("matches").get(r).equals("yes")) {
        matching.add(variants.stringColumn("variant").get(r));
      }
    }
    StringBuilder matchingTables = new StringBuilder();
    for (Variant v : variants()) {
      if (matching.contains(v.name())) {
        matchingTables.append("\n### ").append(v.name()).append("\n\n")
            .append(MarkdownTables.render(tables.comparison(v), 6));
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("inputs", MarkdownTables.render(tables.inputs(), 0));
    values.put("base", MarkdownTables.render(tables.comparison(variants().get(0)), 6));
    values.put("tolerance", String.valueOf(MATCH_TOLERANCE));
    values.put("variants", MarkdownTables.render(variants, 6));
    values.put("matching", matching.isEmpty() ? "none" : String.join("; ", matching));
    values.put("matchingTables", matchingTables.toString());
    values.put("allRows", MarkdownTables.render(tables.protocolGrid("all rows", d -> d), 6));
    values.put("lastRow", MarkdownTables.render(tables.protocolGrid("last row",
        DetectionSelections::lastPerImage), 6));
    values.put("score", String.valueOf(Baselines.SCORE));
    values.put("baselines", MarkdownTables.render(tables.baselines(), 6));
    return Template.fill(TEMPLATE, REPORT, values);
  }
}
