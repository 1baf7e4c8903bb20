package org.gradcam.kernel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The line magics of JJava and IJava that a notebook needs to run in every Java kernel:
 * {@code %classpath} and {@code %jars} add jars or folders (globs allowed, several per line,
 * entries also separated by {@link File#pathSeparator}). Any other {@code %name} or {@code %%name}
 * is answered with an error that says so, rather than handed to the Java compiler.
 *
 * <p>A magic is a line whose first non-blank character is {@code %} directly followed by a name (a
 * Java line never starts so: {@code %} needs a left operand). Magics run before the cell's Java
 * code, and their lines become blank lines so error line numbers still match the cell.
 */
final class LineMagics {

  private static final Pattern MAGIC = Pattern.compile("^[ \\t]*(%%?)([A-Za-z_][\\w-]*)(.*)$");
  private static final List<String> KNOWN = List.of("classpath", "jars");

  /** A magic's args went wrong (nothing matches a glob, an unknown magic); shown as the cell's error. */
  static final class MagicException extends CellException {
    MagicException(List<String> report) {
      super(report);
    }
  }

  /**
   * What a class-path magic does with the entries it resolved: adds the new ones and returns
   * them (entries already on the class path are skipped).
   */
  private final Function<List<Path>, List<Path>> addToClasspath;
  private final Path workingDir;

  LineMagics(Function<List<Path>, List<Path>> addToClasspath, Path workingDir) {
    this.addToClasspath = addToClasspath;
    this.workingDir = workingDir.toAbsolutePath().normalize();
  }

  /** The cell with its magic lines blanked out, without running them (for completeness checks). */
  static String strip(String cell) {
    List<String> lines = new ArrayList<>(cell.lines().toList());
    lines.replaceAll(line -> MAGIC.matcher(line).matches() ? "" : line);
    return String.join("\n", lines);
  }

  /**
   * Runs the cell's magics, printing what each did, and returns the Java code left (magic lines
   * blank).
   *
   * @throws MagicException for an unknown magic or a class-path entry that matches nothing
   */
  String run(String cell) {
    String[] lines = cell.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = MAGIC.matcher(lines[i]);
      if (!m.matches()) {
        continue;
      }
      String name = m.group(2);
      int lineNumber = i + 1;
      if (m.group(1).equals("%%") || !KNOWN.contains(name)) {
        throw new MagicException(List.of(
            "Unknown magic " + m.group(1) + name + " in line " + lineNumber + ": the Java (gradcam) kernel"
                + " knows only the line magics %classpath and %jars (add jars or folders, globs allowed);"
                + " other lines are Java",
            lineNumber + " | " + lines[i].strip()));
      }
      List<String> args = split(m.group(3));
      if (args.isEmpty()) {
        throw new MagicException(List.of("%" + name + " in line " + lineNumber
            + " needs at least one jar or folder, e.g. %" + name + " /path/to/lib/*"));
      }
      List<Path> entries = new ArrayList<>();
      for (String arg : args) {
        for (String entry : arg.split(Pattern.quote(File.pathSeparator))) {
          if (!entry.isEmpty()) {
            entries.addAll(resolve(name, lineNumber, entry));
          }
        }
      }
      List<Path> added = addToClasspath.apply(entries);
      System.out.println("%" + name + ": added " + added.size() + " of " + entries.size()
          + " entries to the class path" + (added.size() < entries.size()
              ? " (" + (entries.size() - added.size()) + " already on it)" : ""));
      lines[i] = "";
    }
    return String.join("\n", lines);
  }

  /** The existing files an entry names: itself, or what its glob matches, sorted. */
  private List<Path> resolve(String magic, int line, String entry) {
    String expanded = entry.startsWith("~/") ? System.getProperty("user.home") + entry.substring(1) : entry;
    List<Path> found = new ArrayList<>();
    int glob = indexOfGlob(expanded);
    if (glob < 0) {
      Path path = workingDir.resolve(expanded).normalize();
      if (Files.exists(path)) {
        found.add(path);
      }
    } else {
      // Walk from the last folder before the first glob character, as deep as the pattern goes.
      int cut = expanded.lastIndexOf('/', glob);
      Path base = workingDir.resolve(cut < 0 ? "" : expanded.substring(0, cut + 1)).normalize();
      Path pattern = workingDir.resolve(expanded).normalize();
      int depth = pattern.getNameCount() - base.getNameCount();
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      if (Files.isDirectory(base)) {
        try (Stream<Path> walk = Files.walk(base, depth)) {
          walk.filter(matcher::matches).sorted().forEach(found::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    if (found.isEmpty()) {
      throw new MagicException(List.of("%" + magic + " in line " + line + ": nothing matches " + entry
          + (Path.of(expanded).isAbsolute() ? "" : " (relative paths start from the kernel's working"
              + " directory " + workingDir + ", where Jupyter started it: the notebook's folder)")));
    }
    return found;
  }

  private static int indexOfGlob(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[{".indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Splits magic args at blanks; single or double quotes keep blanks in one arg. */
  static List<String> split(String args) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean inArg = false;
    for (char c : args.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inArg = true;
      } else if (Character.isWhitespace(c)) {
        if (inArg) {
          out.add(current.toString());
          current.setLength(0);
          inArg = false;
        }
      } else {
        current.append(c);
        inArg = true;
      }
    }
    if (inArg) {
      out.add(current.toString());
    }
    return out;
  }
}
