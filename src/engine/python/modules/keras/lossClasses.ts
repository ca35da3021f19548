// keras.losses' classes: Reduction, the Loss base class users subclass (its __call__ applies the
// reduction and sample weights), LossFunctionWrapper and the built-in loss classes, and losses.get.
import { getAttribute } from '../../attributes';
import { OBJECT_CLASS } from '../../builtins';
import type { CallSite } from '../../callsite';
import { notImplementedError, valueError } from '../../errors';
import { isTensor, repr } from '../../protocols';
import { TensorValue, isFloatDtype } from '../../tensor';
import { BuiltinFunction, PyClass, PyDict, PyInstance, PyList, PyTuple, type PyValue } from '../../values';
import { type Bound, def, dtypeObject } from '../common';
import { T, TF_FLAVOUR, divideNoNan, tfArith, tfCast, tfExpandDims, tfReduce, tfSqueeze } from '../tensorflow';
import { kerasMasks } from './crossentropy';
import {
  binaryCE,
  binaryFocal,
  categoricalCE,
  cosineSimilarity,
  hinge,
  huber,
  kld,
  logCosh,
  losses,
  mae,
  mape,
  mse,
  msle,
  poisson,
  sparseCE,
  squaredHinge,
} from './losses';
import { call, isCallable } from './tables';

const REDUCTIONS_ALL = ['auto', 'none', 'sum', 'sum_over_batch_size'];

function validateReduction(value: PyValue): PyValue {
  if (typeof value !== 'string' || !REDUCTIONS_ALL.includes(value)) {
    throw valueError(
      `Invalid Reduction Key: ${typeof value === 'string' ? value : repr(value)}. ` +
        `Expected keys are "('auto', 'none', 'sum', 'sum_over_batch_size')"`,
    );
  }
  return value;
}

/** keras.losses.Reduction (ReductionV2): string constants. */
const REDUCTION_CLASS = new PyClass(
  'ReductionV2',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    ['AUTO', 'auto'],
    ['NONE', 'none'],
    ['SUM', 'sum'],
    ['SUM_OVER_BATCH_SIZE', 'sum_over_batch_size'],
    ['all', def('Reduction.all', [], () => new PyTuple(REDUCTIONS_ALL))],
    [
      'validate',
      def('Reduction.validate', ['key'], (a) => {
        validateReduction(a.key);
        return null;
      }),
    ],
  ]),
  undefined,
  'keras.losses.Reduction',
);

/**
 * losses_utils.compute_weighted_loss: non-float losses are reduced as float32 (and cast back),
 * sample weights broadcast after squeezing/expanding one trailing axis, masks (ignore_class)
 * re-weighted so SUM_OVER_BATCH_SIZE averages over the valid entries only.
 */
function computeWeightedLoss(
  site: CallSite,
  lossesValue: PyValue,
  sampleWeight: PyValue,
  reduction: PyValue,
): TensorValue {
  let x = T(site, lossesValue);
  const mask = isTensor(lossesValue) ? kerasMasks.get(lossesValue) : undefined;
  const inputDtype = x.dtype;
  const casted = !isFloatDtype(x.dtype);
  if (casted) x = tfCast(site, x, 'float32');
  let weight: TensorValue | undefined =
    sampleWeight === null ? undefined : tfCast(site, sampleWeight, dtypeObject(TF_FLAVOUR, x.dtype));
  if (mask) {
    let m = tfCast(site, mask, dtypeObject(TF_FLAVOUR, x.dtype));
    if (reduction === 'auto' || reduction === 'sum_over_batch_size') {
      const valid = tfReduce(site, 'reduce_sum', m, null, false);
      m = tfArith(site, '*', m, divideNoNan(site, m.size, valid), 'mul');
    }
    weight = weight ? tfArith(site, '*', m, weight, 'mul') : m;
  }
  if (weight && weight.rank > 0) {
    if (weight.rank - x.rank === 1) weight = tfSqueeze(site, weight, new PyList([-1n]));
    else if (x.rank - weight.rank === 1) weight = tfExpandDims(site, weight, -1n);
  }
  const weighted = weight ? tfArith(site, '*', x, weight, 'mul') : x;
  let loss: TensorValue;
  if (reduction === 'none') loss = weighted;
  else {
    loss = tfReduce(site, 'reduce_sum', weighted, null, false);
    if (reduction !== 'sum') loss = divideNoNan(site, loss, weighted.size);
  }
  return casted ? tfCast(site, loss, inputDtype) : loss;
}

const selfOf = (a: Bound) => a.self as PyInstance;

/** keras.losses.Loss: subclasses implement call(y_true, y_pred); __call__ applies the reduction. */
const LOSS_CLASS = new PyClass(
  'Loss',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__init__',
      def('Loss.__init__', ['self', "reduction='auto'", 'name=None', '**kwargs'], (a) => {
        const self = selfOf(a);
        self.attrs.set('reduction', validateReduction(a.reduction));
        self.attrs.set('name', a.name);
        return null;
      }),
    ],
    [
      '__call__',
      def('Loss.__call__', ['self', 'y_true', 'y_pred', 'sample_weight=None'], (a, site) => {
        const self = selfOf(a);
        const callMethod = getAttribute(self, 'call', site);
        const result = call(site, callMethod, [a.y_true, a.y_pred]);
        const reduction = getAttribute(self, 'reduction', site);
        return computeWeightedLoss(site, result, a.sample_weight, reduction === null ? 'auto' : reduction);
      }),
    ],
    [
      'call',
      def('Loss.call', ['self', 'y_true', 'y_pred'], () => {
        throw notImplementedError('Must be implemented in subclasses.');
      }),
    ],
    [
      'get_config',
      def('Loss.get_config', ['self'], (a, site) => {
        const config = new PyDict();
        config.set('reduction', getAttribute(selfOf(a), 'reduction', site));
        config.set('name', getAttribute(selfOf(a), 'name', site));
        return config;
      }),
    ],
  ]),
  undefined,
  'keras.losses.Loss',
);

/** losses_utils.squeeze_or_expand_dimensions(y_pred, y_true) as LossFunctionWrapper.call uses it. */
function squeezeOrExpand(site: CallSite, yPred: PyValue, yTrue: PyValue): [PyValue, PyValue] {
  if (!isTensor(yPred) || !isTensor(yTrue)) return [yPred, yTrue];
  const diff = yPred.rank - yTrue.rank;
  if (diff !== 1 || yPred.shape[yPred.rank - 1] === 1) {
    if (diff === 1 && yPred.shape[yPred.rank - 1] === 1) return [tfSqueeze(site, yPred, new PyList([-1n])), yTrue];
    if (diff === -1 && yTrue.shape[yTrue.rank - 1] === 1) return [yPred, tfSqueeze(site, yTrue, new PyList([-1n]))];
  }
  return [yPred, yTrue];
}

function setWrapperState(self: PyInstance, fn: PyValue, reduction: PyValue, name: PyValue, kwargs: PyDict): void {
  self.attrs.set('reduction', validateReduction(reduction));
  self.attrs.set('name', name);
  self.attrs.set('fn', fn);
  self.attrs.set('_fn_kwargs', kwargs);
}

const LOSS_FUNCTION_WRAPPER = new PyClass(
  'LossFunctionWrapper',
  [LOSS_CLASS],
  new Map<string, PyValue>([
    [
      '__init__',
      def('LossFunctionWrapper.__init__', ['self', 'fn', "reduction='auto'", 'name=None', '**kwargs'], (a) => {
        setWrapperState(selfOf(a), a.fn, a.reduction, a.name, a.kwargs as PyDict);
        return null;
      }),
    ],
    [
      'call',
      def('LossFunctionWrapper.call', ['self', 'y_true', 'y_pred'], (a, site) => {
        const self = selfOf(a);
        const [yPred, yTrue] = squeezeOrExpand(site, a.y_pred, a.y_true);
        const kwargs = getAttribute(self, '_fn_kwargs', site);
        const keywords = new Map<string, PyValue>();
        if (kwargs instanceof PyDict) for (const [k, v] of kwargs.entries.values()) keywords.set(String(k), v);
        return call(site, getAttribute(self, 'fn', site), [yTrue, yPred], keywords);
      }),
    ],
    [
      'get_config',
      def('LossFunctionWrapper.get_config', ['self'], (a, site) => {
        const self = selfOf(a);
        const config = new PyDict();
        const kwargs = getAttribute(self, '_fn_kwargs', site);
        if (kwargs instanceof PyDict) for (const [k, v] of kwargs.entries.values()) config.set(k, v);
        config.set('reduction', getAttribute(self, 'reduction', site));
        config.set('name', getAttribute(self, 'name', site));
        return config;
      }),
    ],
  ]),
  undefined,
  'keras.losses.LossFunctionWrapper',
);

/** A built-in loss class: its own constructor arguments become the wrapped function's keywords. */
function lossClass(name: string, fn: BuiltinFunction, spec: string[], defaultName: string): PyClass {
  const params = spec.map((p) => p.split('=')[0]);
  const initSpec = ['self', ...spec, "reduction='auto'", `name='${defaultName}'`];
  return new PyClass(
    name,
    [LOSS_FUNCTION_WRAPPER],
    new Map<string, PyValue>([
      [
        '__init__',
        def(`${name}.__init__`, initSpec, (a) => {
          const kwargs = new PyDict();
          for (const p of params) kwargs.set(p, a[p]);
          setWrapperState(selfOf(a), fn, a.reduction, a.name, kwargs);
          return null;
        }),
      ],
    ]),
    undefined,
    `keras.losses.${name}`,
  );
}

const LOSS_CLASSES: [string, BuiltinFunction, string[], string][] = [
  ['BinaryCrossentropy', binaryCE, ['from_logits=False', 'label_smoothing=0.0', 'axis=-1'], 'binary_crossentropy'],
  [
    'CategoricalCrossentropy',
    categoricalCE,
    ['from_logits=False', 'label_smoothing=0.0', 'axis=-1'],
    'categorical_crossentropy',
  ],
  [
    'SparseCategoricalCrossentropy',
    sparseCE,
    ['from_logits=False', 'ignore_class=None'],
    'sparse_categorical_crossentropy',
  ],
  [
    'BinaryFocalCrossentropy',
    binaryFocal,
    ['apply_class_balancing=False', 'alpha=0.25', 'gamma=2.0', 'from_logits=False', 'label_smoothing=0.0', 'axis=-1'],
    'binary_focal_crossentropy',
  ],
  ['MeanSquaredError', mse, [], 'mean_squared_error'],
  ['MeanAbsoluteError', mae, [], 'mean_absolute_error'],
  ['MeanAbsolutePercentageError', mape, [], 'mean_absolute_percentage_error'],
  ['MeanSquaredLogarithmicError', msle, [], 'mean_squared_logarithmic_error'],
  ['KLDivergence', kld, [], 'kl_divergence'],
  ['Poisson', poisson, [], 'poisson'],
  ['LogCosh', logCosh, [], 'log_cosh'],
  ['CosineSimilarity', cosineSimilarity, ['axis=-1'], 'cosine_similarity'],
  ['Huber', huber, ['delta=1.0'], 'huber_loss'],
  ['Hinge', hinge, [], 'hinge'],
  ['SquaredHinge', squaredHinge, [], 'squared_hinge'],
];
for (const [name, fn, spec, defaultName] of LOSS_CLASSES) losses.set(name, lossClass(name, fn, spec, defaultName));
losses.set('Loss', LOSS_CLASS);
losses.set('LossFunctionWrapper', LOSS_FUNCTION_WRAPPER);
losses.set('Reduction', REDUCTION_CLASS);
losses.set(
  'get',
  def('keras.losses.get', ['identifier'], (a, site) => {
    if (a.identifier === null) return null;
    if (typeof a.identifier === 'string') {
      const found = losses.get(a.identifier);
      if (found === undefined)
        throw valueError(
          `Unknown loss function: '${a.identifier}'. Please ensure you are using a ` +
            '`keras.utils.custom_object_scope` and that this object is included in the scope.',
        );
      return found instanceof PyClass ? call(site, found, []) : found;
    }
    if (isCallable(a.identifier)) return a.identifier;
    throw valueError(`Could not interpret loss function identifier: ${repr(a.identifier)}`);
  }),
);
