package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.gradcam.TestData;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.junit.jupiter.api.Test;

/**
 * The real Keras VGG16 ImageNet weights, when they have been fetched ({@code gradcam fetch
 * vgg16}); skipped otherwise, since they cannot be downloaded everywhere.
 */
class Vgg16ImageNetTest {

  @Test
  void classifiesADogAndExplainsBlock5Conv3() throws Exception {
    Assets assets = Assets.defaults();
    assumeTrue(assets.isLocal("vgg16"),
        "VGG16 ImageNet weights not fetched: run `./gradcam fetch vgg16` on a connected machine");
    try (Model vgg = Models.load("vgg16", assets)) {
      float[] x = vgg.spec().input(
          Images.read(TestData.path("voc2007-test/JPEGImages/001150.jpg")),
          Interpolation.NEAREST);
      List<ImageNetLabels.Prediction> top = ImageNetLabels.decodePredictions(vgg.logits(x, 1), 5);
      assertThat(ImageNetLabels.isDog(top.get(0).index())).as(top.toString()).isTrue();
      Heatmap map = new Explainer(vgg, "block5_conv3", new GradCam())
          .explain(x, 1, Target.top1()).get(0).heatmap();
      assertThat(map.height()).isEqualTo(14);
      assertThat(map.max()).isGreaterThan(0f);
    }
  }
}
