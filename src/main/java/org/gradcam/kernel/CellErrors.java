package org.gradcam.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Where each snippet of a {@link CellEvaluator} came from (cell and line), and its errors told in
 * the cell's own lines: javac's diagnostics with an excerpt and caret, an exception's stack cut
 * down to the cells' frames, each naming the cell line and showing its source.
 */
final class CellErrors {
  private static final int MAX_DIAGNOSTICS = 5;
  private static final int MAX_CAUSES = 5;

  /** Where a snippet's (left-trimmed) source starts: cell number and 1-based line in that cell. */
  private record Origin(int cell, int firstLine) {}

  private final JShell shell;
  private final Map<String, Origin> origins = new HashMap<>();
  private final Map<Integer, String> cells = new HashMap<>();

  CellErrors(JShell shell) {
    this.shell = shell;
  }

  /** Keeps cell {@code number}'s source, for the source lines of later stack traces. */
  void cell(int number, String code) {
    cells.put(number, code);
  }

  /** Records that {@code snippet} starts at offset {@code start} of cell {@code cell}. */
  void snippet(Snippet snippet, int cell, String code, int start) {
    origins.put(snippet.id(), new Origin(cell, lineOf(code, start)));
  }

  /** A declaration of this cell that still waits for an undefined name. */
  CellCompilationException unresolved(DeclarationSnippet declaration, String code) {
    String missing = String.join(", ", shell.unresolvedDependencies(declaration).toList());
    Origin origin = origins.get(declaration.id());
    int at = lineStartOffset(code, origin.firstLine());
    return compilationError(code, at, List.of(
        "Compilation error in line " + origin.firstLine() + ": cannot find symbol " + missing,
        "  (needed by " + declaration.name() + ")"), -1, -1);
  }

  CellCompilationException rejected(Snippet snippet, String code, int start) {
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

  static CellCompilationException compilationError(
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

  CellEvaluationException evaluationError(JShellException exception, int cell) {
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

  /** 1-based line of the character at {@code offset}. */
  static int lineOf(String code, int offset) {
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
