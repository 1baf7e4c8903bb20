package org.gradcam.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Picks the reader for a GT or detections source from its extension (or being a folder). */
public final class EvaluationInputs {
  private EvaluationInputs() {}

  /**
   * GT of {@code className} from a published pickle ({@code .pickle}/{@code .pkl}), a VOC
   * {@code Annotations/} folder, or the VOC objects CSV ({@code .csv}).
   */
  public static GroundTruth groundTruth(Path source, String className) throws IOException {
    if (Files.isDirectory(source)) {
      return VocAnnotations.read(source, className);
    }
    if (!Files.exists(source)) {
      throw new IOException("No such ground-truth file or folder: " + source);
    }
    String name = source.getFileName().toString().toLowerCase();
    if (name.endsWith(".pickle") || name.endsWith(".pkl")) {
      return PublishedPickles.readGroundTruth(source);
    }
    if (name.endsWith(".csv")) {
      return VocObjectsCsv.groundTruth(VocObjectsCsv.read(source), className);
    }
    throw new IOException("Unknown ground-truth format (want .pickle, .csv or a folder): " + source);
  }

  /** Detections from a published pickle or our CSV. */
  public static List<Detection> detections(Path source) throws IOException {
    if (!Files.exists(source)) {
      throw new IOException("No such detections file: " + source);
    }
    String name = source.getFileName().toString().toLowerCase();
    if (name.endsWith(".pickle") || name.endsWith(".pkl")) {
      return PublishedPickles.readDetections(source);
    }
    if (name.endsWith(".csv")) {
      return DetectionsCsv.read(source);
    }
    throw new IOException("Unknown detections format (want .pickle or .csv): " + source);
  }

  /**
   * Marks the pickle's GT boxes difficult where the VOC CSV says so, matching boxes of one image by
   * exact coordinates (the pickle's boxes are the XML's). Fails if any box has no exact match.
   */
  public static GroundTruth withDifficultFlags(GroundTruth pickle, GroundTruth csv) {
    Map<String, List<GroundTruthBox>> out = new LinkedHashMap<>();
    pickle.byImage().forEach((id, boxes) -> {
      List<GroundTruthBox> pool = new ArrayList<>(csv.byImage().getOrDefault(id, List.of()));
      List<GroundTruthBox> flagged = new ArrayList<>();
      for (GroundTruthBox b : boxes) {
        GroundTruthBox match = pool.stream().filter(c -> c.box().equals(b.box())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException(
                "GT box " + b.box() + " of image " + id + " is not in the VOC objects CSV"));
        pool.remove(match);
        flagged.add(new GroundTruthBox(b.box(), match.difficult()));
      }
      out.put(id, flagged);
    });
    return new GroundTruth(out);
  }
}
