// Adam with its state kept per variable. TF.js's AdamOptimizer stores its moments by the position
// of a variable in each applyGradients call, not by name: when the set of variables changes from
// one step to the next (free logits update one batch's variable per step; a variable may get no
// gradient), it mixes the moments of different variables. One optimiser per variable keeps each
// variable's moments and bias correction its own.
import * as tf from '@tensorflow/tfjs';

export class PerVariableAdam {
  private readonly optimizers = new Map<string, tf.AdamOptimizer>();

  /** `epsilon` undefined: TF.js's default (the backend's, 1e-7 for float32, as Keras). */
  constructor(
    private readonly learningRate: number,
    private readonly epsilon?: number,
  ) {}

  /** Applies the gradients present in `gradients` (keyed by variable name); others are left untouched. */
  apply(gradients: tf.NamedTensorMap): void {
    for (const [name, gradient] of Object.entries(gradients)) {
      let optimizer = this.optimizers.get(name);
      if (!optimizer)
        this.optimizers.set(name, (optimizer = tf.train.adam(this.learningRate, 0.9, 0.999, this.epsilon)));
      optimizer.applyGradients({ [name]: gradient } as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
    }
  }

  dispose(): void {
    for (const optimizer of this.optimizers.values()) optimizer.dispose();
    this.optimizers.clear();
  }
}
