package org.gradcam.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.gradcam.eval.SignificantDigits;
import org.gradcam.io.AtomicFiles;
import org.gradcam.io.Csv;

/**
 * The write job of a localisation run: {@code missing_images.txt}, {@code boxes.csv},
 * {@code targets.csv} and {@code summary.md}, each written atomically, all only once every image
 * is done (a run failing on an image leaves none of them).
 */
final class LocalizationFiles {
  private LocalizationFiles() {}

  static void write(Path out, DogDataset data, Map<String, ImageBoxesCache.Entry> results,
      LocalizationRun.Settings settings, String summary) throws IOException {
    AtomicFiles.writeLines(out.resolve("missing_images.txt"), data.missing());
    writeBoxes(out.resolve("boxes.csv"), results);
    writeTargets(out.resolve("targets.csv"), results, settings);
    AtomicFiles.writeString(out.resolve("summary.md"), summary);
  }

  private static void writeBoxes(Path file, Map<String, ImageBoxesCache.Entry> results)
      throws IOException {
    AtomicFiles.writeText(file, w -> {
      w.write(LocalizationRun.BOXES_HEADER + "\n");
      for (var e : results.entrySet()) {
        for (ScoredBox b : e.getValue().boxes()) {
          Csv.writeRecord(w, e.getKey(), b.threshold(), b.box().xmin(), b.box().ymin(),
              b.box().xmax(), b.box().ymax(), SignificantDigits.float32(b.score()));
        }
      }
    });
  }

  private static void writeTargets(Path file, Map<String, ImageBoxesCache.Entry> results,
      LocalizationRun.Settings settings) throws IOException {
    AtomicFiles.writeText(file, w -> {
      w.write("image_id,target_class,target_name\n");
      for (var e : results.entrySet()) {
        int c = e.getValue().targetClass();
        String name = c < 0 ? "sum of dog classes 151..268" : settings.target().className(c);
        Csv.writeRecord(w, e.getKey(), c, name);
      }
    });
  }
}
