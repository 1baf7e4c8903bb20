package org.gradcam.kernel;

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
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;

/**
 * The Jupyter kernel of the project: Java cells evaluated by one in-process JShell session
 * ({@link CellEvaluator}), values shown by {@link DisplayRenderers}.
 *
 * <p>jjava-jupyter's {@link BaseKernel} does the protocol: it routes {@code System.out} and
 * {@code System.err} to the notebook as streams while a cell runs, publishes what {@link #eval}
 * returns as the cell's result, and publishes exceptions as errors with the lines of
 * {@link #formatError}. Tests call {@link #eval} directly, without ZMQ.
 */
public final class GradcamKernel extends BaseKernel implements AutoCloseable {

  static {
    // Charts and images are drawn without a display; must be set before AWT starts.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  public static final String NAME = "gradcam";
  public static final String VERSION = "0.1.0";

  private final CellEvaluator evaluator;
  private final LineMagics magics;

  /** A kernel whose cells see this JVM's class path (the project jar and its dependencies). */
  public GradcamKernel() {
    this(System.getProperty("java.class.path"));
  }

  /** A kernel whose cells see {@code classpath}. */
  public GradcamKernel(String classpath) {
    super(
        NAME,
        VERSION,
        new LanguageInfo.Builder("java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("java")
            .build(),
        List.of(),
        null,
        new JupyterIO(StandardCharsets.UTF_8),
        new CommManager(),
        new Renderer(),
        null,
        new MagicsRegistry(),
        false,
        new StringStyler.Builder()
            .addPrimaryStyle(TextColor.BOLD_RESET_FG)
            .addSecondaryStyle(TextColor.BOLD_RED_FG)
            .addHighlightStyle(TextColor.BOLD_RESET_FG)
            .build());
    DisplayRenderers.registerAll(renderer);
    this.evaluator = new CellEvaluator(classpath);
    // Relative magic paths start where Jupyter started the kernel: the notebook's folder.
    this.magics = new LineMagics(evaluator::addToClasspath, Path.of(System.getProperty("user.dir")));
  }

  /**
   * Evaluates a cell and returns the raw value of its last expression, {@code null} when the cell
   * ends with a statement or declaration. A {@code null} value is returned as the text "null".
   * Line magics ({@link LineMagics}: {@code %classpath}, {@code %jars}) run first.
   */
  @Override
  public Object evalRaw(String source) {
    return evaluator.eval(magics.run(source))
        .map(v -> v.value() == null ? new DisplayData("null") : v.value())
        .orElse(null);
  }

  /** Renders any object as the notebook would show it. */
  public DisplayData render(Object value) {
    return value == null ? new DisplayData("null") : renderer.render(value);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return null; // no documentation lookup
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = {at};
    List<String> options = evaluator.complete(code, at, anchor);
    return new ReplacementOptions(options, anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    return switch (evaluator.completeness(LineMagics.strip(code))) {
      case "complete" -> IS_COMPLETE_YES;
      case "invalid" -> IS_COMPLETE_BAD;
      default -> "";
    };
  }

  @Override
  public void interrupt() {
    evaluator.interrupt();
  }

  /** Cell errors show their own report (cell lines, no kernel internals); others the stack trace. */
  @Override
  public List<String> formatError(Throwable e) {
    if (!(e instanceof CellException cellException)) {
      return super.formatError(e);
    }
    List<String> report = cellException.report();
    List<String> lines = new ArrayList<>(report.size());
    lines.add(errorStyler.secondary(report.get(0)));
    lines.addAll(report.subList(1, report.size()));
    return lines;
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    super.onShutdown(isRestarting);
    close();
  }

  @Override
  public void close() {
    evaluator.close();
  }
}
