import * as tf from '@tensorflow/tfjs';

/** Which framework's semantics a tensor follows for its methods and attributes. */
export type Flavour = 'torch' | 'tf' | 'numpy' | 'theano';

/** The framework-level dtype; TF.js stores each as float32, int32 or bool. */
export type LogicalDtype = 'float16' | 'float32' | 'float64' | 'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'bool';

export const ORIGIN_PREDICTION = 1;
export const ORIGIN_TARGET = 2;

export function storageDtype(dtype: LogicalDtype): 'float32' | 'int32' | 'bool' {
  if (dtype === 'bool') return 'bool';
  return isFloatDtype(dtype) ? 'float32' : 'int32';
}

export const isFloatDtype = (dtype: LogicalDtype) => dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
export const isIntDtype = (dtype: LogicalDtype) => !isFloatDtype(dtype) && dtype !== 'bool';

export class TensorValue {
  // Mutable only so in-place Python operations (x[mask] = 0, x.clamp_(...)) can rebind the value.
  constructor(
    public tensor: tf.Tensor,
    public dtype: LogicalDtype,
    readonly flavour: Flavour,
    public origin: number,
    /** The framework's requires_grad: computed from the prediction through differentiable ops. */
    public requiresGrad: boolean,
    /** Index of the trace entry that produced this tensor (-1 for inputs and constants). */
    public producer: number = -1,
  ) {}

  /** In-place update: this object now holds `other`'s result (other's flavour must match). */
  assignFrom(other: TensorValue): void {
    this.tensor = other.tensor;
    this.dtype = other.dtype;
    this.origin = other.origin;
    this.requiresGrad = other.requiresGrad;
    this.producer = other.producer;
  }

  get shape(): number[] {
    return this.tensor.shape;
  }

  get rank(): number {
    return this.tensor.rank;
  }

  get size(): number {
    return this.tensor.size;
  }
}
