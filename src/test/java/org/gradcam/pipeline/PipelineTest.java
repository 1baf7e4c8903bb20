package org.gradcam.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Pipeline} with test doubles for the stages: order, failures, threads, bounded queues. */
class PipelineTest {
  static final Duration NO_HANG = Duration.ofSeconds(20);

  /** Stages over integers with optional random delays and a failure at one item and stage. */
  static class Fake implements Pipeline.Stages<Integer, Integer, Integer> {
    final int maxDelayMs;
    final String failStage;
    final int failAt;
    final List<Integer> emitted = Collections.synchronizedList(new ArrayList<>());
    final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    Fake(int maxDelayMs, String failStage, int failAt) {
      this.maxDelayMs = maxDelayMs;
      this.failStage = failStage;
      this.failAt = failAt;
    }

    void pause() throws InterruptedException {
      if (maxDelayMs > 0) {
        Thread.sleep(ThreadLocalRandom.current().nextInt(maxDelayMs + 1));
      }
    }

    void maybeFail(String stage, int i) {
      if (stage.equals(failStage) && i == failAt) {
        throw new IllegalStateException("boom in " + stage);
      }
    }

    @Override
    public String name(int i) {
      return "img" + i + ".jpg";
    }

    @Override
    public Integer load(int i) throws Exception {
      pause();
      maybeFail("load", i);
      return i * 10;
    }

    @Override
    public List<Integer> run(int first, List<Integer> loaded) throws Exception {
      pause();
      List<Integer> items = new ArrayList<>();
      for (int k = 0; k < loaded.size(); k++) {
        assertThat(loaded.get(k)).isEqualTo((first + k) * 10);
        items.add(first + k);
        maybeFail("run", first + k);
      }
      batches.add(items);
      return loaded.stream().map(x -> x + 1).toList();
    }

    @Override
    public Integer write(int i, Integer result) throws Exception {
      pause();
      maybeFail("write", i);
      return result * 2;
    }

    @Override
    public void emit(int i, Integer written) {
      assertThat(written).isEqualTo((i * 10 + 1) * 2);
      emitted.add(i);
    }
  }

  @AfterEach
  void noPipelineThreadOutlivesItsRun() {
    assertThat(pipelineThreads()).isEmpty();
  }

  static List<String> pipelineThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith(Pipeline.THREAD_PREFIX)).toList();
  }

  @Test
  void resultsFollowInputOrderAndBatchesAreFixedChunksWhateverTheDelays() {
    for (int batch : new int[] {1, 3, 8}) {
      Fake f = new Fake(5, "", -1);
      assertTimeoutPreemptively(NO_HANG,
          () -> Pipeline.run(50, new Pipeline.Config(batch, 3, 3, 4), f));
      assertThat(f.emitted).containsExactlyElementsOf(range(0, 50));
      List<List<Integer>> expected = new ArrayList<>();
      for (int first = 0; first < 50; first += batch) {
        expected.add(range(first, Math.min(50, first + batch)));
      }
      assertThat(f.batches).containsExactlyElementsOf(expected);
      assertThat(pipelineThreads()).isEmpty();
    }
  }

  @Test
  void aFailureInAnyStageNamesTheItemEmitsEverythingBeforeItsBatchAndStopsAllThreads() {
    for (String stage : new String[] {"load", "run", "write"}) {
      Fake f = new Fake(2, stage, 13);
      assertTimeoutPreemptively(NO_HANG, () -> assertThatThrownBy(
          () -> Pipeline.run(40, new Pipeline.Config(4, 2, 2, 4), f))
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("boom in " + stage)
          .hasMessageStartingWith(stage.equals("run") ? "batch img12.jpg .. img15.jpg: "
              : "img13.jpg: "));
      // Items of earlier batches were all emitted, in order; nothing after the failure was.
      int emittedBefore = stage.equals("write") ? 13 : 12;
      assertThat(f.emitted).containsExactlyElementsOf(range(0, emittedBefore));
      assertThat(pipelineThreads()).as(stage).isEmpty();
    }
  }

  @Test
  void aFailingEmitAlsoStopsEverything() {
    Pipeline.Stages<Integer, Integer, Integer> stages = new Fake(0, "", -1) {
      @Override
      public void emit(int i, Integer written) {
        if (i == 3) {
          throw new IllegalStateException("stdout closed");
        }
      }
    };
    assertTimeoutPreemptively(NO_HANG, () -> assertThatThrownBy(
        () -> Pipeline.run(1000, new Pipeline.Config(2, 2, 2, 2), stages))
        .hasMessage("img3.jpg: stdout closed"));
  }

  @Test
  void aSlowWriterBlocksTheRunnerAndLoadersInsteadOfLettingItemsPileUp() throws Exception {
    int n = 60;
    Pipeline.Config config = new Pipeline.Config(4, 2, 1, 4);
    AtomicInteger loadedNotRun = new AtomicInteger();
    AtomicInteger runNotWritten = new AtomicInteger();
    AtomicInteger maxLoadedNotRun = new AtomicInteger();
    AtomicInteger maxRunNotWritten = new AtomicInteger();
    Fake stages = new Fake(0, "", -1) {
      @Override
      public Integer load(int i) throws Exception {
        maxLoadedNotRun.accumulateAndGet(loadedNotRun.incrementAndGet(), Math::max);
        return super.load(i);
      }

      @Override
      public List<Integer> run(int first, List<Integer> loaded) throws Exception {
        loadedNotRun.addAndGet(-loaded.size());
        maxRunNotWritten.accumulateAndGet(runNotWritten.addAndGet(loaded.size()), Math::max);
        return super.run(first, loaded);
      }

      @Override
      public Integer write(int i, Integer result) throws Exception {
        Thread.sleep(5);
        runNotWritten.decrementAndGet();
        return super.write(i, result);
      }
    };
    assertTimeoutPreemptively(NO_HANG, () -> Pipeline.run(n, config, stages));
    assertThat(stages.emitted).hasSize(n);
    // Queue capacity + the runner's current batch + the one future a blocked put holds.
    int bound = config.queueCapacity() + config.batchSize() + 1;
    assertThat(maxRunNotWritten.get()).isBetween(config.batchSize(), bound);
    assertThat(maxLoadedNotRun.get()).isLessThanOrEqualTo(bound);
  }

  @Test
  void zeroItemsStartNothing() throws Exception {
    Fake f = new Fake(0, "", -1);
    Pipeline.run(0, Pipeline.Config.forBatch(8), f);
    assertThat(f.emitted).isEmpty();
  }

  @Test
  void anInterruptedCallerStopsThePipelineToo() throws Exception {
    Fake slow = new Fake(0, "", -1) {
      @Override
      public Integer write(int i, Integer result) throws Exception {
        Thread.sleep(50);
        return super.write(i, result);
      }
    };
    Thread caller = Thread.currentThread();
    Thread interrupter = new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
      caller.interrupt();
    });
    interrupter.start();
    assertThatThrownBy(() -> Pipeline.run(1000, new Pipeline.Config(4, 2, 2, 4), slow))
        .isInstanceOf(InterruptedException.class);
    Thread.interrupted();
    interrupter.join();
    assertThat(slow.emitted.size()).isBetween(1, 100);
  }

  static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }
}
