package org.gradcam.classify;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime on an ONNX file: the independent oracle of the tests (another engine, another
 * file format, the same weights), fed the same NCHW input tensor as our model.
 */
public final class OrtLogits implements Classification.Logits, AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
  private final OrtSession session;
  private final String input;
  private final long[] shape;

  public OrtLogits(Path onnx, long... chw) throws OrtException {
    options.setIntraOpNumThreads(1); // the machine's cores are shared
    session = env.createSession(onnx.toString(), options);
    input = session.getInputNames().iterator().next();
    shape = chw;
  }

  @Override
  public float[] of(float[] batch, int n) {
    long[] s = {n, shape[0], shape[1], shape[2]};
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch), s);
        OrtSession.Result r = session.run(Map.of(input, t))) {
      float[][] out = (float[][]) r.get(0).getValue();
      float[] flat = new float[n * out[0].length];
      for (int i = 0; i < n; i++) {
        System.arraycopy(out[i], 0, flat, i * out[i].length, out[i].length);
      }
      return flat;
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
    options.close();
  }
}
