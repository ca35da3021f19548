// Activations, one-hot encoding, the built-in cross-entropy losses users call inside their own,
// and einsum (not a wasm kernel, so it is composed from multiply + sum).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { InterpreterError, indexError, runtimeError, valueError } from '../errors';
import { type OpKind, binaryCrossEntropyKind, crossEntropyKind } from '../opKinds';
import { type Flavour, type LogicalDtype, TensorValue, isFloatDtype } from '../tensor';
import { broadcastShapes, castTensor, defaultFloat, defaultInt, promoteTypes } from './coercion';
import { normaliseAxis } from './reduce';
import { selectWhere } from './select';
import { oneHotAnyDepth } from './oneHotAnyDepth';

function floatInput(site: CallSite, x: TensorValue): TensorValue {
  return isFloatDtype(x.dtype) ? x : castTensor(site, x, defaultFloat(x.flavour));
}

const logSoftmaxAlong = (t: tf.Tensor, axis: number) => tf.sub(t, tf.logSumExp(t, axis, true));

export function softmax(site: CallSite, value: TensorValue, axis: number, opName = 'softmax'): TensorValue {
  const x = floatInput(site, value);
  const a = normaliseAxis(axis, x.rank);
  return site.rt.apply(site, opName, [x], ([t]) => tf.exp(logSoftmaxAlong(t, a)), {
    kind: { category: 'activation', fn: 'softmax', axis: a },
    dtype: x.dtype,
  });
}

export function logSoftmax(site: CallSite, value: TensorValue, axis: number, opName = 'log_softmax'): TensorValue {
  const x = floatInput(site, value);
  const a = normaliseAxis(axis, x.rank);
  return site.rt.apply(site, opName, [x], ([t]) => logSoftmaxAlong(t, a), {
    kind: { category: 'activation', fn: 'log_softmax', axis: a },
    dtype: x.dtype,
  });
}

/** torch's implicit softmax dim (deprecated in torch, still used): 0 for ranks 0, 1 and 3, else 1. */
export function implicitSoftmaxDim(rank: number): number {
  return rank === 0 || rank === 1 || rank === 3 ? 0 : 1;
}

export function oneHot(
  site: CallSite,
  indices: TensorValue,
  depth: number,
  dtype: LogicalDtype,
  opName = 'one_hot',
  onValue = 1,
  offValue = 0,
): TensorValue {
  if (isFloatDtype(indices.dtype) && indices.flavour === 'torch') {
    throw runtimeError('one_hot is only applicable to index tensor.');
  }
  if (depth < 0) {
    // torch: num_classes=-1 infers max + 1
    depth = Math.max(0, ...Array.from(indices.tensor.dataSync(), Number)) + 1;
  }
  site.rt.guard.checkTensorElements([...indices.shape, depth], opName);
  const idx = isFloatDtype(indices.dtype) ? castTensor(site, indices, 'int32') : indices;
  return site.rt.apply(
    site,
    opName,
    [idx],
    ([t]) => {
      const flat = oneHotAnyDepth(tf.cast(tf.reshape(t, [-1]), 'int32'), depth, onValue, offValue);
      return tf.reshape(flat, [...indices.shape, depth]);
    },
    { kind: { category: 'one_hot', depth, axis: indices.rank }, dtype, gradient: 'cut' },
  );
}

export type Reduction = 'mean' | 'sum' | 'none';

export function parseReduction(value: unknown): Reduction {
  if (value === 'mean' || value === 'sum' || value === 'none') return value;
  throw valueError(`${String(value)} is not a valid value for reduction`);
}

function applyReduction(t: tf.Tensor, reduction: Reduction): tf.Tensor {
  return reduction === 'mean' ? tf.mean(t) : reduction === 'sum' ? tf.sum(t) : t;
}

/** log(p) clamped at -100, as torch's binary_cross_entropy does. */
const clampedLog = (t: tf.Tensor) => tf.maximum(tf.log(t), tf.scalar(-100));

/** PyTorch's name of a dtype in its error messages (torch.int64 is Long). */
const TORCH_DTYPE_NAMES: Partial<Record<LogicalDtype, string>> = {
  float16: 'Half',
  float64: 'Double',
  int64: 'Long',
  int32: 'Int',
  int16: 'Short',
  int8: 'Char',
  uint8: 'Byte',
  bool: 'Bool',
};

/**
 * PyTorch's binary cross-entropies take float targets only: an integer or boolean mask raises, as
 * it does in torch (a pipeline that feeds integer masks must cast them first).
 */
function requireFloatTarget(target: TensorValue, withLogits: boolean): void {
  if (isFloatDtype(target.dtype)) return;
  const name = TORCH_DTYPE_NAMES[target.dtype] ?? target.dtype;
  if (!withLogits) throw runtimeError(`Found dtype ${name} but expected Float`);
  if (target.dtype === 'bool')
    throw runtimeError(
      'Subtraction, the `-` operator, with two bool tensors is not supported. ' +
        'Use the `^` or `logical_xor()` operator instead.',
    );
  throw runtimeError(`result type Float can't be cast to the desired output type ${name}`);
}

export function torchBinaryCrossEntropy(
  site: CallSite,
  input: TensorValue,
  target: TensorValue,
  weight: TensorValue | undefined,
  reduction: Reduction,
): TensorValue {
  if (input.shape.join(',') !== target.shape.join(',')) {
    throw valueError(
      `Using a target size ([${target.shape.join(', ')}]) that is different to the input size ` +
        `([${input.shape.join(', ')}]) is deprecated. Please ensure they have the same size.`,
    );
  }
  requireFloatTarget(target, false);
  const x = floatInput(site, input);
  const y = castTensor(site, target, x.dtype);
  const inputs = weight ? [x, y, castTensor(site, weight, x.dtype)] : [x, y];
  return site.rt.apply(
    site,
    'binary_cross_entropy',
    inputs,
    ([p, t, w]) => {
      let loss = tf.neg(tf.add(tf.mul(t, clampedLog(p)), tf.mul(tf.sub(1, t), clampedLog(tf.sub(1, p)))));
      if (w) loss = tf.mul(loss, w);
      return applyReduction(loss, reduction);
    },
    { kind: binaryCrossEntropyKind('probabilities'), dtype: x.dtype, roles: ['prediction', 'target', 'weight'] },
  );
}

export function torchBinaryCrossEntropyWithLogits(
  site: CallSite,
  input: TensorValue,
  target: TensorValue,
  weight: TensorValue | undefined,
  posWeight: TensorValue | undefined,
  reduction: Reduction,
): TensorValue {
  if (input.shape.join(',') !== target.shape.join(',')) {
    throw valueError(
      `Target size ([${target.shape.join(', ')}]) must be the same as input size ([${input.shape.join(', ')}])`,
    );
  }
  requireFloatTarget(target, true);
  const x = floatInput(site, input);
  const y = castTensor(site, target, x.dtype);
  const inputs = [
    x,
    y,
    ...(weight ? [castTensor(site, weight, x.dtype)] : []),
    ...(posWeight ? [castTensor(site, posWeight, x.dtype)] : []),
  ];
  return site.rt.apply(
    site,
    'binary_cross_entropy_with_logits',
    inputs,
    ([z, t, ...rest]) => {
      const w = weight ? rest[0] : undefined;
      const pw = posWeight ? rest[weight ? 1 : 0] : undefined;
      const logSigmoidNeg = tf.add(tf.softplus(tf.neg(tf.abs(z))), tf.relu(tf.neg(z))); // -log(sigmoid(z)), stable
      let loss: tf.Tensor;
      if (pw) loss = tf.add(tf.mul(tf.sub(1, t), z), tf.mul(tf.add(1, tf.mul(tf.sub(pw, 1), t)), logSigmoidNeg));
      else loss = tf.add(tf.mul(tf.sub(1, t), z), logSigmoidNeg);
      if (w) loss = tf.mul(loss, w);
      return applyReduction(loss, reduction);
    },
    { kind: binaryCrossEntropyKind('logits'), dtype: x.dtype, roles: ['prediction', 'target', 'weight', 'weight'] },
  );
}

/**
 * torch F.nll_loss / F.cross_entropy: class axis 1, integer targets (N, d1...) or (for cross_entropy)
 * class probabilities of the input's shape. Weighted mean divides by the summed target weights.
 */
export function torchClassificationLoss(
  site: CallSite,
  kind: 'cross_entropy' | 'nll_loss',
  input: TensorValue,
  target: TensorValue,
  weight: TensorValue | undefined,
  ignoreIndex: number,
  reduction: Reduction,
  labelSmoothing = 0,
): TensorValue {
  const x = floatInput(site, input);
  if (x.rank < 1) throw valueError(`${kind}: input must have a class dimension`);
  const classAxis = x.rank === 1 ? 0 : 1;
  const classes = x.shape[classAxis];
  const probabilities = isFloatDtype(target.dtype);
  if (probabilities) {
    if (kind === 'nll_loss') throw runtimeError('expected scalar type Long but found Float');
    if (target.shape.join(',') !== x.shape.join(','))
      throw valueError(
        `cross_entropy: float targets must have the input's shape [${x.shape.join(', ')}], ` +
          `got [${target.shape.join(', ')}]`,
      );
  } else {
    const expected = x.rank === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
    if (target.shape.join(',') !== expected.join(',')) {
      throw runtimeError(
        `${kind}: expected target of shape [${expected.join(', ')}] for input of shape ` +
          `[${x.shape.join(', ')}], got [${target.shape.join(', ')}]`,
      );
    }
    const values = target.tensor.dataSync();
    for (const v of values) {
      if (v !== ignoreIndex && (v < 0 || v >= classes)) throw indexError(`Target ${v} is out of bounds.`);
    }
  }
  const w = weight ? castTensor(site, weight, x.dtype) : undefined;
  const targetValue = probabilities ? castTensor(site, target, x.dtype) : target;
  const inputs = w ? [x, targetValue, w] : [x, targetValue];
  const opKind: OpKind = {
    category: 'loss',
    loss: kind === 'cross_entropy' ? 'cross_entropy' : 'nll',
    input: kind === 'cross_entropy' ? 'logits' : 'log_probabilities',
    activation: 'softmax',
    axis: classAxis,
    labels: probabilities ? 'distribution' : 'indices',
  };
  return site.rt.apply(
    site,
    kind,
    inputs,
    ([z, t, wt]) => {
      const logp = kind === 'cross_entropy' ? logSoftmaxAlong(z, classAxis) : z;
      // Move the class axis last so one-hot targets line up.
      const perm = logp.shape
        .map((_, i) => i)
        .filter((i) => i !== classAxis)
        .concat([classAxis]);
      const logpLast = tf.transpose(logp, perm);
      const classWeights = wt ?? tf.ones([classes]);
      if (probabilities) {
        let probs = tf.transpose(t, perm);
        if (labelSmoothing > 0) probs = tf.add(tf.mul(probs, 1 - labelSmoothing), labelSmoothing / classes);
        const perElement = tf.neg(tf.sum(tf.mul(tf.mul(probs, logpLast), classWeights), -1));
        return applyReduction(perElement, reduction);
      }
      const valid = tf.notEqual(t, ignoreIndex);
      const safeTarget = tf.where(valid, tf.cast(t, 'int32'), tf.zerosLike(tf.cast(t, 'int32')));
      const hot = oneHotAnyDepth(safeTarget, classes);
      const validF = tf.cast(valid, 'float32');
      const sampleWeight = tf.mul(tf.sum(tf.mul(hot, classWeights), -1), validF);
      // the target class's entry only: an -inf at another class (nll_loss of log(0)) stays out, as in torch
      const nll = tf.neg(tf.sum(selectWhere(tf.cast(hot, 'bool'), logpLast, tf.zerosLike(logpLast)), -1));
      if (labelSmoothing > 0 && kind === 'cross_entropy') {
        // torch: (1 - ε)·nll + ε·(-Σ_c w_c log p_c)/C, both over the summed target weights for 'mean'
        const smooth = tf.div(tf.mul(tf.neg(tf.sum(tf.mul(logpLast, classWeights), -1)), validF), classes);
        const total = tf.add(tf.mul(tf.mul(nll, sampleWeight), 1 - labelSmoothing), tf.mul(smooth, labelSmoothing));
        return reduction === 'mean' ? tf.div(tf.sum(total), tf.sum(sampleWeight)) : applyReduction(total, reduction);
      }
      const weighted = tf.mul(nll, sampleWeight);
      if (reduction === 'mean') return tf.div(tf.sum(weighted), tf.sum(sampleWeight));
      return applyReduction(weighted, reduction);
    },
    { kind: opKind, dtype: x.dtype, roles: ['prediction', 'target', 'weight'] },
  );
}

export const KERAS_EPSILON = 1e-7;

/**
 * keras.backend.categorical_crossentropy(target, output, axis=axis) on probabilities with the
 * default epsilon (from_logits=True is TF's softmax_cross_entropy_with_logits).
 */
export function kerasCategoricalCrossentropy(
  site: CallSite,
  target: TensorValue,
  output: TensorValue,
  axis: number,
): TensorValue {
  const x = floatInput(site, output);
  const y = castTensor(site, target, x.dtype);
  broadcastShapes(x.shape, y.shape);
  const a = normaliseAxis(axis, x.rank);
  return site.rt.apply(
    site,
    'categorical_crossentropy',
    [y, x],
    ([t, o]) => {
      const scaled = tf.div(o, tf.sum(o, a, true));
      const clipped = tf.clipByValue(scaled, KERAS_EPSILON, 1 - KERAS_EPSILON);
      return tf.neg(tf.sum(tf.mul(t, tf.log(clipped)), a));
    },
    {
      kind: crossEntropyKind('probabilities', a, 'distribution'),
      dtype: x.dtype,
      broadcast: x.shape.join(',') !== y.shape.join(','),
      roles: ['target', 'prediction'],
    },
  );
}

/**
 * keras.backend.binary_crossentropy(target, output), elementwise, on probabilities with the default
 * epsilon (from_logits=True is TF's sigmoid_cross_entropy_with_logits).
 */
export function kerasBinaryCrossentropy(site: CallSite, target: TensorValue, output: TensorValue): TensorValue {
  const x = floatInput(site, output);
  const y = castTensor(site, target, x.dtype);
  const shape = broadcastShapes(x.shape, y.shape);
  return site.rt.apply(
    site,
    'binary_crossentropy',
    [y, x],
    ([t, o]) => {
      const clipped = tf.clipByValue(o, KERAS_EPSILON, 1 - KERAS_EPSILON);
      const positive = tf.mul(t, tf.log(tf.add(clipped, KERAS_EPSILON)));
      const negative = tf.mul(tf.sub(1, t), tf.log(tf.add(tf.sub(1, clipped), KERAS_EPSILON)));
      return tf.neg(tf.add(positive, negative));
    },
    {
      kind: binaryCrossEntropyKind('probabilities'),
      dtype: x.dtype,
      broadcast: shape.join(',') !== x.shape.join(',') || shape.join(',') !== y.shape.join(','),
      roles: ['target', 'prediction'],
    },
  );
}

/** torch's scalar type names, as its dtype errors spell them. */
export const TORCH_SCALAR_NAMES: Record<LogicalDtype, string> = {
  float16: 'Half',
  float32: 'Float',
  float64: 'Double',
  uint8: 'Byte',
  int8: 'Char',
  int16: 'Short',
  int32: 'Int',
  int64: 'Long',
  bool: 'Bool',
};

/**
 * einsum for the contraction patterns loss code uses ('bchw,bchw->bc', 'bc,c->b', 'ij,jk->ik'...),
 * composed from transpose + broadcast multiply + sum, all differentiable on every backend.
 */
export function einsum(site: CallSite, equation: string, operands: TensorValue[], flavour: Flavour): TensorValue {
  const eq = equation.replace(/\s+/g, '');
  if (eq.includes('...')) throw new InterpreterError('unsupported', 'unsupported: einsum with ellipsis');
  const [lhs, explicitOut] = eq.split('->');
  const inputs = lhs.split(',');
  if (inputs.length !== operands.length)
    throw valueError(`einsum(): ${inputs.length} subscripts for ${operands.length} operands`);
  const counts = new Map<string, number>();
  for (const spec of inputs) for (const c of spec) counts.set(c, (counts.get(c) ?? 0) + 1);
  const output =
    explicitOut ??
    [...counts.keys()]
      .filter((c) => counts.get(c) === 1)
      .sort()
      .join('');
  const letters = [...new Set([...inputs.join('')])];
  const sizes = new Map<string, number>();
  inputs.forEach((spec, k) => {
    if (spec.length !== operands[k].rank)
      throw valueError(
        `einsum(): the number of subscripts in '${spec}' does not match operand ${k} of rank ${operands[k].rank}`,
      );
    if (new Set(spec).size !== spec.length)
      throw new InterpreterError(
        'unsupported',
        'unsupported: einsum with a repeated subscript in one operand (diagonals)',
      );
    [...spec].forEach((c, i) => {
      const d = operands[k].shape[i];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== d && prev !== 1 && d !== 1)
        throw valueError(`einsum(): operands do not broadcast for subscript ${c} (${prev} vs ${d})`);
      sizes.set(c, Math.max(prev ?? 1, d));
    });
  });
  site.rt.guard.checkTensorElements(
    letters.map((c) => sizes.get(c)!),
    'einsum',
  );
  const dtype = operands.map((o) => o.dtype).reduce((a, b) => promoteTypes(a, b, flavour));
  const summed = letters.filter((c) => !output.includes(c) && inputs.filter((spec) => spec.includes(c)).length > 1);
  if (flavour === 'torch' && summed.length && new Set(operands.map((o) => o.dtype)).size > 1) {
    // torch contracts a summed subscript with bmm, which wants one dtype (its mul path promotes)
    const left = operands
      .slice(0, -1)
      .map((o) => o.dtype)
      .reduce((a, b) => promoteTypes(a, b, flavour));
    const right = operands[operands.length - 1].dtype;
    throw runtimeError(`expected scalar type ${TORCH_SCALAR_NAMES[left]} but found ${TORCH_SCALAR_NAMES[right]}`);
  }
  const cast = operands.map((o) => castTensor(site, o, isFloatDtype(dtype) ? dtype : defaultInt(flavour)));
  return site.rt.apply(
    site,
    'einsum',
    cast,
    (ts) => {
      let product: tf.Tensor | undefined;
      ts.forEach((t, k) => {
        const spec = inputs[k];
        const order = letters.filter((c) => spec.includes(c));
        const perm = order.map((c) => spec.indexOf(c));
        const aligned = tf.reshape(
          tf.transpose(t, perm),
          letters.map((c) => (spec.includes(c) ? t.shape[spec.indexOf(c)] : 1)),
        );
        product = product ? tf.mul(product, aligned) : aligned;
      });
      const summed = letters.map((c, i) => (output.includes(c) ? -1 : i)).filter((i) => i >= 0);
      let result = summed.length ? tf.sum(product!, summed) : product!;
      const remaining = letters.filter((c) => output.includes(c));
      result = tf.transpose(
        result,
        [...output].map((c) => remaining.indexOf(c)),
      );
      return result;
    },
    { kind: { category: 'contraction', method: 'einsum', equation: eq }, dtype: cast[0].dtype },
  );
}
