package org.gradcam.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Counts of (true class, predicted class) pairs. Rows are the data set's true classes, in the
 * given order; columns the same classes, then any class only ever predicted (a 1000-class model
 * predicts outside the folders), by label index, so every prediction has a cell and column
 * {@code i} is row {@code i}'s class.
 */
public final class ConfusionMatrix {
  /** Precision, recall and F1 of one class; {@code support} = its true images. */
  public record ClassMetrics(int label, String name, long support, long predicted,
      long truePositives, double precision, double recall, double f1) {}

  private final int[] classes;
  private final int rows;
  private final List<String> names;
  private final long[][] counts;

  private ConfusionMatrix(int[] classes, int rows, List<String> names, long[][] counts) {
    this.classes = classes;
    this.rows = rows;
    this.names = names;
    this.counts = counts;
  }

  /**
   * The matrix of {@code truth[i]} against {@code predicted[i]} (label indices); {@code
   * trueClasses} fixes the first rows (e.g. the folders, also those without a single image
   * predicted right), {@code labels} names every index.
   */
  public static ConfusionMatrix of(int[] trueClasses, int[] truth, int[] predicted,
      List<String> labels) {
    if (truth.length != predicted.length) {
      throw new IllegalArgumentException(truth.length + " true classes but " + predicted.length
          + " predictions");
    }
    List<Integer> order = new ArrayList<>();
    for (int c : trueClasses) {
      if (!order.contains(c)) {
        order.add(c);
      }
    }
    TreeSet<Integer> extra = new TreeSet<>();
    for (int i = 0; i < truth.length; i++) {
      if (!order.contains(truth[i])) {
        throw new IllegalArgumentException("true class " + truth[i] + " is not one of "
            + order);
      }
      if (!order.contains(predicted[i])) {
        extra.add(predicted[i]);
      }
    }
    int rows = order.size();
    order.addAll(extra);
    int[] classes = order.stream().mapToInt(Integer::intValue).toArray();
    long[][] counts = new long[rows][classes.length];
    for (int i = 0; i < truth.length; i++) {
      counts[order.indexOf(truth[i])][order.indexOf(predicted[i])]++;
    }
    List<String> names = order.stream().map(labels::get).toList();
    return new ConfusionMatrix(classes, rows, names, counts);
  }

  /** The label index of each column; the first {@link #rows()} are those of the rows. */
  public int[] classes() {
    return classes.clone();
  }

  /** The name of each column's class (the first {@link #rows()}: the rows'). */
  public List<String> names() {
    return names;
  }

  /** Columns: the true classes, then the classes only predicted. */
  public int columns() {
    return classes.length;
  }

  /** Rows: the true classes. */
  public int rows() {
    return rows;
  }

  /** Images of true class row {@code r} predicted as column {@code c}. */
  public long count(int r, int c) {
    return counts[r][c];
  }

  public long total() {
    long n = 0;
    for (long[] row : counts) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  public long correct() {
    long n = 0;
    for (int i = 0; i < rows; i++) {
      n += counts[i][i];
    }
    return n;
  }

  /** Share of images predicted right; 0 for an empty matrix. */
  public double accuracy() {
    long n = total();
    return n == 0 ? 0 : (double) correct() / n;
  }

  /** Row {@code r} divided by its sum (recall per column); all zeros for a class without images. */
  public double[] rowNormalized(int r) {
    long sum = Arrays.stream(counts[r]).sum();
    double[] out = new double[counts[r].length];
    for (int c = 0; c < out.length; c++) {
      out[c] = sum == 0 ? 0 : (double) counts[r][c] / sum;
    }
    return out;
  }

  /**
   * Per class: precision = TP / predicted, recall = TP / support, F1 = their harmonic mean. An
   * undefined ratio (a class never predicted, or without images, or both zero for F1) is 0, as
   * scikit-learn's {@code zero_division=0}; {@code predicted} and {@code support} say which.
   */
  public List<ClassMetrics> metrics() {
    List<ClassMetrics> out = new ArrayList<>();
    for (int k = 0; k < classes.length; k++) {
      long support = k < rows ? Arrays.stream(counts[k]).sum() : 0;
      long predicted = 0;
      for (long[] row : counts) {
        predicted += row[k];
      }
      long tp = k < rows ? counts[k][k] : 0;
      double p = predicted == 0 ? 0 : (double) tp / predicted;
      double r = support == 0 ? 0 : (double) tp / support;
      double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
      out.add(new ClassMetrics(classes[k], names.get(k), support, predicted, tp, p, r, f1));
    }
    return out;
  }

  /** Mean of F1 over the classes with images (classes only predicted would add zeros). */
  public double macroF1() {
    return metrics().stream().filter(m -> m.support() > 0).mapToDouble(ClassMetrics::f1)
        .average().orElse(0);
  }

  /** F1 averaged with each class weighted by its support. */
  public double weightedF1() {
    long n = total();
    return n == 0 ? 0 : metrics().stream().mapToDouble(m -> m.f1() * m.support()).sum() / n;
  }
}
