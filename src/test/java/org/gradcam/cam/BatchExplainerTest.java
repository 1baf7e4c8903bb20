package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.data.Assets;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared images -> explanations stage: any batch size gives each image the explanations it
 * gets alone (computed here without the stage: read, preprocess, one explainer call), in input
 * order; a file that cannot be read stops the run naming its path, after the batches before it.
 * Comparisons are exact: one machine, one kernel path, only the batch changes (README,
 * Determinism).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchExplainerTest {
  @TempDir Path tmp;
  private Model model;
  private Explainer explainer;
  private List<Path> files;

  @BeforeAll
  void load() throws IOException {
    model = Models.load("squeezenet1.1", Assets.defaults());
    explainer = new Explainer(model, "fire9", new GradCam());
    List<Path> voc;
    try (Stream<Path> s = Files.list(TestData.path("voc2007-test/JPEGImages"))) {
      voc = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
    List<Path> pets;
    try (Stream<Path> s = Files.list(TestData.path("oxford-iiit-pet-dogs/images"))) {
      pets = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(6).toList();
    }
    // 10 images: more than the graph batch (8), so some batches span two graph runs.
    files = new ArrayList<>(voc);
    files.addAll(pets);
  }

  @AfterAll
  void close() {
    model.close();
  }

  /** Each file alone, without the stage: the reference. */
  private List<List<Explanation>> alone(Target target) throws IOException {
    List<List<Explanation>> out = new ArrayList<>();
    for (Path f : files) {
      float[] x = model.spec().input(Images.read(f), Interpolation.NEAREST);
      out.add(explainer.explain(x, 1, target));
    }
    return out;
  }

  private static void assertSame(Explanation actual, Explanation expected, String what) {
    assertThat(actual.targetClass()).as(what).isEqualTo(expected.targetClass());
    assertThat(actual.logits()).as(what + " logits").isEqualTo(expected.logits());
    assertThat(actual.heatmap().raw()).as(what + " map").isEqualTo(expected.heatmap().raw());
  }

  @Test
  void aBatchOfNGivesEachImageWhatItGetsAloneInInputOrder() throws IOException {
    assertThat(files).hasSize(10);
    for (Target target : List.of(Target.top1(), Target.topK(2))) {
      List<List<Explanation>> expected = alone(target);
      for (int batchSize : new int[] {1, 3, 8, 10}) {
        String tag = target + " batch " + batchSize;
        List<BatchExplainer.Explained> got = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        new BatchExplainer(explainer, target, Interpolation.NEAREST).batchSize(batchSize)
            .progress(steps::add).files(files, batch -> {
              firsts.add(batch.first());
              assertThat(batch.images()).hasSizeLessThanOrEqualTo(batchSize);
              assertThat(batch.nanos()).isPositive();
              got.addAll(batch.images());
            });
        assertThat(got).as(tag).hasSize(files.size());
        assertThat(steps.stream().mapToInt(Integer::intValue).sum()).as(tag)
            .isEqualTo(files.size());
        List<Integer> starts = new ArrayList<>();
        for (int first = 0; first < files.size(); first += batchSize) {
          starts.add(first);
        }
        assertThat(firsts).as(tag).isEqualTo(starts);
        for (int i = 0; i < files.size(); i++) {
          BatchExplainer.Explained image = got.get(i);
          assertThat(image.index()).as(tag).isEqualTo(i);
          BufferedImage picture = Images.read(files.get(i));
          assertThat(image.picture().getWidth()).isEqualTo(picture.getWidth());
          assertThat(image.picture().getHeight()).isEqualTo(picture.getHeight());
          assertThat(image.explanations()).as(tag).hasSize(expected.get(i).size());
          for (int k = 0; k < expected.get(i).size(); k++) {
            assertSame(image.explanations().get(k), expected.get(i).get(k),
                tag + " " + files.get(i).getFileName() + " #" + k);
          }
        }
      }
    }
  }

  @Test
  void picturesInMemoryGiveTheSameExplanationsAsTheirFiles() throws IOException {
    List<BufferedImage> pictures = new ArrayList<>();
    for (Path f : files.subList(0, 3)) {
      pictures.add(Images.read(f));
    }
    BatchExplainer stage = new BatchExplainer(explainer, Target.top1(), Interpolation.NEAREST);
    assertThat(stage.batchSize()).isEqualTo(model.graphBatch());
    List<BatchExplainer.Explained> fromFiles = new ArrayList<>();
    List<BatchExplainer.Explained> fromPictures = new ArrayList<>();
    stage.files(files.subList(0, 3), b -> fromFiles.addAll(b.images()));
    stage.pictures(pictures, b -> fromPictures.addAll(b.images()));
    for (int i = 0; i < 3; i++) {
      assertSame(fromPictures.get(i).explanations().get(0), fromFiles.get(i).explanations().get(0),
          "image " + i);
    }
  }

  @Test
  void aFailingImageStopsTheRunNamingItsPathAfterTheBatchesBeforeIt() throws IOException {
    Path broken = tmp.resolve("broken.jpg");
    byte[] jpeg = Files.readAllBytes(files.get(0));
    Files.write(broken, java.util.Arrays.copyOf(jpeg, jpeg.length / 3)); // truncated
    List<Path> run = List.of(files.get(0), files.get(1), broken, files.get(2));
    List<Integer> handled = new ArrayList<>();
    List<Integer> steps = new ArrayList<>();
    BatchExplainer stage = new BatchExplainer(explainer, Target.top1(), Interpolation.NEAREST)
        .batchSize(2).progress(steps::add);
    assertThatThrownBy(() -> stage.files(run, b -> b.images().forEach(x -> handled.add(x.index()))))
        .isInstanceOf(IOException.class).hasMessageContaining(broken.toString());
    assertThat(handled).containsExactly(0, 1);
    assertThat(steps).containsExactly(2);

    // A reader whose message does not name the file gets the path added.
    BatchExplainer silent = new BatchExplainer(explainer, Target.top1(), Interpolation.NEAREST)
        .reader(f -> {
          throw new IOException("cannot decode");
        });
    assertThatThrownBy(() -> silent.files(List.of(files.get(3)), b -> { }))
        .isInstanceOf(IOException.class)
        .hasMessage(files.get(3) + ": cannot decode");
  }

  @Test
  void aBatchSizeBelowOneIsRefused() {
    BatchExplainer stage = new BatchExplainer(explainer, Target.top1(), Interpolation.NEAREST);
    assertThatThrownBy(() -> stage.batchSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch size must be >= 1, got 0");
  }
}
