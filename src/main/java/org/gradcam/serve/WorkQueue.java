package org.gradcam.serve;

import io.javalin.http.Context;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded pool every computation of a request goes through: a fixed number of workers and a
 * bounded queue. When it is full a request is answered 503 at once, with a Retry-After estimated
 * from the recent run times, so a burst never becomes an unbounded backlog.
 */
final class WorkQueue {
  private final ServeSettings settings;
  private final ThreadPoolExecutor workers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong meanMillis = new AtomicLong(200);
  private volatile boolean stopping;

  WorkQueue(ServeSettings settings) {
    this.settings = settings;
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0,
        TimeUnit.SECONDS, settings.queue() == 0 ? new SynchronousQueue<>()
            : new ArrayBlockingQueue<>(settings.queue()), r -> {
          Thread t = new Thread(r, "gradcam-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** The pool itself, for tests that occupy it to fill the queue deterministically. */
  ThreadPoolExecutor executor() {
    return workers;
  }

  /** Whether {@link #drain()} has begun: new work is refused. */
  boolean stopping() {
    return stopping;
  }

  /** Runs {@code work} on a worker; a full queue is a 503 with a Retry-After estimate. */
  <T> T run(Context ctx, Callable<T> work) throws Exception {
    Future<T> future;
    inFlight.incrementAndGet();
    try {
      try {
        future = workers.submit(() -> {
          long start = System.nanoTime();
          try {
            return work.call();
          } finally {
            long ms = (System.nanoTime() - start) / 1_000_000;
            meanMillis.updateAndGet(m -> (m * 7 + ms) / 8);
          }
        });
      } catch (RejectedExecutionException e) {
        long waiting = workers.getQueue().size() + settings.workers();
        long seconds = Math.max(1, (meanMillis.get() * waiting / settings.workers() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiError(503, stopping ? "the server is shutting down"
            : "the server is busy (" + settings.workers() + " running, " + settings.queue()
                + " waiting); retry in " + seconds + " s");
      }
      try {
        return future.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ApiError a) {
          throw a;
        }
        if (cause instanceof IllegalArgumentException iae) {
          throw ApiError.badRequest(iae.getMessage());
        }
        if (cause instanceof OutOfMemoryError) {
          throw new ApiError(503, "out of memory for this request; retry later or send a "
              + "smaller image");
        }
        throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * Refuses new work, lets queued and running work finish, and gives their answers a moment to
   * be written (they are written after their worker is done).
   */
  void drain() throws InterruptedException {
    stopping = true;
    workers.shutdown();
    workers.awaitTermination(5, TimeUnit.MINUTES);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inFlight.get() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    Thread.sleep(100);
  }
}
