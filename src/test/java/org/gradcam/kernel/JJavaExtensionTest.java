package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Array;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The JJava extension, installed the way JJava installs extensions: a kernel on jjava-jupyter's
 * {@link BaseKernel} with extensions enabled starts up and finds it through the jar's
 * {@code META-INF/services} file. Charts and tables must then render exactly as in our kernel.
 * (The JJava kernel itself is not on Maven Central, so a minimal kernel stands in for it.)
 */
class JJavaExtensionTest {

  /** A kernel whose "cells" are already values, the way JJava hands a cell's value to its renderer. */
  static final class ValueKernel extends BaseKernel {
    private Object next;

    ValueKernel() {
      super("jjava-stand-in", "0", new LanguageInfo.Builder("java").build(), List.of(), null,
          new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null,
          new MagicsRegistry(), true, new StringStyler.Builder().build());
    }

    DisplayData show(Object value) {
      next = value;
      return eval("value");
    }

    @Override
    public Object evalRaw(String source) {
      return next;
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
      return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
      return null;
    }

    @Override
    public String isComplete(String code) {
      return IS_COMPLETE_YES;
    }
  }

  private static GradcamKernel ours;

  @BeforeAll
  static void startOurKernel() {
    ours = new GradcamKernel();
  }

  @AfterAll
  static void stopOurKernel() {
    ours.close();
  }

  private static XYChart chart() {
    XYChart chart = new XYChartBuilder().width(300).height(200).title("AP vs threshold").build();
    chart.addSeries("AP@0.5", new double[] {0.02, 0.06, 0.1}, new double[] {0.4, 0.55, 0.5});
    return chart;
  }

  private static Table table() {
    return Table.create("ap", StringColumn.create("model", "squeezenet1.1", "vgg<16>"),
        DoubleColumn.create("ap", 0.5, 0.25));
  }

  @Test
  void extensionFoundThroughServiceFileRendersChartsAndTablesExactlyAsOurKernel() {
    ValueKernel jjava = new ValueKernel();
    // Before the extension: what JJava showed, the chart's toString and the table as text only.
    assertThat(jjava.show(chart()).hasDataForType(MIMEType.IMAGE_PNG)).isFalse();
    assertThat(jjava.show(table()).hasDataForType(MIMEType.TEXT_HTML)).isFalse();

    jjava.onStartup(); // installs the extensions the class path's META-INF/services files name

    DisplayData chartThere = jjava.show(chart());
    DisplayData chartHere = ours.render(chart());
    assertThat(chartThere.hasDataForType(MIMEType.IMAGE_PNG)).isTrue();
    assertThat(chartThere.getData(MIMEType.IMAGE_PNG)).isEqualTo(chartHere.getData(MIMEType.IMAGE_PNG));
    assertThat(chartThere.getData(MIMEType.TEXT_PLAIN)).isEqualTo(chartHere.getData(MIMEType.TEXT_PLAIN))
        .asString().contains("XYChart", "AP vs threshold");

    DisplayData tableThere = jjava.show(table());
    DisplayData tableHere = ours.render(table());
    assertThat((String) tableThere.getData(MIMEType.TEXT_HTML)).startsWith("<table>")
        .contains("<th>model</th>", "vgg&lt;16&gt;")
        .isEqualTo(tableHere.getData(MIMEType.TEXT_HTML));
    assertThat(tableThere.getData(MIMEType.TEXT_PLAIN)).isEqualTo(tableHere.getData(MIMEType.TEXT_PLAIN));
  }

  @Test
  void otherValuesStayPlainText() {
    ValueKernel jjava = new ValueKernel();
    new JJavaExtension().install(jjava);
    for (Object value : List.of("abc", 42, List.of(1, 2))) {
      DisplayData data = jjava.show(value);
      assertThat(data.getData(MIMEType.TEXT_PLAIN)).isEqualTo(String.valueOf(value));
      assertThat(data.hasDataForType(MIMEType.IMAGE_PNG)).isFalse();
      assertThat(data.hasDataForType(MIMEType.TEXT_HTML)).isFalse();
    }
  }

  /**
   * A loader with its own copies of every class of the test class path (XChart, Tablesaw, ours),
   * as when JJava loads the cells' classes through JShell and the extension through another loader.
   */
  private static URLClassLoader foreignLoader() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  @Test
  void chartsAndTablesOfAnotherClassLoaderRenderTheSame() throws Exception {
    ValueKernel jjava = new ValueKernel();
    new JJavaExtension().install(jjava);
    try (URLClassLoader foreign = foreignLoader()) {
      Object builder = foreign.loadClass("org.knowm.xchart.XYChartBuilder").getConstructor().newInstance();
      builder = builder.getClass().getMethod("width", int.class).invoke(builder, 300);
      builder = builder.getClass().getMethod("height", int.class).invoke(builder, 200);
      builder = builder.getClass().getMethod("title", String.class).invoke(builder, "AP vs threshold");
      Object chart = builder.getClass().getMethod("build").invoke(builder);
      chart.getClass().getMethod("addSeries", String.class, double[].class, double[].class)
          .invoke(chart, "AP@0.5", new double[] {0.02, 0.06, 0.1}, new double[] {0.4, 0.55, 0.5});
      assertThat(chart).isNotInstanceOf(org.knowm.xchart.internal.chartpart.Chart.class);

      DisplayData there = jjava.show(chart);
      DisplayData here = ours.render(chart());
      assertThat(there.hasDataForType(MIMEType.IMAGE_PNG)).isTrue();
      assertThat(there.getData(MIMEType.IMAGE_PNG)).isEqualTo(here.getData(MIMEType.IMAGE_PNG));
      assertThat(there.getData(MIMEType.TEXT_PLAIN)).isEqualTo(here.getData(MIMEType.TEXT_PLAIN));

      Class<?> column = foreign.loadClass("tech.tablesaw.columns.Column");
      Object columns = Array.newInstance(column, 2);
      Array.set(columns, 0, foreign.loadClass("tech.tablesaw.api.StringColumn")
          .getMethod("create", String.class, String[].class)
          .invoke(null, "model", new String[] {"squeezenet1.1", "vgg<16>"}));
      Array.set(columns, 1, foreign.loadClass("tech.tablesaw.api.DoubleColumn")
          .getMethod("create", String.class, double[].class).invoke(null, "ap", new double[] {0.5, 0.25}));
      Object table = foreign.loadClass("tech.tablesaw.api.Table")
          .getMethod("create", String.class, columns.getClass()).invoke(null, "ap", columns);
      assertThat(table).isNotInstanceOf(Table.class);
      DisplayData tableThere = jjava.show(table);
      assertThat(tableThere.getData(MIMEType.TEXT_HTML)).isEqualTo(ours.render(table()).getData(MIMEType.TEXT_HTML));
    }
  }

  @Test
  void extensionInstalledDirectlyRegistersTheSameRenderers() {
    ValueKernel jjava = new ValueKernel();
    new JJavaExtension().install(jjava);
    assertThat(jjava.show(chart()).getData(MIMEType.IMAGE_PNG))
        .isEqualTo(ours.render(chart()).getData(MIMEType.IMAGE_PNG));
    assertThat(jjava.show(table()).getData(MIMEType.TEXT_HTML))
        .isEqualTo(ours.render(table()).getData(MIMEType.TEXT_HTML));
  }
}
