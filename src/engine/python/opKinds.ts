// What each traced op is, in framework-neutral terms: the contract between the interpreter, which
// sets a kind where each op is implemented, and the checks, which match kinds instead of framework
// spellings (TraceEntry.op keeps the user's spelling, for messages). Kinds are plain JSON data.
import type { LogicalDtype } from './tensor';

/** Elementwise binary arithmetic. */
export type ElementwiseOperator =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'floordiv'
  | 'mod'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'squared_difference'
  | 'logaddexp'
  | 'xlogy';

export type ComparisonOperator =
  'equal' | 'not_equal' | 'less' | 'less_equal' | 'greater' | 'greater_equal' | 'isclose';

export type LogicalOperator = 'and' | 'or' | 'xor' | 'not';

/** Elementwise math on one tensor (activations, rounding and predicates have their own kinds). */
export type UnaryFunction =
  | 'exp'
  | 'invert'
  | 'expm1'
  | 'exp2'
  | 'log'
  | 'log1p'
  | 'log2'
  | 'log10'
  | 'logit'
  | 'sqrt'
  | 'rsqrt'
  | 'square'
  | 'abs'
  | 'neg'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'sinh'
  | 'cosh'
  | 'asin'
  | 'acos'
  | 'atan'
  | 'atanh'
  | 'erf'
  | 'nan_to_num';

/** Piecewise-constant ops: their gradient is zero or absent in every framework. */
export type RoundingFunction = 'round' | 'floor' | 'ceil' | 'trunc' | 'sign';

export type PredicateTest = 'isnan' | 'isinf' | 'isfinite' | 'isposinf' | 'isneginf';

/** Activations that normalise along an axis. */
export type NormalisingActivation = 'softmax' | 'log_softmax';

/** Elementwise activations. */
export type PointwiseActivation =
  | 'sigmoid'
  | 'logsigmoid'
  | 'hard_sigmoid'
  | 'softplus'
  | 'softsign'
  | 'tanh'
  | 'relu'
  | 'relu6'
  | 'leaky_relu'
  | 'elu'
  | 'selu'
  | 'silu';

export type Activation = NormalisingActivation | PointwiseActivation;

/**
 * What a built-in loss expects as its prediction: logits (it applies the activation itself),
 * probabilities, or log-probabilities (nll_loss, after a log_softmax).
 */
export type LossInput = 'logits' | 'probabilities' | 'log_probabilities';

/**
 * Reducers. nansum/nanmean are sum/mean with `skipsNan`, np.average is a mean (weighted: sums),
 * and norms built from sums (torch.norm, numpy.linalg.norm) are traced as those sums.
 */
export type Reducer =
  'sum' | 'mean' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'logsumexp' | 'var' | 'std' | 'norm' | 'count_nonzero';

export type OpKind =
  /** `guarded`: 0 where the plain op would give NaN/Inf (divide_no_nan, multiply_no_nan, xlogy). */
  | { category: 'elementwise'; operator: ElementwiseOperator; guarded?: true }
  | { category: 'comparison'; operator: ComparisonOperator }
  | { category: 'logical'; operator: LogicalOperator }
  | { category: 'unary'; fn: UnaryFunction }
  | { category: 'rounding'; fn: RoundingFunction }
  | { category: 'predicate'; test: PredicateTest }
  /** `axis`: the normalised (non-negative) axis the activation normalises over. */
  | { category: 'activation'; fn: NormalisingActivation; axis: number }
  | { category: 'activation'; fn: PointwiseActivation }
  /**
   * A built-in loss (the entry's `roles` say which input is the prediction). `activation`: the one
   * the loss applies to logits, or implies for probabilities. `axis`: the class axis of softmax
   * losses; `labels`: class indices or a distribution (one-hot) over that axis.
   */
  | {
      category: 'loss';
      loss: 'cross_entropy' | 'nll';
      input: LossInput;
      activation: 'softmax';
      axis: number;
      labels: 'indices' | 'distribution';
    }
  | { category: 'loss'; loss: 'binary_cross_entropy'; input: 'logits' | 'probabilities'; activation: 'sigmoid' }
  /** `axes`: normalised, ascending; null for all axes. `ord`: the order of a norm. */
  | { category: 'reduction'; reducer: Reducer; axes: number[] | null; keepdims: boolean; skipsNan?: true; ord?: number }
  /** `axis` null: an index into the flattened tensor. */
  | { category: 'argreduction'; reducer: 'argmax' | 'argmin'; axis: number | null; keepdims: boolean }
  | { category: 'scan'; fn: 'cumsum'; axis: number }
  | { category: 'sort'; output: 'values' | 'indices'; axis: number }
  | { category: 'unique'; output: 'values' | 'index' | 'inverse' | 'counts' }
  /** Occurrences of each integer (bincount) or in each value range (histc), or their summed weights. */
  | { category: 'bincount'; weighted: boolean }
  | { category: 'cast'; to: LogicalDtype }
  /** A copy the gradient does not pass (.detach(), stop_gradient, .data, torch.tensor(t), tf.Variable). */
  | { category: 'detach' }
  /**
   * The tensor leaves the tensor world: a Python number (.item(), float(t)), a list, a numpy array.
   * `readAsDetached`: PyTorch raises here (the tensor requires grad); the diagnosis asked what
   * `.detach().numpy()` would give instead.
   */
  | { category: 'conversion'; to: 'scalar' | 'list' | 'numpy'; readAsDetached?: true }
  /** A copy the gradient passes (clone, copy, identity, np.positive). */
  | { category: 'copy' }
  /**
   * `subscript`: x[...] without a boolean mask; `boolean_mask`: with one (x[mask], tf.boolean_mask).
   * For a subscript read step by step: `axes`, the input axis each output axis keeps (sliced or
   * whole; -1 for an axis the subscript adds or gathers), and `picks`, the input axes an integer
   * removes, with the index it reads.
   */
  | {
      category: 'indexing';
      method: 'subscript' | 'boolean_mask' | 'gather' | 'gather_nd';
      axes?: number[];
      picks?: { axis: number; index: number }[];
    }
  | { category: 'scatter'; method: 'setitem' | 'scatter' }
  /** where/switch/masked_fill: `condition` is the index of the input that only selects. */
  | { category: 'select'; condition: number }
  /** clip/clamp, traced one bound at a time: `min` is maximum(x, low), `max` is minimum(x, high). */
  | { category: 'clip'; bound: 'min' | 'max' }
  /** `axis`: where the new class axis is in the output. */
  | { category: 'one_hot'; depth: number; axis: number }
  | { category: 'contraction'; method: 'matmul' | 'dot' | 'einsum'; equation?: string }
  /** A sliding-window max or mean (max_pool2d, avg_pool3d) over `axes`, `window` entries wide along each. */
  | { category: 'pool'; reducer: 'max' | 'avg'; axes: number[]; window: number[] }
  /** Resizing `axes` to new sizes (interpolate, image.resize): each output a blend of nearby inputs. */
  | { category: 'resample'; mode: 'nearest' | 'linear'; axes: number[] }
  | { category: 'normalization'; norm: 'l2'; axes: number[] | null }
  /** reshape, view, flatten, ravel, squeeze, expand_dims/unsqueeze: the same values in a new shape. */
  | { category: 'reshape' }
  /**
   * Output axis i is input axis permutation[i]. Theano's dimshuffle may also insert size-1 axes
   * (`newAxes`, output positions) and drop size-1 axes (missing from the permutation).
   */
  | { category: 'transpose'; permutation: number[]; newAxes?: number[] }
  | { category: 'join'; method: 'concat' | 'stack'; axis: number }
  /** `unstack` removes the axis (torch's unbind, tf.unstack); `split` keeps it. */
  | { category: 'split'; method: 'split' | 'unstack'; axis: number }
  | { category: 'pad'; widths: [number, number][] }
  /** tile (torch's x.repeat), repeat (each element: numpy.repeat), broadcast (expand, broadcast_to). */
  | { category: 'replicate'; method: 'tile' | 'repeat' | 'broadcast' }
  | { category: 'reverse'; axes: number[] }
  /** Only where nothing above fits. */
  | { category: 'other'; reason: string };

export type OpCategory = OpKind['category'];

/** The kinds of one category. */
export type KindOf<C extends OpCategory> = Extract<OpKind, { category: C }>;

// ------------------------------------------------------------------ constructors for the op tables

export const elementwiseKind = (operator: ElementwiseOperator): OpKind => ({ category: 'elementwise', operator });
export const comparisonKind = (operator: ComparisonOperator): OpKind => ({ category: 'comparison', operator });
export const logicalKind = (operator: LogicalOperator): OpKind => ({ category: 'logical', operator });
export const unaryKind = (fn: UnaryFunction): OpKind => ({ category: 'unary', fn });
export const roundingKind = (fn: RoundingFunction): OpKind => ({ category: 'rounding', fn });
export const predicateKind = (test: PredicateTest): OpKind => ({ category: 'predicate', test });
export const activationKind = (fn: PointwiseActivation): OpKind => ({ category: 'activation', fn });
export const clipKind = (bound: 'min' | 'max'): OpKind => ({ category: 'clip', bound });
export const castKind = (to: LogicalDtype): OpKind => ({ category: 'cast', to });

/** A softmax cross-entropy over class `axis` (F.cross_entropy, categorical_crossentropy, tf.nn's). */
export const crossEntropyKind = (
  input: 'logits' | 'probabilities',
  axis: number,
  labels: 'indices' | 'distribution',
): OpKind => ({ category: 'loss', loss: 'cross_entropy', input, activation: 'softmax', axis, labels });

/** A sigmoid (binary) cross-entropy, elementwise. */
export const binaryCrossEntropyKind = (input: 'logits' | 'probabilities'): OpKind => ({
  category: 'loss',
  loss: 'binary_cross_entropy',
  input,
  activation: 'sigmoid',
});

/** A reduction over `axes` (undefined or null: all), normalised to ascending order. */
export function reductionKind(
  reducer: Reducer,
  axes: readonly number[] | null | undefined,
  keepdims: boolean,
): KindOf<'reduction'> {
  return { category: 'reduction', reducer, axes: axes ? [...axes].sort((a, b) => a - b) : null, keepdims };
}

// ------------------------------------------------------------------ predicates for the checks
// Each takes optional members: isElementwise(k) is any elementwise op, isElementwise(k, 'mul') x * y
// however it was spelled (torch.mul, tf.multiply, np.multiply, K's tensors, Theano's T.mul).

export function isElementwise(kind: OpKind, ...operators: ElementwiseOperator[]): kind is KindOf<'elementwise'> {
  return kind.category === 'elementwise' && (!operators.length || operators.includes(kind.operator));
}

/** divide_no_nan, multiply_no_nan, xlogy: 0 where the plain op would give NaN/Inf. */
export const isGuarded = (kind: OpKind): boolean => kind.category === 'elementwise' && kind.guarded === true;

export function isComparison(kind: OpKind, ...operators: ComparisonOperator[]): kind is KindOf<'comparison'> {
  return kind.category === 'comparison' && (!operators.length || operators.includes(kind.operator));
}

export function isUnary(kind: OpKind, ...fns: UnaryFunction[]): kind is KindOf<'unary'> {
  return kind.category === 'unary' && (!fns.length || fns.includes(kind.fn));
}

export function isRounding(kind: OpKind, ...fns: RoundingFunction[]): kind is KindOf<'rounding'> {
  return kind.category === 'rounding' && (!fns.length || fns.includes(kind.fn));
}

export function isActivation(kind: OpKind, ...fns: Activation[]): kind is KindOf<'activation'> {
  return kind.category === 'activation' && (!fns.length || fns.includes(kind.fn));
}

/** The axis a softmax/log_softmax normalises over, or the class axis of a softmax loss. */
export function normalisedAxis(kind: OpKind): number | undefined {
  if (kind.category === 'activation' && 'axis' in kind) return kind.axis;
  if (kind.category === 'loss' && kind.activation === 'softmax') return kind.axis;
  return undefined;
}

export const isLoss = (kind: OpKind): kind is KindOf<'loss'> => kind.category === 'loss';

/** A built-in loss that applies its activation itself (F.cross_entropy, *_with_logits, from_logits=True). */
export const takesLogits = (kind: OpKind): boolean => kind.category === 'loss' && kind.input === 'logits';

/** The activation a built-in loss applies or implies: softmax (exclusive classes) or sigmoid. */
export const impliedActivation = (kind: OpKind): 'softmax' | 'sigmoid' | undefined =>
  kind.category === 'loss' ? kind.activation : undefined;

export function isReduction(kind: OpKind, ...reducers: Reducer[]): kind is KindOf<'reduction'> {
  return kind.category === 'reduction' && (!reducers.length || reducers.includes(kind.reducer));
}

export function isArgReduction(kind: OpKind, ...reducers: ('argmax' | 'argmin')[]): kind is KindOf<'argreduction'> {
  return kind.category === 'argreduction' && (!reducers.length || reducers.includes(kind.reducer));
}

/** Takes a logarithm: log*, logit, log_softmax, logsigmoid, softplus, the cross-entropies, logsumexp, xlogy... */
export function isLogarithmic(kind: OpKind): boolean {
  return (
    isUnary(kind, 'log', 'log1p', 'log2', 'log10', 'logit') ||
    isActivation(kind, 'log_softmax', 'logsigmoid', 'softplus') ||
    isLoss(kind) ||
    isReduction(kind, 'logsumexp') ||
    isElementwise(kind, 'xlogy', 'logaddexp')
  );
}

export const isCast = (kind: OpKind): kind is KindOf<'cast'> => kind.category === 'cast';

/** .detach(), tf.stop_gradient, K.stop_gradient, .data, torch.tensor(t), tf.Variable(t). */
export const isDetach = (kind: OpKind): kind is KindOf<'detach'> => kind.category === 'detach';

/** .item(), float(t), int(t), .tolist(), .numpy(): what follows is no longer a traced tensor. */
export const leavesTensorWorld = (kind: OpKind): kind is KindOf<'conversion'> => kind.category === 'conversion';

/** `.numpy()` on a torch tensor that requires grad, which PyTorch refuses, read as `.detach().numpy()`. */
export const isRefusedNumpyConversion = (kind: OpKind): boolean =>
  kind.category === 'conversion' && kind.to === 'numpy' && kind.readAsDetached === true;

export const isCopy = (kind: OpKind): kind is KindOf<'copy'> => kind.category === 'copy';

export function isIndexing(kind: OpKind, ...methods: KindOf<'indexing'>['method'][]): kind is KindOf<'indexing'> {
  return kind.category === 'indexing' && (!methods.length || methods.includes(kind.method));
}

export const isSelect = (kind: OpKind): kind is KindOf<'select'> => kind.category === 'select';

/** The input of a where() that only selects, carrying no value into the result. */
export const conditionInput = (kind: OpKind): number | undefined =>
  kind.category === 'select' ? kind.condition : undefined;

export const isReshape = (kind: OpKind): kind is KindOf<'reshape'> => kind.category === 'reshape';
