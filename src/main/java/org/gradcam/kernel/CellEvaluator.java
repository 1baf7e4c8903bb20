package org.gradcam.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.Snippet.Status;
import jdk.jshell.Snippet.SubKind;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates notebook cells in one JShell session that runs in this JVM.
 *
 * <p>A cell is split into JShell snippets with {@link SourceCodeAnalysis#analyzeCompletion}, so a
 * cell may hold imports, statements, method and class declarations and a final expression. The
 * value of the last snippet is returned when that snippet is an expression; statements and
 * declarations give no value. Errors are thrown as {@link CellCompilationException} or
 * {@link CellEvaluationException} with line numbers of the cell. Declarations that still refer to
 * undefined names when the cell ends are dropped and reported as errors, rather than being left
 * for JShell to complete silently later.
 *
 * <p>Not thread-safe: the kernel evaluates one cell at a time.
 */
public final class CellEvaluator implements AutoCloseable {

  /** Snippet kinds whose value a notebook shows (an assignment, like in Python, shows nothing). */
  private static final Set<SubKind> VALUE_KINDS =
      EnumSet.of(SubKind.TEMP_VAR_EXPRESSION_SUBKIND, SubKind.VAR_VALUE_SUBKIND, SubKind.OTHER_EXPRESSION_SUBKIND);

  private static final int MAX_DIAGNOSTICS = 5;
  private static final int MAX_CAUSES = 5;

  /** The value of a cell's last expression; {@code value} may be {@code null}. */
  public record CellValue(Object value) {}

  /** Where a snippet's (left-trimmed) source starts: cell number and 1-based line in that cell. */
  private record Origin(int cell, int firstLine) {}

  private final CapturingExecutionControl control = new CapturingExecutionControl();
  private final JShell shell;
  private final SourceCodeAnalysis analysis;
  private final Map<String, Origin> origins = new HashMap<>();
  private final Map<Integer, String> cells = new HashMap<>();
  /** Class path entries the cells see, as absolute normalised paths (to add each jar once). */
  private final Set<Path> classpath = new LinkedHashSet<>();
  private int cellCount;

  /** A session whose code sees {@code classpath} (entries separated by {@link File#pathSeparator}). */
  public CellEvaluator(String classpath) {
    shell = JShell.builder()
        .executionEngine(new CapturingExecutionControl.Provider(control), Map.of())
        .build();
    if (classpath != null && !classpath.isBlank()) {
      shell.addToClasspath(classpath);
      for (String entry : classpath.split(Pattern.quote(File.pathSeparator))) {
        if (!entry.isEmpty()) {
          this.classpath.add(canonical(Path.of(entry)));
        }
      }
    }
    analysis = shell.sourceCodeAnalysis();
  }

  /**
   * Adds the entries the cells do not see yet to their class path (a jar there twice would, e.g.,
   * make SLF4J warn of multiple bindings) and returns those it added.
   */
  public List<Path> addToClasspath(List<Path> entries) {
    List<Path> added = new ArrayList<>();
    for (Path entry : entries) {
      Path path = canonical(entry);
      if (classpath.add(path)) {
        shell.addToClasspath(path.toString());
        added.add(path);
      }
    }
    return added;
  }

  /** The real path of an existing file (links resolved), else the absolute normalised one. */
  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException | SecurityException e) {
      return absolute;
    }
  }

  /**
   * Evaluates one cell.
   *
   * @return the value of the cell's last snippet if that is an expression, else empty
   * @throws CellCompilationException when a snippet does not compile or a declaration stays unresolved
   * @throws CellEvaluationException when the cell's code throws
   */
  public Optional<CellValue> eval(String code) {
    int cell = ++cellCount;
    cells.put(cell, code);
    List<DeclarationSnippet> declared = new ArrayList<>();
    Optional<CellValue> last = Optional.empty();
    boolean ok = false;
    try {
      String rest = code;
      while (true) {
        int offset = code.length() - rest.length();
        CompletionInfo info = analysis.analyzeCompletion(rest);
        Completeness completeness = info.completeness();
        if (completeness == Completeness.EMPTY) {
          break;
        }
        if (completeness == Completeness.DEFINITELY_INCOMPLETE
            || completeness == Completeness.CONSIDERED_INCOMPLETE) {
          int at = offset + leadingWhitespace(rest);
          throw compilationError(code, at, List.of(
              "Compilation error in line " + lineOf(code, at) + ": incomplete code"
                  + " (a missing ';', ')' or '}'?)"), at, at + 1);
        }
        // UNKNOWN means the source is broken; JShell's own diagnostics then say why.
        String source = completeness.isComplete() ? info.source() : rest;
        rest = completeness.isComplete() ? info.remaining() : "";
        // JShell numbers stack-trace lines from the first non-blank character of a snippet.
        int lead = leadingWhitespace(source);
        last = evalSnippet(source.substring(lead), code, cell, offset + lead, declared);
      }
      requireResolved(declared, code);
      ok = true;
      return last;
    } finally {
      if (!ok) {
        dropUnresolved(declared);
      }
      control.clearValues();
    }
  }

  private Optional<CellValue> evalSnippet(
      String source, String code, int cell, int start, List<DeclarationSnippet> declared) {
    Optional<CellValue> value = Optional.empty();
    for (SnippetEvent event : shell.eval(source)) {
      if (event.causeSnippet() != null) {
        continue; // an older snippet updated because of this one
      }
      Snippet snippet = event.snippet();
      origins.put(snippet.id(), new Origin(cell, lineOf(code, start)));
      if (event.status() == Status.REJECTED) {
        throw rejected(snippet, code, start);
      }
      if (event.exception() != null) {
        throw evaluationError(event.exception(), cell);
      }
      if (snippet instanceof DeclarationSnippet declaration) {
        declared.add(declaration);
      }
      value = VALUE_KINDS.contains(snippet.subKind()) && control.holds(event.value())
          ? Optional.of(new CellValue(control.take(event.value())))
          : Optional.empty();
    }
    return value;
  }

  /** Declarations of this cell that still wait for an undefined name are errors. */
  private void requireResolved(List<DeclarationSnippet> declared, String code) {
    for (DeclarationSnippet declaration : declared) {
      if (!isUnresolved(declaration)) {
        continue;
      }
      String missing = String.join(", ", shell.unresolvedDependencies(declaration).toList());
      Origin origin = origins.get(declaration.id());
      int at = lineStartOffset(code, origin.firstLine());
      throw compilationError(code, at, List.of(
          "Compilation error in line " + origin.firstLine() + ": cannot find symbol " + missing,
          "  (needed by " + declaration.name() + ")"), -1, -1);
    }
  }

  private void dropUnresolved(List<DeclarationSnippet> declared) {
    for (DeclarationSnippet declaration : declared) {
      if (isUnresolved(declaration)) {
        shell.drop(declaration);
      }
    }
  }

  private boolean isUnresolved(DeclarationSnippet declaration) {
    Status status = shell.status(declaration);
    return status == Status.RECOVERABLE_DEFINED || status == Status.RECOVERABLE_NOT_DEFINED;
  }

  private CellCompilationException rejected(Snippet snippet, String code, int start) {
    List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).limit(MAX_DIAGNOSTICS).toList();
    if (errors.isEmpty()) {
      return compilationError(code, start, List.of(
          "Compilation error in line " + lineOf(code, start) + ": the snippet was rejected"), start, start + 1);
    }
    List<String> report = new ArrayList<>();
    int firstLine = -1;
    for (Diag diag : errors) {
      long pos = diag.getStartPosition();
      int at = pos == Diagnostic.NOPOS ? start : start + (int) pos;
      int end = diag.getEndPosition() == Diagnostic.NOPOS ? at + 1 : start + (int) diag.getEndPosition();
      int line = lineOf(code, at);
      if (firstLine < 0) {
        firstLine = line;
      }
      List<String> message = cleanMessage(diag.getMessage(Locale.ROOT));
      report.add("Compilation error in line " + line + ": " + message.get(0));
      report.addAll(message.subList(1, message.size()));
      report.addAll(excerpt(code, at, end));
    }
    return new CellCompilationException(firstLine, report);
  }

  private static CellCompilationException compilationError(
      String code, int at, List<String> headline, int from, int to) {
    List<String> report = new ArrayList<>(headline);
    report.addAll(excerpt(code, from < 0 ? at : from, to < 0 ? -1 : to));
    return new CellCompilationException(lineOf(code, at), report);
  }

  /** javac's message without the empty "location: class" line of JShell's wrapper class. */
  private static List<String> cleanMessage(String message) {
    return message.lines()
        .filter(l -> !l.strip().equals("location: class"))
        .collect(Collectors.toList());
  }

  /** The cell line holding {@code from}, numbered, and a caret line under {@code from..to}. */
  private static List<String> excerpt(String code, int from, int to) {
    from = Math.max(0, Math.min(from, code.length()));
    int lineStart = code.lastIndexOf('\n', from - 1) + 1;
    int lineEnd = code.indexOf('\n', from);
    if (lineEnd < 0) {
      lineEnd = code.length();
    }
    String text = code.substring(lineStart, lineEnd).stripTrailing();
    String number = String.valueOf(lineOf(code, from));
    List<String> lines = new ArrayList<>();
    lines.add(number + " | " + text);
    if (to >= 0) {
      int width = Math.max(1, Math.min(to, lineEnd) - from);
      lines.add(" ".repeat(number.length()) + " | " + " ".repeat(from - lineStart) + "^".repeat(width));
    }
    return lines;
  }

  private CellEvaluationException evaluationError(JShellException exception, int cell) {
    if (exception instanceof UnresolvedReferenceException unresolved) {
      DeclarationSnippet snippet = unresolved.getSnippet();
      String missing = String.join(", ", shell.unresolvedDependencies(snippet).toList());
      String message = snippet.name() + " cannot be used until " + missing + " is declared";
      List<String> report = new ArrayList<>();
      report.add("Unresolved reference: " + message);
      report.addAll(frames(exception.getStackTrace(), cell));
      return new CellEvaluationException(UnresolvedReferenceException.class.getName(), message, report);
    }
    EvalException thrown = (EvalException) exception;
    List<String> report = new ArrayList<>();
    report.add(headline(thrown));
    report.addAll(frames(thrown.getStackTrace(), cell));
    JShellException cause = (JShellException) thrown.getCause();
    for (int i = 0; cause instanceof EvalException evalCause && i < MAX_CAUSES; i++) {
      report.add("Caused by: " + headline(evalCause));
      report.addAll(frames(evalCause.getStackTrace(), cell));
      cause = (JShellException) evalCause.getCause();
    }
    return new CellEvaluationException(thrown.getExceptionClassName(), thrown.getMessage(), report);
  }

  private static String headline(EvalException exception) {
    return exception.getMessage() == null
        ? exception.getExceptionClassName()
        : exception.getExceptionClassName() + ": " + exception.getMessage();
  }

  /**
   * Stack frames from the top down to the last frame inside a cell (what lies below is JShell's
   * and the kernel's machinery). Cell frames name the cell line and show its source.
   */
  private List<String> frames(StackTraceElement[] stack, int currentCell) {
    int lastCellFrame = -1;
    for (int i = 0; i < stack.length; i++) {
      if (originOf(stack[i]) != null) {
        lastCellFrame = i;
      }
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i <= lastCellFrame; i++) {
      StackTraceElement frame = stack[i];
      Origin origin = originOf(frame);
      if (origin == null) {
        lines.add("    at " + frame);
        continue;
      }
      int line = origin.firstLine() + Math.max(frame.getLineNumber(), 1) - 1;
      String method = frame.getMethodName();
      String where = method.isEmpty() || method.startsWith("do_it$") ? "cell" : method + "()";
      String cellLabel = origin.cell() == currentCell ? "line " + line : "cell [" + origin.cell() + "], line " + line;
      String source = sourceLine(origin.cell(), line);
      lines.add("    at " + where + ", " + cellLabel + (source.isEmpty() ? "" : ": " + source));
    }
    return lines;
  }

  private Origin originOf(StackTraceElement frame) {
    String file = frame.getFileName();
    return file != null && file.startsWith("#") ? origins.get(file.substring(1)) : null;
  }

  private String sourceLine(int cell, int line) {
    String code = cells.get(cell);
    if (code == null) {
      return "";
    }
    List<String> lines = code.lines().toList();
    return line >= 1 && line <= lines.size() ? lines.get(line - 1).strip() : "";
  }

  /**
   * Jupyter's is_complete answer: {@code "complete"}, {@code "invalid"}, or {@code "incomplete"}.
   */
  public String completeness(String code) {
    CompletionInfo info = analysis.analyzeCompletion(code);
    while (info.completeness().isComplete()) {
      info = analysis.analyzeCompletion(info.remaining());
    }
    return switch (info.completeness()) {
      case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> "complete";
      case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "incomplete";
      default -> "invalid";
    };
  }

  /** Completion candidates at {@code cursor}; {@code anchor[0]} receives where the replaced text starts. */
  public List<String> complete(String code, int cursor, int[] anchor) {
    return analysis.completionSuggestions(code, cursor, anchor).stream()
        .map(SourceCodeAnalysis.Suggestion::continuation)
        .distinct()
        .toList();
  }

  /** Interrupts running cell code (cooperatively: it stops at sleep, wait or blocking IO). */
  public void interrupt() {
    control.interruptRunning();
  }

  @Override
  public void close() {
    shell.close();
  }

  private static int leadingWhitespace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** 1-based line of the character at {@code offset}. */
  private static int lineOf(String code, int offset) {
    int line = 1;
    for (int i = 0; i < Math.min(offset, code.length()); i++) {
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static int lineStartOffset(String code, int line) {
    int offset = 0;
    for (int l = 1; l < line; l++) {
      offset = code.indexOf('\n', offset) + 1;
    }
    return offset;
  }
}
