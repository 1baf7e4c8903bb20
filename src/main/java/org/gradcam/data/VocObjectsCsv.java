package org.gradcam.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code voc2007_test_objects.csv}: one row per object of every VOC2007 test image, header
 * {@code image_id,width,height,depth,object_index,class,pose,truncated,difficult,xmin,ymin,xmax,ymax}.
 */
public final class VocObjectsCsv {
  private static final List<String> HEADER = List.of("image_id", "width", "height", "depth",
      "object_index", "class", "pose", "truncated", "difficult", "xmin", "ymin", "xmax", "ymax");

  private VocObjectsCsv() {}

  public static List<VocObject> read(Path file) throws IOException {
    return CsvRows.read(file, "VOC objects CSV", HEADER, f -> new VocObject(f[0],
        Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[5], parseFlag(f[8]),
        new Box(Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]),
            Double.parseDouble(f[12])).requireOrdered()));
  }

  /**
   * GT of one class. Every image of the CSV is known (images without the class map to an empty
   * list, so detections there count as false positives, as in the VOC devkit).
   */
  public static GroundTruth groundTruth(List<VocObject> objects, String className) {
    Map<String, List<GroundTruthBox>> out = new LinkedHashMap<>();
    for (VocObject o : objects) {
      List<GroundTruthBox> boxes = out.computeIfAbsent(o.imageId(), k -> new ArrayList<>());
      if (o.className().equals(className)) {
        boxes.add(new GroundTruthBox(o.box(), o.difficult()));
      }
    }
    return new GroundTruth(out);
  }

  private static boolean parseFlag(String s) {
    return switch (s.strip()) {
      case "0" -> false;
      case "1" -> true;
      default -> throw new IllegalArgumentException("difficult must be 0 or 1, got '" + s + "'");
    };
  }
}
