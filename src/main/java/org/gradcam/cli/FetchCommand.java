package org.gradcam.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradcam.data.Assets;
import org.gradcam.data.Tar;
import picocli.CommandLine.Option;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import org.gradcam.io.AtomicFiles;

/** Pre-fetches assets into the project cache, verifying every file's digest. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = "Download (or copy from the mirror) and verify assets. Without a name, lists them.")
public final class FetchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "asset names, or 'all'")
  List<String> names = List.of();

  @Option(names = "--extract", description = "also unpack a .tar asset (e.g. voc2007-test-tar) "
      + "into data/cache/extracted/NAME, or --extract-to; done once, marked by a .complete file")
  boolean extract;

  @Option(names = "--extract-to", paramLabel = "DIR", description = "where --extract unpacks")
  Path extractTo;

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
      if (extract && (assets.files(name).size() != 1
          || !assets.files(name).get(0).path().endsWith(".tar"))) {
        throw new IllegalArgumentException("--extract needs a one-file .tar asset, and '" + name
            + "' is not one");
      }
    }
    for (String name : wanted) {
      out.println(name + ": " + assets.directory(name));
      if (extract) {
        Path dest = extractTo != null ? extractTo : Assets.cacheRoot()
            .resolve("extracted").resolve(name);
        Path done = dest.resolve(".complete");
        if (!Files.exists(done)) {
          int n = Tar.extract(assets.file(name), dest);
          AtomicFiles.writeString(done, n + " files\n");
        }
        out.println(name + " extracted: " + dest);
        Path voc = dest.resolve("VOCdevkit/VOC2007");
        if (Files.isDirectory(voc)) {
          out.println("run: gradcam localize --voc " + voc + " --out DIR");
        }
      }
    }
    return 0;
  }
}
