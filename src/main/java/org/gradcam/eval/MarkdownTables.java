package org.gradcam.eval;

import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renders a Tablesaw table as a GitHub markdown table: doubles with a fixed number of decimals,
 * a missing double (NaN, Tablesaw's missing value) as an empty cell, a value that does not apply.
 */
public final class MarkdownTables {
  private MarkdownTables() {}

  public static String render(Table table, int decimals) {
    StringBuilder sb = new StringBuilder("|");
    for (Column<?> c : table.columns()) {
      sb.append(' ').append(c.name()).append(" |");
    }
    sb.append("\n|");
    for (Column<?> c : table.columns()) {
      sb.append(c.type() == ColumnType.DOUBLE ? " ---: |" : " --- |");
    }
    sb.append('\n');
    for (Row row : table) {
      sb.append('|');
      for (Column<?> c : table.columns()) {
        String cell;
        if (c.type() != ColumnType.DOUBLE) {
          cell = row.getObject(c.name()).toString();
        } else {
          double v = row.getDouble(c.name());
          cell = Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        sb.append(' ').append(cell).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
