package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page's script against its HTML and the API it calls, without a browser (none is installed
 * here): every element the script looks up exists, and every API path it builds is documented.
 */
class PageResourcesTest {
  static String resource(String name) throws Exception {
    try (InputStream in = GradcamServer.class.getResourceAsStream("/org/gradcam/serve/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyElementTheScriptUsesIsInThePage() throws Exception {
    String js = resource("web/app.js");
    String html = resource("web/index.html");
    Matcher m = Pattern.compile("\\$\\('([^']+)'\\)").matcher(js);
    TreeSet<String> ids = new TreeSet<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    assertThat(ids).contains("file", "model", "layer", "method", "alpha", "threshold", "results");
    for (String id : ids) {
      assertThat(html).as("element #" + id).contains("id=\"" + id + "\"");
    }
    Matcher q = Pattern.compile("querySelector(?:All)?\\('([^']+)'\\)").matcher(js);
    while (q.find()) {
      for (String cls : Pattern.compile("\\.([A-Za-z0-9_-]+)").matcher(q.group(1)).results()
          .map(r -> r.group(1)).toList()) {
        if (!cls.equals("map")) {
          assertThat(html).as("class ." + cls).containsPattern("class=\"[^\"]*\\b" + cls + "\\b");
        }
      }
    }
  }

  @Test
  void everyApiPathTheScriptCallsIsDocumented() throws Exception {
    String js = resource("web/app.js");
    JsonNode api = Http.JSON.readTree(resource("openapi.json"));
    List<Pattern> documented = new ArrayList<>();
    api.get("paths").fieldNames().forEachRemaining(p -> documented.add(Pattern.compile(
        p.replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\.") + "(\\?.*)?")));
    // Literal paths and the literal heads of built ones ('/api/models/' + name + '/layers').
    Matcher m = Pattern.compile("'(/api/[^']*)'").matcher(js);
    List<String> heads = new ArrayList<>();
    while (m.find()) {
      heads.add(m.group(1));
    }
    assertThat(heads).contains("/api/models", "/api/explain", "/api/examples");
    for (String head : heads) {
      String probe = head.replaceAll("/$", "/x").replaceAll("\\?.*", "");
      boolean known = documented.stream().anyMatch(p -> p.matcher(probe).matches()
          || p.pattern().startsWith(Pattern.quote(head)) || p.pattern().startsWith(head));
      assertThat(known).as("path " + head + " documented in openapi.json").isTrue();
    }
  }
}
