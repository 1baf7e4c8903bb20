package org.gradcam;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The allowed dependencies between the top-level packages, so the layering cannot erode
 * silently: the CAM math and the models below, the experiments and reports above them, the
 * command line, the server and the notebook kernel on top. A new dependency that points up is a
 * failing test, which is the moment to decide where the code belongs.
 */
class ArchitectureTest {
  static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.gradcam");

  /** Each package and the packages it may use (besides itself and its sub-packages). */
  static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("io", Set.of());
    ALLOWED.put("pipeline", Set.of());
    ALLOWED.put("registry", Set.of());
    ALLOWED.put("data", Set.of("io"));
    ALLOWED.put("localize", Set.of("data")); // data.PixelBox, the one box type
    ALLOWED.put("image", Set.of("data", "io", "localize"));
    ALLOWED.put("model", Set.of("data", "image", "io", "registry"));
    ALLOWED.put("cam", Set.of("model", "image", "registry"));
    ALLOWED.put("faithfulness", Set.of("cam", "image", "model"));
    ALLOWED.put("eval", Set.of("cam", "data", "image", "io", "localize"));
    ALLOWED.put("plot", Set.of("data", "eval", "io"));
    ALLOWED.put("classify", Set.of("cam", "eval", "image", "io", "model", "plot"));
    ALLOWED.put("experiment", Set.of("cam", "data", "eval", "faithfulness", "image", "io",
        "localize", "model", "plot"));
    ALLOWED.put("serve", Set.of("cam", "data", "experiment", "image", "io", "localize", "model"));
    ALLOWED.put("kernel", Set.of("io"));
  }

  @Test
  void eachPackageUsesOnlyThePackagesBelowIt() {
    for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
      String[] forbidden = ALLOWED.keySet().stream().filter(p -> !p.equals(e.getKey())
          && !e.getValue().contains(p)).map(p -> "org.gradcam." + p + "..")
          .toArray(String[]::new);
      noClasses().that().resideInAPackage("org.gradcam." + e.getKey() + "..")
          .should().dependOnClassesThat().resideInAnyPackage(forbidden)
          .orShould().dependOnClassesThat().resideInAPackage("org.gradcam.cli..")
          .check(MAIN);
    }
  }

  @Test
  void everyPackageIsPlaced() {
    // A new top-level package must be given its place in ALLOWED (cli is the top: it may use all).
    Set<String> placed = new java.util.HashSet<>(ALLOWED.keySet());
    placed.add("cli");
    MAIN.stream().map(c -> c.getPackageName().split("\\.")).filter(p -> p.length > 2)
        .map(p -> p[2]).distinct()
        .forEach(p -> org.assertj.core.api.Assertions.assertThat(placed).as("package " + p)
            .contains(p));
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.gradcam.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void onlyTheSpeedBenchmarkUsesOnnxRuntime() {
    // ONNX Runtime is the benchmark's reference and the tests' oracle, never part of a result.
    noClasses().that().haveNameNotMatching("org\\.gradcam\\.cli\\.OrtSpeed(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..").check(MAIN);
  }
}
