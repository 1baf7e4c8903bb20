package org.gradcam.registry;

import jakarta.annotation.Priority;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The registered implementations of a kind (a CAM method, a built-in model), found on the class
 * path: each class registers itself with {@code @AutoService(Kind.class)}, which writes the
 * {@code META-INF/services} entry at compile time, so adding one is its own file and nothing
 * else. They are listed by their {@link Priority} (lower first, none last), then by class name:
 * that order is the help texts', the explorer's and the result tables' row order.
 */
public final class Registry {
  private Registry() {}

  /**
   * Every registered implementation of {@code kind}, in listing order; each {@link
   * ServiceLoader.Provider#get()} makes a new instance.
   */
  public static <T> List<ServiceLoader.Provider<T>> of(Class<T> kind) {
    // The kind's own class loader sees the entries beside it, whatever the thread's (a notebook
    // kernel adds the jar with a loader of its own).
    List<ServiceLoader.Provider<T>> all = ServiceLoader.load(kind, kind.getClassLoader()).stream()
        .sorted(Comparator.comparingInt(Registry::priority)
            .thenComparing(p -> p.type().getName()))
        .toList();
    if (all.isEmpty()) {
      throw new IllegalStateException("no " + kind.getSimpleName() + " is registered: the "
          + "class path lacks the META-INF/services entries the build writes");
    }
    return all;
  }

  private static int priority(ServiceLoader.Provider<?> p) {
    Priority order = p.type().getAnnotation(Priority.class);
    return order == null ? Integer.MAX_VALUE : order.value();
  }
}
