package org.gradcam.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three overlapping stages over {@code n} numbered items: load (a small thread pool, e.g. decode
 * and preprocess), run (one thread, fixed batches, e.g. the graph run), write (a thread pool,
 * e.g. overlay and files); then {@link Stages#emit} on the calling thread, in input order.
 *
 * <p>Stages are linked by bounded {@link ArrayBlockingQueue}s of futures kept in input order:
 * a feeder thread submits load tasks and puts their futures in the first queue; the runner takes
 * them in order, runs each full batch (batch {@code k} is always items {@code k*b .. k*b+b-1},
 * whatever the timing, so numeric results never depend on it) and puts the futures of write
 * tasks in the second queue; the caller takes those in order and emits. A full queue blocks its
 * producer, so at most about {@code capacity + threads} items are held per stage.
 *
 * <p>A failure travels in band: a failed load makes the runner pass the failure on instead of
 * its batch, a failed run or write becomes a failed future; the caller meets it in input order
 * (every earlier item has been emitted), stops every thread and throws a {@link
 * PipelineException} naming the item. Every thread the pipeline started has ended when
 * {@link #run} returns or throws.
 */
public final class Pipeline {
  /** Name prefix of every thread a pipeline starts (tests look for leaks by it). */
  public static final String THREAD_PREFIX = "gradcam-pipeline-";
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** The work of each stage. */
  public interface Stages<L, R, W> {
    /** A label for item {@code i} in error messages, e.g. its file name. */
    String name(int i);

    /** Loader threads, any order, several at once. */
    L load(int i) throws Exception;

    /**
     * The runner thread: items {@code first .. first + loaded.size() - 1}, in order; returns one
     * result per item, in the same order.
     */
    List<R> run(int first, List<L> loaded) throws Exception;

    /** Writer threads, any order, several at once. */
    W write(int i, R result) throws Exception;

    /** The calling thread, strictly in input order, once per item (e.g. progress, JSON lines). */
    void emit(int i, W written) throws Exception;
  }

  /**
   * Sizes: {@code batchSize} items per run; {@code loaders} and {@code writers} threads;
   * {@code queueCapacity} futures in each of the two queues (at least the batch size, so the
   * loaders can prepare the next batch while one runs).
   */
  public record Config(int batchSize, int loaders, int writers, int queueCapacity) {
    public Config {
      if (batchSize < 1 || loaders < 1 || writers < 1 || queueCapacity < 1) {
        throw new IllegalArgumentException("pipeline sizes must be >= 1: " + this);
      }
    }

    /** Two batches of slack per queue; loaders and writers sized for the machine. */
    public static Config forBatch(int batchSize) {
      int cores = Runtime.getRuntime().availableProcessors();
      int threads = Math.max(1, Math.min(4, cores / 2));
      return new Config(batchSize, threads, threads, Math.max(4, 2 * batchSize));
    }
  }

  private Pipeline() {}

  /** Processes items {@code 0 .. n-1}; returns once all are emitted, or throws the first failure. */
  public static <L, R, W> void run(int n, Config config, Stages<L, R, W> stages)
      throws PipelineException, InterruptedException {
    if (n == 0) {
      return;
    }
    String id = THREAD_PREFIX + POOLS.incrementAndGet() + "-";
    List<Thread> started = new CopyOnWriteArrayList<>();
    BlockingQueue<Future<L>> loaded = new ArrayBlockingQueue<>(config.queueCapacity());
    BlockingQueue<Future<W>> written = new ArrayBlockingQueue<>(config.queueCapacity());
    ExecutorService loaders =
        Executors.newFixedThreadPool(config.loaders(), threads(id + "load-", started));
    ExecutorService writers =
        Executors.newFixedThreadPool(config.writers(), threads(id + "write-", started));
    Thread feeder = threads(id + "feed", started).newThread(() -> {
      int i = 0;
      try {
        for (; i < n; i++) {
          int item = i;
          loaded.put(loaders.submit(() -> stages.load(item)));
        }
      } catch (InterruptedException | RejectedExecutionException stopped) {
        // Shut down by the caller.
      } catch (Throwable t) {
        // Unexpected (e.g. out of memory): hand it to the runner in place of item i.
        putUnlessStopped(loaded, CompletableFuture.failedFuture(t));
      }
    });
    Thread runner = threads(id + "run", started).newThread(() -> {
      try {
        for (int first = 0; first < n; first += config.batchSize()) {
          int size = Math.min(config.batchSize(), n - first);
          List<L> batch = new ArrayList<>(size);
          Future<W> failure = null;
          for (int i = first; i < first + size && failure == null; i++) {
            try {
              batch.add(loaded.take().get());
            } catch (ExecutionException e) {
              failure = CompletableFuture.failedFuture(
                  new PipelineException(i, stages.name(i), e.getCause()));
            }
          }
          if (failure == null) {
            try {
              List<R> results = stages.run(first, batch);
              if (results.size() != size) {
                throw new IllegalStateException("run returned " + results.size()
                    + " results for " + size + " items");
              }
              batch = null; // the loaded inputs may be large: let them go before blocking
              for (int k = 0; k < size; k++) {
                int item = first + k;
                R result = results.get(k);
                written.put(writers.submit(() -> {
                  try {
                    return stages.write(item, result);
                  } catch (Exception e) {
                    throw new PipelineException(item, stages.name(item), e);
                  }
                }));
              }
            } catch (InterruptedException e) {
              throw e;
            } catch (Exception | Error e) {
              failure = CompletableFuture.failedFuture(new PipelineException(first,
                  batchName(stages, first, size), e));
            }
          }
          if (failure != null) {
            written.put(failure);
            return;
          }
        }
      } catch (InterruptedException | RejectedExecutionException stopped) {
        // Shut down by the caller.
      } catch (Throwable t) {
        // Unexpected: the caller must not wait forever for items that will never come.
        putUnlessStopped(written, CompletableFuture.failedFuture(t));
      }
    });
    feeder.start();
    runner.start();
    try {
      for (int i = 0; i < n; i++) {
        W w;
        try {
          w = written.take().get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof PipelineException p ? p
              : new PipelineException(i, stages.name(i), e.getCause());
        }
        try {
          stages.emit(i, w);
        } catch (Exception e) {
          throw new PipelineException(i, stages.name(i), e);
        }
      }
    } finally {
      feeder.interrupt();
      runner.interrupt();
      loaders.shutdownNow();
      writers.shutdownNow();
      // Uninterruptible work in flight (a decode, a graph run, a PNG) ends on its own.
      // A terminated pool's worker thread may still be alive for a moment: join each thread.
      boolean interrupted = false;
      for (Thread t : started) {
        for (;;) {
          try {
            t.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Puts unless the pipeline is being stopped (then nobody waits for it any more). */
  private static <T> void putUnlessStopped(BlockingQueue<Future<T>> queue, Future<T> f) {
    try {
      queue.put(f);
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    }
  }

  private static String batchName(Stages<?, ?, ?> stages, int first, int size) {
    return size == 1 ? stages.name(first)
        : "batch " + stages.name(first) + " .. " + stages.name(first + size - 1);
  }

  private static ThreadFactory threads(String prefix, List<Thread> started) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix);
      // Daemon: even a bug here could not keep the JVM alive after main returns.
      t.setDaemon(true);
      started.add(t);
      return t;
    };
  }
}
