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
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import org.gradcam.io.AtomicFiles;

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
    return (p.apMethod() == ApMethod.ALL_POINT ? "all-point" : "11-point") + ", difficult "
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

  public String report() {
    StringBuilder md = new StringBuilder();
    md.append("# Reproducing the published Grad-CAM dog-localisation table\n\n")
        .append("Generated by `./gradcam reproduce` (`org.gradcam.eval.PublishedReproduction`) from the published pickles ")
        .append("(rayanramoul/GradCAM @ f5a619b, `results/`) and `published_table.csv` (its README). ")
        .append("AP and recall in percent.\n\n## Inputs\n\n")
        .append(MarkdownTables.render(inputsTable(), 0))
        .append("\nGT boxes are exactly the VOC XML boxes (1-based, inclusive); the difficult flag ")
        .append("comes from joining with `voc2007_test_objects.csv` on image id and exact box. ")
        .append("Every detection has score 4.0, so the ranking is decided entirely by how ties are ")
        .append("ordered. Detection boxes are numpy slice bounds of the thresholded heatmap ")
        .append("(0-based start, exclusive stop); the published evaluation, and the reproduction, ")
        .append("compare them with the 1-based GT as they are.\n\n");

    Variant base = variants().get(0);
    md.append("## Published protocol, all detections\n\n")
        .append("The protocol the published code uses (course `tools/dogs.py`, adapted from ")
        .append("detectron2 voc_eval: all-point AP, every GT box a positive, IoU with +1, ")
        .append("IoU > threshold), on every detection row of the pickles, ties kept in pickle ")
        .append("order:\n\n")
        .append(MarkdownTables.render(comparisonTable(base), 6));

    Table variants = variantTable();
    md.append("\n## Protocol variants\n\n")
        .append("Largest absolute difference to the published value over the 9 AP (and 9 recall) ")
        .append("cells of the three heatmap thresholds; `matches` when all 18 agree within ")
        .append(MATCH_TOLERANCE).append(" (the published table has 6 decimals).\n\n")
        .append(MarkdownTables.render(variants, 6));
    List<String> matching = new ArrayList<>();
    for (int r = 0; r < variants.rowCount(); r++) {
      if (variants.stringColumn("matches").get(r).equals("yes")) {
        matching.add(variants.stringColumn("variant").get(r));
      }
    }
    md.append("\nMatching variants: ")
        .append(matching.isEmpty() ? "none" : String.join("; ", matching)).append(".\n");
    for (Variant v : variants()) {
      if (matching.contains(v.name())) {
        md.append("\n### ").append(v.name()).append("\n\n")
            .append(MarkdownTables.render(comparisonTable(v), 6));
      }
    }
    md.append("\n## AP variants and difficult rules\n\n")
        .append("The published table next to the pickles evaluated under both AP definitions ")
        .append("(all-point: VOC2010+ and detectron2; 11-point: VOC2007) and both difficult rules ")
        .append("(counted: every GT box is a positive, as in the published code; ignored: the VOC ")
        .append("standard, difficult boxes are neither positives nor false positives). IoU with +1, ")
        .append("IoU > threshold and stable ties throughout; `diff` is reproduced minus published. ")
        .append("Recall does not depend on the AP definition.\n\n")
        .append("### All detection rows\n\n")
        .append(MarkdownTables.render(protocolGrid("all rows", d -> d), 6))
        .append("\n### Last row of each image only (the selection that matches)\n\n")
        .append(MarkdownTables.render(protocolGrid("last row", DetectionSelections::lastPerImage), 6));
    md.append("\n## Finding\n\n")
        .append("The published code that evaluates (`gradcam_detection.py` -> `eval_stats_at_threshold`) ")
        .append("imports it from a course module `tools/dogs.py` that the published repository does not ")
        .append("contain; the course versions found elsewhere rank every detection row, which does not ")
        .append("give the published table (first section). The only variant that gives all 18 ")
        .append("published numbers is the one listed above as matching, if any; it cannot be told from ")
        .append("the artifacts which code change produced it. The published AP also depends on tie ")
        .append("order (all scores are 4.0): with reversed ties it moves (see the table), so a ")
        .append("numpy `argsort` that is not stable on ties would give other AP values; recall does ")
        .append("not depend on order.\n");
    md.append("\n## Baselines\n\n")
        .append("The course's two baselines (`dog_detection.py`): one box per image, the full ")
        .append("image `[0, 0, w, h]` and the centred box of 50 % area, score ")
        .append(Baselines.SCORE).append(", on every VOC2007 test image with a dog (sizes from ")
        .append("the CSV), against the CSV ground truth. The course code loops over all 4952 test ")
        .append("images, so its rows are also given for all images (detections on dog-free images ")
        .append("are false positives). All scores tie, so the ranking is the CSV's image order. ")
        .append("Rows for both AP definitions and both difficult rules.\n\n")
        .append(MarkdownTables.render(baselineTable(), 6));
    return md.toString();
  }

  private Table inputsTable() {
    Table t = Table.create("inputs").addColumns(StringColumn.create("source"),
        IntColumn.create("images"), IntColumn.create("boxes"), IntColumn.create("difficult"));
    addInputRow(t, "all_gt_dogs.pickle", gt.byImage().size(), gt.boxCount(),
        (int) gt.difficultCount());
    for (var e : detections.entrySet()) {
      long images = e.getValue().stream().map(Detection::imageId).distinct().count();
      addInputRow(t, "all_detected_dogs" + e.getKey() + ".pickle", (int) images,
          e.getValue().size(), 0);
    }
    return t;
  }

  private static void addInputRow(Table t, String source, int images, int boxes, int difficult) {
    t.stringColumn("source").append(source);
    t.intColumn("images").append(images);
    t.intColumn("boxes").append(boxes);
    t.intColumn("difficult").append(difficult);
  }

  Table comparisonTable(Variant v) {
    Table t = Table.create(v.name()).addColumns(StringColumn.create("heatmap_threshold"),
        StringColumn.create("metric"), StringColumn.create("iou"),
        DoubleColumn.create("published"), DoubleColumn.create("reproduced"),
        DoubleColumn.create("difference"));
    for (String h : HEATMAP_THRESHOLDS) {
      List<ThresholdResult> results = evaluate(h, v);
      for (String metric : List.of("ap", "recall")) {
        double[] pub = publishedTable.get(h + "," + metric);
        for (int i = 0; i < IOUS.length; i++) {
          ThresholdResult r = results.get(i);
          double ours = 100.0 * (metric.equals("ap") ? r.ap() : r.recall());
          t.stringColumn("heatmap_threshold").append(h);
          t.stringColumn("metric").append(metric);
          t.stringColumn("iou").append(ResultTables.label(IOUS[i]));
          t.doubleColumn("published").append(pub[i]);
          t.doubleColumn("reproduced").append(ours);
          t.doubleColumn("difference").append(ours - pub[i]);
        }
      }
    }
    return t;
  }

  /**
   * Published value and, per AP definition and difficult rule, the reproduced value and its
   * difference, for every (heatmap threshold, metric, IoU) of the published table.
   */
  Table protocolGrid(String name, UnaryOperator<List<Detection>> selection) {
    List<Protocol> protocols = apAndDifficultProtocols();
    Table t = Table.create(name).addColumns(StringColumn.create("heatmap_threshold"),
        StringColumn.create("metric"), StringColumn.create("iou"),
        DoubleColumn.create("published"));
    for (Protocol p : protocols) {
      String label = shortLabel(p);
      t.addColumns(DoubleColumn.create(label), DoubleColumn.create("diff " + label));
    }
    List<Map<String, List<ThresholdResult>>> results = new ArrayList<>();
    protocols.forEach(p -> results.add(results(selection, p)));
    for (String h : HEATMAP_THRESHOLDS) {
      for (String metric : List.of("ap", "recall")) {
        double[] pub = publishedTable.get(h + "," + metric);
        for (int i = 0; i < IOUS.length; i++) {
          t.stringColumn("heatmap_threshold").append(h);
          t.stringColumn("metric").append(metric);
          t.stringColumn("iou").append(ResultTables.label(IOUS[i]));
          t.doubleColumn("published").append(pub[i]);
          for (int k = 0; k < protocols.size(); k++) {
            ThresholdResult r = results.get(k).get(h).get(i);
            double ours = 100.0 * (metric.equals("ap") ? r.ap() : r.recall());
            String label = shortLabel(protocols.get(k));
            t.doubleColumn(label).append(ours);
            t.doubleColumn("diff " + label).append(ours - pub[i]);
          }
        }
      }
    }
    return t;
  }

  /** {@code "all-pt count"}: a column name that keeps the wide table narrow. */
  static String shortLabel(Protocol p) {
    return (p.apMethod() == ApMethod.ALL_POINT ? "all-pt" : "11-pt") + " "
        + p.difficult().name().toLowerCase();
  }

  Table variantTable() {
    Table t = Table.create("variants").addColumns(StringColumn.create("variant"),
        DoubleColumn.create("max abs diff ap"), DoubleColumn.create("max abs diff recall"),
        StringColumn.create("matches"));
    for (Variant v : variants()) {
      Table c = comparisonTable(v);
      double ap = 0;
      double rec = 0;
      for (int r = 0; r < c.rowCount(); r++) {
        double d = Math.abs(c.doubleColumn("difference").get(r));
        if (c.stringColumn("metric").get(r).equals("ap")) {
          ap = Math.max(ap, d);
        } else {
          rec = Math.max(rec, d);
        }
      }
      t.stringColumn("variant").append(v.name());
      t.doubleColumn("max abs diff ap").append(ap);
      t.doubleColumn("max abs diff recall").append(rec);
      t.stringColumn("matches").append(ap <= MATCH_TOLERANCE && rec <= MATCH_TOLERANCE ? "yes" : "no");
    }
    return t;
  }

  Table baselineTable() {
    Table t = Table.create("baselines").addColumns(StringColumn.create("baseline"),
        StringColumn.create("images"), StringColumn.create("ap"), StringColumn.create("difficult"));
    for (double iou : IOUS) {
      t.addColumns(DoubleColumn.create("ap " + ResultTables.label(iou)));
    }
    for (double iou : IOUS) {
      t.addColumns(DoubleColumn.create("recall " + ResultTables.label(iou)));
    }
    GroundTruth csvGt = VocObjectsCsv.groundTruth(vocObjects, "dog");
    for (String images : List.of("dog", "all")) {
      for (double area : new double[] {1.0, 0.5}) {
        List<Detection> dets = Baselines.centredBoxes(vocObjects, images.equals("dog") ? "dog" : null,
            area);
        for (Protocol protocol : apAndDifficultProtocols()) {
          List<ThresholdResult> rs = VocEvaluator.evaluate(csvGt, dets, IOUS, protocol);
          t.stringColumn("baseline").append(area == 1.0 ? "full image" : "centred 50% area");
          t.stringColumn("images").append(images.equals("dog") ? "dog images (" + dets.size() + ")"
              : "all test images (" + dets.size() + ")");
          t.stringColumn("ap").append(protocol.apMethod() == ApMethod.ALL_POINT ? "all-point"
              : "11-point");
          t.stringColumn("difficult").append(protocol.difficult().name().toLowerCase());
          for (ThresholdResult r : rs) {
            t.doubleColumn("ap " + ResultTables.label(r.iouThreshold())).append(100 * r.ap());
            t.doubleColumn("recall " + ResultTables.label(r.iouThreshold())).append(100 * r.recall());
          }
        }
      }
    }
    return t;
  }
}
