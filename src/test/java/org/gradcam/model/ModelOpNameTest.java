package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Layer names inside TF op names (the gradient ops Model adds per layer). */
class ModelOpNameTest {
  @Test
  void kerasNamesStayAndOnnxTensorNamesBecomeValidDistinctOpNames() {
    assertThat(Model.opNamePart("block5_conv3")).isEqualTo("block5_conv3");
    String a = Model.opNamePart("/layer4/layer4.1/relu_1/Relu_output_0");
    String b = Model.opNamePart("_layer4_layer4.1_relu_1_Relu_output_0");
    assertThat(("gradcam_" + a)).matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");
    assertThat(a).isNotEqualTo(b);
  }
}
