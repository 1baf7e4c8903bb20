package org.gradcam.kernel;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Set;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Makes JJava (any kernel on jjava-jupyter's {@link BaseKernel}) show the project's values as our
 * kernel does: XChart charts as {@code image/png}, Tablesaw tables as {@code text/html}. Without it
 * JJava shows a chart as its {@code toString()} and a table as plain text. Found by JJava's
 * {@link java.util.ServiceLoader} lookup through {@code META-INF/services/org.dflib.jjava.jupyter.Extension}
 * when the jar is added to its class path; our own kernel registers the same renderers directly.
 *
 * <p>JJava may load an extension through a class loader of its own while cells get their classes
 * from JShell's: a cell's chart is then not an instance of the {@code Chart} class registered
 * here. For such values a fallback on {@code Object} asks the copy of {@link DisplayRenderers} in
 * the value's own class loader to render it, so the output is the same either way.
 */
public final class JJavaExtension implements Extension {

  /** Classes whose instances {@link DisplayRenderers#mimeData} renders (BufferedImage is the JDK's). */
  private static final Set<String> RENDERED = Set.of(
      "org.knowm.xchart.internal.chartpart.Chart", "tech.tablesaw.api.Table");

  @Override
  public void install(BaseKernel kernel) {
    // Charts are drawn off-screen; a kernel started without a display must not try to open one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    DisplayRenderers.registerAll(kernel.getRenderer());
    kernel.getRenderer().createRegistration(Object.class)
        .preferring(MIMEType.IMAGE_PNG, MIMEType.TEXT_HTML)
        .register((value, context) -> fromOwnLoader(value).forEach((mime, data) ->
            context.renderIfRequested(MIMEType.parse(mime), () -> data)));
  }

  /**
   * {@link DisplayRenderers#mimeData} of the copy of that class in {@code value}'s class loader;
   * empty when the value is of no rendered class or its loader is ours (the typed registrations
   * then apply).
   */
  @SuppressWarnings("unchecked")
  static Map<String, String> fromOwnLoader(Object value) {
    ClassLoader loader = value.getClass().getClassLoader();
    if (loader == null || !isRendered(value.getClass())) {
      return Map.of();
    }
    try {
      Class<?> theirs = Class.forName(DisplayRenderers.class.getName(), true, loader);
      if (theirs == DisplayRenderers.class) {
        return Map.of();
      }
      return (Map<String, String>) theirs.getMethod("mimeData", Object.class).invoke(null, value);
    } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
      return Map.of(); // the project jar is not on that loader's path: shown as text
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private static boolean isRendered(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (RENDERED.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }
}
