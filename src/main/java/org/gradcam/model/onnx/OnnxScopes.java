package org.gradcam.model.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The PyTorch module scopes written into an ONNX graph's node names, and the tensor a layer name
 * means. Pure analysis of the {@link OnnxMl.GraphProto}: no TensorFlow.
 *
 * <p>{@code torch.onnx.export} (1.13 and later) names every node after the modules it was traced
 * in, e.g. {@code /layer4/layer4.1/relu_1/Relu}: one segment per module, the module's name
 * without its parent's prefix except that numeric atoms keep the nearest name before them
 * ({@code layer4.1} under {@code layer4}, {@code block.0} under {@code block}), and
 * {@code _N} appended for the (N+1)-th call of a module called several times (BasicBlock's
 * {@code relu}). A module's layer is the scope's output: the tensor produced by a node inside
 * the scope and consumed by a node outside it (or a graph output). Only data tensors count,
 * those that depend on a graph input other than through {@code Shape}: shape arithmetic
 * leaving a scope is not a layer.
 *
 * <p>One caveat the names cannot show: the exporter folds an eval-mode BatchNorm into the
 * Conv before it, keeping the Conv's node name, so the scope of such a Conv module (ResNet's
 * {@code layer1.0.conv1}) outputs the normalised values, i.e. PyTorch's {@code bn1} output.
 */
public final class OnnxScopes {
  /**
   * One module call seen in the node names.
   *
   * @param path the scope as written in node names, {@code /layer4/layer4.1/relu_1}
   * @param module the PyTorch module path ({@code model.get_submodule}), {@code layer4.1.relu}
   * @param call which call of the module this is: 0 for the first, N for the {@code _N} scope
   * @param name the module path naming this call: {@code module}, with {@code _N} on its last
   *     atom for a later call ({@code layer4.1.relu_1})
   * @param nodes nodes inside the scope (nested scopes included)
   * @param outputs the data tensors produced inside and consumed outside, in graph order
   */
  public record Scope(String path, String module, int call, String name, int nodes,
      List<String> outputs) {}

  /** How a layer name was understood. */
  public enum Kind { TENSOR, NODE, SCOPE_PATH, MODULE }

  /**
   * The tensor a layer name resolved to.
   *
   * @param tensor the ONNX tensor (a node output, or a graph input)
   * @param kind what the name matched
   * @param scope the scope whose output it is, for {@link Kind#SCOPE_PATH} and {@link
   *     Kind#MODULE}, else null
   */
  public record Layer(String tensor, Kind kind, Scope scope) {}

  private static final Pattern CALL = Pattern.compile("(.+)_(\\d+)");
  private static final Pattern NUMERIC_ATOMS = Pattern.compile("(\\.\\d+)+");

  private final Map<String, Scope> scopes; // by path, first appearance first
  private final Set<String> tensors = new HashSet<>();
  private final Set<String> weights = new HashSet<>();
  private final Map<String, List<String>> nodeOutputs = new HashMap<>();

  private OnnxScopes(OnnxMl.GraphProto graph) {
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      weights.add(t.getName());
    }
    Set<String> data = new HashSet<>();
    for (OnnxMl.ValueInfoProto in : graph.getInputList()) {
      if (!weights.contains(in.getName())) {
        tensors.add(in.getName());
        data.add(in.getName());
      }
    }
    List<OnnxMl.NodeProto> nodes = graph.getNodeList();
    Map<String, Integer> producer = new HashMap<>();
    List<List<String>> segments = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      OnnxMl.NodeProto node = nodes.get(i);
      segments.add(segments(node.getName()));
      nodeOutputs.put(node.getName(), node.getOutputList().stream().filter(o -> !o.isEmpty())
          .toList());
      // Nodes are topologically sorted (ONNX requires it), so one pass finds the data tensors.
      boolean isData = !node.getOpType().equals("Shape") && !node.getOpType().equals("Size")
          && consumed(node).stream().anyMatch(data::contains);
      for (String out : node.getOutputList()) {
        if (!out.isEmpty()) {
          tensors.add(out);
          producer.put(out, i);
          if (isData) {
            data.add(out);
          }
        }
      }
    }
    Map<String, Integer> nodeCount = new LinkedHashMap<>();
    for (List<String> segs : segments) {
      for (int d = 1; d <= segs.size(); d++) {
        nodeCount.merge(join(segs.subList(0, d)), 1, Integer::sum);
      }
    }
    // A tensor leaves every scope that holds its producer but not the consumer.
    Map<String, Set<String>> outputs = new HashMap<>();
    for (int c = 0; c < nodes.size(); c++) {
      for (String in : consumed(nodes.get(c))) {
        Integer p = producer.get(in);
        if (p != null && data.contains(in)) {
          addOutput(outputs, segments.get(p), commonPrefix(segments.get(p), segments.get(c)), in);
        }
      }
    }
    for (OnnxMl.ValueInfoProto out : graph.getOutputList()) {
      Integer p = producer.get(out.getName());
      if (p != null && data.contains(out.getName())) {
        addOutput(outputs, segments.get(p), 0, out.getName());
      }
    }
    this.scopes = buildScopes(nodeCount, outputs, producer);
  }

  /** The scopes of a graph's node names (none when the exporter wrote no scopes). */
  public static OnnxScopes of(OnnxMl.GraphProto graph) {
    return new OnnxScopes(graph);
  }

  /** Every module call seen in the node names, outermost first, in graph order. */
  public List<Scope> scopes() {
    return List.copyOf(scopes.values());
  }

  /**
   * The tensor a layer name means: an exact tensor name (a node output or graph input), an
   * exact node name (its output), a scope path as in node names ({@code /layer4/layer4.1}), or
   * a PyTorch module path ({@code layer4}, {@code features.29}, {@code features.denseblock4},
   * {@code layer4.1.relu_1} for a later call), in that order.
   *
   * @throws IllegalArgumentException naming near candidates when the name matches nothing, or
   *     when it means several tensors (a module with several outputs, or called several times)
   */
  public Layer resolve(String name) {
    if (tensors.contains(name)) {
      return new Layer(name, Kind.TENSOR, null);
    }
    if (weights.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' is a weight (an initializer), not a "
          + "layer" + near(name));
    }
    List<String> outs = nodeOutputs.get(name);
    if (outs != null) {
      if (outs.size() != 1) {
        throw new IllegalArgumentException("node '" + name + "' has " + outs.size()
            + " outputs; name one of them: " + String.join(", ", outs));
      }
      return new Layer(outs.get(0), Kind.NODE, null);
    }
    if (name.contains("/")) {
      Scope s = scopes.get(name.startsWith("/") ? stripTrailingSlash(name)
          : "/" + stripTrailingSlash(name));
      if (s != null) {
        return new Layer(single(s, "scope " + s.path()), Kind.SCOPE_PATH, s);
      }
    } else {
      List<Scope> calls = scopes.values().stream().filter(s -> s.module().equals(name)).toList();
      if (calls.size() > 1) {
        throw new IllegalArgumentException("module " + name + " is called " + calls.size()
            + " times, so its output is ambiguous; name one call: "
            + calls.stream().map(Scope::name).collect(Collectors.joining(", ")));
      }
      Scope s = calls.isEmpty()
          ? scopes.values().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null)
          : calls.get(0);
      if (s != null) {
        return new Layer(single(s, "module " + name), Kind.MODULE, s);
      }
    }
    throw new IllegalArgumentException("no module, node or tensor named '" + name + "'"
        + near(name));
  }

  private static String single(Scope s, String what) {
    if (s.outputs().size() == 1) {
      return s.outputs().get(0);
    }
    if (s.outputs().isEmpty()) {
      throw new IllegalArgumentException(what + " has no output used outside it");
    }
    throw new IllegalArgumentException(what + " has " + s.outputs().size()
        + " outputs used outside it, so it names no single layer; name one tensor: "
        + String.join(", ", s.outputs()));
  }

  /** "; near: ..." with up to 8 module names or tensors close to the given name. */
  private String near(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    Collection<String> pool = new LinkedHashSet<>();
    if (scopes.isEmpty()) {
      pool.addAll(nodeOutputs.keySet());
      pool.addAll(tensors);
    } else {
      scopes.values().forEach(s -> pool.add(s.name()));
    }
    int slack = Math.max(2, key.length() / 3);
    List<String> close = pool.stream()
        .map(c -> Map.entry(c, distance(key, c.toLowerCase(Locale.ROOT))))
        // close as a whole, or a one-edit typo of the candidate's beginning (layer2 ~ layer1.0)
        .filter(e -> e.getValue() <= slack || distance(key, e.getKey().toLowerCase(Locale.ROOT)
            .substring(0, Math.min(key.length(), e.getKey().length()))) <= 1)
        .sorted(Map.Entry.<String, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(8).map(Map.Entry::getKey).toList();
    if (close.isEmpty()) {
      // Nothing close: the top-level modules say what the model has.
      close = scopes.values().stream().filter(s -> s.path().lastIndexOf('/') == 0)
          .map(Scope::name).limit(12).toList();
      return close.isEmpty() ? "" : "; top-level modules: " + String.join(", ", close);
    }
    return "; near: " + String.join(", ", close);
  }

  private static int distance(String a, String b) {
    return org.gradcam.model.CloseNames.editDistance(a, b);
  }

  private static Map<String, Scope> buildScopes(Map<String, Integer> nodeCount,
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

  private static void addOutput(Map<String, Set<String>> outputs, List<String> producerSegs,
      int keep, String tensor) {
    for (int d = keep + 1; d <= producerSegs.size(); d++) {
      outputs.computeIfAbsent(join(producerSegs.subList(0, d)), k -> new LinkedHashSet<>())
          .add(tensor);
    }
  }

  /** The scope segments of a node name: all but the last of "/a/b/Op"; none without "/". */
  private static List<String> segments(String nodeName) {
    if (!nodeName.startsWith("/")) {
      return List.of();
    }
    String[] parts = nodeName.substring(1).split("/", -1);
    List<String> segs = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].isEmpty()) {
        return List.of(); // not torch's naming
      }
      segs.add(parts[i]);
    }
    return segs;
  }

  /** Inputs of a node, including names its subgraphs (If, Loop) read from the outer graph. */
  private static Set<String> consumed(OnnxMl.NodeProto node) {
    Set<String> names = new LinkedHashSet<>();
    for (String in : node.getInputList()) {
      if (!in.isEmpty()) {
        names.add(in);
      }
    }
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.hasG()) {
        subgraphInputs(a.getG(), names);
      }
      for (OnnxMl.GraphProto g : a.getGraphsList()) {
        subgraphInputs(g, names);
      }
    }
    return names;
  }

  private static void subgraphInputs(OnnxMl.GraphProto g, Set<String> names) {
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      names.addAll(consumed(n));
    }
  }

  private static int commonPrefix(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    int i = 0;
    while (i < n && a.get(i).equals(b.get(i))) {
      i++;
    }
    return i;
  }

  private static String join(List<String> segs) {
    return "/" + String.join("/", segs);
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
