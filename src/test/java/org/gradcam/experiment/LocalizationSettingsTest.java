package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.gradcam.cam.CamMethods;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.localize.BoxMethod;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalizationRun.Settings} validates in its own terms: an invalid setting names the
 * record component, never a command-line flag (the command names its own options).
 */
class LocalizationSettingsTest {
  private static InvalidSettingException invalid(double[] thresholds, int smooth,
      int batchSize) {
    return catchThrowableOfType(InvalidSettingException.class,
        () -> new LocalizationRun.Settings("squeezenet1.1", null, LocalizationTarget.TOP_DOG,
            CamMethods.DEFAULT, thresholds, BoxMethod.COURSE, smooth, BoxScore.MEAN,
            Interpolation.NEAREST, batchSize));
  }

  @Test
  void eachInvalidSettingIsNamedAsTheRecordNamesIt() {
    double[] ok = {0.1};
    // The target and the box method are typed: their bad values never reach the record.
    assertNamed(invalid(new double[0], 20, 8), "thresholds", "needs at least one value");
    assertNamed(invalid(new double[] {0.1, 0.1}, 20, 8), "thresholds",
        "has a value twice: 0.1,0.1");
    assertNamed(invalid(ok, 0, 8), "smooth", "must be at least 1, got 0");
    assertNamed(invalid(ok, 20, 0), "batchSize", "must be >= 1, got 0");
  }

  private static void assertNamed(InvalidSettingException e, String setting, String problem) {
    assertThat(e).as(setting).isNotNull();
    assertThat(e.setting()).isEqualTo(setting);
    assertThat(e.problem()).isEqualTo(problem);
    assertThat(e.getMessage()).isEqualTo(setting + " " + problem).doesNotContain("--");
  }
}
