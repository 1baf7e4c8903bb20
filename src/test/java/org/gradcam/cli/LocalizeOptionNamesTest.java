package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code localize} names its own options in the errors of settings the library names neutrally. */
class LocalizeOptionNamesTest extends CliTest {
  private void assertError(Path dir, String expected, String... options) {
    List<String> args = new ArrayList<>(List.of("localize", "--images", LocalizeCommandTest.IMAGES,
        "--objects-csv", LocalizeCommandTest.CSV, "--out", dir.toString()));
    args.addAll(List.of(options));
    assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("error: " + expected);
  }

  @Test
  void settingErrorsNameTheCommandsOptions(@TempDir Path dir) {
    assertError(dir, "--thresholds has a value twice: 0.1,0.1", "--thresholds", "0.1,0.1");
    assertError(dir, "--batch-size must be >= 1, got 0", "--batch-size", "0");
    // --target and --box-method are typed options: TypedOptionsTest checks their errors.
  }
}
