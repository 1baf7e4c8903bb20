package org.gradcam.data;

/** Maps image paths or file names, as the various sources write them, to VOC image ids. */
public final class ImageIds {
  private ImageIds() {}

  /**
   * {@code voc_dataset\VOCdevkit\VOC2007\JPEGImages\000001.jpg} (the published pickles were made
   * on Windows), {@code a/b/000001.jpg} and {@code 000001} all give {@code 000001}.
   */
  public static String fromPath(String path) {
    String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    int dot = name.lastIndexOf('.');
    String id = dot > 0 ? name.substring(0, dot) : name;
    if (id.isBlank()) {
      throw new IllegalArgumentException("cannot derive an image id from '" + path + "'");
    }
    return id;
  }
}
