package org.gradcam.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Report prose kept in resource files beside the classes that write the reports, so the English
 * reads as a document and the code only computes what goes into it. A template's
 * {@code {{key}}} placeholders are filled by {@link #fill}; a file of several texts separates
 * them with {@code <!-- name -->} lines ({@link #sections}), invisible when the file is read as
 * Markdown; short phrases live in {@code .properties} files ({@link #phrases}). Texts are taken
 * byte for byte: the reports they make must not change.
 */
public final class Template {
  private static final Pattern SECTION = Pattern.compile("(?m)^<!-- ([\\w.-]+) -->\\n");

  private Template() {}

  /** The resource {@code name} beside {@code owner}, as UTF-8 text. */
  public static String text(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " beside "
            + owner.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The phrases of the {@code .properties} resource {@code name} beside {@code owner}, UTF-8. */
  public static Map<String, String> phrases(Class<?> owner, String name) {
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(text(owner, name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /**
   * The texts of a resource of several, by name, in file order: each is what lies between its
   * {@code <!-- name -->} line and the next one (or the end), without the blank lines around it.
   * Anything before the first such line is a comment for the reader.
   */
  public static Map<String, String> sections(Class<?> owner, String name) {
    String text = text(owner, name);
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(text);
    String key = null;
    int start = 0;
    while (m.find()) {
      if (key != null) {
        put(out, name, key, text.substring(start, m.start()));
      }
      key = m.group(1);
      start = m.end();
    }
    if (key != null) {
      put(out, name, key, text.substring(start));
    }
    return out;
  }

  private static void put(Map<String, String> out, String file, String key, String body) {
    if (out.put(key, body.replaceAll("^\\n+|\\n+$", "")) != null) {
      throw new IllegalStateException(file + ": section " + key + " twice");
    }
  }

  /**
   * {@code template} with each {@code {{key}}} replaced by its value; a key without a value is a
   * bug in the caller, not a blank in the report.
   *
   * @param name the template's name, for the error
   */
  public static String fill(String name, String template, Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int open = template.indexOf("{{", at);
      if (open < 0) {
        return out.append(template, at, template.length()).toString();
      }
      int close = template.indexOf("}}", open);
      if (close < 0) {
        throw new IllegalStateException(name + ": {{ without }}");
      }
      String key = template.substring(open + 2, close);
      String value = values.get(key);
      if (value == null) {
        throw new IllegalStateException(name + ": no value for {{" + key + "}}");
      }
      out.append(template, at, open).append(value);
      at = close + 2;
    }
  }
}
