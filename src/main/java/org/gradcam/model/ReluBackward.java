package org.gradcam.model;

/** How an explicit backward pass (see {@link Model#inputGradient}) passes a gradient through a ReLU. */
public enum ReluBackward {
  /**
   * Guided Backpropagation (Springenberg et al. 2015): only where both the ReLU's forward input
   * and the upstream gradient are positive, {@code dx = relu(dy) * [x > 0]}. ReLU6 (MobileNet
   * V2's rectifier) gets the same rule on its own derivative, {@code relu(dy) * [0 < x < 6]};
   * pytorch-grad-cam and Captum replace only {@code nn.ReLU} modules, which would leave MobileNet
   * V2's backward pass plain.
   */
  GUIDED,
  /**
   * The ReLU's true derivative, {@code dx = dy * [x > 0]}: the pass then equals automatic
   * differentiation, which is what checks the explicit backward of the other ops.
   */
  PLAIN
}
