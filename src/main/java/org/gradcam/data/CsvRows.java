package org.gradcam.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a simple comma-separated file with a fixed header, one record per line, and says which
 * file and line is wrong when a row cannot be parsed.
 */
final class CsvRows {
  /** Turns the fields of one row into a record; throws IllegalArgumentException when invalid. */
  @FunctionalInterface
  interface RowParser<T> {
    T parse(String[] fields);
  }

  private CsvRows() {}

  static <T> List<T> read(Path file, String what, List<String> header, RowParser<T> parser)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No such " + what + ": " + file);
    }
    List<T> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = in.readLine();
      if (first != null && first.startsWith("\uFEFF")) {
        // A UTF-8 byte order mark, as Excel and Windows tools write: not part of the header.
        first = first.substring(1);
      }
      if (first == null || !List.of(first.strip().split(",", -1)).equals(header)) {
        throw new IOException(file + ":1: expected header " + String.join(",", header));
      }
      int lineNo = 1;
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.strip().split(",", -1);
        if (fields.length != header.size()) {
          throw new IOException(file + ":" + lineNo + ": expected " + header.size() + " fields "
              + String.join(",", header) + ", found " + fields.length + " in '" + line + "'");
        }
        try {
          out.add(parser.parse(fields));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
        }
      }
    }
    return out;
  }
}
