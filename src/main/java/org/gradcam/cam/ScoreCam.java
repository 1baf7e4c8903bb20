package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;
import org.gradcam.image.HeatmapUpsampler;

/**
 * Score-CAM (Wang et al. 2020), gradient-free, as the authors' reference code: each activation
 * channel {@code A_k}, upsampled to the input size and min-max normalised to {@code H_k} in
 * [0, 1], masks the input ({@code X * H_k}, all three colour channels alike); the target's
 * softmax probability on the masked input is the channel weight {@code w_k}, and the map is
 * {@code relu(sum_k w_k A_k)}. Channels whose upsampled map is constant get weight 0 and cost no
 * forward pass. Masked inputs are scored {@code batchSize} at a time, rounded up to a multiple
 * of the model's graph batch (a smaller call would pay for a whole padded run anyway).
 *
 * <p>pytorch-grad-cam's {@code ScoreCAM} differs: it scores the masked inputs by the raw target
 * logit and then takes a softmax over the channels; and it upsamples with {@code
 * align_corners=True}. Here the upsampling is {@link HeatmapUpsampler} (half-pixel centres, as
 * the reference code's {@code F.interpolate(mode='bilinear')}).
 */
@AutoService(MapMethod.class)
@Priority(80)
public final class ScoreCam implements PerturbationCam {
  private final int batchSize;

  public ScoreCam() {
    this(32);
  }

  public ScoreCam(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("Score-CAM batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return "scorecam";
  }

  @Override
  public float[] map(FeatureMaps activations, Input input) {
    return ChannelWeightedCam.weightedSum(activations, channelWeights(activations, input));
  }

  /** The weight of each channel: the target's score on the input masked by that channel. */
  public float[] channelWeights(FeatureMaps activations, Input input) {
    int h = activations.height();
    int w = activations.width();
    int channels = activations.channels();
    int len = input.values().length;
    float[] weights = new float[channels];
    int g = input.graphBatch();
    int batchSize = (this.batchSize + g - 1) / g * g;
    float[] batch = new float[batchSize * len];
    int[] batchChannels = new int[batchSize];
    int filled = 0;
    float[] plane = new float[h * w];
    for (int k = 0; k < channels; k++) {
      for (int p = 0; p < h * w; p++) {
        plane[p] = activations.values()[p * channels + k];
      }
      float[] mask = HeatmapUpsampler.upsample(plane, h, w, input.height(), input.width());
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (float v : mask) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      if (!(max > min)) {
        continue; // constant channel: no information, weight 0
      }
      float range = max - min;
      int offset = filled * len;
      for (int p = 0; p < mask.length; p++) {
        float m = (mask[p] - min) / range;
        for (int c = 0; c < input.channels(); c++) {
          int i = input.index(p, c);
          batch[offset + i] = input.values()[i] * m;
        }
      }
      batchChannels[filled++] = k;
      if (filled == batchSize) {
        score(input, batch, batchChannels, filled, weights);
        filled = 0;
      }
    }
    if (filled > 0) {
      score(input, java.util.Arrays.copyOf(batch, filled * len), batchChannels, filled, weights);
    }
    return weights;
  }

  private static void score(Input input, float[] batch, int[] channels, int m, float[] weights) {
    float[] scores = input.scorer().score(batch, m);
    for (int i = 0; i < m; i++) {
      weights[channels[i]] = scores[i];
    }
  }
}
