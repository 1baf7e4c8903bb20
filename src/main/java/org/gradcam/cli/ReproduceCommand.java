package org.gradcam.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gradcam.data.Assets;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocBox;
import org.gradcam.eval.DetectionSelections;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.PublishedReproduction;
import org.gradcam.eval.ThresholdResult;
import org.gradcam.eval.VocEvaluator;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.LocalizationRun;
import org.gradcam.experiment.RoundingTolerance;
import org.gradcam.image.BoxDrawing;
import org.gradcam.image.Images;
import org.gradcam.kernel.NotebookHtml;
import org.gradcam.plot.ApVsThresholdChart;
import org.gradcam.plot.PrCurveChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.gradcam.io.AtomicFiles;

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

  /** One generated file and what it is (two sentences for results/README.md). */
  record Output(String path, String description) {}

  private final List<Output> outputs = new ArrayList<>();
  /** The asset manager for a mirror (null: none). */
  private final Function<Path, Assets> assetsFor;
  private PrintWriter log;
  /** Where this run writes (a hidden folder inside the results folder) until {@link #commit}. */
  private Path stage;
  /** No nbconvert here: the previous run's notebooks/*.html stay instead of being deleted. */
  private boolean keepNotebookPages;
  /** Whether nbconvert is installed; tests replace it. */
  java.util.function.BooleanSupplier nbconvertAvailable = NotebookHtml::nbconvertAvailable;
  static final String STAGING_PREFIX = ".reproduce-staging-";

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
    log = spec.commandLine().getErr();
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
    progress("inputs: from the asset cache, " + (data == null ? "no data mirror"
        : "the mirror " + data) + ", then the public origins (digest-checked)");
    Assets assets = assetsFor.apply(data);
    Inputs inputs = Inputs.resolve(assets, settings.modelName());
    boolean existed = Files.isDirectory(results);
    Files.createDirectories(results);
    // Generated beside the results, moved into place only once everything succeeded.
    stage = Files.createTempDirectory(results, STAGING_PREFIX);
    try {
      generate(inputs, assets, settings);
      commit();
    } finally {
      deleteTree(stage);
      if (!existed) {
        deleteIfEmpty(results);
      }
    }
    progress(String.format(Locale.ROOT, "done: %d files in %s in %.0f s", outputs.size(),
        results, (System.nanoTime() - start) / 1e9));
    return 0;
  }

  /** Writes every output into {@link #stage}. */
  private void generate(Inputs inputs, Assets assets, LocalizationRun.Settings settings)
      throws Exception {
    progress("published pickles: reproducing the published table");
    PublishedReproduction published = new PublishedReproduction(inputs.pickles(),
        inputs.vocObjects());
    published.write(stage.resolve("published-reproduction.md"));
    add("published-reproduction.md", "The published AP/recall table recomputed from the "
        + "published experiment's own pickles (433 VOC2007 test dog images): under the published "
        + "protocol, under protocol variants (the section \"Matching variants\" names those that "
        + "give all 18 published numbers), and under both AP definitions (all-point, 11-point) "
        + "and both difficult rules, each next to the published value with the difference. Its "
        + "last section gives the course's two baselines, a full-image box and a centred box of "
        + "50 % area per image, over the VOC2007 test dog images (sizes from "
        + "voc2007_test_objects.csv) and over all 4952 test images.");
    publishedCharts(published);

    Path cacheRoot = Files.createTempDirectory("gradcam-reproduce-cache");
    try {
      DogDataset voc = DogDataset.open(inputs.vocImages(), inputs.vocObjects(), null);
      voc = voc.first(voc.files().size(), String.format(Locale.ROOT,
          "VOC2007 test, only %d of its %d dog images (%s)", voc.files().size(),
          voc.annotated(), String.join(", ", voc.files().keySet())));
      runDataset(voc, "voc2007-4-images", "VOC2007 test, " + voc.files().size() + " of "
          + voc.annotated() + " dog images", VOC_DIR, settings, cacheRoot, assets,
          voc.files().size(), "voc2007", String.format(Locale.ROOT, "Our Grad-CAM run on the "
              + "%d genuine VOC2007 test dog images available here (%d of %d; %d GT boxes), "
              + "same model and settings as below. With %d GT boxes recall moves in steps of "
              + "%.0f points: a smoke test of the pipeline on real VOC data, not an estimate of "
              + "the VOC2007 figures.", voc.files().size(), voc.files().size(),
              voc.annotated(), voc.groundTruth().boxCount(), voc.groundTruth().boxCount(),
              100.0 / voc.groundTruth().boxCount()));

      DogDataset pets = DogDataset.open(inputs.petImages(), inputs.petBoxes(), null);
      int all = pets.files().size();
      int n = maxImages == null ? all : Math.min(maxImages, all);
      String size = n == all ? all + " images" : "first " + n + " of " + all + " images";
      pets = pets.first(n, "Oxford-IIIT Pet american_bulldog (" + size
          + ", derived whole-dog boxes; STAND-IN, not VOC2007)");
      runDataset(pets, "standin-oxford-pets", "STAND-IN Oxford-IIIT Pet, " + size
          + " (not VOC2007)", STANDIN_DIR, settings, cacheRoot, assets, STANDIN_PICTURES,
          "standin", String.format(Locale.ROOT, "Our Grad-CAM run on a STAND-IN for the "
              + "VOC2007 dog images that are not available here: %s of Oxford-IIIT Pet "
              + "american_bulldog close-ups with one whole-dog box each, derived from the "
              + "trimaps. These are not VOC numbers and are not comparable with the published "
              + "table; read them against the full-image baseline in the same summary.", size));
    } finally {
      deleteTree(cacheRoot);
    }

    if (withSpeed) {
      progress("speed: timing forward pass vs Grad-CAM (slow)");
      CommandLine speed = new CommandLine(new SpeedCommand());
      speed.setOut(new PrintWriter(java.io.Writer.nullWriter()));
      speed.setErr(log);
      int rc = speed.execute("--seconds", "4", "--out", stage.resolve("benchmarks.md").toString());
      if (rc != 0) {
        throw new IllegalStateException("gradcam speed failed with exit code " + rc);
      }
      // It names the file it wrote: the final one, not the staging copy.
      Path bench = stage.resolve("benchmarks.md");
      AtomicFiles.writeString(bench, Files.readString(bench).replace(
          stage.resolve("benchmarks.md").toString(), results.resolve("benchmarks.md").toString()));
    }
    notebookPages();
    writeReadme();
    writeManifest();
  }

  /** {@code notebooks/*.html}: the committed notebooks as HTML, when nbconvert is installed. */
  private void notebookPages() throws IOException {
    List<Path> notebooks = NotebookHtml.notebooks(Assets.home().resolve("notebooks"));
    if (notebooks.isEmpty()) {
      return;
    }
    if (!nbconvertAvailable.getAsBoolean()) {
      keepNotebookPages = true;
      progress("notebooks: `jupyter nbconvert` is not installed (apt-get install "
          + "jupyter-nbconvert), so " + NOTEBOOKS_DIR + "/*.html are kept as they are");
      return;
    }
    progress("notebooks: HTML copies of the " + notebooks.size() + " committed notebooks");
    for (Path html : NotebookHtml.export(notebooks, stage.resolve(NOTEBOOKS_DIR))) {
      add(NOTEBOOKS_DIR + "/" + html.getFileName(), "The notebooks of `notebooks/` as committed "
          + "(executed, with their outputs), converted by `jupyter nbconvert --to html` with every "
          + "picture embedded, to read in a browser without Jupyter.");
    }
  }

  /** PR curves and AP vs heatmap threshold of the published pickles (last row per image). */
  private void publishedCharts(PublishedReproduction published) throws IOException {
    progress("published pickles: charts");
    String label = "published VOC2007 pickles, last row per image";
    Map<Double, List<Detection>> dets = new TreeMap<>();
    published.detections().forEach((t, d) ->
        dets.put(Double.parseDouble(t), DetectionSelections.lastPerImage(d)));
    charts("published-voc2007", label, published.groundTruth(), dets,
        "the published experiment's detections (its pickles, VOC2007 test, 433 dog images), "
            + "keeping the last row of each image, the selection that reproduces the published "
            + "table");
  }

  private void charts(String prefix, String label, GroundTruth gt,
      Map<Double, List<Detection>> dets, String what) throws IOException {
    Protocol protocol = Protocol.PUBLISHED;
    for (double iou : LocalizationRun.IOUS) {
      String file = "plots/" + prefix + "-pr-iou-" + LocalizationRun.fmt(iou) + ".png";
      PrCurveChart.save(PrCurveChart.of(label, iou, gt, dets, protocol), stage.resolve(file));
      add(file, "Precision against recall after each ranked box, at the IoU threshold in the "
          + "file name, one curve per heatmap threshold (AP in the legend; all-point AP, "
          + "difficult counted), for " + what + ". Where a curve ends on the right is the "
          + "recall; the area under its upper envelope is the AP.");
    }
    Map<Double, List<ThresholdResult>> byThreshold = new TreeMap<>();
    dets.forEach((t, d) -> byThreshold.put(t,
        VocEvaluator.evaluate(gt, d, LocalizationRun.IOUS, protocol)));
    String file = "plots/" + prefix + "-ap-vs-threshold.png";
    ApVsThresholdChart.save(ApVsThresholdChart.of(label,
        PublishedReproduction.protocolLabel(protocol), byThreshold), stage.resolve(file));
    add(file, "AP (all-point, difficult counted) against the heatmap threshold, one line per "
        + "IoU threshold, for " + what + ". It shows how much the box threshold matters "
        + "compared with the IoU threshold.");
  }

  /** One Grad-CAM run (the code of `gradcam localize`), its charts and its box pictures. */
  private void runDataset(DogDataset data, String prefix, String shortLabel, String dir,
      LocalizationRun.Settings settings, Path cacheRoot, Assets assets, int pictures,
      String picturePrefix, String description) throws IOException {
    progress("Grad-CAM run: " + data.label());
    Path out = stage.resolve(dir);
    LocalizationRun.Result run = LocalizationRun.run(data, settings, out,
        cacheRoot.resolve(prefix), assets, log, System.err);
    for (String f : RUN_FILES) {
      if (f.equals("missing_images.txt") && data.missing().isEmpty()) {
        Files.deleteIfExists(out.resolve(f)); // an empty list says nothing
        continue;
      }
      add(dir + "/" + f, switch (f) {
        case "summary.md" -> description + " The summary gives AP and recall per heatmap "
            + "threshold (difficult counted and ignored) and a full-image baseline; settings: "
            + settings.describe() + ".";
        case "boxes.csv" -> "Every box of that run: image, heatmap threshold, "
            + "[xmin, ymin, xmax, ymax] (0-based start, exclusive stop) and score (mean of the "
            + "normalised map inside the box). It is what summary.md evaluates.";
        case "targets.csv" -> "The ImageNet dog class explained on each image of that run "
            + "(the image's highest-scoring of the classes 151..268). Grad-CAM maps that class.";
        default -> "The annotated dog images of that dataset that have no JPEG here (" 
            + data.missing().size() + "). They are left out of the evaluation, GT included.";
      });
    }
    Map<Double, List<Detection>> dets = new TreeMap<>();
    for (double t : settings.thresholds()) {
      dets.put(t, run.detections(t));
    }
    charts(prefix, shortLabel, data.groundTruth(), dets, "our Grad-CAM boxes on " + data.label());

    progress("box pictures: " + shortLabel);
    int drawn = 0;
    for (String id : data.files().keySet()) {
      if (drawn++ == pictures) {
        break;
      }
      BufferedImage image = Images.read(data.files().get(id));
      List<VocBox> gt = data.groundTruth().byImage().get(id).stream()
          .map(GroundTruthBox::box).toList();
      String t = LocalizationRun.fmt(pictureThreshold);
      String file = "boxes/" + picturePrefix + "-" + id + "-threshold-" + t + ".png";
      BufferedImage picture = BoxDrawing.on(image).groundTruth(gt)
          .ours(run.boxes(id, pictureThreshold)).image();
      Images.writeCompressedPng(BoxDrawing.withCaption(picture, id + " (" + shortLabel
          + "): green = ground truth, red = Grad-CAM boxes at heatmap threshold " + t),
          stage.resolve(file));
      add(file, "Images of " + data.label() + " (id in the file name) with the ground-truth "
          + "dog boxes in green and our Grad-CAM boxes at heatmap threshold " + t + " in red, at "
          + "the image's own size. They show what the AP numbers count: a red box is a hit at "
          + "IoU 0.5 only if it overlaps a green one by more than half of their union.");
    }
  }

  private void add(String path, String description) {
    outputs.add(new Output(path, description));
  }

  private void progress(String message) {
    log.println("reproduce: " + message);
    log.flush();
  }

  /**
   * Moves every staged file into the results folder (each move atomic, replacing the previous
   * version), then deletes what the previous run listed in its manifest and this run no longer
   * writes.
   */
  private void commit() throws IOException {
    Path root = results.toAbsolutePath().normalize();
    Set<String> stale = new LinkedHashSet<>(List.of("README.md", "published-reproduction.md",
        MANIFEST));
    for (String dir : List.of(VOC_DIR, STANDIN_DIR)) {
      RUN_FILES.forEach(f -> stale.add(dir + "/" + f));
    }
    Path manifest = root.resolve(MANIFEST);
    if (Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          stale.add(line.strip());
        }
      }
    }
    List<Path> fresh;
    try (Stream<Path> s = Files.walk(stage)) {
      fresh = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .map(stage::relativize).sorted().toList();
    }
    Path rootReal = root.toRealPath();
    for (Path rel : fresh) {
      // Never write through a symlinked folder to somewhere outside results/.
      if (!insideFolder(rootReal, root.resolve(rel))) {
        throw new IOException(root.resolve(rel) + " lies outside " + results
            + " (a symlinked folder?); nothing was changed");
      }
    }
    int kept = 0;
    for (Path rel : fresh) {
      Path target = root.resolve(rel);
      // Another CPU's rounding is not a new result: the committed file stays as it is.
      if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
          && RoundingTolerance.same(target, stage.resolve(rel))) {
        kept++;
        continue;
      }
      Files.createDirectories(target.getParent());
      AtomicFiles.moveIntoPlace(stage.resolve(rel), target);
    }
    fresh.forEach(rel -> stale.remove(rel.toString().replace(rel.getFileSystem().getSeparator(),
        "/")));
    stale.remove("benchmarks.md"); // kept unless --with-speed, which rewrote it above
    if (keepNotebookPages) {
      stale.removeIf(f -> f.startsWith(NOTEBOOKS_DIR + "/"));
    }
    int deleted = deleteListed(root, stale);
    for (String dir : List.of("plots", "boxes", NOTEBOOKS_DIR)) {
      deleteIfEmpty(root.resolve(dir));
    }
    progress(String.format(Locale.ROOT, "%d files unchanged (equal, or within float32 "
        + "rounding: RoundingTolerance), %d written, %d previously generated files deleted",
        kept, fresh.size() - kept, deleted));
  }

  /**
   * Deletes the listed files (paths relative to {@code root}) that are regular files inside it:
   * a path outside it ({@code ../x}, absolute), a symlink, or a file reached through a symlinked
   * folder leading out of it is left alone. Returns how many were deleted.
   */
  static int deleteListed(Path root, Collection<String> relative) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    Path real = abs.toRealPath();
    int deleted = 0;
    for (String rel : relative) {
      Path p = abs.resolve(rel).normalize();
      if (p.startsWith(abs) && !p.equals(abs) && insideFolder(real, p)
          && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
        deleted++;
      }
    }
    return deleted;
  }

  /** Whether {@code p}'s nearest existing folder, symlinks resolved, is inside {@code real}. */
  private static boolean insideFolder(Path real, Path p) throws IOException {
    Path dir = p.toAbsolutePath().normalize().getParent();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    return dir != null && dir.toRealPath().startsWith(real);
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    }
  }

  private void writeReadme() throws IOException {
    boolean speed = Files.isRegularFile(stage.resolve("benchmarks.md"))
        || Files.isRegularFile(results.resolve("benchmarks.md"));
    StringBuilder md = new StringBuilder("# results/\n\n")
        .append("Generated by `./gradcam reproduce` (do not edit by hand: the next run rewrites ")
        .append("this file and every file listed in `").append(MANIFEST).append("`). ")
        .append("Numbers on the Oxford-IIIT Pet stand-in are **not** VOC2007 numbers; only ")
        .append("`published-reproduction.md` is about the full VOC2007 test dog set.\n\n");
    Map<String, List<Output>> sections = new LinkedHashMap<>();
    for (Output o : outputs) {
      String section = o.path().startsWith("plots/published") ? "Charts: published pickles"
          : o.path().startsWith("plots/voc2007") ? "Charts: our run on the 4 VOC2007 images"
          : o.path().startsWith("plots/standin") ? "Charts: our run on the stand-in (not VOC2007)"
          : o.path().startsWith("boxes/") ? "Box pictures"
          : o.path().startsWith(NOTEBOOKS_DIR + "/") ? "Notebooks as HTML"
          : o.path().startsWith(VOC_DIR) ? "Our run on the VOC2007 images: `" + VOC_DIR + "/`"
          : o.path().startsWith(STANDIN_DIR) ? "Our run on the stand-in (not VOC2007): `"
              + STANDIN_DIR + "/`"
          : "Published table";
      sections.computeIfAbsent(section, k -> new ArrayList<>()).add(o);
    }
    sections.forEach((section, list) -> {
      md.append("## ").append(section).append("\n\n");
      // Files described alike (the three IoUs of a chart, the pictures) share one entry.
      Map<String, List<String>> byDescription = new LinkedHashMap<>();
      list.forEach(o -> byDescription.computeIfAbsent(o.description(), k -> new ArrayList<>())
          .add(o.path()));
      byDescription.forEach((description, paths) -> md.append("- ")
          .append(paths.stream().map(p -> "[`" + p + "`](" + p + ")")
              .collect(Collectors.joining(", ")))
          .append(": ").append(description).append('\n'));
      md.append('\n');
    });
    md.append("## Kept, not regenerated\n\n");
    if (speed) {
      md.append("- [`benchmarks.md`](benchmarks.md): forward pass vs Grad-CAM throughput and the ")
          .append("post-processing cost, measured by `./gradcam speed`. ")
          .append(withSpeed ? "It was rerun by this run (`--with-speed`)."
              : "It is kept as it is, since timing is slow and machine-dependent; "
                  + "`./gradcam reproduce --with-speed` reruns it.")
          .append('\n');
    }
    if (Files.isRegularFile(results.resolve("localize/README.md"))) {
      md.append("- [`localize/README.md`](localize/README.md): how to produce the two ")
          .append("`localize/` folders by hand with `./gradcam localize`. It is not written by ")
          .append("this command.\n");
    }
    md.append("- [`").append(MANIFEST).append("`](").append(MANIFEST).append("): the files ")
        .append("this command wrote. The next run, once it has succeeded, replaces them and ")
        .append("deletes those it no longer writes, and touches nothing else.\n");
    AtomicFiles.writeString(stage.resolve("README.md"), md.toString());
    add("README.md", "this file");
  }

  private void writeManifest() throws IOException {
    String body = outputs.stream().map(Output::path).sorted().collect(Collectors.joining("\n"));
    AtomicFiles.writeString(stage.resolve(MANIFEST), "# written by ./gradcam reproduce; its next "
        + "run replaces these files or deletes them\n" + body + "\n" + MANIFEST + "\n");
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

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // A leftover temp folder is harmless; the results are what matters.
    }
  }
}
