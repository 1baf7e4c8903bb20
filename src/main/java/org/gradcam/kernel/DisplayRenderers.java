package org.gradcam.kernel;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * How the notebook shows the values the project works with. Registered on jjava-jupyter's
 * {@link Renderer}, which picks the function of the value's most specific class and adds
 * {@code text/plain} ({@code String.valueOf}) for everything else.
 *
 * <ul>
 *   <li>{@link BufferedImage}: {@code image/png}, and its size as text.
 *   <li>XChart {@link Chart}: {@code image/png} drawn by {@link BitmapEncoder}.
 *   <li>Tablesaw {@link Table}: {@code text/html} (first {@value #MAX_HTML_ROWS} rows) and Tablesaw's text print.
 * </ul>
 */
public final class DisplayRenderers {

  /** Rows of a table shown as HTML; the rest is summarised in a last row. */
  public static final int MAX_HTML_ROWS = 50;

  private DisplayRenderers() {}

  /** Registers the project's renderers on {@code renderer}. */
  public static void registerAll(Renderer renderer) {
    renderer.createRegistration(BufferedImage.class)
        .preferring(MIMEType.IMAGE_PNG)
        .register((image, context) -> {
          context.renderIfRequested(MIMEType.IMAGE_PNG, () -> pngBase64(image));
          context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> describe(image));
        });
    renderer.createRegistration(Chart.class)
        .preferring(MIMEType.IMAGE_PNG)
        .register((chart, context) -> {
          context.renderIfRequested(MIMEType.IMAGE_PNG, () -> chartPngBase64(chart));
          context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> describe(chart));
        });
    renderer.createRegistration(Table.class)
        .preferring(MIMEType.TEXT_HTML)
        .register((table, context) -> {
          context.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
          context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print());
        });
  }

  /**
   * What {@link #registerAll} shows for a value, as MIME type -> data: for an image or chart
   * {@code image/png} and {@code text/plain}, for a table {@code text/html} and {@code text/plain};
   * empty for anything else. Plain JDK types in and out, so that a copy of this class loaded by
   * another class loader can be called reflectively (see {@link JJavaExtension}).
   */
  public static Map<String, String> mimeData(Object value) {
    Map<String, String> data = new LinkedHashMap<>();
    if (value instanceof BufferedImage image) {
      data.put(MIMEType.IMAGE_PNG.toString(), pngBase64(image));
      data.put(MIMEType.TEXT_PLAIN.toString(), describe(image));
    } else if (value instanceof Chart<?, ?> chart) {
      data.put(MIMEType.IMAGE_PNG.toString(), chartPngBase64(chart));
      data.put(MIMEType.TEXT_PLAIN.toString(), describe(chart));
    } else if (value instanceof Table table) {
      data.put(MIMEType.TEXT_HTML.toString(), html(table));
      data.put(MIMEType.TEXT_PLAIN.toString(), table.print());
    }
    return data;
  }

  /** The image as a base64 PNG, the form Jupyter's {@code image/png} data takes. */
  public static String pngBase64(RenderedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalArgumentException("no PNG writer for image " + image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static String chartPngBase64(Chart chart) {
    try {
      return Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(BufferedImage image) {
    return "BufferedImage " + image.getWidth() + "x" + image.getHeight();
  }

  @SuppressWarnings("rawtypes")
  private static String describe(Chart chart) {
    String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "" : " \"" + chart.getTitle() + "\"";
    return chart.getClass().getSimpleName() + title + " " + chart.getWidth() + "x" + chart.getHeight();
  }

  /** An HTML table with a caption, a header of column names and at most {@link #MAX_HTML_ROWS} rows. */
  public static String html(Table table) {
    StringBuilder html = new StringBuilder("<table>\n");
    html.append("<caption>").append(escape(table.name() == null ? "" : table.name()))
        .append(" (").append(table.rowCount()).append(" rows, ").append(table.columnCount())
        .append(" columns)</caption>\n<thead><tr><th></th>");
    for (String column : table.columnNames()) {
      html.append("<th>").append(escape(column)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    int shown = Math.min(table.rowCount(), MAX_HTML_ROWS);
    for (int row = 0; row < shown; row++) {
      html.append("<tr><th>").append(row).append("</th>");
      for (int col = 0; col < table.columnCount(); col++) {
        html.append("<td>").append(escape(table.getString(row, col))).append("</td>");
      }
      html.append("</tr>\n");
    }
    if (shown < table.rowCount()) {
      html.append("<tr><td colspan=\"").append(table.columnCount() + 1).append("\">… ")
          .append(table.rowCount() - shown).append(" more rows</td></tr>\n");
    }
    return html.append("</tbody>\n</table>").toString();
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
