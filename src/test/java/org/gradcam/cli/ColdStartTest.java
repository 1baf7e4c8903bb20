package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold-start part of {@code speed} and {@code explain --random-weights}, which it runs. */
class ColdStartTest extends CliTest {
  @TempDir Path tmp;

  @Test
  void jvmOptionsNameProjectPathsRelatively() {
    String archive = org.gradcam.data.Assets.home().resolve("target/gradcam.jsa").toString();
    assertThat(ColdStart.displayOption("-XX:SharedArchiveFile=" + archive))
        .isEqualTo("-XX:SharedArchiveFile=target/gradcam.jsa");
    assertThat(ColdStart.displayOption("-Xmx8g")).isEqualTo("-Xmx8g");
    assertThat(ColdStart.displayOption("-Xlog:cds=off")).isEqualTo("-Xlog:cds=off");
  }

  @Test
  void readsThePeakResidentSetFromProcStatus() throws Exception {
    Path status = tmp.resolve("status");
    Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  523456 kB\n"
        + "VmRSS:\t  400000 kB\n");
    assertThat(ColdStart.vmHwmKb(status)).isEqualTo(523456);
    // A process that has exited leaves no file: 0, so the last reading stands.
    assertThat(ColdStart.vmHwmKb(tmp.resolve("gone"))).isZero();
  }

  @Test
  void readsCpuTimeFromProcStat() throws Exception {
    Path stat = tmp.resolve("stat");
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    Files.writeString(stat, "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20"
        + " 0 30 0 123 456789\n");
    assertThat(ColdStart.cpuSeconds(stat)).isEqualTo(3.25);
    assertThat(ColdStart.cpuSeconds(tmp.resolve("gone"))).isZero();
  }

  @Test
  void theLibraryChildReportsItsPhases() throws Exception {
    String report = ColdStart.firstRun("squeezenet1.1", "random");
    for (String key : new String[] {"main_s=", "tf_s=", "load_s=", "first_run_s=", "second_run_s=",
        "vmhwm_kb="}) {
      assertThat(report).contains(key);
    }
    // This JVM's own high-water mark: at least the model's 1.2 M weights, 4.9 MB.
    double kb = Double.parseDouble(report.replaceAll(".*vmhwm_kb=(\\S+).*", "$1"));
    assertThat(kb).isGreaterThan(4.9 * 1024);
  }

  @Test
  void explainWithRandomWeightsWritesAnOverlay() throws Exception {
    Path png = tmp.resolve("o.png");
    Path image = TestData.path("voc2007-test/JPEGImages/001150.jpg");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(image), "no mirror image");
    int exit = run("explain", "--image", image.toString(), "--out", png.toString(),
        "--random-weights", "3");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(png).isRegularFile();
  }

  /** Rerunning one part replaces its own section of the file and keeps the other verbatim. */
  @Test
  void onePartRerunKeepsTheOtherSection() throws Exception {
    Path md = tmp.resolve("benchmarks.md");
    String cold = "## Cold start\n\nold cold-start table\n";
    Files.writeString(md, "# Throughput\n\nold throughput tables\n\n" + cold);
    assertThat(run("speed", "--only", "throughput", "--models", "squeezenet1.1", "--batches", "1",
        "--seconds", "0.05", "--images", "none", "--out", md.toString())).as(err.toString())
        .isZero();
    String now = Files.readString(md);
    assertThat(now).startsWith("# Throughput").doesNotContain("old throughput tables")
        .contains("| squeezenet1.1 |").endsWith(cold);
  }

  @Test
  void badOptionsAreClearErrors() {
    assertThat(run("explain", "--image", "x.jpg", "--out", tmp.resolve("o.png").toString(),
        "--model", "mobilenet_v2", "--random-weights", "1")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("no random-weight variant")
        .doesNotContain("Exception");
    assertThat(run("speed", "--only", "nothing")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("Invalid value for option '--only': "
        + "expected one of [throughput, ort, cold-start] (case-insensitive) but was 'nothing'");
    assertThat(run("speed", "--only", "cold-start", "--cold-start-runs", "0")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("--cold-start-runs");
  }
}
