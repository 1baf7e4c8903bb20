package org.gradcam.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Starts the kernel for Jupyter: {@code java -cp gradcam.jar:lib/* org.gradcam.kernel.KernelMain
 * CONNECTION_FILE}. Jupyter writes the connection file (ports, key) and passes its path; the
 * kernelspec written by {@code gradcam kernel install} does exactly that.
 */
public final class KernelMain {

  private KernelMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    if (args.length != 1) {
      System.err.println("usage: KernelMain CONNECTION_FILE");
      System.exit(2);
    }
    Path connectionFile = Path.of(args[0]);
    KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(connectionFile));
    JupyterConnection connection = new JupyterConnection(properties);
    GradcamKernel kernel = new GradcamKernel();
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    System.exit(0);
  }
}
