package org.gradcam.cam;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.ModelSpec;

/**
 * Images to explanations, in batches: the one loop of every command that explains images
 * ({@code explain}, {@code localize}, {@code benchmark}, {@code analyze-errors}, {@code serve})
 * and of the notebooks' {@code ImageMaps}. It reads each file ({@link Images#read}, or the
 * {@link #reader} given), turns the picture into the model's input ({@link ModelSpec#input}),
 * explains consecutive batches of {@link #batchSize} images with one {@link Explainer} call each,
 * and hands every batch on in input order, then tells {@link #progress} its size.
 *
 * <p>Determinism: an image's explanation does not depend on the batch it is in. The model runs
 * its graph at one batch size only ({@link ModelSpec#graphBatch}, the last run padded with
 * zeros), so any batch size gives the same numbers, bit for bit; the default, the graph batch,
 * makes each batch exactly one graph run, since a smaller one would pay for a whole padded run
 * anyway (README, "Determinism").
 *
 * <p>Errors: a file that cannot be read ends the run with an {@link IOException} naming its
 * path; the batches before it have been handed on, its own batch is not.
 */
public final class BatchExplainer {
  /** How a file becomes a picture, e.g. {@link Images#readReduced} for a fast decode. */
  @FunctionalInterface
  public interface Reader {
    BufferedImage read(Path file) throws IOException;
  }

  /** One image ready for the graph: the picture as read and the model's input made from it. */
  public record Loaded(BufferedImage picture, float[] input) {}

  /**
   * One image's explanations, with its picture.
   *
   * @param index the image's position in the run's input list
   * @param explanations one per target class (several for {@link Target.TopK}), in class order
   */
  public record Explained(int index, BufferedImage picture, List<Explanation> explanations) {
    public Explained {
      explanations = List.copyOf(explanations);
    }
  }

  /**
   * One batch's images, in input order.
   *
   * @param first the index of its first image in the run's input list
   * @param nanos the time spent on it: reading, preprocessing and the explanation call
   */
  public record Batch(int first, List<Explained> images, long nanos) {
    public Batch {
      images = List.copyOf(images);
    }
  }

  /** Gets each batch as soon as it is explained (e.g. to write files or fill a cache). */
  @FunctionalInterface
  public interface Handler {
    void handle(Batch batch) throws IOException;
  }

  /** Picture {@code i} of a run: read from a file or already in memory. */
  @FunctionalInterface
  private interface Source {
    Loaded load(int i) throws IOException;
  }

  private final Explainer explainer;
  private final Target target;
  private final Interpolation interpolation;
  private Reader reader = Images::read;
  private int batchSize;
  private IntConsumer progress = n -> { };

  /** Explains for {@code target}, resizing pictures to the model's input by {@code interpolation}. */
  public BatchExplainer(Explainer explainer, Target target, Interpolation interpolation) {
    this.explainer = explainer;
    this.target = target;
    this.interpolation = interpolation;
    this.batchSize = explainer.model().graphBatch();
  }

  /** Reads files with {@code r} instead of {@link Images#read}. */
  public BatchExplainer reader(Reader r) {
    this.reader = r;
    return this;
  }

  /** Images per explanation call (default: the model's graph batch); never changes a number. */
  public BatchExplainer batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + n);
    }
    this.batchSize = n;
    return this;
  }

  /** Told the number of images of each batch once its handler has returned. */
  public BatchExplainer progress(IntConsumer p) {
    this.progress = p;
    return this;
  }

  public int batchSize() {
    return batchSize;
  }

  public Explainer explainer() {
    return explainer;
  }

  /** Reads and preprocesses one file; a failure names the file. */
  public Loaded load(Path file) throws IOException {
    BufferedImage picture;
    try {
      picture = reader.read(file);
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      // Images.read names the file itself; a reader that does not gets it added.
      throw message.contains(file.toString()) ? e : new IOException(file + ": " + message, e);
    }
    return load(picture);
  }

  /** Preprocesses one picture into the model's input. */
  public Loaded load(BufferedImage picture) {
    return new Loaded(picture, explainer.model().spec().input(picture, interpolation));
  }

  /**
   * Explains images {@code first .. first + loaded.size() - 1} with one {@link Explainer} call;
   * one result per image, in order, each with all of its explanations.
   */
  public List<Explained> explain(int first, List<Loaded> loaded) {
    int len = explainer.model().spec().inputLength();
    float[] batch = new float[loaded.size() * len];
    List<List<Explanation>> byImage = new ArrayList<>(loaded.size());
    for (int i = 0; i < loaded.size(); i++) {
      System.arraycopy(loaded.get(i).input(), 0, batch, i * len, len);
      byImage.add(new ArrayList<>());
    }
    for (Explanation e : explainer.explain(batch, loaded.size(), target)) {
      byImage.get(e.image()).add(e);
    }
    List<Explained> out = new ArrayList<>(loaded.size());
    for (int i = 0; i < loaded.size(); i++) {
      out.add(new Explained(first + i, loaded.get(i).picture(), byImage.get(i)));
    }
    return out;
  }

  /** Explains the image files in order, batch after batch. */
  public void files(List<Path> files, Handler handler) throws IOException {
    run(files.size(), i -> load(files.get(i)), handler);
  }

  /** Explains pictures already in memory, in order, batch after batch. */
  public void pictures(List<BufferedImage> pictures, Handler handler) throws IOException {
    run(pictures.size(), i -> load(pictures.get(i)), handler);
  }

  private void run(int n, Source source, Handler handler) throws IOException {
    for (int first = 0; first < n; first += batchSize) {
      int size = Math.min(batchSize, n - first);
      long start = System.nanoTime();
      List<Loaded> loaded = new ArrayList<>(size);
      for (int i = first; i < first + size; i++) {
        loaded.add(source.load(i));
      }
      List<Explained> explained = explain(first, loaded);
      handler.handle(new Batch(first, explained, System.nanoTime() - start));
      progress.accept(size);
    }
  }
}
