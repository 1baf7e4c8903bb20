package org.gradcam.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Evaluation results as the published layout: rows {@code ap}/{@code recall}, columns IoU, percent. */
public final class ResultTables {
  private ResultTables() {}

  public static Table of(String name, List<ThresholdResult> results) {
    Table t = Table.create(name).addColumns(StringColumn.create("metric", "ap", "recall"));
    for (ThresholdResult r : results) {
      t.addColumns(DoubleColumn.create(label(r.iouThreshold()),
          100.0 * r.ap(), 100.0 * r.recall()));
    }
    return t;
  }

  /** {@code {"0.3": {"ap": .., "recall": ..}, ...}} in percent, full double precision. */
  public static String json(List<ThresholdResult> results) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    for (ThresholdResult r : results) {
      root.putObject(label(r.iouThreshold()))
          .put("ap", 100.0 * r.ap()).put("recall", 100.0 * r.recall());
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code 0.3} for 0.3, not {@code 0.30000000000000004}: thresholds are typed by people. */
  static String label(double threshold) {
    return java.math.BigDecimal.valueOf(threshold).stripTrailingZeros().toPlainString();
  }
}
