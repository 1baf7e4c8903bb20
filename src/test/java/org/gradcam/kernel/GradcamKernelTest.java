package org.gradcam.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the kernel through {@link GradcamKernel#eval} (no ZMQ), one JShell session for all tests. */
class GradcamKernelTest {

  private static GradcamKernel kernel;

  @BeforeAll
  static void startKernel() {
    kernel = new GradcamKernel();
  }

  @AfterAll
  static void stopKernel() {
    kernel.close();
  }

  private static String text(DisplayData data) {
    return (String) data.getData(MIMEType.TEXT_PLAIN);
  }

  private static BufferedImage png(DisplayData data) throws Exception {
    assertThat(data.hasDataForType(MIMEType.IMAGE_PNG)).as("has image/png").isTrue();
    byte[] bytes = Base64.getDecoder().decode((String) data.getData(MIMEType.IMAGE_PNG));
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  /** Runs a cell with System.out/err captured, the way BaseKernel routes them to Jupyter streams. */
  private static String[] evalCapturing(String cell) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      DisplayData result = kernel.eval(cell);
      return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
          result == null ? null : text(result)};
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void expressionCellShowsItsValueAsText() {
    assertThat(text(kernel.eval("1 + 2"))).isEqualTo("3");
    assertThat(text(kernel.eval("\"grad\" + \"cam\""))).isEqualTo("gradcam");
    assertThat(text(kernel.eval("String s0 = null;\ns0"))).isEqualTo("null");
  }

  @Test
  void printingCellShowsStdoutAndStderrAndNoResult() {
    String[] run = evalCapturing("System.out.println(\"hello\");\nSystem.err.println(\"careful\");");
    assertThat(run[0]).isEqualTo("hello\n");
    assertThat(run[1]).isEqualTo("careful\n");
    assertThat(run[2]).isNull();
  }

  @Test
  void statementsAndDeclarationsShowNothing() {
    assertThat(kernel.eval("int unused = 5;")).isNull();
    assertThat(kernel.eval("void nothing() {}")).isNull();
    assertThat(kernel.eval("import java.util.List;")).isNull();
    assertThat(kernel.eval("unused = 6;")).isNull();
  }

  @Test
  void multiSnippetCellWithImportsMethodsClassesAndAFinalExpression() {
    String cell = String.join("\n",
        "import java.util.stream.IntStream;",
        "",
        "int square(int x) {",
        "  return x * x;",
        "}",
        "record Pair(int a, int b) {}",
        "var p = new Pair(3, 4);",
        "System.out.println(\"sum \" + (p.a() + p.b()));",
        "IntStream.rangeClosed(1, 3).map(i -> square(i)).sum() + square(p.b())");
    String[] run = evalCapturing(cell);
    assertThat(run[0]).isEqualTo("sum 7\n");
    assertThat(run[2]).isEqualTo("30");
  }

  @Test
  void stateIsKeptAcrossCells() {
    assertThat(kernel.eval("int counter = 41;")).isNull();
    assertThat(kernel.eval("int next() { return ++counter; }")).isNull();
    assertThat(text(kernel.eval("next()"))).isEqualTo("42");
    assertThat(text(kernel.eval("counter"))).isEqualTo("42");
  }

  @Test
  void bufferedImageIsShownAsPng() throws Exception {
    DisplayData data = kernel.eval(String.join("\n",
        "import java.awt.image.BufferedImage;",
        "var img = new BufferedImage(37, 21, BufferedImage.TYPE_INT_RGB);",
        "img.setRGB(3, 4, 0xff0000);",
        "img"));
    BufferedImage decoded = png(data);
    assertThat(decoded.getWidth()).isEqualTo(37);
    assertThat(decoded.getHeight()).isEqualTo(21);
    assertThat(decoded.getRGB(3, 4) & 0xffffff).isEqualTo(0xff0000);
    assertThat(text(data)).isEqualTo("BufferedImage 37x21");
  }

  @Test
  void xchartIsShownAsPng() throws Exception {
    DisplayData data = kernel.eval(String.join("\n",
        "import org.knowm.xchart.*;",
        "XYChart chart = new XYChartBuilder().width(320).height(240).title(\"loss\").build();",
        "chart.addSeries(\"train\", new double[] {1, 2, 3}, new double[] {0.9, 0.5, 0.3});",
        "chart"));
    BufferedImage decoded = png(data);
    assertThat(decoded.getWidth()).isEqualTo(320);
    assertThat(decoded.getHeight()).isEqualTo(240);
    assertThat(text(data)).contains("XYChart", "loss");
  }

  @Test
  void tablesawTableIsShownAsHtmlAndText() {
    DisplayData data = kernel.eval(String.join("\n",
        "import tech.tablesaw.api.*;",
        "Table.create(\"scores\",",
        "    StringColumn.create(\"label\", \"cat\", \"dog<&>\"),",
        "    DoubleColumn.create(\"iou\", 0.75, 0.5))"));
    String html = (String) data.getData(MIMEType.TEXT_HTML);
    assertThat(html).startsWith("<table>").contains("<th>label</th>", "<th>iou</th>", "cat", "dog&lt;&amp;&gt;");
    assertThat(text(data)).contains("label", "iou", "cat");
  }

  @Test
  void compileErrorNamesTheDiagnosticAndShowsTheFailingLine() {
    assertThatThrownBy(() -> kernel.eval("int fine = 1;\nint broken = fine + missingName;\nfine"))
        .isInstanceOf(CellCompilationException.class)
        .satisfies(e -> assertThat(((CellCompilationException) e).line()).isEqualTo(2))
        .hasMessageContaining("line 2: cannot find symbol")
        .hasMessageContaining("variable missingName")
        .hasMessageContaining("2 | int broken = fine + missingName;")
        .hasMessageContaining("^^^^^^^^^^^")
        .hasMessageNotContaining("location: class");
  }

  @Test
  void runtimeExceptionNamesClassMessageAndCellLines() {
    kernel.eval(String.join("\n",
        "int divide(int a, int b) {",
        "  int q = a / b;",
        "  return q;",
        "}"));
    assertThatThrownBy(() -> kernel.eval("int x = 1;\n\nint y = divide(x, 0);"))
        .isInstanceOf(CellEvaluationException.class)
        .satisfies(e -> {
          CellEvaluationException ce = (CellEvaluationException) e;
          assertThat(ce.exceptionClass()).isEqualTo("java.lang.ArithmeticException");
          assertThat(ce.report().get(0)).isEqualTo("java.lang.ArithmeticException: / by zero");
          assertThat(ce.report()).anySatisfy(l -> assertThat(l).contains("divide()", "line 2", "int q = a / b;"));
          assertThat(ce.report()).anySatisfy(l -> assertThat(l).contains("at cell, line 3: int y = divide(x, 0);"));
        });
  }

  @Test
  void exceptionThrownInsideLibraryShowsLibraryFrameAndCellFrame() {
    assertThatThrownBy(() -> kernel.eval("Integer.parseInt(\"seven\")"))
        .isInstanceOf(CellEvaluationException.class)
        .hasMessageStartingWith("java.lang.NumberFormatException: For input string: \"seven\"")
        .hasMessageContaining("java.lang.Integer.parseInt")
        .hasMessageContaining("at cell, line 1");
  }

  @Test
  void unresolvedReferencesAreErrorsNotDeferred() {
    assertThatThrownBy(() -> kernel.eval("int caller() {\n  return notYetDefined(2);\n}"))
        .isInstanceOf(CellCompilationException.class)
        .hasMessageContaining("cannot find symbol")
        .hasMessageContaining("notYetDefined");
    // The failed declaration was dropped, so defining the missing method later does not revive it.
    kernel.eval("int notYetDefined(int x) { return x; }");
    assertThatThrownBy(() -> kernel.eval("caller()")).isInstanceOf(CellCompilationException.class);
  }

  @Test
  void forwardReferencesInsideOneCellAreFine() {
    String cell = String.join("\n",
        "boolean isEven(int n) { return n == 0 || isOdd(n - 1); }",
        "boolean isOdd(int n) { return n != 0 && isEven(n - 1); }",
        "isEven(10)");
    assertThat(text(kernel.eval(cell))).isEqualTo("true");
  }

  @Test
  void incompleteCellIsACompileError() {
    assertThatThrownBy(() -> kernel.eval("int ok = 1;\nMath.max(1,"))
        .isInstanceOf(CellCompilationException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void projectClassesAreOnTheCellClassPath() {
    assertThat(text(kernel.eval("org.gradcam.kernel.DisplayRenderers.MAX_HTML_ROWS"))).isEqualTo("50");
  }

  @Test
  void errorsAreFormattedFromTheCellReport() {
    try {
      kernel.eval("throw new IllegalStateException(\"boom\");");
    } catch (CellEvaluationException e) {
      assertThat(kernel.formatError(e)).hasSize(e.report().size());
      assertThat(kernel.formatError(e).get(0)).contains("java.lang.IllegalStateException: boom");
      return;
    }
    throw new AssertionError("no exception");
  }

  /** A jar with class {@code demo.Hello} whose {@code greet()} returns "hello from a jar". */
  private static Path helloJar(Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/demo")).resolve("Hello.java");
    Files.writeString(src, "package demo; public class Hello { public static String greet() {"
        + " return \"hello from a jar\"; } }");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
    assertThat(javac).isZero();
    Path jar = Files.createDirectories(dir.resolve("lib")).resolve("hello.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("demo/Hello.class"));
      out.write(Files.readAllBytes(classes.resolve("demo/Hello.class")));
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void classpathMagicAddsAJarTheNextLinesUse(@TempDir Path tmp) throws Exception {
    Path jar = helloJar(tmp);
    assertThatThrownBy(() -> kernel.eval("demo.Hello.greet()")).isInstanceOf(CellCompilationException.class);
    String[] run = evalCapturing("%jars " + jar.getParent() + "/*.jar\ndemo.Hello.greet()");
    assertThat(run[0]).isEqualTo("%jars: added 1 of 1 entries to the class path\n");
    assertThat(run[2]).isEqualTo("hello from a jar");
    // A notebook's %classpath cell may run again (or name what the kernel already has): no duplicates.
    run = evalCapturing("%classpath " + jar);
    assertThat(run[0]).isEqualTo("%classpath: added 0 of 1 entries to the class path (1 already on it)\n");
    assertThat(run[2]).isNull();
  }

  @Test
  void unknownLineMagicIsAClearErrorNotACompileError() {
    assertThatThrownBy(() -> kernel.eval("%maven org.knowm.xchart:xchart:3.8.8\n1 + 1"))
        .isInstanceOf(LineMagics.MagicException.class)
        .isNotInstanceOf(CellCompilationException.class)
        .hasMessageStartingWith("Unknown magic %maven in line 1")
        .hasMessageContaining("%classpath and %jars");
  }

  @Test
  void errorLinesAfterAMagicLineStillCountFromTheCellsFirstLine() {
    assertThatThrownBy(() -> kernel.eval("%classpath " + JupyterRunner.project().resolve("pom.xml")
        + "\nint broken = undefinedThing;"))
        .isInstanceOf(CellCompilationException.class)
        .hasMessageContaining("line 2: cannot find symbol");
  }

  @Test
  void isCompleteTellsNotebookFrontEndsWhetherToRun() {
    assertThat(kernel.isComplete("%classpath /x/lib/*\nint a = 1;")).isEqualTo("complete");
    assertThat(kernel.isComplete("int a = 1;")).isEqualTo("complete");
    assertThat(kernel.isComplete("for (int i = 0; i < 3; i++) {")).isEqualTo("");
  }
}
