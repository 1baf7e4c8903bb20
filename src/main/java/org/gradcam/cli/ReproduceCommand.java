package org.gradcam.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.gradcam.data.Assets;
import org.gradcam.experiment.LocalizationRun;
import org.gradcam.kernel.NotebookHtml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradcam reproduce}: regenerates every generated file of {@code results/} from its
 * inputs, each an asset of {@code assets.csv} (the project cache, else a data mirror, else its
 * public origin, digest-checked; the stand-in's boxes and the VOC objects CSV derived by the
 * project from public files): the published-table reproduction (all AP and difficult variants, baselines), our own
 * Grad-CAM runs on the genuine VOC2007 images and on the Oxford-IIIT Pet stand-in, their charts,
 * box pictures and a {@code README.md} describing each file. The digests of the published
 * pickles and the weights are checked first; everything is generated into a hidden staging folder
 * and moved into place only when all of it succeeded, so a failing run leaves {@code results/}
 * as it was. The files written are listed in {@code generated-files.txt}; the next run deletes
 * those it no longer writes, so a stale result does not linger, and files this command does not
 * write (or paths outside the results folder, symlinks included) are never touched.
 * {@code benchmarks.md} is kept unless {@code --with-speed} is given (speed is slow and
 * machine-dependent).
 *
 * <p>The jobs are apart: {@link ReproduceJob} generates every output, {@link ReproduceReadme}
 * describes them in {@code README.md}, {@link ResultsFolder} moves them into place.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = {"Regenerates results/ from scratch: published-table reproduction, baselines, "
        + "our Grad-CAM runs on the available data, charts, box pictures and results/README.md.",
        "Progress goes to stderr. benchmarks.md is kept unless --with-speed.",
        "The digests of the published pickles and of the weights are checked first; results/ "
            + "is replaced only when the whole run succeeded (a failing run changes nothing)."})
public final class ReproduceCommand implements Callable<Integer> {
  /** Lists what the last run wrote; the next run replaces these files or deletes them. */
  static final String MANIFEST = "generated-files.txt";
  static final String VOC_DIR = "localize/voc2007-test-4-images";
  static final String STANDIN_DIR = "localize/oxford-pets-standin";
  /** The localize files a run writes, besides the per-image cache (kept in a temp folder). */
  static final List<String> RUN_FILES =
      List.of("boxes.csv", "targets.csv", "summary.md", "missing_images.txt");
  static final int STANDIN_PICTURES = 2;
  /** HTML copies of the committed notebooks (org.gradcam.kernel.NotebookHtml). */
  static final String NOTEBOOKS_DIR = "notebooks";

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin ImageLimitOptions imageLimit = new ImageLimitOptions();

  @Option(names = "--results", defaultValue = "results", paramLabel = "DIR",
      description = "results folder (default: ${DEFAULT-VALUE})")
  Path results;

  @Option(names = "--mirror", paramLabel = "DIR",
      description = "data mirror (default: $GRADCAM_MIRROR, else ../shared/data beside the "
          + "project when it exists); inputs it lacks come from the cache or their origin")
  Path mirror;

  @Option(names = "--no-mirror", description = "use no mirror: every input from the project "
      + "cache, else downloaded from its public origin (digest-checked)")
  boolean noMirror;

  @Option(names = "--max-images", paramLabel = "N",
      description = "only the first N stand-in images (a quick check; labelled as a subset)")
  Integer maxImages;

  @Option(names = "--picture-threshold", defaultValue = "0.06", paramLabel = "T",
      description = "heatmap threshold of the red boxes in the box pictures "
          + "(default: ${DEFAULT-VALUE})")
  double pictureThreshold;

  @Option(names = "--with-speed", description = "also rerun `gradcam speed` into benchmarks.md "
      + "(slow; numbers depend on the machine)")
  boolean withSpeed;

  /** Whether nbconvert is installed; tests replace it. */
  BooleanSupplier nbconvertAvailable = NotebookHtml::nbconvertAvailable;
  static final String STAGING_PREFIX = ".reproduce-staging-";
  /** The asset manager for a mirror (null: none). */
  private final Function<Path, Assets> assetsFor;

  public ReproduceCommand() {
    this(m -> new Assets(Assets.cacheRoot(), m));
  }

  /** With another asset manager (tests: another cache, a loopback server for the origins). */
  ReproduceCommand(Function<Path, Assets> assetsFor) {
    this.assetsFor = assetsFor;
  }

  /** The main job's inputs, all resolved (fetched, derived, verified) before anything else. */
  record Inputs(Path pickles, Path vocObjects, Path vocImages, Path petImages, Path petBoxes) {
    static Inputs resolve(Assets assets, String model) throws IOException {
      Inputs in = new Inputs(assets.directory("published-results"),
          shown(assets.file("voc2007-test-objects")),
          shown(assets.directory("voc2007-test-images")),
          shown(assets.directory("oxford-pets-dogs").resolve("images")),
          shown(assets.directory("oxford-pets-dogs-boxes").resolve("Annotations")));
      assets.directory(model); // weights too, so a missing one fails before results/ is touched
      return in;
    }
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    if (noMirror && mirror != null) {
      throw new IllegalArgumentException("give --mirror DIR or --no-mirror, not both");
    }
    Path data = noMirror ? null : mirror != null ? mirror : defaultMirror();
    if (mirror != null && !Files.isDirectory(mirror)) {
      throw new IOException("No data mirror at " + mirror + " (give an existing --mirror DIR, "
          + "or leave it out to use the cache and the public origins)");
    }
    if (data != null && !Files.isDirectory(data)) {
      data = null; // no mirror beside this clone: the cache and the origins serve every input
    }
    if (maxImages != null && maxImages < 1) {
      throw new IllegalArgumentException("--max-images must be at least 1, got " + maxImages);
    }
    LocalizationRun.Settings settings = LocalizationRun.Settings.defaults();
    if (java.util.Arrays.stream(settings.thresholds()).noneMatch(t -> t == pictureThreshold)) {
      throw new IllegalArgumentException("--picture-threshold must be one of the run's heatmap "
          + "thresholds " + settings.describe().replaceAll(".*thresholds=", "") + ", got "
          + pictureThreshold);
    }
    PrintWriter log = spec.commandLine().getErr();
    progress(log, "inputs: from the asset cache, " + (data == null ? "no data mirror"
        : "the mirror " + data) + ", then the public origins (digest-checked)");
    Assets assets = assetsFor.apply(data);
    Inputs inputs = Inputs.resolve(assets, settings.modelName());
    boolean existed = Files.isDirectory(results);
    Files.createDirectories(results);
    // Generated beside the results, moved into place only once everything succeeded.
    Path stage = Files.createTempDirectory(results, STAGING_PREFIX);
    ReproduceJob job = new ReproduceJob(stage, results, log);
    try {
      job.generate(inputs, assets, settings, maxImages, pictureThreshold, withSpeed,
          nbconvertAvailable);
      ResultsFolder.commit(stage, results, job.keepNotebookPages(), log);
    } finally {
      ResultsFolder.deleteTree(stage);
      if (!existed) {
        ResultsFolder.deleteIfEmpty(results);
      }
    }
    progress(log, String.format(Locale.ROOT, "done: %d files in %s in %.0f s", job.files(),
        results, (System.nanoTime() - start) / 1e9));
    return 0;
  }

  static void progress(PrintWriter log, String message) {
    log.println("reproduce: " + message);
    log.flush();
  }

  /**
   * The asset manager's default mirror; the one beside the project is made relative to the
   * working directory when it can be, so the summaries name it the same on every machine.
   */
  static Path defaultMirror() {
    Path mirror = Assets.defaultMirror();
    String env = System.getenv("GRADCAM_MIRROR");
    if (env != null && !env.isBlank()) {
      return mirror;
    }
    try {
      return Path.of("").toAbsolutePath().relativize(mirror);
    } catch (IllegalArgumentException e) {
      return mirror;
    }
  }

  /**
   * A path as the result files print it: relative to the working directory when inside it (the
   * project cache), so they name no machine's absolute paths.
   */
  static Path shown(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    return p.isAbsolute() && p.normalize().startsWith(cwd) ? cwd.relativize(p.normalize()) : p;
  }
}
