package org.gradcam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one CSV dialect: RFC 4180 quoting where needed, LF line ends, file:line in errors. */
class CsvTest {
  private static final List<String> HEADER = List.of("id", "name", "score");

  @Test
  void quotesOnlyTheFieldsThatNeedIt() throws IOException {
    StringBuilder out = new StringBuilder();
    Csv.writeRecord(out, "000001", 169, 0.06507954, -0.5, true);
    Csv.writeRecord(out, "a,b", "say \"hi\"", "two\nlines", "", "plain");
    // RFC 4180, section 2: fields with commas, quotes or line breaks in quotes, quotes doubled.
    assertThat(out.toString()).isEqualTo("000001,169,0.06507954,-0.5,true\n"
        + "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,plain\n");
  }

  @Test
  void readsWhatItWritesAndSkipsBlankLines() throws IOException {
    StringBuilder text = new StringBuilder("id,name,score\n");
    Csv.writeRecord(text, "x", "Staffordshire, \"Am.\"\nterrier", 1.5);
    text.append("\n  \ny, plain ,2\r\n");
    List<String> rows = Csv.read(new StringReader(text.toString()), "t.csv", HEADER,
        f -> String.join("|", f));
    assertThat(rows).containsExactly("x|Staffordshire, \"Am.\"\nterrier|1.5", "y|plain|2");
  }

  @Test
  void aByteOrderMarkBeforeTheHeaderIsIgnored() throws IOException {
    assertThat(Csv.read(new StringReader("\uFEFFid,name,score\n1,a,2\n"), "bom.csv", HEADER,
        f -> f[1])).containsExactly("a");
  }

  @Test
  void errorsNameTheSourceAndTheLine() {
    String twoLineField = "id,name,score\n1,\"a\nb\",2\n\n3,c\n";
    assertThatThrownBy(() -> Csv.read(new StringReader(twoLineField), "t.csv", HEADER, f -> f))
        .isInstanceOf(IOException.class)
        .hasMessage("t.csv:5: expected 3 fields id,name,score, found 2 in '3,c'");
    assertThatThrownBy(() -> Csv.read(new StringReader("id,name,score\n1,a,x\n"), "t.csv",
        HEADER, f -> Double.parseDouble(f[2])))
        .isInstanceOf(IOException.class).hasMessageStartingWith("t.csv:2: ");
    assertThatThrownBy(() -> Csv.read(new StringReader("id,score\n"), "t.csv", HEADER, f -> f))
        .hasMessage("t.csv:1: expected header id,name,score");
    assertThatThrownBy(() -> Csv.read(new StringReader(""), "t.csv", HEADER, f -> f))
        .hasMessage("t.csv:1: expected header id,name,score");
    assertThatThrownBy(() -> Csv.read(new StringReader("id,name,score\n1,\"a,2\n"), "t.csv",
        HEADER, f -> f)).isInstanceOf(IOException.class).hasMessageStartingWith("t.csv:2: ");
  }
}
