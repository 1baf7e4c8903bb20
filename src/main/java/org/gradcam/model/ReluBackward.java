package org.gradcam.model;

/** How an explicit backward pass (see {@link Model#inputGradient}) passes a gradient through a ReLU. */
public enum ReluBackward {
  /**
   * Guided Backpropagation (Springenberg et al. 2015): only where both the ReLU's forward input
   * and the upstream gradient are positive, {@code dx = relu(dy) * [x > 0]}.
   */
  GUIDED,
  /**
   * The ReLU's true derivative, {@code dx = dy * [x > 0]}: the pass then equals automatic
   * differentiation, which is what checks the explicit backward of the other ops.
   */
  PLAIN
}
