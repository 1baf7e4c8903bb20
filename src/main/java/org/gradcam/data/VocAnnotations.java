package org.gradcam.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads a VOC {@code Annotations/} folder: one XML per image, named after the image id. */
public final class VocAnnotations {
  private VocAnnotations() {}

  /** GT of one class; every XML's image is known, even without an object of the class. */
  public static GroundTruth read(Path folder, String className) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException("No such annotations folder: " + folder);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("No .xml annotation in " + folder);
    }
    Map<String, List<GroundTruthBox>> out = new LinkedHashMap<>();
    for (Path f : files) {
      out.put(ImageIds.fromPath(f.getFileName().toString()), readFile(f, className));
    }
    return new GroundTruth(out);
  }

  static List<GroundTruthBox> readFile(Path file, String className) throws IOException {
    Document doc;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      doc = factory.newDocumentBuilder().parse(file.toFile());
    } catch (Exception e) {
      throw new IOException("Malformed VOC XML " + file + ": " + e.getMessage(), e);
    }
    List<GroundTruthBox> boxes = new ArrayList<>();
    NodeList objects = doc.getElementsByTagName("object");
    for (int i = 0; i < objects.getLength(); i++) {
      Element o = (Element) objects.item(i);
      if (!className.equals(text(o, "name", file))) {
        continue;
      }
      Element b = (Element) o.getElementsByTagName("bndbox").item(0);
      if (b == null) {
        throw new IOException(file + ": object " + i + " has no <bndbox>");
      }
      String difficult = o.getElementsByTagName("difficult").getLength() == 0 ? "0"
          : text(o, "difficult", file);
      try {
        boxes.add(new GroundTruthBox(new VocBox(num(b, "xmin", file), num(b, "ymin", file),
            num(b, "xmax", file), num(b, "ymax", file)).requireOrdered(),
            "1".equals(difficult)));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": object " + i + ": " + e.getMessage(), e);
      }
    }
    return boxes;
  }

  private static double num(Element e, String tag, Path file) throws IOException {
    String t = text(e, tag, file);
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException ex) {
      throw new IOException(file + ": <" + tag + "> is not a number: '" + t + "'", ex);
    }
  }

  private static String text(Element e, String tag, Path file) throws IOException {
    NodeList n = e.getElementsByTagName(tag);
    if (n.getLength() == 0) {
      throw new IOException(file + ": missing <" + tag + ">");
    }
    return n.item(0).getTextContent().strip();
  }
}
