// What TF 2's eager mode makes trivial: tf.function, tf.cond, tf.map_fn, no-op context managers
// (name_scope, control_dependencies, device), the Tensor and Variable classes for isinstance,
// tf.py_function / tf.numpy_function (a Python function run on the tensors), and the printing ops,
// which print nothing in the sandbox.
import * as tf from '@tensorflow/tfjs';
import { OBJECT_CLASS, TENSOR_TYPES, TYPE_CLASSES } from '../../builtins';
import type { CallSite } from '../../callsite';
import { invalidArgumentError } from '../../errors';
import { recordLegacyApi } from '../../legacyApi';
import { isTensor, iterate, truthy } from '../../protocols';
import { BuiltinFunction, PyClass, PyList, PyOpaque, PyTuple, type PyValue } from '../../values';
import { type Bound, def } from '../common';
import { T, TF_FLAVOUR, convertTo, shapeOf, tfDtype } from './arguments';
import { variableOf } from './creation';
import { tfStack, unstackTensor } from './shape';
import { fn, top } from './tables';

const identityDecorator = new BuiltinFunction('tf.function.decorator', (args) => args.positional[0] ?? null);
fn(
  [top],
  'function',
  ['func=None', 'input_signature=None', 'autograph=True', 'jit_compile=None', 'reduce_retracing=False', '**kwargs'],
  (a) => (a.func === null ? identityDecorator : a.func),
);
fn([top], 'print', ['*inputs', '**kwargs'], () => null);
/** TF 1's tf.Print: input_ itself (an identity the gradient passes, as in TF 1 graphs); nothing is printed. */
export const tf1Print = def(
  'tf.compat.v1.Print',
  ['input_', 'data', 'message=None', 'first_n=None', 'summarize=None', 'name=None'],
  (a, site) => {
    const x = T(site, a.input_);
    return site.rt.apply(site, 'Print', [x], ([t]) => tf.clone(t), { kind: { category: 'copy' }, dtype: x.dtype });
  },
);
fn([top], 'executing_eagerly', [], () => true);
fn([top], 'is_symbolic_tensor', ['tensor'], () => false);
// TF 1's strict=, fn1= and fn2= still run, recorded as TF 1 API.
fn(
  [top],
  'cond',
  ['pred', 'true_fn=None', 'false_fn=None', 'name=None', '*', 'strict=None', 'fn1=None', 'fn2=None'],
  (a, site) => {
    if (a.strict !== null) recordLegacyApi(site, 'tf.cond(strict=)', 'tf.cond without strict');
    if (a.fn1 !== null || a.fn2 !== null) recordLegacyApi(site, 'tf.cond(fn1=, fn2=)', 'tf.cond(true_fn=, false_fn=)');
    const branch = truthy(a.pred) ? (a.true_fn ?? a.fn1) : (a.false_fn ?? a.fn2);
    return branch === null ? null : site.rt.call(branch, { positional: [], keywords: new Map() }, site.range);
  },
);
fn(
  [top],
  'map_fn',
  [
    'fn',
    'elems',
    'dtype=None',
    'parallel_iterations=None',
    'back_prop=True',
    'swap_memory=False',
    'infer_shape=True',
    'name=None',
    'fn_output_signature=None',
  ],
  (a, site) => {
    const elems = T(site, a.elems);
    const results = unstackTensor(site, elems, 0).map((e) =>
      site.rt.call(a.fn, { positional: [e], keywords: new Map() }, site.range),
    );
    return tfStack(site, new PyList(results), 0n, 'map_fn');
  },
);
top.set(
  'vectorized_map',
  def('tf.vectorized_map', ['fn', 'elems', 'fallback_to_while_loop=True', 'warn=True'], (a, site) =>
    site.rt.call(top.get('map_fn')!, { positional: [a.fn, a.elems], keywords: new Map() }, site.range),
  ),
);

/** A context manager that does nothing (tf.name_scope, tf.control_dependencies, tf.device). */
export const NULL_CONTEXT = new PyClass(
  'NullContext',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    ['__init__', def('__init__', ['self', '*args', '**kwargs'], () => null)],
    ['__enter__', def('__enter__', ['self'], () => null)],
    ['__exit__', def('__exit__', ['self', '*args'], () => false)],
  ]),
  undefined,
  'tensorflow.name_scope',
);
for (const name of ['name_scope', 'control_dependencies', 'device', 'GradientTape'])
  top.set(name, name === 'GradientTape' ? new PyOpaque('tensorflow.GradientTape') : NULL_CONTEXT);

const TF_TENSOR_CLASS = new PyClass(
  'Tensor',
  [OBJECT_CLASS],
  new Map<string, PyValue>(),
  undefined,
  'tensorflow.Tensor',
);
TYPE_CLASSES.set(TF_TENSOR_CLASS, (v) => isTensor(v) && v.flavour === TF_FLAVOUR);
TENSOR_TYPES.set(TF_FLAVOUR, TF_TENSOR_CLASS);
const VARIABLE_CLASS = new PyClass(
  'Variable',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__new__',
      def(
        'tf.Variable',
        [
          'cls',
          'initial_value=None',
          'trainable=None',
          'validate_shape=True',
          'caching_device=None',
          'name=None',
          'variable_def=None',
          'dtype=None',
          '**kwargs',
        ],
        (a, site) => variableOf(site, a.initial_value, tfDtype(a.dtype)),
      ),
    ],
  ]),
  undefined,
  'tensorflow.Variable',
);
top.set('Tensor', TF_TENSOR_CLASS);
top.set('Variable', VARIABLE_CLASS);
top.set(
  'TensorShape',
  def(
    'tf.TensorShape',
    ['dims'],
    (a) => new PyTuple(a.dims === null ? [] : shapeOf(a.dims).map(BigInt), 'TensorShape'),
  ),
);
top.set('newaxis', null);
top.set('__version__', '2.15.0');

/**
 * tf.py_function(func, inp, Tout): func runs on the eager tensors (TF ops inside keep their gradient,
 * a detour through .numpy() has none), its results become tensors of Tout. tf.numpy_function hands
 * func numpy arrays and has no gradient.
 */
function pythonFunction(site: CallSite, a: Bound, asNumpy: boolean): PyValue {
  const inputs = [...iterate(a.inp, site)].map((v) => {
    const tensor = T(site, v);
    if (!asNumpy) return tensor;
    return site.rt.apply(site, 'numpy', [tensor], ([t]) => tf.clone(t), {
      kind: { category: 'conversion', to: 'numpy' },
      dtype: tensor.dtype,
      gradient: 'cut',
      flavour: 'numpy',
    });
  });
  const result = site.rt.call(a.func, { positional: inputs, keywords: new Map() }, site.range);
  const outputs = a.Tout instanceof PyList || a.Tout instanceof PyTuple;
  const types = outputs ? [...(a.Tout as PyList).items] : [a.Tout];
  const values = outputs ? [...iterate(result, site)] : [result];
  if (values.length !== types.length)
    throw invalidArgumentError(
      `${asNumpy ? 'numpy_function' : 'py_function'} expected ${types.length} results, got ${values.length}`,
    );
  const converted = values.map((v, i) => convertTo(site, v, tfDtype(types[i])));
  return outputs ? new PyList(converted) : converted[0];
}
fn([top], 'py_function', ['func', 'inp', 'Tout', 'name=None'], (a, site) => pythonFunction(site, a, false));
fn([top], 'numpy_function', ['func', 'inp', 'Tout', 'stateful=True', 'name=None'], (a, site) =>
  pythonFunction(site, a, true),
);
