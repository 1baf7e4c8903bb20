package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class MarkdownTablesTest {
  @Test
  void doublesGetFixedDecimalsAndMissingOnesAnEmptyCell() {
    Table t = Table.create("t", StringColumn.create("run", "a", "b"),
        DoubleColumn.create("ratio", 0.125, Double.NaN));
    assertThat(MarkdownTables.render(t, 2)).isEqualTo(
        "| run | ratio |\n| --- | ---: |\n| a | 0.13 |\n| b |  |\n");
  }
}
