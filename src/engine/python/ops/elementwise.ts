// Elementwise tensor ops shared by every framework table: Python operators on tensors, unary math,
// and the binary functions (maximum, minimum, pow, where...). Dtype promotion and broadcasting
// follow the framework flavour of the tensors involved.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { invalidArgumentError, typeError } from '../errors';
import { type OpKind, clipKind, comparisonKind, elementwiseKind, logicalKind } from '../opKinds';
import { isTensor } from '../protocols';
import { type Flavour, type LogicalDtype, TensorValue, isFloatDtype, storageDtype } from '../tensor';
import type { GradientMode } from '../trace';
import { PyList, PyTuple, type PyValue } from '../values';
import { asTensor, broadcastShapes, castTensor, defaultFloat, promoteTypes, promoteWithScalar } from './coercion';
import { torchToNumpy } from './numpyConversion';

export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '//'
  | '%'
  | '**'
  | '@'
  | '&'
  | '|'
  | '^'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | '<<'
  | '>>';

const OP_NAMES: Record<BinaryOperator, string> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '//': 'floordiv',
  '%': 'mod',
  '**': 'pow',
  '@': 'matmul',
  '&': 'and',
  '|': 'or',
  '^': 'xor',
  '<': 'less',
  '<=': 'less_equal',
  '>': 'greater',
  '>=': 'greater_equal',
  '==': 'equal',
  '!=': 'not_equal',
  '<<': 'lshift',
  '>>': 'rshift',
};

const COMPARISONS = new Set<BinaryOperator>(['<', '<=', '>', '>=', '==', '!=']);

/** What each operator computes on tensors (<< and >> are refused). */
const OPERATOR_KINDS: Record<Exclude<BinaryOperator, '<<' | '>>'>, OpKind> = {
  '+': elementwiseKind('add'),
  '-': elementwiseKind('sub'),
  '*': elementwiseKind('mul'),
  '/': elementwiseKind('div'),
  '//': elementwiseKind('floordiv'),
  '%': elementwiseKind('mod'),
  '**': elementwiseKind('pow'),
  '@': { category: 'contraction', method: 'matmul' },
  '&': logicalKind('and'),
  '|': logicalKind('or'),
  '^': logicalKind('xor'),
  '<': comparisonKind('less'),
  '<=': comparisonKind('less_equal'),
  '>': comparisonKind('greater'),
  '>=': comparisonKind('greater_equal'),
  '==': comparisonKind('equal'),
  '!=': comparisonKind('not_equal'),
};

function flavourOf(a: PyValue, b: PyValue): Flavour {
  // a torch tensor with a numpy scalar (0-d array) stays a torch tensor
  if (isTensor(a) && isTensor(b) && (a.flavour === 'torch' || b.flavour === 'torch')) return 'torch';
  if (isTensor(a)) return a.flavour;
  if (isTensor(b)) return b.flavour;
  return 'torch';
}

/** Brings two operands (at least one a tensor) to tensors of a common dtype, following weak-scalar rules. */
export function coerceOperands(
  site: CallSite,
  a: PyValue,
  b: PyValue,
  flavourHint?: Flavour,
): [TensorValue, TensorValue, LogicalDtype] {
  const flavour = flavourHint ?? flavourOf(a, b);
  let common: LogicalDtype;
  const scalarLike = (v: PyValue): v is number | bigint | boolean =>
    typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
  if (isTensor(a) && isTensor(b)) {
    // A 0-d tensor meeting a bigger one is weak too (torch/numpy "scalar" rule) unless kinds differ.
    common = promoteTypes(a.dtype, b.dtype, flavour);
    if (a.rank === 0 && b.rank > 0 && isFloatDtype(a.dtype) === isFloatDtype(b.dtype)) common = b.dtype;
    if (b.rank === 0 && a.rank > 0 && isFloatDtype(a.dtype) === isFloatDtype(b.dtype)) common = a.dtype;
    // a numpy scalar is a Python number to torch: weak whatever the tensor's rank
    const numpyScalar = (x: TensorValue, y: TensorValue) =>
      x.flavour === 'numpy' && x.rank === 0 && y.flavour === 'torch';
    if (numpyScalar(a, b) && isFloatDtype(a.dtype) === isFloatDtype(b.dtype)) common = b.dtype;
    if (numpyScalar(b, a) && isFloatDtype(a.dtype) === isFloatDtype(b.dtype)) common = a.dtype;
  } else if (isTensor(a) && scalarLike(b)) {
    common = promoteWithScalar(a.dtype, b, flavour);
  } else if (isTensor(b) && scalarLike(a)) {
    common = promoteWithScalar(b.dtype, a, flavour);
  } else {
    // TensorFlow converts a Python list meeting a tensor with the tensor's dtype
    // ([1] * n_classes * y_true is float32 there); ints into an integer tensor stay ints.
    const tfList = (list: PyValue, tensor: PyValue) =>
      flavour === 'tf' &&
      isTensor(tensor) &&
      tensor.flavour === 'tf' &&
      isFloatDtype(tensor.dtype) &&
      (list instanceof PyList || list instanceof PyTuple);
    const ta = tfList(a, b) ? asTensor(site, a, flavour, (b as TensorValue).dtype) : asTensor(site, a, flavour);
    const tb = tfList(b, a) ? asTensor(site, b, flavour, (a as TensorValue).dtype) : asTensor(site, b, flavour);
    return coerceOperands(site, ta, tb, flavour);
  }
  if (flavour === 'tf') checkTfDtypes(a, b);
  const ta = asTensor(site, a, flavour, common);
  const tb = asTensor(site, b, flavour, common);
  return [ta, tb, common];
}

/**
 * TensorFlow never promotes: int32 * float32 is an InvalidArgumentError and int32 * 0.5 a TypeError
 * (Keras hands custom losses integer labels as they are). Code that runs here must run there.
 */
function checkTfDtypes(a: PyValue, b: PyValue): void {
  if (isTensor(a) && isTensor(b)) {
    if (a.flavour === 'tf' && b.flavour === 'tf' && a.dtype !== b.dtype) {
      throw invalidArgumentError(
        `cannot compute the operation as its inputs have different dtypes (${a.dtype} and ` +
          `${b.dtype}); cast one of them first (tf.cast)`,
      );
    }
    return;
  }
  const [tensor, scalar] = isTensor(a) ? [a, b] : [b as TensorValue, a];
  if (tensor.flavour !== 'tf') return;
  const incompatible =
    (typeof scalar === 'number' && !isFloatDtype(tensor.dtype)) ||
    (tensor.dtype === 'bool' && typeof scalar !== 'boolean');
  if (incompatible) throw typeError(`Cannot convert ${String(scalar)} to EagerTensor of dtype ${tensor.dtype}`);
}

function checkBroadcast(site: CallSite, a: TensorValue, b: TensorValue): { shape: number[]; broadcast: boolean } {
  const shape = broadcastShapes(a.shape, b.shape);
  site.rt.guard.checkTensorElements(shape, 'the broadcast result');
  const same = (s: number[]) => s.length === shape.length && s.every((d, i) => d === shape[i]);
  return { shape, broadcast: !same(a.shape) || !same(b.shape) };
}

/** A numpy array of at least one dimension (0-d arrays stand for numpy scalars, which act as Python numbers). */
const isNumpyArray = (v: PyValue): v is TensorValue => isTensor(v) && v.flavour === 'numpy' && v.rank > 0;
const isTorchTensor = (v: PyValue): v is TensorValue => isTensor(v) && v.flavour === 'torch';

/**
 * A torch tensor and a numpy array in one operator, as torch 1.13 and numpy 1.24 resolve it: the tensor
 * refuses the array, so numpy computes `tensor ⊙ array` on tensor.numpy() (an error when the tensor
 * requires grad) and wraps the result back into a tensor, with numpy's promotion (float32 with a
 * float64 array gives float64) and no gradient. With the array first numpy defers to the tensor,
 * which refuses: TypeError. Comparisons are refused either way.
 */
function torchWithNumpy(site: CallSite, op: BinaryOperator, a: PyValue, b: PyValue, opName: string) {
  const [tensor, array] =
    isTorchTensor(a) && isNumpyArray(b) ? [a, b] : isTorchTensor(b) && isNumpyArray(a) ? [b, a] : [];
  if (!tensor || !array) return undefined;
  const names = tensor === a ? "'Tensor' and 'numpy.ndarray'" : "'numpy.ndarray' and 'Tensor'";
  if (COMPARISONS.has(op)) throw typeError(`'${op}' not supported between instances of ${names}`);
  if (tensor !== a || op === '&' || op === '|' || op === '^' || op === '<<' || op === '>>')
    throw typeError(`unsupported operand type(s) for ${op}: ${names}`);
  const asArray = torchToNumpy(site, tensor, opName);
  const result = binaryOp(site, op, asArray, array, opName);
  return new TensorValue(result.tensor, result.dtype, 'torch', result.origin, false, result.producer);
}

/** A Python operator where at least one side is a tensor. */
export function binaryOp(
  site: CallSite,
  op: BinaryOperator,
  a: PyValue,
  b: PyValue,
  opName = OP_NAMES[op],
): TensorValue {
  const mixed = torchWithNumpy(site, op, a, b, opName);
  if (mixed) return mixed;
  if (op === '@') return matmul(site, a, b);
  const [ta, tb, common] = coerceOperands(site, a, b);
  const { broadcast } = checkBroadcast(site, ta, tb);
  const flavour = flavourOf(ta, tb);
  if (COMPARISONS.has(op)) {
    const fn = {
      '<': tf.less,
      '<=': tf.lessEqual,
      '>': tf.greater,
      '>=': tf.greaterEqual,
      '==': tf.equal,
      '!=': tf.notEqual,
    }[op as '<'];
    const kind = OPERATOR_KINDS[op as '<'];
    return site.rt.apply(site, opName, [ta, tb], ([x, y]) => fn(x, y), {
      kind,
      dtype: 'bool',
      gradient: 'cut',
      broadcast,
      flavour,
    });
  }
  if (op === '&' || op === '|' || op === '^') {
    if (common !== 'bool') throw typeError(`bitwise '${op}' on ${common} tensors is not supported (use boolean masks)`);
    const fn = op === '&' ? tf.logicalAnd : op === '|' ? tf.logicalOr : tf.logicalXor;
    const kind = OPERATOR_KINDS[op];
    return site.rt.apply(site, opName, [ta, tb], ([x, y]) => fn(x, y), {
      kind,
      dtype: 'bool',
      gradient: 'cut',
      broadcast,
      flavour,
    });
  }
  if (op === '<<' || op === '>>') throw typeError(`shift operators on tensors are not supported`);
  let dtype = common === 'bool' && op !== '*' ? promoteTypes(common, 'int64', flavour) : common;
  if (op === '/' && !isFloatDtype(dtype)) dtype = defaultFloat(flavour); // true division of ints gives floats
  if (op === '**' && dtype === 'bool') dtype = 'int64';
  if (common === 'bool' && op === '*') dtype = 'bool';
  const x = ta.dtype === dtype ? ta : castTensor(site, ta, dtype);
  const y = tb.dtype === dtype ? tb : castTensor(site, tb, dtype);
  const storage = storageDtype(dtype);
  let gradient: GradientMode = 'flow';
  let compute: (ts: tf.Tensor[]) => tf.Tensor;
  switch (op) {
    case '+':
      compute = ([p, q]) => tf.add(p, q);
      break;
    case '-':
      compute = ([p, q]) => tf.sub(p, q);
      break;
    case '*':
      compute = storage === 'bool' ? ([p, q]) => tf.logicalAnd(p, q) : ([p, q]) => tf.mul(p, q);
      break;
    case '/':
      compute = ([p, q]) => tf.div(p, q);
      break;
    case '//':
      gradient = 'zero';
      compute = storage === 'int32' ? ([p, q]) => tf.floorDiv(p, q) : ([p, q]) => tf.floor(tf.div(p, q));
      break;
    case '%':
      compute = ([p, q]) => tf.mod(p, q);
      break;
    case '**':
      compute = ([p, q]) => powWithIntegerExponents(p, q, y);
      break;
    default:
      throw typeError(`operator ${op} is not supported on tensors`);
  }
  return site.rt.apply(site, opName, [x, y], compute, {
    kind: OPERATOR_KINDS[op],
    dtype,
    gradient,
    broadcast,
    flavour,
  });
}

/**
 * tf.pow's gradient w.r.t. the base is NaN at 0 for negative bases in some backends, and it
 * differentiates w.r.t. the exponent with log(base) (NaN for base ≤ 0). Constant exponents are the
 * norm in loss code: square as x*x and integer powers via tf.pow on a constant exponent only.
 */
function powWithIntegerExponents(base: tf.Tensor, exponent: tf.Tensor, exponentValue: TensorValue): tf.Tensor {
  if (exponentValue.rank === 0 && !exponentValue.requiresGrad) {
    const e = exponent.dataSync()[0];
    if (e === 2) return tf.mul(base, base);
    if (e === 1) return tf.clone(base);
    if (e === 0.5) return tf.sqrt(base);
    if (Number.isInteger(e) && e > 0) return tf.pow(base, tf.scalar(e, base.dtype));
    return powConstant(base, e);
  }
  return tf.pow(base, exponent);
}

/** x ** c for a constant non-integer or negative c, with the analytic gradient c·x^(c-1). */
const powConstant = (base: tf.Tensor, e: number): tf.Tensor =>
  tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.pow(x, tf.scalar(e)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(dy, tf.mul(tf.scalar(e), tf.pow(saved[0], tf.scalar(e - 1)))),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0])(base) as tf.Tensor;

function matmul(site: CallSite, a: PyValue, b: PyValue): TensorValue {
  const [ta, tb, dtype] = coerceOperands(site, a, b);
  if (ta.rank === 0 || tb.rank === 0) throw typeError('matmul: both arguments need at least one dimension');
  return site.rt.apply(
    site,
    'matmul',
    [ta, tb],
    ([x, y]) => {
      const x2 = ta.rank === 1 ? x.reshape([1, -1]) : x;
      const y2 = tb.rank === 1 ? y.reshape([-1, 1]) : y;
      let out = tf.matMul(x2, y2);
      if (ta.rank === 1) out = out.squeeze([out.rank - 2]);
      if (tb.rank === 1) out = out.squeeze([out.rank - 1]);
      return out;
    },
    { kind: OPERATOR_KINDS['@'], dtype },
  );
}

export type UnaryResult = 'float' | 'same' | 'bool';

/**
 * An elementwise unary op. `result: 'float'` promotes ints to the default float (exp, log, sigmoid);
 * 'same' keeps the dtype (neg, abs); 'bool' is a predicate (isnan).
 */
export function unaryOp(
  site: CallSite,
  name: string,
  kind: OpKind,
  value: PyValue,
  flavour: Flavour,
  fn: (t: tf.Tensor) => tf.Tensor,
  result: UnaryResult = 'float',
  gradient: GradientMode = 'flow',
): TensorValue {
  let x = asTensor(site, value, flavour);
  if (result === 'float' && !isFloatDtype(x.dtype)) x = castTensor(site, x, defaultFloat(x.flavour));
  if (result === 'same' && x.dtype === 'bool' && kind.category !== 'logical') x = castTensor(site, x, 'int64');
  const dtype: LogicalDtype = result === 'bool' ? 'bool' : x.dtype;
  return site.rt.apply(site, name, [x], ([t]) => fn(t), {
    kind,
    dtype,
    gradient: result === 'bool' ? 'cut' : gradient,
  });
}

/** Elementwise binary function (maximum, minimum, atan2...) with broadcasting and promotion. */
export function binaryFunction(
  site: CallSite,
  name: string,
  kind: OpKind,
  a: PyValue,
  b: PyValue,
  fn: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor,
  flavour?: Flavour,
  gradient: GradientMode = 'flow',
  /** The result's dtype when it is not the operands' common one (a predicate's bool). */
  resultDtype?: LogicalDtype,
): TensorValue {
  const [ta, tb, common] = coerceOperands(site, a, b, flavour);
  const { broadcast } = checkBroadcast(site, ta, tb);
  const dtype = resultDtype ?? common;
  return site.rt.apply(site, name, [ta, tb], ([x, y]) => fn(x, y), { kind, dtype, broadcast, gradient });
}

/** where(condition, x, y) with broadcasting of all three. */
export function where(site: CallSite, condition: PyValue, a: PyValue, b: PyValue, flavour: Flavour): TensorValue {
  const cond = asTensor(site, condition, flavour);
  const mask = cond.dtype === 'bool' ? cond : castTensor(site, cond, 'bool');
  const [ta, tb, dtype] = coerceOperands(site, a, b, flavour);
  const shape = broadcastShapes(broadcastShapes(mask.shape, ta.shape), tb.shape);
  site.rt.guard.checkTensorElements(shape, 'the result of where');
  const broadcast = [mask, ta, tb].some((t) => t.shape.join(',') !== shape.join(','));
  const select = ([m, x, y]: tf.Tensor[]) =>
    tf.where(tf.broadcastTo(m, shape), tf.broadcastTo(x, shape), tf.broadcastTo(y, shape));
  return site.rt.apply(site, 'where', [mask, ta, tb], select, {
    kind: { category: 'select', condition: 0 },
    dtype,
    broadcast,
    flavour,
  });
}

/** clip/clamp: bounds may be None, scalars or tensors. Gradient passes where min ≤ x ≤ max, as in torch and TF. */
export function clip(site: CallSite, value: PyValue, low: PyValue, high: PyValue, flavour: Flavour): TensorValue {
  let x = asTensor(site, value, flavour);
  if (low !== null && low !== undefined) {
    x = binaryFunction(site, 'clip_min', clipKind('min'), x, low, (p, q) => tf.maximum(p, q), flavour);
  }
  if (high !== null && high !== undefined) {
    x = binaryFunction(site, 'clip_max', clipKind('max'), x, high, (p, q) => tf.minimum(p, q), flavour);
  }
  return x;
}

/** -x for tensors (bool negation is an error in torch, as here). */
export function negate(site: CallSite, value: TensorValue): TensorValue {
  if (value.dtype === 'bool') throw typeError('negation of a bool tensor is not supported, use ~ or logical_not');
  return site.rt.apply(site, 'neg', [value], ([t]) => tf.neg(t), {
    kind: { category: 'unary', fn: 'neg' },
    dtype: value.dtype,
  });
}

/** ~x: logical not for bool tensors, bitwise not for integers (255 - x for uint8, -x - 1 for signed). */
export function invert(site: CallSite, value: TensorValue): TensorValue {
  if (value.dtype === 'uint8' || value.dtype.startsWith('int')) {
    const flip = value.dtype === 'uint8' ? (t: tf.Tensor) => tf.sub(255, t) : (t: tf.Tensor) => tf.sub(tf.neg(t), 1);
    return site.rt.apply(site, 'invert', [value], ([t]) => flip(t), {
      kind: { category: 'unary', fn: 'invert' },
      dtype: value.dtype,
      gradient: 'cut',
    });
  }
  if (value.dtype !== 'bool') throw typeError('~ is only supported on bool and integer tensors');
  return site.rt.apply(site, 'logical_not', [value], ([t]) => tf.logicalNot(t), {
    kind: { category: 'logical', operator: 'not' },
    dtype: 'bool',
    gradient: 'cut',
  });
}
