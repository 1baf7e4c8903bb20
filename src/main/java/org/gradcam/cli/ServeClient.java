package org.gradcam.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A blocking multipart client of {@code POST /api/explain} (JDK HttpClient, HTTP/1.1). */
final class ServeClient {
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final URI uri;

  ServeClient(int port) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/api/explain");
  }

  ServeLatency.Sample explain(String filename, byte[] image, String method) throws Exception {
    String boundary = UUID.randomUUID().toString();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"method\""
        + "\r\n\r\n" + method + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; "
        + "name=\"image\"; filename=\"" + filename + "\"\r\nContent-Type: "
        + "application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(image);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    long t0 = System.nanoTime();
    int retried = 0;
    while (true) {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return new ServeLatency.Sample(method, System.nanoTime() - t0, retried);
      }
      if (r.statusCode() != 503) {
        throw new IOException("the server answered " + filename + " (" + method + ") with "
            + r.statusCode() + ": " + r.body());
      }
      // The designed refusal of a full queue: wait as told, then send again.
      retried++;
      long wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
      Thread.sleep(wait * 1000);
    }
  }
}
