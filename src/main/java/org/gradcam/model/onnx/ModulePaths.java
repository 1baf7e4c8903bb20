package org.gradcam.model.onnx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gradcam.model.onnx.OnnxScopes.Scope;

/**
 * PyTorch module paths from the scope paths torch writes into node names ({@link OnnxScopes}
 * describes the naming): {@code /layer4/layer4.1/relu_1} is the second call of
 * {@code layer4.1.relu}.
 */
final class ModulePaths {
  private static final Pattern CALL = Pattern.compile("(.+)_(\\d+)");
  private static final Pattern NUMERIC_ATOMS = Pattern.compile("(\\.\\d+)+");

  private ModulePaths() {}

  /**
   * One scope per path, first appearance first, from each path's node count, its outputs and
   * the producing node index of each tensor (to order the outputs as the graph does).
   */
  static Map<String, Scope> scopes(Map<String, Integer> nodeCount,
      Map<String, Set<String>> outputs, Map<String, Integer> producer) {
    Set<String> paths = nodeCount.keySet();
    Map<String, String[]> resolved = new HashMap<>(); // path -> {module, base segment, name}
    Map<String, Scope> out = new LinkedHashMap<>();
    // Parents come before children in first-appearance order, since a child's node also
    // counts for every prefix as it is met.
    for (String path : paths) {
      int slash = path.lastIndexOf('/');
      String parentPath = path.substring(0, slash);
      String seg = path.substring(slash + 1);
      String[] parent = parentPath.isEmpty() ? new String[] {"", "", ""} : resolved.get(parentPath);
      int call = 0;
      String base = seg;
      Matcher m = CALL.matcher(seg);
      if (m.matches() && paths.contains(parentPath + "/" + m.group(1))) {
        base = m.group(1);
        call = Integer.parseInt(m.group(2));
      }
      String module = child(parent[0], parent[1], base);
      String name = call == 0 ? module : child(parent[0], parent[1], seg);
      resolved.put(path, new String[] {module, base, name});
      List<String> outs = new ArrayList<>(outputs.getOrDefault(path, Set.of()));
      outs.sort(Comparator.comparing(producer::get));
      out.put(path, new Scope(path, module, call, name, nodeCount.get(path), List.copyOf(outs)));
    }
    return out;
  }

  /** A child's module path from its parent's path and segment and its own segment. */
  private static String child(String parentModule, String parentBase, String seg) {
    if (!parentBase.isEmpty() && seg.startsWith(parentBase + ".")
        && NUMERIC_ATOMS.matcher(seg.substring(parentBase.length())).matches()) {
      return parentModule + seg.substring(parentBase.length());
    }
    return parentModule.isEmpty() ? seg : parentModule + "." + seg;
  }
}
