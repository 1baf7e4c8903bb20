package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code voc2007_test_objects.csv} derived from VOC XML annotations. Only one genuine test XML
 * (000001) is at hand, so its rows and the CSV's format are checked against the mirror's CSV here;
 * that the whole derivation from {@code VOCtest_06-Nov-2007.tar} equals the mirror's 14976 rows
 * is checked by the asset digest wherever the tar has been fetched (a connected machine).
 */
class VocObjectsCsvDerivationTest {
  static final Path VOC = TestData.path("voc2007-test");

  /** A person with a part (its own name and box) and an extra element order. */
  static final String SYNTHETIC = """
      <annotation>
        <filename>000003.jpg</filename>
        <size><width>500</width><height>375</height><depth>3</depth></size>
        <object>
          <name>person</name><pose>Frontal</pose><truncated>0</truncated><difficult>1</difficult>
          <bndbox><xmin>10</xmin><ymin>20</ymin><xmax>30</xmax><ymax>40</ymax></bndbox>
          <part><name>head</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></part>
        </object>
        <object>
          <difficult>0</difficult><bndbox><xmin>5</xmin><ymin>6</ymin><xmax>7</xmax><ymax>8</ymax></bndbox>
          <name>dog</name><truncated>1</truncated><pose>Unspecified</pose>
        </object>
      </annotation>
      """;

  @Test
  void rowsOf000001EqualTheMirrorsCsvRowsAndFormat(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(VOC.resolve("Annotations/000001.xml")), "no data mirror");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("VOCdevkit/VOC2007/JPEGImages/000003.jpg", new byte[] {1, 2, 3});
    entries.put("VOCdevkit/VOC2007/Annotations/000003.xml",
        SYNTHETIC.getBytes(StandardCharsets.UTF_8));
    entries.put("VOCdevkit/VOC2007/Annotations/000001.xml",
        Files.readAllBytes(VOC.resolve("Annotations/000001.xml")));
    entries.put("VOCdevkit/VOC2007/ImageSets/Main/test.txt", "000001\n000003\n".getBytes());
    Path tar = TestTars.write(tmp.resolve("voc.tar"), entries);
    Path out = tmp.resolve("derived/voc2007_test_objects.csv");

    assertThat(VocObjectsCsv.deriveFromTar(tar, out)).isEqualTo(2);

    List<String> mirror = Files.readAllLines(VOC.resolve("voc2007_test_objects.csv"));
    List<String> ours = Files.readAllLines(out);
    assertThat(ours.get(0)).isEqualTo(mirror.get(0));
    List<String> mirror000001 = mirror.stream().filter(l -> l.startsWith("000001,")).toList();
    assertThat(mirror000001).hasSize(2);
    // Images in id order, objects in file order; the part's box is not an object.
    assertThat(ours.subList(1, ours.size())).containsExactly(
        mirror000001.get(0), mirror000001.get(1),
        "000003,500,375,3,0,person,Frontal,0,1,10,20,30,40",
        "000003,500,375,3,1,dog,Unspecified,1,0,5,6,7,8");
    // Same line ends and final newline as the mirror's file, and readable by our reader.
    String text = Files.readString(out);
    assertThat(text).doesNotContain("\r").endsWith("7,8\n");
    assertThat(Files.readString(VOC.resolve("voc2007_test_objects.csv"))).doesNotContain("\r")
        .endsWith("\n");
    assertThat(VocObjectsCsv.read(out)).hasSize(4);
  }

  @Test
  void aTarWithoutAnnotationsOrWithABrokenOneIsAClearError(@TempDir Path tmp) throws Exception {
    Path empty = TestTars.write(tmp.resolve("e.tar"), Map.of("VOCdevkit/README", new byte[1]));
    assertThatThrownBy(() -> VocObjectsCsv.deriveFromTar(empty, tmp.resolve("a.csv")))
        .isInstanceOf(IOException.class).hasMessageContaining("has no VOC2007/Annotations/*.xml");
    Path broken = TestTars.write(tmp.resolve("b.tar"), Map.of(
        "VOCdevkit/VOC2007/Annotations/000009.xml",
        "<annotation><size><width>1</width></size></annotation>".getBytes()));
    assertThatThrownBy(() -> VocObjectsCsv.deriveFromTar(broken, tmp.resolve("b.csv")))
        .isInstanceOf(IOException.class).hasMessageContaining("000009.xml")
        .hasMessageContaining("<size> has no <height>");
    assertThat(tmp.resolve("b.csv")).doesNotExist();
  }

  @Test
  void aValueWithACommaOrQuoteIsQuotedAndReadsBack(@TempDir Path tmp) throws Exception {
    // The XML's text is kept as it is: RFC 4180 quoting, not a refusal or a replaced comma.
    String xml = SYNTHETIC.replace("<name>dog</name>", "<name>dog, \"hot\"</name>");
    Path tar = TestTars.write(tmp.resolve("q.tar"), Map.of(
        "VOCdevkit/VOC2007/Annotations/000003.xml", xml.getBytes(StandardCharsets.UTF_8)));
    Path out = tmp.resolve("q.csv");

    assertThat(VocObjectsCsv.deriveFromTar(tar, out)).isEqualTo(1);

    assertThat(Files.readAllLines(out)).last()
        .isEqualTo("000003,500,375,3,1,\"dog, \"\"hot\"\"\",Unspecified,1,0,5,6,7,8");
    assertThat(VocObjectsCsv.read(out)).extracting(VocObject::className)
        .containsExactly("person", "dog, \"hot\"");
  }
}
