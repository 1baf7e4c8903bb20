package org.gradcam.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.gradcam.data.Assets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Pre-fetches assets into the project cache, verifying every file's digest. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = "Download (or copy from the mirror) and verify assets. Without a name, lists them.")
public final class FetchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "asset names, or 'all'")
  List<String> names = List.of();

  @Override
  public Integer call() throws Exception {
    Assets assets = Assets.defaults();
    var out = spec.commandLine().getOut();
    if (names.isEmpty()) {
      for (String name : assets.names()) {
        out.printf("%-26s %3d file(s)  %s%n", name, assets.files(name).size(),
            assets.isLocal(name) ? "local" : "not local: gradcam fetch " + name);
      }
      return 0;
    }
    List<String> wanted = names.equals(List.of("all")) ? assets.names() : names;
    for (String name : wanted) {
      out.println(name + ": " + assets.directory(name));
    }
    return 0;
  }
}
