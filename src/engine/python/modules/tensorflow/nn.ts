// tf.nn: softmax/log_softmax, the cross-entropies with logits (softmax, sparse, sigmoid, weighted;
// SoftmaxCrossEntropyWithLogits with its kernel gradient) and moments.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { invalidArgumentError, typeError, valueError } from '../../errors';
import { recordLegacyApi } from '../../legacyApi';
import { binaryCrossEntropyKind, crossEntropyKind } from '../../opKinds';
import { broadcastShapes } from '../../ops/coercion';
import { logSoftmax, softmax as softmaxOp } from '../../ops/nn';
import { reduce } from '../../ops/reduce';
import { absSignGrad, selectWhere } from '../../ops/select';
import { toInt, truthy } from '../../protocols';
import type { TensorValue } from '../../tensor';
import { PyTuple, type PyValue } from '../../values';
import { T, convertTo, requireFloat, tfAxes, tfAxis } from './arguments';
import { fn, math, nn } from './tables';
import { oneHotAnyDepth } from '../../ops/oneHotAnyDepth';

/** The SoftmaxCrossEntropyWithLogits kernel: its gradient is softmax(logits) - labels (not rescaled by Σ labels). */
const softmaxXentKernel = (axis: number) =>
  tf.customGrad(((labels: tf.Tensor, logits: tf.Tensor, save: tf.GradSaveFunc) => {
    const logp = tf.sub(logits, tf.logSumExp(logits, axis, true));
    save([labels, logp]);
    return {
      value: tf.neg(tf.sum(tf.mul(labels, logp), axis)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [y, lp] = saved;
        const g = tf.expandDims(dy, axis);
        return [tf.mul(g, tf.neg(lp)), tf.mul(g, tf.sub(tf.exp(lp), y))];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);

export function softmaxCrossEntropy(
  site: CallSite,
  labelsValue: PyValue,
  logitsValue: PyValue,
  axisValue: PyValue,
): TensorValue {
  const logits = T(site, logitsValue);
  requireFloat(logits, 'SoftmaxCrossEntropyWithLogits');
  const labels = convertTo(site, labelsValue, logits.dtype);
  if (labels.dtype !== logits.dtype) {
    throw invalidArgumentError(`labels and logits must have the same dtype (${labels.dtype} vs ${logits.dtype})`);
  }
  const notBroadcastable = () =>
    invalidArgumentError(
      `logits and labels must be broadcastable: ` +
        `logits_size=[${logits.shape.join(',')}] labels_size=[${labels.shape.join(',')}] ` +
        `[Op:SoftmaxCrossEntropyWithLogits]`,
    );
  const shape = broadcastShapes(labels.shape, logits.shape, notBroadcastable);
  if (labels.rank !== logits.rank) throw notBroadcastable();
  if (logits.rank === 0) throw invalidArgumentError('logits must have at least one dimension');
  const axis = tfAxis(axisValue, logits.rank, 'softmax_cross_entropy_with_logits');
  const broadcast = labels.shape.join(',') !== logits.shape.join(',');
  return site.rt.apply(
    site,
    'softmax_cross_entropy_with_logits',
    [labels, logits],
    ([y, z]) => softmaxXentKernel(axis)(tf.broadcastTo(y, shape), tf.broadcastTo(z, shape)) as tf.Tensor,
    {
      kind: crossEntropyKind('logits', axis, 'distribution'),
      dtype: logits.dtype,
      broadcast,
      roles: ['target', 'prediction'],
    },
  );
}

export function sparseSoftmaxCrossEntropy(site: CallSite, labelsValue: PyValue, logitsValue: PyValue): TensorValue {
  const logits = T(site, logitsValue);
  requireFloat(logits, 'SparseSoftmaxCrossEntropyWithLogits');
  const labels = T(site, labelsValue);
  if (!(labels.dtype === 'int32' || labels.dtype === 'int64'))
    throw typeError(
      `Value passed to parameter 'labels' has DataType ${labels.dtype} not in list of allowed values: int32, int64`,
    );
  if (logits.rank === 0 || labels.shape.join(',') !== logits.shape.slice(0, -1).join(',')) {
    throw invalidArgumentError(
      `Shape mismatch: The shape of labels (received (${labels.shape.join(', ')})) should ` +
        `equal the shape of logits except for the last dimension (received (${logits.shape.join(', ')})).`,
    );
  }
  const classes = logits.shape[logits.rank - 1];
  const values = labels.tensor.dataSync();
  for (const v of values) {
    if (v < 0 || v >= classes) {
      throw invalidArgumentError(
        `Received a label value of ${v} which is outside the valid range of [0, ` +
          `${classes}).  Label values: ` +
          `${Array.from(values).slice(0, 20).join(' ')}${values.length > 20 ? ' ...' : ''} ` +
          `[Op:SparseSoftmaxCrossEntropyWithLogits]`,
      );
    }
  }
  site.rt.guard.checkTensorElements(logits.shape, 'sparse_softmax_cross_entropy_with_logits');
  return site.rt.apply(
    site,
    'sparse_softmax_cross_entropy_with_logits',
    [labels, logits],
    ([y, z]) => {
      const hot = tf.cast(oneHotAnyDepth(tf.cast(tf.reshape(y, [-1]), 'int32'), classes), 'float32');
      const logp = tf.reshape(tf.sub(z, tf.logSumExp(z, -1, true)), [-1, classes]);
      return tf.reshape(tf.neg(tf.sum(tf.mul(hot, logp), -1)), labels.shape);
    },
    {
      kind: crossEntropyKind('logits', logits.rank - 1, 'indices'),
      dtype: logits.dtype,
      roles: ['target', 'prediction'],
    },
  );
}

/** tf.nn.sigmoid_cross_entropy_with_logits, written as TF writes it (relu(z) - z·y + log1p(exp(-|z|))). */
export function sigmoidCrossEntropy(site: CallSite, labelsValue: PyValue, logitsValue: PyValue): TensorValue {
  const logits = T(site, logitsValue);
  const labels = convertTo(site, labelsValue, logits.dtype);
  if (labels.dtype !== logits.dtype) {
    throw invalidArgumentError(
      `cannot compute Mul as input #1(zero-based) was expected to be a ${logits.dtype} ` +
        `tensor but is a ${labels.dtype} tensor [Op:Mul]`,
    );
  }
  requireFloat(logits, 'SigmoidCrossEntropyWithLogits');
  if (labels.shape.join(',') !== logits.shape.join(',')) {
    throw valueError(
      '`logits` and `labels` must have the same shape, ' +
        `received (${logits.shape.join(', ')}) vs (${labels.shape.join(', ')}).`,
    );
  }
  return site.rt.apply(
    site,
    'sigmoid_cross_entropy_with_logits',
    [labels, logits],
    ([y, z]) => {
      const zeros = tf.zerosLike(z);
      const cond = tf.greaterEqual(z, zeros);
      const reluLogits = selectWhere(cond, z, zeros);
      const negAbs = selectWhere(cond, tf.neg(z), z);
      return tf.add(tf.sub(reluLogits, tf.mul(z, y)), tf.log1p(tf.exp(negAbs)));
    },
    { kind: binaryCrossEntropyKind('logits'), dtype: logits.dtype, roles: ['target', 'prediction'] },
  );
}

function weightedCrossEntropy(
  site: CallSite,
  labelsValue: PyValue,
  logitsValue: PyValue,
  posWeight: PyValue,
): TensorValue {
  const logits = T(site, logitsValue);
  requireFloat(logits, 'WeightedCrossEntropyWithLogits');
  const labels = convertTo(site, labelsValue, logits.dtype);
  const pw = convertTo(site, posWeight, logits.dtype);
  if (labels.dtype !== logits.dtype || pw.dtype !== logits.dtype) {
    throw invalidArgumentError('labels, logits and pos_weight must share a dtype');
  }
  if (labels.shape.join(',') !== logits.shape.join(','))
    throw valueError(
      `logits and labels must have the same shape (${logits.shape.join(', ')}) vs (${labels.shape.join(', ')})`,
    );
  return site.rt.apply(
    site,
    'weighted_cross_entropy_with_logits',
    [labels, logits, pw],
    ([y, z, w]) => {
      const logWeight = tf.add(1, tf.mul(tf.sub(w, 1), y));
      return tf.add(
        tf.mul(tf.sub(1, y), z),
        tf.mul(logWeight, tf.add(tf.log1p(tf.exp(tf.neg(absSignGrad(z)))), tf.relu(tf.neg(z)))),
      );
    },
    { kind: binaryCrossEntropyKind('logits'), dtype: logits.dtype, roles: ['target', 'prediction', 'weight'] },
  );
}

export function tfSoftmax(site: CallSite, value: PyValue, axis: PyValue, log = false): TensorValue {
  const x = T(site, value);
  requireFloat(x, log ? 'LogSoftmax' : 'Softmax');
  if (x.rank === 0) throw invalidArgumentError('logits must have >= 1 dimension, got []');
  const a = axis === null ? -1 : toInt(axis, 'axis');
  if (a < -x.rank || a >= x.rank) {
    throw invalidArgumentError(
      `\`axis\` must be in the range [${-x.rank}, ${x.rank}) where ${x.rank} is the ` +
        `number of dimensions in the input. Received: axis=${a}`,
    );
  }
  return log ? logSoftmax(site, x, a, 'log_softmax') : softmaxOp(site, x, a, 'softmax');
}

function moments(site: CallSite, value: PyValue, axes: PyValue, keepdims: boolean): PyValue {
  const x = T(site, value);
  requireFloat(x, 'Moments');
  const dims = tfAxes(axes, x.rank, 'moments');
  const mean = reduce(site, 'mean', x, dims, keepdims, { opName: 'moments' });
  const variance = reduce(site, 'var', x, dims, keepdims, { opName: 'moments', correction: 0 });
  return new PyTuple([mean, variance]);
}

fn(
  [nn, math],
  'softmax',
  ['logits', 'axis=None', 'name=None'],
  (a, site) => tfSoftmax(site, a.logits, a.axis),
  'tf.nn.softmax',
);
fn(
  [nn, math],
  'log_softmax',
  ['logits', 'axis=None', 'name=None'],
  (a, site) => tfSoftmax(site, a.logits, a.axis, true),
  'tf.nn.log_softmax',
);
fn(
  [nn],
  'softmax_cross_entropy_with_logits',
  ['labels', 'logits', 'axis=-1', 'name=None'],
  (a, site) => softmaxCrossEntropy(site, a.labels, a.logits, a.axis),
  'tf.nn.softmax_cross_entropy_with_logits',
);
// TF 1.5-1.15's name for what TF 2 calls softmax_cross_entropy_with_logits (dim= was axis=).
fn(
  [nn],
  'softmax_cross_entropy_with_logits_v2',
  ['_sentinel=None', 'labels=None', 'logits=None', 'dim=-1', 'name=None', 'axis=None'],
  (a, site) => {
    recordLegacyApi(site, 'tf.nn.softmax_cross_entropy_with_logits_v2', 'tf.nn.softmax_cross_entropy_with_logits');
    return softmaxCrossEntropy(site, a.labels, a.logits, a.axis ?? a.dim);
  },
  'tf.nn.softmax_cross_entropy_with_logits_v2',
);
fn(
  [nn],
  'sparse_softmax_cross_entropy_with_logits',
  ['labels=None', 'logits=None', 'name=None'],
  (a, site) => sparseSoftmaxCrossEntropy(site, a.labels, a.logits),
  'tf.nn.sparse_softmax_cross_entropy_with_logits',
);
fn(
  [nn],
  'sigmoid_cross_entropy_with_logits',
  ['labels=None', 'logits=None', 'name=None'],
  (a, site) => sigmoidCrossEntropy(site, a.labels, a.logits),
  'tf.nn.sigmoid_cross_entropy_with_logits',
);
fn(
  [nn],
  'weighted_cross_entropy_with_logits',
  // TF 1.x named the labels `targets` (same position): it still runs, recorded as TF 1 API.
  ['labels=None', 'logits=None', 'pos_weight=None', 'name=None', 'targets=None'],
  (a, site) => {
    if (a.targets !== null) recordLegacyApi(site, 'tf.nn.weighted_cross_entropy_with_logits(targets=)', 'labels=');
    const labels = a.labels ?? a.targets;
    for (const [name, value] of [
      ['labels', labels],
      ['logits', a.logits],
      ['pos_weight', a.pos_weight],
    ] as const)
      if (value === null) throw typeError(`weighted_cross_entropy_with_logits() missing required argument: '${name}'`);
    return weightedCrossEntropy(site, labels, a.logits, a.pos_weight);
  },
  'tf.nn.weighted_cross_entropy_with_logits',
);
fn(
  [nn],
  'moments',
  ['x', 'axes', 'shift=None', 'keepdims=False', 'name=None'],
  (a, site) => moments(site, a.x, a.axes, truthy(a.keepdims)),
  'tf.nn.moments',
);
