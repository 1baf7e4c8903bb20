package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.image.Colormap;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.pipeline.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain through the pipeline: same bytes as the sequential path, errors, threads, auto size. */
class ExplainPipelineTest extends CliTest {
  static final Path VOC = ExplainCommandTest.VOC;
  @TempDir Path tmp;

  static List<Path> vocImages() throws Exception {
    try (Stream<Path> s = Files.list(VOC)) {
      return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
  }

  @Test
  void pipelinedOutputIsByteIdenticalToTheSequentialPath() throws Exception {
    List<Path> files = vocImages();
    assertThat(files).hasSize(4);
    try (Model model = Models.load("squeezenet1.1", Assets.defaults())) {
      Explainer explainer = new Explainer(model, "fire9", new GradCam());
      for (Target target : List.of(Target.top1(), Target.topK(2))) {
        for (int batch : new int[] {1, 3, 8}) {
          String tag = (target instanceof Target.TopK ? "top2" : "top1") + "-b" + batch;
          List<String> seq = new ArrayList<>();
          List<String> pipe = new ArrayList<>();
          Path a = tmp.resolve("seq-" + tag);
          Path b = tmp.resolve("pipe-" + tag);
          int[] steps = new int[2];
          job(explainer, target, a, seq).sequential(files, batch, n -> steps[0] += n);
          job(explainer, target, b, pipe).pipelined(files, new Pipeline.Config(batch, 2, 2, 4),
              n -> steps[1] += n);
          assertThat(steps).as(tag).containsExactly(4, 4);
          assertThat(pipe).as(tag).hasSize(target instanceof Target.TopK ? 8 : 4);
          assertThat(pipe).as(tag).containsExactlyElementsOf(
              seq.stream().map(l -> l.replace(a.toString(), b.toString())).toList());
          assertSameFiles(a.resolve("png"), b.resolve("png"), target instanceof Target.TopK ? 8 : 4);
          assertSameFiles(a.resolve("npy"), b.resolve("npy"), target instanceof Target.TopK ? 8 : 4);
        }
      }
    }
  }

  static ExplainJob job(Explainer explainer, Target target, Path dir, List<String> lines) {
    StringWriter json = new StringWriter() {
      @Override
      public void flush() {}
    };
    PrintWriter out = new PrintWriter(json, true) {
      @Override
      public void println(String line) {
        lines.add(line);
      }
    };
    return new ExplainJob(explainer, target, Interpolation.NEAREST, new ExplainJob.Output(
        Colormap.JET, 0.4, dir.resolve("png"), dir.resolve("npy"), true,
        target instanceof Target.TopK, true, out));
  }

  static void assertSameFiles(Path a, Path b, int count) throws Exception {
    List<Path> left;
    try (Stream<Path> s = Files.list(a)) {
      left = s.sorted().toList();
    }
    assertThat(left).hasSize(count);
    try (Stream<Path> s = Files.list(b)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted())
          .containsExactlyElementsOf(left.stream().map(p -> p.getFileName().toString()).toList());
    }
    for (Path f : left) {
      assertThat(Files.readAllBytes(b.resolve(f.getFileName().toString())))
          .as(f.getFileName().toString()).isEqualTo(Files.readAllBytes(f));
    }
  }

  @Test
  void aCorruptImageInTheMiddleFailsTheRunNamingItWithoutHangingOrLeakingThreads()
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    List<Path> voc = vocImages();
    for (int i = 0; i < 12; i++) {
      Files.copy(voc.get(i % 4), dir.resolve(String.format("img%02d.jpg", i)));
    }
    // Sorted between img05 and img06; a JPEG header followed by garbage.
    Path corrupt = dir.resolve("img05b.jpg");
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(voc.get(0)), 600);
    Files.write(corrupt, head);
    Path maps = tmp.resolve("out");
    int exit = assertTimeoutPreemptively(Duration.ofSeconds(120),
        () -> run("explain", "--image", dir.toString(), "--out", maps.toString(),
            "--batch-size", "2", "--json"));
    assertThat(exit).as(out.toString() + err).isEqualTo(2);
    assertThat(err.toString()).contains("error: " + corrupt + ": ");
    // Item 6 of 13: the batches before its own were made, but a failed run keeps nothing:
    // no overlay, no folder, no JSON line naming a file that is not there.
    assertThat(out.toString()).isEmpty();
    assertThat(maps).doesNotExist();
    assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith(Pipeline.THREAD_PREFIX))).isEmpty();
  }

  @Test
  void batchSizeAutoAndAnyFixedSizeGiveTheSameOutputInOrder() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("many"));
    List<Path> voc = vocImages();
    for (int i = 0; i < 19; i++) {
      Files.copy(voc.get(i % 4), dir.resolve(String.format("img%02d.jpg", i)));
    }
    Run auto = kept("explain", "--image", dir.toString(),
        "--out", tmp.resolve("auto").toString(), "--json");
    assertThat(auto.exit()).as(auto.err()).isZero();
    assertThat(auto.out().lines()).hasSize(19);
    assertThat(auto.out().lines().map(l -> l.replaceAll(".*\"image\":\"([^\"]+)\".*", "$1")))
        .isSorted();
    Run three = kept("explain", "--image", dir.toString(),
        "--out", tmp.resolve("three").toString(), "--json", "--batch-size", "3");
    assertThat(three.exit()).as(three.err()).isZero();
    assertThat(three.out().replace("three", "auto")).isEqualTo(auto.out());
  }

  @Test
  void batchSizeMustBeAPositiveNumberOrAuto() {
    String img = VOC.resolve("001150.jpg").toString();
    String png = tmp.resolve("o.png").toString();
    assertOneLineError(run("explain", "--image", img, "--out", png, "--batch-size", "0"),
        "Invalid value for option '--batch-size': expected auto or a number >= 1 but was '0'");
    assertOneLineError(run("explain", "--image", img, "--out", png, "--batch-size", "many"),
        "Invalid value for option '--batch-size': expected auto or a number >= 1 but was 'many'");
  }
}
