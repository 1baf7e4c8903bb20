package org.gradcam.eval;

import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Renders a Tablesaw table as a GitHub markdown table (doubles with a fixed number of decimals). */
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
        String cell = c.type() == ColumnType.DOUBLE
            ? String.format(Locale.ROOT, "%." + decimals + "f", row.getDouble(c.name()))
            : row.getObject(c.name()).toString();
        sb.append(' ').append(cell).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
