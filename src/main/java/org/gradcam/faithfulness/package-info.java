/**
 * Faithfulness metrics: does removing what the map calls important hurt the prediction
 * (deletion), and does revealing it restore the prediction (insertion)? The causal metrics of
 * RISE (Petsiuk, Das and Saenko 2018, "RISE: Randomized Input Sampling for Explanation of
 * Black-box Models", section 4.1; reference code {@code eclique/RISE evaluation.py}).
 * See {@link org.gradcam.faithfulness.CausalMetric}.
 */
package org.gradcam.faithfulness;
