package org.gradcam.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gradcam.io.Csv;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads {@code voc2007_test_objects.csv}: one row per object of every VOC2007 test image, header
 * {@code image_id,width,height,depth,object_index,class,pose,truncated,difficult,xmin,ymin,xmax,ymax}.
 */
public final class VocObjectsCsv {
  private static final List<String> HEADER = List.of("image_id", "width", "height", "depth",
      "object_index", "class", "pose", "truncated", "difficult", "xmin", "ymin", "xmax", "ymax");

  /** The annotations of the VOC2007 folder inside the devkit tar. */
  private static final Pattern TAR_ANNOTATION =
      Pattern.compile("(^|.*/)VOC2007/Annotations/[^/]+\\.xml");

  private VocObjectsCsv() {}

  /**
   * Derives the CSV from the VOC XML annotations of {@code tar} (the official
   * {@code VOCtest_06-Nov-2007.tar}: {@code VOCdevkit/VOC2007/Annotations/*.xml}), read from the
   * archive without unpacking it; returns the number of images.
   */
  public static int deriveFromTar(Path tar, Path out) throws IOException {
    Map<String, byte[]> xmls = new TreeMap<>(); // image ids sort as the devkit lists them
    Tar.forEachFile(tar, (name, size, in) -> {
      if (TAR_ANNOTATION.matcher(name).matches()) {
        xmls.put(ImageIds.fromPath(name), in.readAllBytes());
      }
    });
    if (xmls.isEmpty()) {
      throw new IOException(tar + " has no VOC2007/Annotations/*.xml");
    }
    StringBuilder csv = new StringBuilder();
    Csv.writeRecord(csv, HEADER.toArray());
    for (Map.Entry<String, byte[]> e : xmls.entrySet()) {
      for (List<String> row : rows(e.getKey(), new ByteArrayInputStream(e.getValue()),
          tar + ":" + e.getKey() + ".xml")) {
        Csv.writeRecord(csv, row.toArray());
      }
    }
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(out, csv, StandardCharsets.UTF_8);
    return xmls.size();
  }

  /**
   * The CSV rows of one VOC XML annotation, one per object in the file's order; values are the
   * XML's own text, so the CSV says exactly what the annotation says.
   */
  static List<List<String>> rows(String imageId, InputStream xml, String source)
      throws IOException {
    Document doc;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      var builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // no stderr line
      doc = builder.parse(xml);
    } catch (Exception e) {
      throw new IOException("Malformed VOC XML " + source + ": " + e.getMessage(), e);
    }
    Element root = doc.getDocumentElement();
    Element size = child(root, "size", source);
    List<String> image = List.of(imageId, text(size, "width", source),
        text(size, "height", source), text(size, "depth", source));
    List<List<String>> out = new ArrayList<>();
    int index = 0;
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element o && o.getTagName().equals("object")) {
        // Direct children only: a person's <part>s have their own <name> and <bndbox>.
        Element b = child(o, "bndbox", source);
        List<String> row = new ArrayList<>(image);
        row.addAll(List.of(Integer.toString(index++), text(o, "name", source),
            text(o, "pose", source), text(o, "truncated", source), text(o, "difficult", source),
            text(b, "xmin", source), text(b, "ymin", source), text(b, "xmax", source),
            text(b, "ymax", source)));
        out.add(row);
      }
    }
    return out;
  }

  private static Element child(Element e, String tag, String source) throws IOException {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(tag)) {
        return c;
      }
    }
    throw new IOException(source + ": <" + e.getTagName() + "> has no <" + tag + ">");
  }

  private static String text(Element e, String tag, String source) throws IOException {
    return child(e, tag, source).getTextContent().strip();
  }

  public static List<VocObject> read(Path file) throws IOException {
    return Csv.read(file, "VOC objects CSV", HEADER, f -> new VocObject(f[0],
        Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[5], parseFlag(f[8]),
        new VocBox(Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]),
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
