package org.gradcam.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.gradcam.io.Csv;

/**
 * The whole-dog boxes of the Oxford-IIIT Pet stand-in, derived from the dataset's trimaps by the
 * rule of the data mirror's {@code oxford-iiit-pet-dogs/PROVENANCE.md}: the dog is every pixel of
 * value 1 (pet) plus every boundary-band pixel (value 3) at least as close, in Euclidean distance,
 * to a pet pixel as to a background pixel (value 2); the box is the tight bounding box of that
 * mask in 1-based inclusive pixels, {@code truncated} when it touches the image border. Written as
 * VOC XML ({@code Annotations/<id>.xml}) and {@code whole_dog_boxes.csv}, byte for byte as the
 * mirror holds them, so the project needs only the public images and trimaps.
 */
public final class WholeDogBoxes {
  static final String CSV_HEADER = "image_id,width,height,xmin,ymin,xmax,ymax,truncated";

  /** One derived box: the dog's pixels in its {@code width x height} image of {@code depth}. */
  public record DogBox(String imageId, int width, int height, int depth, PixelBox box) {
    /** VOC's flag: the box touches the image border. */
    public boolean truncated() {
      return box.xmin() == 0 || box.ymin() == 0 || box.xmax() == width || box.ymax() == height;
    }

    /** The box in VOC's 1-based inclusive whole pixels, as the XML and CSV write it. */
    int[] vocCorners() {
      VocBox v = box.toVoc();
      return new int[] {(int) v.xmin(), (int) v.ymin(), (int) v.xmax(), (int) v.ymax()};
    }
  }

  private WholeDogBoxes() {}

  /**
   * Derives the boxes of every trimap of {@code pets} ({@code annotations/trimaps/<id>.png}, the
   * JPEG {@code images/<id>.jpg} giving the depth) into {@code out/Annotations/} and
   * {@code out/whole_dog_boxes.csv}; returns the boxes in file-name order.
   */
  public static List<DogBox> derive(Path pets, Path out) throws IOException {
    Path trimaps = pets.resolve("annotations/trimaps");
    List<Path> files;
    try (Stream<Path> s = Files.list(trimaps)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("No trimap (.png) in " + trimaps);
    }
    Path xmls = Files.createDirectories(out.resolve("Annotations"));
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    List<DogBox> boxes = new java.util.ArrayList<>();
    for (Path f : files) {
      String id = ImageIds.fromPath(f.getFileName().toString());
      DogBox b = box(id, f, depth(pets.resolve("images/" + id + ".jpg")));
      boxes.add(b);
      Files.writeString(xmls.resolve(id + ".xml"), xml(b), StandardCharsets.UTF_8);
      int[] voc = b.vocCorners();
      Csv.writeRecord(csv, id, b.width(), b.height(), voc[0], voc[1], voc[2], voc[3],
          b.truncated() ? 1 : 0);
    }
    Files.writeString(out.resolve("whole_dog_boxes.csv"), csv, StandardCharsets.UTF_8);
    return boxes;
  }

  static DogBox box(String id, Path trimapFile, int depth) throws IOException {
    BufferedImage img = ImageIO.read(trimapFile.toFile());
    if (img == null) {
      throw new IOException("Cannot decode trimap " + trimapFile);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    Raster r = img.getRaster();
    int[] t = new int[w * h];
    r.getSamples(0, 0, w, h, 0, t);
    int[] box = box(t, w, h);
    if (box == null) {
      throw new IOException("Trimap " + trimapFile + " has no pet pixel (value 1)");
    }
    return new DogBox(id, w, h, depth,
        PixelBox.fromVoc(new VocBox(box[0], box[1], box[2], box[3])));
  }

  /**
   * The rule itself on a row-major trimap: {@code [xmin, ymin, xmax, ymax]} 1-based inclusive, or
   * null when the mask is empty.
   */
  static int[] box(int[] trimap, int w, int h) {
    double[] toPet = squaredDistanceTo(trimap, w, h, 1);
    double[] toBackground = squaredDistanceTo(trimap, w, h, 2);
    int xmin = Integer.MAX_VALUE;
    int ymin = Integer.MAX_VALUE;
    int xmax = -1;
    int ymax = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int v = trimap[i];
        if (v != 1 && v != 2 && v != 3) {
          throw new IllegalArgumentException("trimap value " + v + " at (" + x + ", " + y
              + "); expected 1 (pet), 2 (background) or 3 (boundary)");
        }
        // Squared distances of integer offsets are exact, so "at least as close" is exact too.
        if (v == 1 || (v == 3 && toPet[i] <= toBackground[i])) {
          xmin = Math.min(xmin, x);
          ymin = Math.min(ymin, y);
          xmax = Math.max(xmax, x);
          ymax = Math.max(ymax, y);
        }
      }
    }
    return xmax < 0 ? null : new int[] {xmin + 1, ymin + 1, xmax + 1, ymax + 1};
  }

  /**
   * Exact squared Euclidean distance of every pixel to the nearest pixel of value {@code value}
   * (Felzenszwalb and Huttenlocher's separable transform); where there is none, a value larger
   * than any distance in the image.
   */
  static double[] squaredDistanceTo(int[] trimap, int w, int h, int value) {
    double none = (double) w * w + (double) h * h + 1;
    double[] d = new double[w * h];
    double[] f = new double[Math.max(w, h)];
    double[] out = new double[Math.max(w, h)];
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        f[y] = trimap[y * w + x] == value ? 0 : none;
      }
      lowerEnvelope(f, h, out);
      for (int y = 0; y < h; y++) {
        d[y * w + x] = out[y];
      }
    }
    for (int y = 0; y < h; y++) {
      System.arraycopy(d, y * w, f, 0, w);
      lowerEnvelope(f, w, out);
      System.arraycopy(out, 0, d, y * w, w);
    }
    return d;
  }

  /** {@code out[q] = min_p f[p] + (q - p)^2}, in linear time. */
  private static void lowerEnvelope(double[] f, int n, double[] out) {
    int[] v = new int[n];
    double[] z = new double[n + 1];
    int k = 0;
    v[0] = 0;
    z[0] = Double.NEGATIVE_INFINITY;
    z[1] = Double.POSITIVE_INFINITY;
    for (int q = 1; q < n; q++) {
      double s = intersection(f, q, v[k]);
      while (s <= z[k]) { // z[0] is -infinity: stops at k == 0
        k--;
        s = intersection(f, q, v[k]);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
      while (z[k + 1] < q) {
        k++;
      }
      double dq = q - v[k];
      out[q] = f[v[k]] + dq * dq;
    }
  }

  /** Where the parabolas rooted at {@code q} and {@code p} cross. */
  private static double intersection(double[] f, int q, int p) {
    return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
  }

  /** The JPEG's number of colour components, from its header only. */
  private static int depth(Path jpeg) throws IOException {
    if (!Files.isRegularFile(jpeg)) {
      throw new IOException("No such image: " + jpeg + " (each trimap needs its JPEG)");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(jpeg.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("Cannot decode image " + jpeg);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return reader.getRawImageType(0).getNumBands();
      } finally {
        reader.dispose();
      }
    }
  }

  static String xml(DogBox b) {
    int[] voc = b.vocCorners();
    return "<annotation>\n"
        + "\t<folder>images</folder>\n"
        + "\t<filename>" + b.imageId() + ".jpg</filename>\n"
        + "\t<source>\n"
        + "\t\t<database>OXFORD-IIIT Pet Dataset</database>\n"
        + "\t\t<annotation>whole-dog box derived from the dataset trimap, see PROVENANCE.md"
        + "</annotation>\n"
        + "\t</source>\n"
        + "\t<size>\n"
        + "\t\t<width>" + b.width() + "</width>\n"
        + "\t\t<height>" + b.height() + "</height>\n"
        + "\t\t<depth>" + b.depth() + "</depth>\n"
        + "\t</size>\n"
        + "\t<segmented>0</segmented>\n"
        + "\t<object>\n"
        + "\t\t<name>dog</name>\n"
        + "\t\t<pose>Unspecified</pose>\n"
        + "\t\t<truncated>" + (b.truncated() ? 1 : 0) + "</truncated>\n"
        + "\t\t<difficult>0</difficult>\n"
        + "\t\t<bndbox>\n"
        + "\t\t\t<xmin>" + voc[0] + "</xmin>\n"
        + "\t\t\t<ymin>" + voc[1] + "</ymin>\n"
        + "\t\t\t<xmax>" + voc[2] + "</xmax>\n"
        + "\t\t\t<ymax>" + voc[3] + "</ymax>\n"
        + "\t\t</bndbox>\n"
        + "\t</object>\n"
        + "</annotation>\n";
  }
}
