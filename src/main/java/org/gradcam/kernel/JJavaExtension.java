package org.gradcam.kernel;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Makes JJava (any kernel on jjava-jupyter's {@link BaseKernel}) show the project's values as our
 * kernel does: XChart charts as {@code image/png}, Tablesaw tables as {@code text/html}. Without it
 * JJava shows a chart as its {@code toString()} and a table as plain text. Found by JJava's
 * {@link java.util.ServiceLoader} lookup through {@code META-INF/services/org.dflib.jjava.jupyter.Extension}
 * when the jar is added to its class path; our own kernel registers the same renderers directly.
 */
public final class JJavaExtension implements Extension {

  @Override
  public void install(BaseKernel kernel) {
    // Charts are drawn off-screen; a kernel started without a display must not try to open one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    DisplayRenderers.registerAll(kernel.getRenderer());
  }
}
