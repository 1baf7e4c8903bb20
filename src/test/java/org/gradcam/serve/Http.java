package org.gradcam.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A test client of the server: JDK HttpClient plus a multipart/form-data body builder. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  record Response(int status, byte[] body, Map<String, List<String>> headers) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** A form of text fields and file parts, in order. */
  static final class Form {
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final List<Object[]> files = new ArrayList<>();

    Form field(String name, String value) {
      fields.put(name, value);
      return this;
    }

    Form file(String name, String filename, byte[] content) {
      files.add(new Object[] {name, filename, content});
      return this;
    }

    Form image(String filename, byte[] content) {
      return file("image", filename, content);
    }

    byte[] body(String boundary) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Map.Entry<String, String> f : fields.entrySet()) {
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
            + "\"\r\n\r\n" + f.getValue() + "\r\n");
      }
      for (Object[] f : files) {
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f[0]
            + "\"; filename=\"" + f[1] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes((byte[]) f[2]);
        write(out, "\r\n");
      }
      write(out, "--" + boundary + "--\r\n");
      return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final String base;

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Response post(String path, Form form) throws IOException, InterruptedException {
    String boundary = "b" + UUID.randomUUID();
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body(boundary))));
  }

  Response post(String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = CLIENT.send(request.timeout(Duration.ofMinutes(2)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new Response(r.statusCode(), r.body(), r.headers().map());
  }
}
