package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rewriting the benchmarks file: the parts run now replace theirs, the others are kept. */
class BenchmarksFileTest {
  @TempDir Path tmp;

  private static final String THROUGHPUT = "# Throughput\n\nold throughput\n";
  private static final String ORT = OrtSpeed.HEADING + "old ort\n";
  private static final String COLD = BenchmarksFile.COLD_HEADING + "old cold\n";
  private static final String SERVE = ServeLatency.HEADING + "old serve\n";

  @Test
  void cpuIsNamedWithItsFamilyModelAndVectorUnitsFromTheFirstProcessor() {
    List<String> zen5 = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD",
        "cpu family\t: 26", "model\t\t: 2", "model name\t: AMD EPYC", "stepping\t: 1",
        "flags\t\t: fpu sse avx2 avx512f avx512dq", "", "processor\t: 1",
        "cpu family\t: 25", "model\t\t: 17", "model name\t: other");
    assertThat(BenchmarksFile.cpu(zen5)).isEqualTo("AMD EPYC (family 26, model 2, AVX-512)");
    List<String> avx2 = List.of("cpu family\t: 6", "model\t\t: 85",
        "model name\t: Intel(R) Xeon(R)", "flags\t\t: fpu avx avx2 fma");
    assertThat(BenchmarksFile.cpu(avx2)).isEqualTo("Intel(R) Xeon(R) (family 6, model 85, AVX2)");
    assertThat(BenchmarksFile.cpu(List.of("model name\t: ARM"))).isEqualTo("ARM");
    assertThat(BenchmarksFile.cpu(List.of())).isEqualTo("unknown CPU");
  }

  @Test
  void onePartReplacesItsSectionAndKeepsTheOthersWithServeLast() throws Exception {
    Path md = tmp.resolve("sub/benchmarks.md");
    BenchmarksFile.write(md, THROUGHPUT, ORT, COLD);
    assertThat(Files.readString(md)).isEqualTo(THROUGHPUT + "\n" + ORT + "\n" + COLD);
    Files.writeString(md, Files.readString(md) + "\n" + SERVE);

    String ort = OrtSpeed.HEADING + "new ort\n";
    BenchmarksFile.write(md, null, ort, null);
    assertThat(Files.readString(md))
        .isEqualTo(THROUGHPUT + "\n" + ort + "\n" + COLD + "\n" + SERVE);

    String cold = BenchmarksFile.COLD_HEADING + "new cold\n";
    BenchmarksFile.write(md, null, null, cold);
    assertThat(Files.readString(md))
        .isEqualTo(THROUGHPUT + "\n" + ort + "\n" + cold + "\n" + SERVE);
  }

  @Test
  void aMissingFileGetsOnlyThePartsRun() throws Exception {
    Path md = tmp.resolve("benchmarks.md");
    BenchmarksFile.write(md, null, null, COLD);
    assertThat(Files.readString(md)).isEqualTo(COLD);
  }

  @Test
  void templatesAreReadBesideTheClassesAndAMissingOneIsAnError() throws Exception {
    assertThat(BenchmarksFile.template("cold-start.md")).isNotBlank()
        .isEqualTo(BenchmarksFile.template("cold-start.md").strip());
    assertThatThrownBy(() -> BenchmarksFile.template("no-such.md"))
        .hasMessageContaining("missing resource no-such.md");
  }
}
