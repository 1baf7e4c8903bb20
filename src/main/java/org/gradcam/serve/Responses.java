package org.gradcam.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/** What every route of the server shares: the JSON answer, the error shape, query parameters. */
final class Responses {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCES = "/org/gradcam/serve/";

  private Responses() {}

  /** The one error shape of the API: {@code {"error": message, "status": status}}. */
  static void error(Context ctx, int status, String message) {
    ctx.attribute("api-error", true);
    ObjectNode o = JSON.createObjectNode().put("error", message).put("status", status);
    ctx.status(status).contentType("application/json").result(o.toString());
  }

  static void json(Context ctx, Object value) throws IOException {
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(value));
  }

  /** A file of the page (or the API description) from the jar. */
  static void resource(Context ctx, String name, String type) throws IOException {
    try (InputStream in = GradcamServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw ApiError.notFound("missing resource " + name);
      }
      ctx.contentType(type).result(in.readAllBytes());
    }
  }

  /** The query parameter, or {@code otherwise} when the request does not name it. */
  static String query(Context ctx, String name, String otherwise) {
    return ctx.queryParamMap().containsKey(name) ? ctx.queryParam(name) : otherwise;
  }

  /** The {@code seed} parameter, else a fresh one (which the answer then states). */
  static long seed(Context ctx) {
    String text = ctx.queryParam("seed");
    if (text == null) {
      return new Random().nextInt(1_000_000);
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("seed must be an integer, got '" + text + "'");
    }
  }
}
