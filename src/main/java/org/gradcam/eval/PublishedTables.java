package org.gradcam.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.VocObject;
import org.gradcam.data.VocObjectsCsv;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The tables of {@code published-reproduction.md}: the inputs, the published values beside the
 * reproduced ones per protocol variant and per AP definition and difficult rule, the variants'
 * largest differences, and the course's baselines. {@link PublishedReproduction} puts them into
 * its template.
 */
final class PublishedTables {
  private static final double[] IOUS = PublishedReproduction.IOUS;
  private static final List<String> HEATMAP_THRESHOLDS = PublishedReproduction.HEATMAP_THRESHOLDS;

  private final PublishedReproduction repro;
  private final Map<String, double[]> publishedTable;
  private final List<VocObject> vocObjects;

  PublishedTables(PublishedReproduction repro, Map<String, double[]> publishedTable,
      List<VocObject> vocObjects) {
    this.repro = repro;
    this.publishedTable = publishedTable;
    this.vocObjects = vocObjects;
  }

  Table inputs() {
    Table t = Table.create("inputs").addColumns(StringColumn.create("source"),
        IntColumn.create("images"), IntColumn.create("boxes"), IntColumn.create("difficult"));
    GroundTruth gt = repro.groundTruth();
    addInputRow(t, "all_gt_dogs.pickle", gt.byImage().size(), gt.boxCount(),
        (int) gt.difficultCount());
    for (var e : repro.detections().entrySet()) {
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

  Table comparison(PublishedReproduction.Variant v) {
    Table t = Table.create(v.name()).addColumns(StringColumn.create("heatmap_threshold"),
        StringColumn.create("metric"), StringColumn.create("iou"),
        DoubleColumn.create("published"), DoubleColumn.create("reproduced"),
        DoubleColumn.create("difference"));
    for (String h : HEATMAP_THRESHOLDS) {
      List<ThresholdResult> results = repro.evaluate(h, v);
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
    List<Protocol> protocols = PublishedReproduction.apAndDifficultProtocols();
    Table t = Table.create(name).addColumns(StringColumn.create("heatmap_threshold"),
        StringColumn.create("metric"), StringColumn.create("iou"),
        DoubleColumn.create("published"));
    for (Protocol p : protocols) {
      String label = shortLabel(p);
      t.addColumns(DoubleColumn.create(label), DoubleColumn.create("diff " + label));
    }
    List<Map<String, List<ThresholdResult>>> results = new ArrayList<>();
    protocols.forEach(p -> results.add(repro.results(selection, p)));
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
        + p.difficult().name().toLowerCase(Locale.ROOT);
  }

  Table variants() {
    Table t = Table.create("variants").addColumns(StringColumn.create("variant"),
        DoubleColumn.create("max abs diff ap"), DoubleColumn.create("max abs diff recall"),
        StringColumn.create("matches"));
    for (PublishedReproduction.Variant v : PublishedReproduction.variants()) {
      Table c = comparison(v);
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
      t.stringColumn("matches").append(ap <= PublishedReproduction.MATCH_TOLERANCE
          && rec <= PublishedReproduction.MATCH_TOLERANCE ? "yes" : "no");
    }
    return t;
  }

  Table baselines() {
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
        for (Protocol protocol : PublishedReproduction.apAndDifficultProtocols()) {
          List<ThresholdResult> rs = VocEvaluator.evaluate(csvGt, dets, IOUS, protocol);
          t.stringColumn("baseline").append(area == 1.0 ? "full image" : "centred 50% area");
          t.stringColumn("images").append(images.equals("dog") ? "dog images (" + dets.size() + ")"
              : "all test images (" + dets.size() + ")");
          t.stringColumn("ap").append(protocol.apMethod().id());
          t.stringColumn("difficult").append(protocol.difficult().name().toLowerCase(Locale.ROOT));
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
