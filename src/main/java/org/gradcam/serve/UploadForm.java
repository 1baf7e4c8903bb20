package org.gradcam.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An explain request's multipart form, checked before any work: the content type and size, each
 * text field given once, the images it names (uploaded parts, an example, a data set's image)
 * and how many; every refusal a 4xx {@link ApiError}.
 *
 * @param fields the text fields left for {@link ExplainParams} (image sources removed)
 */
record UploadForm(Map<String, String> fields, List<UploadForm.Upload> uploads) {
  /** Images one batch request may carry. */
  static final int MAX_BATCH = 16;

  /** An image of the request: an uploaded part, an example or a data set's image, by name. */
  record Upload(String filename, byte[] bytes) {}

  static String tooLarge(ServeSettings settings) {
    return "the upload is larger than the server's limit of " + settings.maxUploadBytes()
        + " bytes (--max-upload)";
  }

  static UploadForm read(Context ctx, boolean batch, ServeSettings settings,
      GalleryRoutes gallery) throws IOException {
    String type = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT);
    if (!type.startsWith("multipart/form-data")) {
      throw new ApiError(415, "send multipart/form-data with an 'image' file part (or an "
          + "'example' field), got Content-Type " + ctx.contentType());
    }
    long length = ctx.contentLength();
    if (length > settings.maxUploadBytes() * (batch ? MAX_BATCH : 1) + (1 << 16)) {
      throw new ApiError(413, tooLarge(settings));
    }
    Map<String, String> form = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> f : ctx.formParamMap().entrySet()) {
      if (f.getValue().isEmpty()) {
        continue; // a file part: Javalin lists its name without a text value
      }
      if (f.getValue().size() != 1) {
        throw ApiError.badRequest("field '" + f.getKey() + "' given " + f.getValue().size()
            + " times");
      }
      form.put(f.getKey(), f.getValue().get(0));
    }
    List<Upload> uploads = new ArrayList<>();
    for (UploadedFile f : ctx.uploadedFiles("image")) {
      if (f.size() > settings.maxUploadBytes()) {
        throw new ApiError(413, tooLarge(settings));
      }
      try (InputStream in = f.content()) {
        uploads.add(new Upload(f.filename() == null || f.filename().isBlank() ? "upload"
            : Path.of(f.filename().replace('\\', '/')).getFileName().toString(),
            in.readAllBytes()));
      }
    }
    for (String f : ctx.uploadedFileMap().keySet()) {
      if (!f.equals("image")) {
        throw ApiError.badRequest("unknown file part '" + f + "'; the image goes in 'image'");
      }
    }
    String example = form.remove("example");
    if (example != null) {
      uploads.add(new Upload(example, Files.readAllBytes(gallery.examplePath(example))));
    }
    String datasetName = form.remove("dataset");
    String datasetImage = form.remove("dataset_image");
    if (datasetImage != null || datasetName != null) {
      if (datasetImage == null || datasetName == null) {
        throw ApiError.badRequest("give both 'dataset' and 'dataset_image' (an id of "
            + "/api/datasets/{name}/sample)");
      }
      ImageFolder.Image i = gallery.dataset(datasetName).image(datasetImage);
      // The file's own name: the JSON's image field, as explain --json names an upload.
      uploads.add(new Upload(i.file().getFileName().toString(), Files.readAllBytes(i.file())));
    }
    if (uploads.isEmpty()) {
      throw ApiError.badRequest("no image: send a file part named 'image' or an 'example' field");
    }
    if (!batch && uploads.size() > 1) {
      throw ApiError.badRequest("one image per request here; POST several to /api/explain/batch");
    }
    if (uploads.size() > MAX_BATCH) {
      throw ApiError.badRequest("at most " + MAX_BATCH + " images per batch, got "
          + uploads.size());
    }
    return new UploadForm(form, uploads);
  }
}
