package org.gradcam.cli;

import java.lang.management.ManagementFactory;

/** The machine's load, printed beside every timing: other work on the machine slows it. */
final class MachineLoad {
  private MachineLoad() {}

  /** The 1-minute load average (runnable processes), negative where the OS does not tell. */
  static double oneMinute() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
