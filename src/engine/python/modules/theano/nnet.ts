// theano.tensor.nnet: sigmoid, softplus, hard_sigmoid, relu, elu, the 2-D row-wise softmax and
// logsoftmax, and the cross-entropies (prediction first: categorical_crossentropy(coding_dist,
// true_dist)).
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { typeError, valueError } from '../../errors';
import { activationKind, binaryCrossEntropyKind, crossEntropyKind } from '../../opKinds';
import { castTensor, promoteTypes } from '../../ops/coercion';
import { unaryOp } from '../../ops/elementwise';
import { logSoftmax, softmax } from '../../ops/nn';
import { detach } from '../../runtime';
import { TensorValue, isFloatDtype } from '../../tensor';
import type { PyValue } from '../../values';
import { type Bound, def, floatArg } from '../common';
import { FLAVOUR, TT, broadcastShape, floatInput } from './arguments';
import { nnetFunctions } from './tables';
import { oneHotAnyDepth } from '../../ops/oneHotAnyDepth';

function nnet(name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue): void {
  nnetFunctions.set(name, def(name, spec, impl));
}

nnet('sigmoid', ['x'], (a, site) =>
  unaryOp(site, 'sigmoid', activationKind('sigmoid'), floatInput(site, TT(site, a.x)), FLAVOUR, tf.sigmoid),
);
nnet('softplus', ['x'], (a, site) =>
  unaryOp(site, 'softplus', activationKind('softplus'), floatInput(site, TT(site, a.x)), FLAVOUR, tf.softplus),
);
nnet('hard_sigmoid', ['x'], (a, site) =>
  unaryOp(site, 'hard_sigmoid', activationKind('hard_sigmoid'), floatInput(site, TT(site, a.x)), FLAVOUR, (t) =>
    tf.clipByValue(tf.add(tf.mul(t, 0.2), 0.5), 0, 1),
  ),
);
nnet('relu', ['x', 'alpha=0'], (a, site) => {
  const alpha = floatArg(a.alpha);
  // theano.tensor.nnet.relu's own formula (its gradient at 0 is (1 + alpha) / 2 there)
  const relu = (t: tf.Tensor) =>
    alpha === 0
      ? tf.mul(tf.add(t, tf.abs(t)), 0.5)
      : tf.add(tf.mul(t, 0.5 * (1 + alpha)), tf.mul(tf.abs(t), 0.5 * (1 - alpha)));
  return unaryOp(site, 'relu', activationKind('relu'), TT(site, a.x), FLAVOUR, relu, 'same');
});
nnet('elu', ['x', 'alpha=1'], (a, site) => {
  const alpha = floatArg(a.alpha);
  const elu = (t: tf.Tensor) => tf.where(tf.greater(detach(t), 0), t, tf.mul(tf.expm1(t), alpha));
  return unaryOp(site, 'elu', activationKind('elu'), floatInput(site, TT(site, a.x)), FLAVOUR, elu);
});
for (const name of ['softmax', 'logsoftmax'] as const) {
  nnet(name, ['c'], (a, site) => {
    const x = floatInput(site, TT(site, a.c));
    if (x.rank !== 1 && x.rank !== 2)
      throw valueError(`x must be 1-d or 2-d tensor of floats. Got TensorType(${x.dtype}, ${x.rank}D)`);
    return name === 'softmax' ? softmax(site, x, -1) : logSoftmax(site, x, -1, 'logsoftmax');
  });
}

function checkClassIndices(x: TensorValue, idx: TensorValue, classes: number, what: string): void {
  if (isFloatDtype(idx.dtype) || idx.dtype === 'bool')
    throw typeError(`${what}: integer targets required, got ${idx.dtype}`);
  for (const v of idx.tensor.dataSync()) {
    if (v < 0 || v >= classes)
      throw valueError(
        `${what}: y_idx value ${v} out of range [0, ${classes}) for coding_dist of shape (${x.shape.join(', ')})`,
      );
  }
}

function crossentropy1hot(site: CallSite, coding: TensorValue, idx: TensorValue): TensorValue {
  if (coding.rank !== 2 || idx.rank !== 1)
    throw typeError('crossentropy_categorical_1hot: coding_dist must be a matrix and true_idx a vector');
  if (coding.shape[0] !== idx.shape[0])
    throw valueError(
      `crossentropy_categorical_1hot: ${coding.shape[0]} rows in coding_dist but ${idx.shape[0]} targets`,
    );
  const classes = coding.shape[1];
  checkClassIndices(coding, idx, classes, 'crossentropy_categorical_1hot');
  const x = floatInput(site, coding);
  return site.rt.apply(
    site,
    'crossentropy_categorical_1hot',
    [x, idx],
    ([p, y]) => {
      // (tf.oneHot's own dtype argument reinterprets the int bits as floats on the cpu backend)
      const hot = tf.cast(oneHotAnyDepth(tf.cast(y, 'int32'), classes), 'float32');
      return tf.neg(tf.log(tf.sum(tf.mul(p, hot), 1)));
    },
    { kind: crossEntropyKind('probabilities', 1, 'indices'), dtype: x.dtype },
  );
}

nnet('categorical_crossentropy', ['coding_dist', 'true_dist'], (a, site) => {
  const coding = floatInput(site, TT(site, a.coding_dist));
  const truth = TT(site, a.true_dist);
  if (truth.rank === coding.rank) {
    const t = castTensor(site, truth, coding.dtype);
    const shape = broadcastShape(coding.shape, t.shape);
    const axis = shape.length - 1;
    const crossEntropy = (p: tf.Tensor, y: tf.Tensor) => tf.neg(tf.sum(tf.mul(y, tf.log(p)), axis));
    return site.rt.apply(site, 'categorical_crossentropy', [coding, t], ([p, y]) => crossEntropy(p, y), {
      kind: crossEntropyKind('probabilities', axis, 'distribution'),
      dtype: coding.dtype,
      broadcast: coding.shape.join(',') !== t.shape.join(','),
    });
  }
  if (truth.rank === coding.rank - 1) return crossentropy1hot(site, coding, truth);
  throw typeError('rank mismatch between coding and true distributions');
});
nnet('crossentropy_categorical_1hot', ['coding_dist', 'true_idx'], (a, site) =>
  crossentropy1hot(site, TT(site, a.coding_dist), TT(site, a.true_idx)),
);

/** -(target·log(output) + (1 - target)·log(1 - output)), elementwise and unclipped, as Theano. */
nnet('binary_crossentropy', ['output', 'target'], (a, site) => {
  const output = floatInput(site, TT(site, a.output));
  const target = TT(site, a.target);
  const t = isFloatDtype(target.dtype) ? target : castTensor(site, target, output.dtype);
  const dtype = promoteTypes(output.dtype, t.dtype, FLAVOUR);
  const shape = broadcastShape(output.shape, t.shape);
  site.rt.guard.checkTensorElements(shape, 'binary_crossentropy');
  return site.rt.apply(
    site,
    'binary_crossentropy',
    [output, t],
    ([o, y]) => tf.neg(tf.add(tf.mul(y, tf.log(o)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, o))))),
    {
      kind: binaryCrossEntropyKind('probabilities'),
      dtype,
      broadcast: output.shape.join(',') !== t.shape.join(','),
    },
  );
});
nnet('sigmoid_binary_crossentropy', ['output', 'target'], (a, site) => {
  const output = floatInput(site, TT(site, a.output));
  const target = TT(site, a.target);
  const t = isFloatDtype(target.dtype) ? target : castTensor(site, target, output.dtype);
  const shape = broadcastShape(output.shape, t.shape);
  site.rt.guard.checkTensorElements(shape, 'sigmoid_binary_crossentropy');
  return site.rt.apply(
    site,
    'sigmoid_binary_crossentropy',
    [output, t],
    ([o, y]) => tf.add(tf.mul(tf.softplus(tf.neg(o)), y), tf.mul(tf.softplus(o), tf.sub(1, y))),
    {
      kind: binaryCrossEntropyKind('logits'),
      dtype: promoteTypes(output.dtype, t.dtype, FLAVOUR),
      broadcast: output.shape.join(',') !== t.shape.join(','),
    },
  );
});
