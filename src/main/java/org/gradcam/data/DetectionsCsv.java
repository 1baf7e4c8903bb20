package org.gradcam.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gradcam.io.AtomicFiles;
import org.gradcam.io.Csv;

/** Our detections CSV: header {@code image_id,xmin,ymin,xmax,ymax,score}, one box per line. */
public final class DetectionsCsv {
  public static final String HEADER = "image_id,xmin,ymin,xmax,ymax,score";

  private DetectionsCsv() {}

  public static List<Detection> read(Path file) throws IOException {
    return Csv.read(file, "detections CSV", List.of(HEADER.split(",")), f -> {
      if (f[0].isBlank()) {
        throw new IllegalArgumentException("empty image_id");
      }
      double score = Double.parseDouble(f[5]);
      if (!Double.isFinite(score)) {
        throw new IllegalArgumentException("score is not finite");
      }
      return new Detection(f[0], new VocBox(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
          Double.parseDouble(f[3]), Double.parseDouble(f[4])).requireOrdered(), score);
    });
  }

  public static void write(Path file, List<Detection> detections) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    AtomicFiles.writeText(file, w -> {
      Csv.writeRecord(w, (Object[]) HEADER.split(","));
      for (Detection d : detections) {
        VocBox b = d.box();
        Csv.writeRecord(w, d.imageId(), b.xmin(), b.ymin(), b.xmax(), b.ymax(), d.score());
      }
    });
  }
}
