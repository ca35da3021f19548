// keras.losses' functions (the cross-entropies, mean errors, KL divergence, Poisson, log-cosh,
// cosine similarity, Huber, hinge) and keras.metrics, which re-exports the loss functions.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { activationKind, unaryKind } from '../../opKinds';
import { absSignGrad } from '../../ops/select';
import { toFloat, truthy } from '../../protocols';
import { TensorValue } from '../../tensor';
import { BuiltinFunction, type PyValue } from '../../values';
import { type Bound, def, dtypeObject } from '../common';
import {
  T,
  TF_FLAVOUR,
  TF_TABLES,
  clipByValue,
  l2Normalize,
  tfArith,
  tfCast,
  tfCompare,
  tfMinMax,
  tfReduce,
  tfUnary,
  tfWhere,
} from '../tensorflow';
import { config, floatx } from './config';
import {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './crossentropy';
import { call } from './tables';

export const losses = new Map<string, PyValue>();

function lossFn(
  names: string[],
  spec: readonly string[],
  impl: (a: Bound, site: CallSite) => PyValue,
): BuiltinFunction {
  const f = def(`keras.losses.${names[0]}`, spec, impl);
  for (const n of names) losses.set(n, f);
  return f;
}

/** y_pred as a tensor and y_true cast to its dtype, as every Keras loss function starts. */
function prepare(site: CallSite, yTrue: PyValue, yPred: PyValue): [TensorValue, TensorValue] {
  const pred = T(site, yPred);
  return [tfCast(site, yTrue, dtypeObject(TF_FLAVOUR, pred.dtype)), pred];
}

const kmean = (site: CallSite, x: TensorValue, axis: PyValue) =>
  tfReduce(site, 'reduce_mean', x.dtype === 'bool' ? tfCast(site, x, floatx(site)) : x, axis, false);

export const binaryCE = lossFn(
  ['binary_crossentropy', 'bce', 'BCE'],
  ['y_true', 'y_pred', 'from_logits=False', 'label_smoothing=0.0', 'axis=-1'],
  (a, site) => {
    const prepared = prepare(site, a.y_true, a.y_pred);
    const yPred = prepared[1];
    let yTrue = prepared[0];
    const ls = toFloat(a.label_smoothing);
    if (ls) yTrue = tfArith(site, '+', tfArith(site, '*', yTrue, 1 - ls, 'mul'), 0.5 * ls, 'add');
    return kmean(site, binaryCrossentropy(site, yTrue, yPred, truthy(a.from_logits)), a.axis);
  },
);
export const categoricalCE = lossFn(
  ['categorical_crossentropy'],
  ['y_true', 'y_pred', 'from_logits=False', 'label_smoothing=0.0', 'axis=-1'],
  (a, site) => {
    const prepared = prepare(site, a.y_true, a.y_pred);
    const yPred = prepared[1];
    let yTrue = prepared[0];
    const ls = toFloat(a.label_smoothing);
    if (ls) {
      const classes = yTrue.shape[yTrue.rank - 1];
      yTrue = tfArith(site, '+', tfArith(site, '*', yTrue, 1 - ls, 'mul'), ls / classes, 'add');
    }
    return categoricalCrossentropy(site, yTrue, yPred, truthy(a.from_logits), a.axis);
  },
);
export const sparseCE = lossFn(
  ['sparse_categorical_crossentropy'],
  ['y_true', 'y_pred', 'from_logits=False', 'axis=-1', 'ignore_class=None'],
  (a, site) => sparseCategoricalCrossentropy(site, a.y_true, a.y_pred, truthy(a.from_logits), a.axis, a.ignore_class),
);
export const binaryFocal = lossFn(
  ['binary_focal_crossentropy'],
  [
    'y_true',
    'y_pred',
    'apply_class_balancing=False',
    'alpha=0.25',
    'gamma=2.0',
    'from_logits=False',
    'label_smoothing=0.0',
    'axis=-1',
  ],
  (a, site) => {
    const prepared = prepare(site, a.y_true, a.y_pred);
    const yPred = prepared[1];
    let yTrue = prepared[0];
    const ls = toFloat(a.label_smoothing);
    if (ls) yTrue = tfArith(site, '+', tfArith(site, '*', yTrue, 1 - ls, 'mul'), 0.5 * ls, 'add');
    return kmean(
      site,
      binaryFocalCrossentropy(
        site,
        yTrue,
        yPred,
        truthy(a.apply_class_balancing),
        toFloat(a.alpha),
        a.gamma,
        truthy(a.from_logits),
      ),
      a.axis,
    );
  },
);
export const mse = lossFn(['mean_squared_error', 'mse', 'MSE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  return kmean(site, call(site, TF_TABLES.math.get('squared_difference')!, [yPred, yTrue]) as TensorValue, -1n);
});
export const mae = lossFn(['mean_absolute_error', 'mae', 'MAE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const error = tfArith(site, '-', yPred, yTrue, 'sub');
  return kmean(site, tfUnary(site, 'abs', unaryKind('abs'), error, absSignGrad, 'numeric'), -1n);
});
export const mape = lossFn(['mean_absolute_percentage_error', 'mape', 'MAPE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const abs = (x: TensorValue) => tfUnary(site, 'abs', unaryKind('abs'), x, absSignGrad, 'numeric');
  const error = tfArith(site, '-', yTrue, yPred, 'sub');
  const diff = abs(tfArith(site, '/', error, tfMinMax(site, 'maximum', abs(yTrue), config(site).epsilon), 'truediv'));
  return tfArith(site, '*', 100, kmean(site, diff, -1n), 'mul');
});
export const msle = lossFn(['mean_squared_logarithmic_error', 'msle', 'MSLE'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const logOfOnePlus = (x: TensorValue) => {
    const shifted = tfArith(site, '+', tfMinMax(site, 'maximum', x, config(site).epsilon), 1, 'add');
    return tfUnary(site, 'log', unaryKind('log'), shifted, tf.log);
  };
  const first = logOfOnePlus(yPred);
  const second = logOfOnePlus(yTrue);
  return kmean(site, call(site, TF_TABLES.math.get('squared_difference')!, [first, second]) as TensorValue, -1n);
});
export const kld = lossFn(
  ['kl_divergence', 'kld', 'KLD', 'kullback_leibler_divergence'],
  ['y_true', 'y_pred'],
  (a, site) => {
    const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
    const t = clipByValue(site, yTrue, config(site).epsilon, 1);
    const p = clipByValue(site, yPred, config(site).epsilon, 1);
    const logRatio = tfUnary(site, 'log', unaryKind('log'), tfArith(site, '/', t, p, 'truediv'), tf.log);
    return tfReduce(site, 'reduce_sum', tfArith(site, '*', t, logRatio, 'mul'), -1n, false);
  },
);
export const poisson = lossFn(['poisson'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const shifted = tfArith(site, '+', yPred, config(site).epsilon, 'add');
  const logPred = tfUnary(site, 'log', unaryKind('log'), shifted, tf.log);
  return kmean(site, tfArith(site, '-', yPred, tfArith(site, '*', yTrue, logPred, 'mul'), 'sub'), -1n);
});
export const logCosh = lossFn(['log_cosh', 'logcosh'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const x = tfArith(site, '-', yPred, yTrue, 'sub');
  const softplus = tfUnary(site, 'softplus', activationKind('softplus'), tfArith(site, '*', -2, x, 'mul'), tf.softplus);
  const value = tfArith(site, '-', tfArith(site, '+', x, softplus, 'add'), Math.log(2), 'sub');
  return kmean(site, value, -1n);
});
export const cosineSimilarity = lossFn(['cosine_similarity'], ['y_true', 'y_pred', 'axis=-1'], (a, site) => {
  const t = l2Normalize(site, a.y_true, a.axis, 1e-12);
  const p = l2Normalize(site, a.y_pred, a.axis, 1e-12);
  const summed = tfReduce(site, 'reduce_sum', tfArith(site, '*', t, p, 'mul'), a.axis, false);
  return tfUnary(site, 'negative', unaryKind('neg'), summed, tf.neg, 'numeric');
});
export const huber = lossFn(['huber'], ['y_true', 'y_pred', 'delta=1.0'], (a, site) => {
  const yPred = tfCast(site, a.y_pred, floatx(site));
  const yTrue = tfCast(site, a.y_true, floatx(site));
  const delta = toFloat(a.delta);
  const error = tfArith(site, '-', yPred, yTrue, 'subtract');
  const absError = tfUnary(site, 'abs', unaryKind('abs'), error, absSignGrad, 'numeric');
  const sq = tfUnary(site, 'square', unaryKind('square'), error, (t) => tf.mul(t, t), 'numeric');
  const inside = tfCompare(site, '<=', absError, delta, 'less_equal');
  const value = tfWhere(
    site,
    inside,
    tfArith(site, '*', 0.5, sq, 'mul'),
    tfArith(site, '-', tfArith(site, '*', delta, absError, 'mul'), 0.5 * delta * delta, 'sub'),
  );
  return kmean(site, value, -1n);
});

/** Keras's hinge losses map {0, 1} labels to {-1, 1} when every label is 0 or 1. */
function hingeLabels(site: CallSite, yTrue: TensorValue): TensorValue {
  const data = yTrue.tensor.dataSync();
  const binary = Array.from(data).every((v) => v === 0 || v === 1);
  return binary ? tfArith(site, '-', tfArith(site, '*', 2, yTrue, 'mul'), 1, 'sub') : yTrue;
}
export const hinge = lossFn(['hinge'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const margin = tfMinMax(
    site,
    'maximum',
    tfArith(site, '-', 1, tfArith(site, '*', hingeLabels(site, yTrue), yPred, 'mul'), 'sub'),
    0,
  );
  return kmean(site, margin, -1n);
});
export const squaredHinge = lossFn(['squared_hinge'], ['y_true', 'y_pred'], (a, site) => {
  const [yTrue, yPred] = prepare(site, a.y_true, a.y_pred);
  const margin = tfMinMax(
    site,
    'maximum',
    tfArith(site, '-', 1, tfArith(site, '*', hingeLabels(site, yTrue), yPred, 'mul'), 'sub'),
    0,
  );
  return kmean(
    site,
    tfUnary(site, 'square', unaryKind('square'), margin, (t) => tf.mul(t, t), 'numeric'),
    -1n,
  );
});

/** keras.metrics: the loss functions Keras 2 re-exports there (classes stay opaque). */
export const metrics = new Map<string, PyValue>();
for (const name of [
  'binary_crossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'mean_squared_error',
  'mse',
  'MSE',
  'mean_absolute_error',
  'mae',
  'MAE',
  'mean_absolute_percentage_error',
  'mape',
  'mean_squared_logarithmic_error',
  'msle',
  'kl_divergence',
  'kld',
  'poisson',
  'log_cosh',
  'logcosh',
  'hinge',
  'squared_hinge',
  'binary_focal_crossentropy',
])
  metrics.set(name, losses.get(name)!);
