package org.gradcam.serve;

import static org.gradcam.serve.Responses.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.Npy;
import org.gradcam.data.PixelBox;
import org.gradcam.image.Colormap;

/**
 * The API's explain area: {@code POST /api/explain} (and its batch), and the kept results'
 * overlay, map and boxes, re-rendered on request. Every computation runs on the {@link
 * WorkQueue}.
 */
final class ExplainRoutes {
  private final ServeSettings settings;
  private final ModelRoutes models;
  private final GalleryRoutes gallery;
  private final ExplainService service;
  private final ResultStore results;
  private final WorkQueue queue;

  ExplainRoutes(ServeSettings settings, ModelRoutes models, GalleryRoutes gallery,
      ExplainService service, ResultStore results, WorkQueue queue) {
    this.settings = settings;
    this.models = models;
    this.gallery = gallery;
    this.service = service;
    this.results = results;
    this.queue = queue;
  }

  void explain(Context ctx, boolean batch) throws Exception {
    if (queue.stopping()) {
      ctx.header("Retry-After", "5");
      throw new ApiError(503, "the server is shutting down");
    }
    UploadForm form = UploadForm.read(ctx, batch, settings, gallery);
    ExplainParams params = ExplainParams.parse(form.fields(), models::model,
        models.defaultModel());
    List<ObjectNode> answers = queue.run(ctx, () -> {
      List<ObjectNode> out = new ArrayList<>();
      for (UploadForm.Upload u : form.uploads()) {
        BufferedImage image = service.decode(u.bytes(), u.filename());
        Explained e = service.explain(image, stem(u.filename()), params);
        results.put(e);
        out.add(answer(e, params));
      }
      return out;
    });
    if (batch) {
      ObjectNode o = JSON.createObjectNode();
      ArrayNode list = o.putArray("results");
      answers.forEach(list::add);
      Responses.json(ctx, o);
    } else {
      Responses.json(ctx, answers.get(0));
    }
  }

  private ObjectNode answer(Explained e, ExplainParams p) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", e.id());
    o.put("width", e.original().getWidth()).put("height", e.original().getHeight());
    ArrayNode maps = o.putArray("maps");
    for (int i = 0; i < e.maps().size(); i++) {
      Explained.Map m = e.maps().get(i);
      ObjectNode map = m.line().deepCopy();
      Heatmap h = m.explanation().heatmap();
      map.putObject("map").put("dtype", "float32").put("byte_order", "little")
          .put("base64", Base64.getEncoder().encodeToString(Npy.float32Data(h.raw())))
          .put("max", h.max());
      map.set("boxes", boxesNode(m.explanation(), e, p.thresholds(), p.smooth()));
      map.put("overlay_url", ExplainService.overlayUrl(e.id(), i));
      map.put("map_npy_url", ExplainService.npyUrl(e.id(), i));
      if (p.inline()) {
        map.put("overlay_png_base64", Base64.getEncoder().encodeToString(
            ExplainService.overlayPng(e.original(), e.spec(), h, p.colormap(), p.alpha())));
      }
      maps.add(map);
    }
    return o;
  }

  private static ArrayNode boxesNode(Explanation e, Explained result, double[] thresholds,
      int smooth) {
    BufferedImage original = result.original();
    List<List<PixelBox>> all = ExplainService.boxes(e, result.spec(), original.getWidth(),
        original.getHeight(), thresholds, smooth);
    ArrayNode out = JSON.createArrayNode();
    for (int t = 0; t < thresholds.length; t++) {
      ObjectNode at = out.addObject().put("threshold", thresholds[t]);
      ArrayNode list = at.putArray("boxes");
      for (PixelBox b : all.get(t)) {
        list.addArray().add(b.xmin()).add(b.ymin()).add(b.xmax()).add(b.ymax());
      }
    }
    return out;
  }

  private Explained.Map storedMap(Context ctx, Explained e) {
    int i = ExplainParams.integer("map", ctx.pathParam("map"));
    if (i < 0 || i >= e.maps().size()) {
      throw ApiError.notFound("result " + e.id() + " has maps 0.." + (e.maps().size() - 1)
          + ", not " + i);
    }
    return e.maps().get(i);
  }

  void overlay(Context ctx) throws Exception {
    Explained e = results.get(ctx.pathParam("id"));
    Explained.Map m = storedMap(ctx, e);
    String colormap = Responses.query(ctx, "colormap", "jet");
    String alphaText = Responses.query(ctx, "alpha", "0.4");
    Colormap c;
    try {
      c = Colormap.byName(colormap);
    } catch (IllegalArgumentException ex) {
      throw ApiError.badRequest(ex.getMessage());
    }
    double alpha = ExplainParams.number("alpha", alphaText);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw ApiError.badRequest("alpha must be in [0, 1], got " + alphaText);
    }
    // Through the bounded pool too: blending a large image costs memory and CPU per request.
    byte[] png = queue.run(ctx, () -> ExplainService.overlayPng(e.original(), e.spec(),
        m.explanation().heatmap(), c, alpha));
    ctx.contentType("image/png").result(png);
  }

  void npy(Context ctx) {
    Explained e = results.get(ctx.pathParam("id"));
    Heatmap h = storedMap(ctx, e).explanation().heatmap();
    ctx.contentType("application/octet-stream")
        .header("Content-Disposition", "attachment; filename=\"map.npy\"")
        .result(Npy.float32Bytes(h.raw(), h.height(), h.width()));
  }

  void rebox(Context ctx) throws Exception {
    Explained e = results.get(ctx.pathParam("id"));
    Explained.Map m = storedMap(ctx, e);
    double[] thresholds = ExplainParams.thresholds(Responses.query(ctx, "thresholds", "0.06"));
    int smooth = ExplainParams.integer("smooth", Responses.query(ctx, "smooth", "20"));
    if (smooth < 1 || smooth > 200) {
      throw ApiError.badRequest("smooth must be between 1 and 200, got " + smooth);
    }
    // Upsampling and smoothing at image size: bounded like every other computation.
    Responses.json(ctx, queue.run(ctx, () -> boxesNode(m.explanation(), e, thresholds,
        smooth)));
  }

  private static String stem(String filename) {
    int dot = filename.lastIndexOf('.');
    return dot > 0 ? filename.substring(0, dot) : filename;
  }
}
