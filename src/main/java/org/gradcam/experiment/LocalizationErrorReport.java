package org.gradcam.experiment;

import static org.gradcam.eval.SignificantDigits.float32;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.gradcam.data.Assets;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.experiment.LocalizationErrors.Analysis;
import org.gradcam.experiment.LocalizationErrors.Category;
import org.gradcam.image.BoxDrawing;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.io.AtomicFiles;
import org.gradcam.io.Csv;
import org.gradcam.io.Template;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The localisation errors of one set of maps at one heatmap threshold (categories and their
 * definitions in {@link LocalizationErrors}): {@code errors.csv} (one row per ground-truth dog
 * box), {@code errors.md} (the counts; prose in {@code localization-errors.md} beside this class)
 * and a gallery PNG per category found, as {@code gradcam analyze-errors} writes them.
 */
public final class LocalizationErrorReport {
  public static final String CSV_HEADER = "image_id,gt_index,difficult,gt_xmin,gt_ymin,gt_xmax,"
      + "gt_ymax,best_xmin,best_ymin,best_xmax,best_ymax,best_score,iou,gt_covered,box_on_gt,"
      + "area_ratio,boxes,fallback,target_class,category";

  private static final Color OTHER_BOXES = new Color(255, 160, 0);
  private static final Color OTHER_DOGS = new Color(255, 255, 0);

  /**
   * How the maps were made and boxed, as the report states it.
   *
   * @param command the command line that made the report, shown in it
   * @param gallerySize pictures per category gallery (0: no galleries)
   */
  public record Settings(String model, String layer, String method, double threshold,
      int gallerySize, String command) {}

  private final DogDataset dataset;
  private final Map<String, ImageMap> maps;
  private final Settings settings;
  private final List<Analysis> analyses = new ArrayList<>();
  private final Map<String, List<ScoredBox>> boxesByImage = new LinkedHashMap<>();

  /** Boxes every map by the published procedure and analyses each dog box of its image. */
  public LocalizationErrorReport(DogDataset dataset, Map<String, ImageMap> maps,
      Settings settings) {
    this.dataset = dataset;
    this.maps = maps;
    this.settings = settings;
    double threshold = settings.threshold();
    for (ImageMap m : maps.values()) {
      List<ScoredBox> boxes = m.boxes(MethodBenchmark.extractor(), threshold, BoxScore.MEAN);
      boxesByImage.put(m.imageId(), boxes);
      analyses.addAll(LocalizationErrors.analyze(m.imageId(),
          dataset.groundTruth().byImage().get(m.imageId()), boxes, m.fallback(threshold)));
    }
  }

  public List<Analysis> analyses() {
    return List.copyOf(analyses);
  }

  /** Writes {@code errors.csv}, the galleries and {@code errors.md} into {@code out}; returns the markdown. */
  public String write(Path out) throws IOException {
    Files.createDirectories(out);
    writeCsv(out.resolve("errors.csv"), analyses, maps);
    List<String> galleries = writeGalleries(out);
    String md = markdown(galleries);
    AtomicFiles.writeString(out.resolve("errors.md"), md);
    return md;
  }

  private static void writeCsv(Path file, List<Analysis> analyses, Map<String, ImageMap> maps)
      throws IOException {
    AtomicFiles.writeText(file, w -> {
      w.write(CSV_HEADER + "\n");
      for (Analysis a : analyses) {
        VocBox g = a.groundTruth().box();
        List<Object> row = new ArrayList<>(List.of(a.imageId(), a.index(),
            a.groundTruth().difficult(), num(g.xmin()), num(g.ymin()), num(g.xmax()),
            num(g.ymax())));
        row.addAll(a.best().map(b -> List.<Object>of(b.box().xmin(), b.box().ymin(),
            b.box().xmax(), b.box().ymax(), float32(b.score())))
            .orElse(List.of("", "", "", "", ""))); // no box: empty fields
        row.addAll(List.of(float32(a.iou()), float32(a.gtCovered()), float32(a.boxOnGt()),
            float32(a.areaRatio()), a.boxes(), a.fallback(),
            maps.get(a.imageId()).targetClass(), a.category().label()));
        Csv.writeRecord(w, row.toArray());
      }
    });
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private List<String> writeGalleries(Path out) throws IOException {
    List<String> written = new ArrayList<>();
    int gallerySize = settings.gallerySize();
    if (gallerySize == 0) {
      return written;
    }
    for (Category c : Category.values()) {
      List<BufferedImage> pictures = new ArrayList<>();
      Set<String> shown = new HashSet<>();
      for (Analysis a : analyses) {
        if (a.category() != c || pictures.size() == gallerySize || !shown.add(a.imageId())) {
          continue;
        }
        pictures.add(drawing(dataset, a, boxesByImage.get(a.imageId()), maps.get(a.imageId())));
      }
      if (!pictures.isEmpty()) {
        String name = "gallery-" + c.slug() + ".png";
        BufferedImage grid = BoxDrawing.grid(pictures, 3, 300, 225);
        AtomicFiles.write(out.resolve(name), o -> ImageIO.write(grid, "png", o));
        written.add(name);
      }
    }
    return written;
  }

  /**
   * The map over the photo; the analysed dog green, other dogs yellow, other predicted boxes
   * orange, the best box red; caption: id, category, IoU.
   */
  private static BufferedImage drawing(DogDataset dataset, Analysis a, List<ScoredBox> boxes,
      ImageMap map) throws IOException {
    BufferedImage photo = Images.read(dataset.files().get(a.imageId()));
    BufferedImage overlay = Overlay.blend(photo, map.values(), Colormap.JET, 0.35);
    BoxDrawing d = BoxDrawing.on(overlay, Math.max(2, Math.min(photo.getWidth(),
        photo.getHeight()) / 120));
    List<GroundTruthBox> gts = dataset.groundTruth().byImage().get(a.imageId());
    List<PixelBox> others = new ArrayList<>();
    for (int i = 0; i < gts.size(); i++) {
      if (i != a.index()) {
        others.add(PixelBox.fromVoc(gts.get(i).box(), photo.getWidth(), photo.getHeight()));
      }
    }
    d.boxes(others, OTHER_DOGS);
    d.boxes(boxes.stream().map(ScoredBox::box)
        .filter(b -> a.best().isEmpty() || !b.equals(a.best().get().box())).toList(), OTHER_BOXES);
    d.groundTruth(List.of(a.groundTruth().box()));
    a.best().ifPresent(b -> d.ours(List.of(b.box())));
    d.caption(String.format(Locale.ROOT, "%s #%d %s IoU %.2f", a.imageId(), a.index(),
        a.category().label(), a.iou()));
    return d.image();
  }

  private String markdown(List<String> galleries) {
    String label = dataset.label();
    StringBuilder files = new StringBuilder();
    galleries.forEach(g -> files.append('`').append(g).append("` "));
    return Template.fill("localization-errors.md", Template.text(LocalizationErrorReport.class, "localization-errors.md"),
        Map.ofEntries(Map.entry("label", label), Map.entry("command", settings.command()),
            Map.entry("images", "" + dataset.files().size()),
            Map.entry("boxes", "" + dataset.groundTruth().boxCount()),
            Map.entry("difficult", "" + dataset.groundTruth().difficultCount()),
            Map.entry("imageDir", Assets.display(dataset.images())),
            Map.entry("groundTruth", Assets.display(dataset.groundTruthSource())),
            Map.entry("method", settings.method()), Map.entry("model", settings.model()),
            Map.entry("layer", settings.layer()),
            Map.entry("threshold", LocalizationRun.fmt(settings.threshold())),
            Map.entry("table", MarkdownTables.render(counts(label), 1)),
            Map.entry("gallerySize", "" + settings.gallerySize()),
            Map.entry("galleries", files.toString())));
  }

  /** Dog boxes and images per category, with the total. */
  private Table counts(String label) {
    Map<Category, Integer> boxes = new EnumMap<>(Category.class);
    Map<Category, Set<String>> images = new EnumMap<>(Category.class);
    for (Analysis a : analyses) {
      boxes.merge(a.category(), 1, Integer::sum);
      images.computeIfAbsent(a.category(), k -> new HashSet<>()).add(a.imageId());
    }
    Table t = Table.create(label);
    StringColumn cat = StringColumn.create("category");
    IntColumn n = IntColumn.create("dog boxes");
    DoubleColumn share = DoubleColumn.create("share (%)");
    IntColumn imgs = IntColumn.create("images");
    for (Category c : Category.values()) {
      int k = boxes.getOrDefault(c, 0);
      cat.append(c.label());
      n.append(k);
      share.append(100.0 * k / analyses.size());
      imgs.append(images.getOrDefault(c, Set.of()).size());
    }
    cat.append("total");
    n.append(analyses.size());
    share.append(100.0);
    imgs.append(dataset.files().size());
    t.addColumns(cat, n, share, imgs);
    return t;
  }
}
