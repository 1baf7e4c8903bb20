package org.gradcam.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDictConstructor;

/**
 * Loads Python pickles holding numpy arrays with Pyrolite. Two things Pyrolite lacks are added:
 * <ul>
 *   <li>numpy arrays: protocol 2-4 pickles them as {@code numpy.core.multiarray._reconstruct}
 *       followed by {@code ndarray.__setstate__}, protocol 5 (the published pickles) as
 *       {@code numpy.core.numeric._frombuffer(bytearray, dtype, shape, order)}; both become
 *       {@link NdArray};</li>
 *   <li>dict order: Pyrolite builds dicts as {@code HashMap}, but the order of the published
 *       detection dict is the order in which tied scores were ranked, so dicts are read as
 *       {@link LinkedHashMap} in pickle order.</li>
 * </ul>
 * Supported dtypes: int32, int64, float32, float64, little-endian, C order.
 */
public final class NumpyPickle {
  static {
    for (String core : List.of("numpy.core", "numpy._core")) {
      Unpickler.registerConstructor(core + ".multiarray", "_reconstruct", args -> new ArrayState());
      Unpickler.registerConstructor(core + ".numeric", "_frombuffer", NumpyPickle::fromBuffer);
    }
    Unpickler.registerConstructor("numpy", "dtype", DType::construct);
  }

  private NumpyPickle() {}

  /** Reads a pickle file; numpy arrays come back as {@link NdArray}, dicts as ordered maps. */
  public static Object load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No such pickle file: " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return finish(new OrderedUnpickler().load(in), file);
    } catch (RefusedPickleException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    } catch (PickleException | ClassCastException | IllegalArgumentException
        | IllegalStateException | IndexOutOfBoundsException e) {
      throw new IOException("Malformed pickle " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      // Pyrolite reports a truncated stream or an unknown opcode as a bare IOException.
      throw new IOException("Malformed pickle " + file + ": " + e.getMessage(), e);
    }
  }

  /** Replaces the intermediate array builders (left by the {@code _reconstruct} path) by arrays. */
  private static Object finish(Object value, Path file) {
    if (value instanceof ArrayState state) {
      return state.toArray(file.toString());
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, finish(v, file)));
      return out;
    }
    return value;
  }

  private static NdArray fromBuffer(Object[] args) {
    if (args.length != 4 || !(args[0] instanceof byte[] data) || !(args[1] instanceof DType dtype)
        || !(args[2] instanceof Object[] shape)) {
      throw new PickleException("unexpected arguments to numpy _frombuffer");
    }
    if (!"C".equals(args[3])) {
      throw new PickleException("only C-ordered arrays are supported, got order " + args[3]);
    }
    return dtype.decode(data, toShape(shape));
  }

  private static int[] toShape(Object[] shape) {
    int[] dims = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = ((Number) shape[i]).intValue();
    }
    return dims;
  }

  /**
   * The only Python globals a pickle may name: numpy's array and dtype builders and the builtins
   * numpy pickles use for raw bytes. Pyrolite turns any other global into a harmless dict, but a
   * pickle naming {@code os.system} is an attack, not data, and is refused as one.
   */
  private static final Set<String> ALLOWED_GLOBALS = Set.of(
      "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
      "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
      "numpy.dtype", "numpy.ndarray", "builtins.bytearray", "__builtin__.bytearray",
      "_codecs.encode");

  /** A pickle that names a global outside {@link #ALLOWED_GLOBALS}. */
  static final class RefusedPickleException extends PickleException {
    RefusedPickleException(String global) {
      super("refused: the pickle tries to construct " + global
          + " (only numpy arrays, dicts, lists, strings and numbers are read)");
    }
  }

  private static void requireAllowed(String module, String name) {
    String global = module + "." + name;
    if (!ALLOWED_GLOBALS.contains(global)) {
      throw new RefusedPickleException(global);
    }
  }

  /** Pyrolite's unpickler with insertion-ordered dicts and only {@link #ALLOWED_GLOBALS}. */
  private static final class OrderedUnpickler extends Unpickler {
    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
      switch (key) {
        case Opcodes.GLOBAL -> {
          // Protocols 0-3: "module\nname\n" inline; read here so it is checked first.
          String module = PickleUtils.readline(input);
          String name = PickleUtils.readline(input);
          requireAllowed(module, name);
          stack.add(objectConstructors.get(module + "." + name) != null
              ? objectConstructors.get(module + "." + name)
              : new ClassDictConstructor(module, name));
        }
        case Opcodes.STACK_GLOBAL -> {
          // Protocol 4+: module and name are the two strings on top of the stack.
          Object name = stack.pop();
          Object module = stack.peek();
          stack.add(name);
          requireAllowed(String.valueOf(module), String.valueOf(name));
          return super.dispatch(key);
        }
        case Opcodes.INST -> {
          String module = PickleUtils.readline(input);
          String name = PickleUtils.readline(input);
          throw new RefusedPickleException(module + "." + name);
        }
        case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
        case Opcodes.DICT -> {
          List<Object> items = stack.pop_all_since_marker();
          Map<Object, Object> map = new LinkedHashMap<>();
          putPairs(map, items);
          stack.add(map);
        }
        case Opcodes.SETITEMS -> {
          List<Object> items = stack.pop_all_since_marker();
          putPairs(asMap(stack.peek()), items);
        }
        case Opcodes.SETITEM -> {
          Object value = stack.pop();
          Object k = stack.pop();
          asMap(stack.peek()).put(k, value);
        }
        default -> {
          return super.dispatch(key);
        }
      }
      return NO_RETURN_VALUE;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
      if (!(o instanceof Map)) {
        throw new PickleException("SETITEM(S) on a " + o.getClass().getSimpleName() + ", not a dict");
      }
      return (Map<Object, Object>) o;
    }

    private static void putPairs(Map<Object, Object> map, List<Object> items) {
      if (items.size() % 2 != 0) {
        throw new PickleException("odd number of dict items");
      }
      for (int i = 0; i < items.size(); i += 2) {
        map.put(items.get(i), items.get(i + 1));
      }
    }
  }

  /** A numpy dtype, built by {@code numpy.dtype('f8', False, True)} then {@code __setstate__}. */
  public static final class DType {
    private final char kind;
    private final int size;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private DType(char kind, int size) {
      this.kind = kind;
      this.size = size;
    }

    static DType construct(Object[] args) {
      String code = args.length > 0 ? String.valueOf(args[0]) : "";
      if (!code.matches("[if][48]")) {
        throw new PickleException("unsupported numpy dtype '" + code
            + "' (supported: int32, int64, float32, float64)");
      }
      return new DType(code.charAt(0), code.charAt(1) - '0');
    }

    /** State tuple {@code (version, byteorder, ...)}; Pyrolite calls it for the BUILD opcode. */
    public void __setstate__(Object[] state) {
      String byteOrder = state.length > 1 ? String.valueOf(state[1]) : "<";
      switch (byteOrder) {
        case "<", "|", "=" -> order = ByteOrder.LITTLE_ENDIAN;
        case ">" -> throw new PickleException("big-endian numpy arrays are not supported");
        default -> throw new PickleException("unknown numpy byte order '" + byteOrder + "'");
      }
    }

    NdArray decode(byte[] data, int[] shape) {
      long count = 1;
      for (int d : shape) {
        count *= d;
      }
      if (count * size != data.length) {
        throw new PickleException("numpy array of shape " + java.util.Arrays.toString(shape)
            + " and dtype " + kind + size + " needs " + count * size + " bytes, got " + data.length);
      }
      ByteBuffer buf = ByteBuffer.wrap(data).order(order);
      double[] values = new double[(int) count];
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (kind + "" + size) {
          case "i4" -> buf.getInt();
          case "i8" -> buf.getLong();
          case "f4" -> buf.getFloat();
          default -> buf.getDouble();
        };
      }
      return new NdArray(shape, values);
    }
  }

  /**
   * What {@code _reconstruct(ndarray, (0,), b'b')} returns; {@code __setstate__} then gives
   * {@code (version, shape, dtype, is_fortran, raw bytes)}.
   */
  public static final class ArrayState {
    private NdArray array;
    private String problem = "ndarray without __setstate__";

    public void __setstate__(Object[] state) {
      try {
        if (state.length != 5 || !(state[1] instanceof Object[] shape)
            || !(state[2] instanceof DType dtype)) {
          throw new PickleException("unexpected ndarray state");
        }
        if (Boolean.TRUE.equals(state[3])) {
          throw new PickleException("Fortran-ordered arrays are not supported");
        }
        if (!(state[4] instanceof byte[] raw)) {
          throw new PickleException("ndarray data is not raw bytes (object arrays are not supported)");
        }
        array = dtype.decode(raw, toShape(shape));
      } catch (PickleException e) {
        problem = e.getMessage();
      }
    }

    NdArray toArray(String file) {
      if (array == null) {
        throw new IllegalStateException(problem);
      }
      return array;
    }
  }
}
