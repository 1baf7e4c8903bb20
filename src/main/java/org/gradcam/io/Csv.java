package org.gradcam.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The project's one CSV dialect, on Commons CSV: RFC 4180 (a field is quoted only when it holds
 * a comma, a quote or a line break, or starts or ends with a blank), each record ended by
 * {@code \n}, as every committed CSV file has it. Readers say which file and line is wrong.
 */
public final class Csv {
  /** RFC 4180 with {@code \n} line ends. */
  public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n')
      .get();

  /**
   * For reading: blank lines are kept as records (and skipped by {@link #read}) so line numbers
   * stay right; spaces around a field are not part of it.
   */
  private static final CSVFormat READ = FORMAT.builder().setIgnoreEmptyLines(false).setTrim(true)
      .get();

  /** Turns the fields of one row into a value; throws IllegalArgumentException when invalid. */
  @FunctionalInterface
  public interface RowParser<T> {
    T parse(String[] fields);
  }

  private Csv() {}

  /** Writes one record: each value's {@code toString()}, quoted where needed, then {@code \n}. */
  public static void writeRecord(Appendable out, Object... values) throws IOException {
    FORMAT.printRecord(out, values);
  }

  /**
   * Reads a UTF-8 file whose first line is exactly {@code header} (a byte order mark before it,
   * as Excel writes, is ignored) and whose every other non-blank line has as many fields.
   *
   * @param what the kind of file, for the error of a missing one ("No such detections CSV")
   */
  public static <T> List<T> read(Path file, String what, List<String> header,
      RowParser<T> parser) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No such " + what + ": " + file);
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString(), header, parser);
    }
  }

  /** {@link #read(Path, String, List, RowParser)} of text from {@code source}. */
  public static <T> List<T> read(Reader in, String source, List<String> header,
      RowParser<T> parser) throws IOException {
    List<T> out = new ArrayList<>();
    long line = 1;
    try (CSVParser csv = CSVParser.builder().setReader(in).setFormat(READ).get()) {
      Iterator<CSVRecord> records = csv.iterator();
      if (!records.hasNext() || !header.equals(withoutBom(records.next().values()))) {
        throw new IOException(source + ":1: expected header " + String.join(",", header));
      }
      while (true) {
        line = csv.getCurrentLineNumber() + 1; // the line the next record starts on
        if (!records.hasNext()) {
          break;
        }
        String[] fields = records.next().values();
        if (fields.length == 1 && fields[0].isEmpty()) {
          continue; // a blank line
        }
        if (fields.length != header.size()) {
          throw new IOException(source + ":" + line + ": expected " + header.size() + " fields "
              + String.join(",", header) + ", found " + fields.length + " in '"
              + String.join(",", fields) + "'");
        }
        try {
          out.add(parser.parse(fields));
        } catch (IllegalArgumentException e) {
          throw new IOException(source + ":" + line + ": " + e.getMessage(), e);
        }
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      // Commons CSV's iterator reports a malformed record (e.g. an unclosed quote) this way.
      throw new IOException(source + ":" + line + ": malformed CSV: " + e.getMessage(), e);
    }
    return out;
  }

  private static List<String> withoutBom(String[] fields) {
    if (fields.length > 0 && fields[0].startsWith("\uFEFF")) {
      fields[0] = fields[0].substring(1).strip();
    }
    return List.of(fields);
  }
}
