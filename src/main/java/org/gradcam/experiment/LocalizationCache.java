package org.gradcam.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gradcam.model.Models;

/**
 * The cache job of a localisation run: which images already have boxes for these settings
 * ({@link #hits}), which must be computed ({@link #todo}), and storing each computed one. Entries
 * are keyed on the settings, on the model file's content when it is a file, and on each image's
 * content, so a file replaced under the same name is redone.
 */
final class LocalizationCache {
  private final ImageBoxesCache cache;
  private final Map<String, String> digests = new LinkedHashMap<>();
  private final Map<String, ImageBoxesCache.Entry> hits = new LinkedHashMap<>();
  private final List<String> todo = new ArrayList<>();

  /** Looks every image of {@code files} up in {@code dir}. */
  LocalizationCache(Path dir, LocalizationRun.Settings settings, Models.Options fileOptions,
      Map<String, Path> files) throws IOException {
    cache = new ImageBoxesCache(dir, settings.describe() + fileKey(settings.modelName(),
        fileOptions) + cropKey(fileOptions));
    // Entries are keyed on the image's content too: a file replaced under the same id is redone.
    for (String id : files.keySet()) {
      digests.put(id, ImageBoxesCache.imageDigest(files.get(id)));
      Optional<ImageBoxesCache.Entry> hit = cache.read(id, digests.get(id));
      if (hit.isPresent()) {
        hits.put(id, hit.get());
      } else {
        todo.add(id);
      }
    }
  }

  /** The images found in the cache, in dataset order. */
  Map<String, ImageBoxesCache.Entry> hits() {
    return hits;
  }

  /** The images to compute, in dataset order. */
  List<String> todo() {
    return todo;
  }

  void store(String id, ImageBoxesCache.Entry entry) throws IOException {
    cache.write(id, digests.get(id), entry);
  }

  /**
   * What a cache entry of a model file depends on beyond the settings: the file's content and
   * the options applied to it (a file replaced under the same path is redone).
   */
  private static String fileKey(String modelName, Models.Options o) throws IOException {
    if (!Models.isFile(modelName)) {
      return "";
    }
    return " file-sha256=" + ImageBoxesCache.imageDigest(Path.of(modelName))
        + " labels=" + (o.labels() == null ? "default"
            : ImageBoxesCache.imageDigest(o.labels()))
        + " preprocess=" + o.preprocess() + " mean=" + Arrays.toString(o.mean())
        + " std=" + Arrays.toString(o.std());
  }

  /** A center crop changes every map: it is part of the key, for model files and built-ins. */
  private static String cropKey(Models.Options o) {
    return o.resizeShort() == null ? "" : " resize-short=" + o.resizeShort() + " center-crop="
        + Arrays.toString(o.centerCrop());
  }
}
