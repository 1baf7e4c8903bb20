package org.gradcam.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.Snippet.Status;
import jdk.jshell.Snippet.SubKind;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;

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

  /** The value of a cell's last expression; {@code value} may be {@code null}. */
  public record CellValue(Object value) {}

  private final CapturingExecutionControl control = new CapturingExecutionControl();
  private final JShell shell;
  private final SourceCodeAnalysis analysis;
  private final CellErrors errors;
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
    errors = new CellErrors(shell);
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
    errors.cell(cell, code);
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
          throw CellErrors.compilationError(code, at, List.of(
              "Compilation error in line " + CellErrors.lineOf(code, at) + ": incomplete code"
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
      errors.snippet(snippet, cell, code, start);
      if (event.status() == Status.REJECTED) {
        throw errors.rejected(snippet, code, start);
      }
      if (event.exception() != null) {
        throw errors.evaluationError(event.exception(), cell);
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
      if (isUnresolved(declaration)) {
        throw errors.unresolved(declaration, code);
      }
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

}
