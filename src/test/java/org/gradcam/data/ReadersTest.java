package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gradcam.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
  static final Path DATA = TestData.MIRROR;

  @BeforeAll
  static void mirror() {
    assertThat(DATA.resolve("voc2007-test")).as("data mirror expected at %s", DATA.toAbsolutePath())
        .isDirectory();
  }

  @Test
  void imageIdsFromWindowsAndUnixPaths() {
    assertThat(ImageIds.fromPath("voc_dataset\\VOCdevkit\\VOC2007\\JPEGImages\\000001.jpg"))
        .isEqualTo("000001");
    assertThat(ImageIds.fromPath("a/b/000002.jpg")).isEqualTo("000002");
    assertThat(ImageIds.fromPath("000003")).isEqualTo("000003");
  }

  @Test
  void publishedGroundTruthIsTheCsvsDogBoxes() throws IOException {
    GroundTruth pickle = PublishedPickles.readGroundTruth(
        DATA.resolve("published/rayanramoul-GradCAM/results/all_gt_dogs.pickle"));
    GroundTruth csv = VocObjectsCsv.groundTruth(
        VocObjectsCsv.read(DATA.resolve("voc2007-test/voc2007_test_objects.csv")), "dog");
    assertThat(pickle.imageIds()).hasSize(433);
    assertThat(pickle.boxCount()).isEqualTo(530);
    assertThat(csv.imageIds()).hasSize(4952);
    assertThat(csv.imagesWithObjects()).containsExactlyElementsOf(pickle.imageIds());
    assertThat(csv.boxCount()).isEqualTo(530);
    assertThat(csv.difficultCount()).isEqualTo(41);
    GroundTruth joined = EvaluationInputs.withDifficultFlags(pickle, csv);
    assertThat(joined.difficultCount()).isEqualTo(41);
    // 000001: the XML's dog box, unchanged (1-based corners)
    assertThat(pickle.byImage().get("000001")).containsExactly(
        new GroundTruthBox(new VocBox(48, 240, 195, 371), false));
  }

  @Test
  void publishedDetectionsKeepPickleOrder() throws IOException {
    List<Detection> d = PublishedPickles.readDetections(
        DATA.resolve("published/rayanramoul-GradCAM/results/all_detected_dogs0.01.pickle"));
    assertThat(d).hasSize(577);
    assertThat(d.get(0)).isEqualTo(new Detection("000001", new VocBox(0, 198, 198, 426), 4.0));
    assertThat(d.get(1).imageId()).isEqualTo("000018");
  }

  @Test
  void protocol4ReconstructPath() throws Exception {
    Path p = Path.of(getClass().getResource("/org/gradcam/eval/protocol4.pickle").toURI());
    @SuppressWarnings("unchecked")
    var map = (java.util.Map<String, NdArray>) NumpyPickle.load(p);
    assertThat(map.keySet()).containsExactly("a\\000001.jpg", "b/000002.jpg", "000003");
    assertThat(map.get("a\\000001.jpg").values()).containsExactly(1, 2, 3, 4); // int64
    assertThat(map.get("b/000002.jpg").values()).containsExactly(0.5, 1.5, 2.5, 3.5, 0.9f); // f32
    assertThat(map.get("000003").shape()).containsExactly(2, 5); // int32
    assertThat(map.get("000003").get(1, 3)).isEqualTo(8);
  }

  @Test
  void vocXmlFolder() throws IOException {
    GroundTruth g = VocAnnotations.read(DATA.resolve("voc2007-test/Annotations"), "dog");
    assertThat(g.byImage()).containsOnlyKeys("000001");
    assertThat(g.byImage().get("000001")).containsExactly(
        new GroundTruthBox(new VocBox(48, 240, 195, 371), false));
    assertThat(EvaluationInputs.groundTruth(DATA.resolve("voc2007-test/Annotations"), "person")
        .boxCount()).isOne();
  }

  static Path pickle(String name) throws Exception {
    return Path.of(ReadersTest.class.getResource("/org/gradcam/data/pickles/" + name).toURI());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void numpyPicklesOfEveryProtocolAreRead(int protocol) throws Exception {
    // make_pickle_fixtures.py: {000001: [[48,240,195,371,0.75],[8,12,352,498,0.25]]}.
    assertThat(PublishedPickles.readDetections(pickle("detections_protocol" + protocol + ".pickle")))
        .containsExactly(new Detection("000001", new VocBox(48, 240, 195, 371), 0.75),
            new Detection("000001", new VocBox(8, 12, 352, 498), 0.25));
  }

  @Test
  void nonFiniteScoresAndCoordinatesOfAPickleAreErrors() throws Exception {
    assertThatThrownBy(() -> PublishedPickles.readDetections(pickle("nan_score.pickle")))
        .isInstanceOf(IOException.class).hasMessageContaining("nan_score.pickle: image 000001, "
            + "row 0: score is NaN, not a finite number");
    assertThatThrownBy(() -> PublishedPickles.readDetections(pickle("inf_score.pickle")))
        .isInstanceOf(IOException.class).hasMessageContaining("score is Infinity");
    assertThatThrownBy(() -> PublishedPickles.readDetections(pickle("nan_box.pickle")))
        .isInstanceOf(IOException.class).hasMessageContaining("nan_box.pickle: image 000001, row 0")
        .hasMessageContaining("non-finite coordinate");
  }

  @Test
  void invertedBoxesAreErrorsInEveryReader(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> PublishedPickles.readDetections(pickle("inverted_detection.pickle")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("row 0: box [195.0,240.0,48.0,371.0] is inverted (xmax < xmin)");
    assertThatThrownBy(() -> PublishedPickles.readGroundTruth(pickle("inverted_gt.pickle")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("box [48.0,371.0,195.0,240.0] is inverted (ymax < ymin)");
    Path csv = Files.writeString(dir.resolve("d.csv"),
        DetectionsCsv.HEADER + "\n000001,195,240,48,371,0.5\n");
    assertThatThrownBy(() -> DetectionsCsv.read(csv)).hasMessageContaining("d.csv:2: box")
        .hasMessageContaining("inverted");
    Path objs = Files.writeString(dir.resolve("objs.csv"), "image_id,width,height,depth,"
        + "object_index,class,pose,truncated,difficult,xmin,ymin,xmax,ymax\n"
        + "000001,353,500,3,0,dog,Left,1,0,48,371,195,240\n");
    assertThatThrownBy(() -> VocObjectsCsv.read(objs)).hasMessageContaining("objs.csv:2: box")
        .hasMessageContaining("inverted");
    Path xmlDir = Files.createDirectory(dir.resolve("Annotations"));
    Files.writeString(xmlDir.resolve("000001.xml"), "<annotation><object><name>dog</name>"
        + "<bndbox><xmin>195</xmin><ymin>240</ymin><xmax>48</xmax><ymax>371</ymax></bndbox>"
        + "</object></annotation>");
    assertThatThrownBy(() -> VocAnnotations.read(xmlDir, "dog"))
        .hasMessageContaining("000001.xml: object 0: box").hasMessageContaining("inverted");
    // A one-pixel VOC box has equal corners: valid.
    Path onePixel = Files.writeString(dir.resolve("one.csv"),
        DetectionsCsv.HEADER + "\n000001,5,7,5,7,0.5\n");
    assertThat(DetectionsCsv.read(onePixel)).hasSize(1);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"os_system_protocol0.pickle, posix.system",
      "os_system_protocol4.pickle, posix.system", "eval_protocol2.pickle, __builtin__.eval"})
  void picklesThatWouldRunCodeAreRefused(String name, String global) throws Exception {
    Path file = pickle(name);
    assertThatThrownBy(() -> PublishedPickles.readDetections(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": refused: the pickle tries to construct " + global
            + " (only numpy arrays, dicts, lists, strings and numbers are read)");
    assertThat(Path.of("/tmp/gradcam-pickle-pwned")).doesNotExist();
  }

  @Test
  void csvWithAUtf8ByteOrderMarkReadsLikeWithout(@TempDir Path dir) throws IOException {
    String body = DetectionsCsv.HEADER + "\n000001,1,2,3,4,0.5\n";
    Path plain = Files.writeString(dir.resolve("plain.csv"), body);
    Path bom = Files.writeString(dir.resolve("bom.csv"), "\uFEFF" + body);
    assertThat(Files.readAllBytes(bom)).startsWith(0xEF, 0xBB, 0xBF);
    assertThat(DetectionsCsv.read(bom)).isEqualTo(DetectionsCsv.read(plain)).hasSize(1);
  }

  @Test
  void detectionsCsvRoundTrip(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("d.csv");
    List<Detection> d = List.of(new Detection("000001", new VocBox(1, 2, 3, 4), 0.5));
    DetectionsCsv.write(f, d);
    assertThat(EvaluationInputs.detections(f)).isEqualTo(d);
  }

  @Test
  void badInputsNameFileAndLine(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, DetectionsCsv.HEADER + "\n000001,1,2,3,4,0.5\n000002,1,2,x,4,0.5\n");
    assertThatThrownBy(() -> DetectionsCsv.read(csv)).hasMessageContaining("bad.csv:3");
    Files.writeString(csv, "id,score\n");
    assertThatThrownBy(() -> DetectionsCsv.read(csv)).hasMessageContaining("bad.csv:1");
    Path pickle = dir.resolve("bad.pickle");
    Files.write(pickle, new byte[] {(byte) 0x80, 5, '}', '(', 'X'});
    assertThatThrownBy(() -> PublishedPickles.readDetections(pickle))
        .isInstanceOf(IOException.class).hasMessageContaining("bad.pickle");
    Files.write(pickle, new byte[] {(byte) 0x80, 4, 'K', 1, '.'});
    assertThatThrownBy(() -> PublishedPickles.readGroundTruth(pickle))
        .hasMessageContaining("expected a dict");
    assertThatThrownBy(() -> EvaluationInputs.groundTruth(dir.resolve("missing.pickle"), "dog"))
        .hasMessageContaining("missing.pickle");
    assertThatThrownBy(() -> EvaluationInputs.detections(dir.resolve("missing.csv")))
        .hasMessageContaining("missing.csv");
    Path objs = dir.resolve("objs.csv");
    Files.writeString(objs, "image_id,width,height,depth,object_index,class,pose,truncated,"
        + "difficult,xmin,ymin,xmax,ymax\n000001,353,500,3,0,dog,Left,1,2,48,240,195,371\n");
    assertThatThrownBy(() -> VocObjectsCsv.read(objs)).hasMessageContaining("objs.csv:2");
    Path xmlDir = Files.createDirectory(dir.resolve("Annotations"));
    Files.writeString(xmlDir.resolve("000009.xml"), "<annotation><object>");
    assertThatThrownBy(() -> VocAnnotations.read(xmlDir, "dog")).hasMessageContaining("000009.xml");
  }
}
