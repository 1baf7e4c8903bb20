package org.gradcam.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Report prose kept out of the code: a text resource beside its class with {@code {{key}}}
 * placeholders, and {@code .properties} files of short phrases in the same syntax.
 */
public final class Template {
  private Template() {}

  /** The resource {@code name} beside {@code owner}, as UTF-8 text, exactly as stored. */
  public static String text(Class<?> owner, String name) {
    try (InputStream in = open(owner, name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }

  /** The phrases of the {@code .properties} resource {@code name} beside {@code owner}, UTF-8. */
  public static Map<String, String> phrases(Class<?> owner, String name) {
    Properties p = new Properties();
    try (InputStream in = open(owner, name)) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** Replaces each {@code {{key}}} of {@code template}; a key without a value is a bug, not a blank. */
  public static String fill(String template, Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int open = template.indexOf("{{", at);
      if (open < 0) {
        return out.append(template, at, template.length()).toString();
      }
      int close = template.indexOf("}}", open);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed {{ at " + open + " of the template");
      }
      String key = template.substring(open + 2, close);
      String value = values.get(key);
      if (value == null) {
        throw new IllegalStateException("no value for {{" + key + "}}");
      }
      out.append(template, at, open).append(value);
      at = close + 2;
    }
  }

  private static InputStream open(Class<?> owner, String name) throws IOException {
    InputStream in = owner.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("missing resource " + name + " beside " + owner.getName());
    }
    return in;
  }
}
