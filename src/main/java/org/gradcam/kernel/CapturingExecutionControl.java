package org.gradcam.kernel;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's in-process execution engine, changed so that the evaluated value is kept as an object.
 *
 * <p>JShell hands only a {@code String} back from {@link #invoke(Method)}. To render images, charts
 * and tables the kernel needs the object itself, so this control stores it under a fresh key and
 * returns the key; {@link CellEvaluator} swaps the key for the object with {@link #take}.
 *
 * <p>User code runs on the calling thread, so the objects live in the kernel's own JVM and class
 * loader parent (the application class loader, which holds the project jar and its dependencies).
 */
final class CapturingExecutionControl extends LocalExecutionControl {

  private static final String KEY_PREFIX = "gradcam-value#";

  private final AtomicLong nextKey = new AtomicLong();
  private final Map<String, Object> values = new HashMap<>();
  private volatile Thread running;

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    running = Thread.currentThread();
    try {
      Object value = doitMethod.invoke(null);
      String key = KEY_PREFIX + nextKey.incrementAndGet();
      values.put(key, value);
      return key;
    } finally {
      running = null;
      Thread.interrupted(); // an interrupt that arrived late must not leak into the next cell
    }
  }

  /** Removes and returns the value stored under {@code key}; {@code null} when there is none. */
  Object take(String key) {
    return key == null ? null : values.remove(key);
  }

  /** True when {@code key} names a value stored by this control. */
  boolean holds(String key) {
    return key != null && values.containsKey(key);
  }

  /** Forgets values nobody took (e.g. of declarations), so cells do not pin objects in memory. */
  void clearValues() {
    values.clear();
  }

  /** Interrupts the thread running user code; cooperative only (sleep, wait, blocking IO). */
  void interruptRunning() {
    Thread thread = running;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Hands one given control to {@code JShell.builder().executionEngine(...)}. */
  static final class Provider implements ExecutionControlProvider {
    private final CapturingExecutionControl control;

    Provider(CapturingExecutionControl control) {
      this.control = control;
    }

    @Override
    public String name() {
      return "gradcam-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
      return control;
    }
  }
}
