// Hand-written gradients a loss uses: torch.autograd.Function subclasses, tf.custom_gradient
// functions, Caffe Python layers. Each evaluation records the ones it met (and, once the gradient is
// taken, where their backward returned), and can differentiate any of them automatically through
// its forward instead (the wrong-gradient check compares both).
import * as tf from '@tensorflow/tfjs';
import type { SourceRange } from './ast';
import type { HandGradientUse } from './trace';
import type { CallSite } from './callsite';
import { runtimeError, typeError } from './errors';
import type { Runtime } from './runtime';
import type { Scope } from './scope';
import { ORIGIN_PREDICTION, TensorValue, isFloatDtype } from './tensor';
import { BoundMethod, PyDict, PyFunction, PyInstance, PyList, PyTuple, type PyValue, typeName } from './values';

export type { HandGradientStyle, HandGradientUse } from './trace';

/** The key of a hand-written gradient defined at `range`. */
export const handGradientKey = (range: SourceRange | undefined, name: string): string =>
  range ? `${range.file ?? ''}:${range.line}:${range.column}` : name;

/** Records a use (once per key); returns the record the backward fills in. */
export function recordHandGradient(rt: Runtime, use: HandGradientUse): HandGradientUse {
  const known = rt.handGradients.get(use.key);
  if (known) return known;
  rt.handGradients.set(use.key, use);
  return use;
}

/** Where `fn`, just called, returned (undefined when it ended without a return statement). */
export function returnOf(rt: Runtime, fn: PyValue): SourceRange | undefined {
  const last = rt.lastReturn;
  return last && last.fn === unwrapped(fn) ? last.range : undefined;
}

/** A bound method's function: what the interpreter records as having returned. */
const unwrapped = (fn: PyValue): PyValue => (fn instanceof BoundMethod ? fn.func : fn);

/** Calls `run` with gradient tracking off (and, for a backward, without adding its ops to the trace). */
export function untracked<T>(site: CallSite, keepTrace: boolean, run: () => T): T {
  const [gradEnabled, traced] = [site.rt.gradEnabled, site.rt.trace.entries.length];
  site.rt.gradEnabled = false;
  try {
    return run();
  } finally {
    site.rt.gradEnabled = gradEnabled;
    if (!keepTrace) site.rt.trace.entries.length = traced;
  }
}

/**
 * The tensors a backward may read that the forward pass frees when it ends: reachable from `roots`
 * through containers, objects' attributes and closures (a grad_fn's captured intermediates).
 */
export function reachableTensors(roots: readonly PyValue[]): TensorValue[] {
  const found = new Set<TensorValue>();
  const seen = new Set<object>();
  const visit = (value: PyValue | undefined): void => {
    if (value === null || value === undefined || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof TensorValue) found.add(value);
    else if (value instanceof PyTuple || value instanceof PyList) value.items.forEach(visit);
    else if (value instanceof PyDict) value.values().forEach(visit);
    else if (value instanceof PyInstance) {
      value.attrs.forEach(visit);
      visit(value.native as PyValue);
    } else if (value instanceof BoundMethod) {
      visit(value.self);
      visit(value.func);
    } else if (value instanceof PyFunction) {
      for (let scope: Scope | undefined = value.closure; scope && scope.kind !== 'module'; scope = scope.parent)
        scope.vars.forEach(visit);
    }
  };
  roots.forEach(visit);
  return [...found];
}

type Kernel = Parameters<typeof tf.customGrad>[0];

/**
 * Connects `outputs` (computed untracked) to `inputs` by one op whose gradient is `backward`: given
 * the upstream gradient of each output (in its shape), the gradient of each input (in its shape).
 * `kept` are tensors the backward may read: saved with the op and read back from there when the
 * forward pass has freed them.
 */
export function connectBackward(
  site: CallSite,
  op: string,
  reason: string,
  inputs: TensorValue[],
  outputs: TensorValue[],
  kept: TensorValue[],
  backward: (upstream: tf.Tensor[]) => tf.Tensor[],
): TensorValue[] {
  // A layer object outlives an evaluation: what an earlier one left on it is freed already.
  kept = kept.filter((t) => !t.tensor.isDisposed);
  const kernel = tf.customGrad(((...xs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    (xs[xs.length - 1] as tf.GradSaveFunc)(kept.map((t) => t.tensor));
    return {
      value: tf.concat(outputs.map((p) => tf.reshape(tf.cast(p.tensor, 'float32'), [-1]))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // Only what the forward pass freed is read back: tensors that outlive the evaluation (a
        // module's constants) stay as they are, the saved copies are freed after the backward.
        kept.forEach((t, i) => {
          if (t.tensor.isDisposed) t.tensor = saved[i];
        });
        const pieces = tf.split(
          dy,
          outputs.map((p) => p.size),
        );
        return backward(pieces.map((piece, k) => tf.reshape(piece, outputs[k].shape)));
      },
    };
  }) as unknown as Kernel);
  const flavour = outputs[0].flavour;
  const combined = site.rt.apply(site, op, inputs, (ts) => kernel(...ts) as tf.Tensor, {
    kind: { category: 'other', reason },
    dtype: outputs[0].dtype,
    flavour,
  });
  let offset = 0;
  return outputs.map((p) => {
    const [from, size] = [offset, p.size];
    offset += size;
    const piece = (t: tf.Tensor) => tf.reshape(outputs.length === 1 ? t : tf.slice(t, [from], [size]), p.shape);
    return site.rt.apply(site, op, [combined], ([t]) => piece(t), {
      kind: outputs.length === 1 ? { category: 'reshape' } : { category: 'split', method: 'split', axis: 0 },
      dtype: p.dtype,
    });
  });
}

/**
 * A gradient a backward gave for one input, as TF.js needs it: float32, in the input's shape. None
 * (null) is no gradient: zeros, and the use records it when the prediction flows into that input.
 */
export function inputGradient(
  value: PyValue,
  input: TensorValue,
  index: number,
  use: HandGradientUse,
  invalid = (got: string, expected: string) =>
    `${use.name}'s backward returned an invalid gradient at index ${index} - got [${got}] ` +
    `but expected shape compatible with [${expected}]`,
): tf.Tensor {
  if (value === null && input.requiresGrad && input.origin & ORIGIN_PREDICTION) use.noGradient = true;
  // TF.js wants float32 gradients for every input (an integer input's is never used)
  if (value === null || !isFloatDtype(input.dtype)) return tf.zeros(input.shape);
  if (!(value instanceof TensorValue))
    throw typeError(`the backward of ${use.name} returned ${typeName(value)} for input ${index}`);
  const grad = value.tensor.dtype === 'float32' ? value.tensor : tf.cast(value.tensor, 'float32');
  if (grad.shape.join(',') === input.shape.join(',')) return grad;
  if (grad.size === input.size) return tf.reshape(grad, input.shape);
  throw runtimeError(invalid(grad.shape.join(', '), input.shape.join(', ')));
}
