// How names resolve in tensorflow's namespaces: registered submodules, opaque values for the rest,
// TF 1 names TF 2 removed (run as TF 1 ran them and recorded as TF 1 API, or AttributeError for the
// graph-only ones), and the tf.compat.v1 table that keeps them.
import type { CallSite } from '../../callsite';
import { recordLegacyApi } from '../../legacyApi';
import { attributeError } from '../../errors';
import { truthy } from '../../protocols';
import type { LogicalDtype } from '../../tensor';
import { BuiltinFunction, PyOpaque, type PyValue } from '../../values';
import { type Bound, def, dtypeObject } from '../common';
import { getModule } from '../registry';
import { TF_FLAVOUR } from './arguments';
import { REDUCE_KINDS, tfReduce } from './reduce';
import { tf1Print } from './eager';
import { tfCast } from './select';
import { sparseV1 } from './sparse';
import { math, top } from './tables';

/**
 * A module namespace whose unknown names are submodules when registered, opaque values otherwise
 * (tf.config, tf.data, keras.layers...: harmless until a loss actually uses them).
 */
export class NamespaceMap extends Map<string, PyValue> {
  constructor(
    private readonly prefix: string,
    entries: Iterable<readonly [string, PyValue]>,
    private readonly missing?: (name: string) => PyValue | undefined,
  ) {
    super(entries);
  }

  /** Every name resolves (to a submodule or an opaque value); `get` decides which. */
  override has(_name: string): boolean {
    return true;
  }

  override get(name: string): PyValue | undefined {
    if (super.has(name)) return super.get(name);
    const sub = getModule(`${this.prefix}.${name}`);
    if (sub) return sub;
    return this.missing?.(name) ?? new PyOpaque(`${this.prefix}.${name}`);
  }
}

/**
 * TF 1 top-level spellings that TF 2 moved or removed, with their TF 2 spelling. They run as TF 1.x
 * ran them (the tf.compat.v1 function) and each use is recorded as TF 1 API (legacyApi.ts).
 */
export const TF1_ALIASES: Record<string, string> = {
  log: 'tf.math.log',
  log1p: 'tf.math.log1p',
  expm1: 'tf.math.expm1',
  rsqrt: 'tf.math.rsqrt',
  erf: 'tf.math.erf',
  reciprocal: 'tf.math.reciprocal',
  is_nan: 'tf.math.is_nan',
  is_inf: 'tf.math.is_inf',
  is_finite: 'tf.math.is_finite',
  log_sigmoid: 'tf.math.log_sigmoid',
  squared_difference: 'tf.math.squared_difference',
  count_nonzero: 'tf.math.count_nonzero',
  div: 'tf.math.divide',
  to_float: 'tf.cast(x, tf.float32)',
  to_int32: 'tf.cast(x, tf.int32)',
  to_int64: 'tf.cast(x, tf.int64)',
  to_double: 'tf.cast(x, tf.float64)',
  sparse_tensor_to_dense: 'tf.sparse.to_dense',
  sparse_reshape: 'tf.sparse.reshape',
  sparse_reduce_sum: 'tf.sparse.reduce_sum',
  bincount: 'tf.math.bincount',
  Print: 'tf.print',
};

/** TF 1 names that need a TF 1 graph to mean anything: AttributeError, as `import tensorflow as tf` (2.x) raises. */
const TF1_ONLY: Record<string, string> = {
  Session: 'eager execution',
  InteractiveSession: 'eager execution',
  placeholder: 'function arguments',
  global_variables_initializer: 'eager execution',
  variable_scope: 'tf.name_scope',
  get_variable: 'tf.Variable',
  reduce_join: 'tf.strings.reduce_join',
};

let v1Table: Map<string, PyValue> | undefined;
const tf1Wrappers = new Map<string, BuiltinFunction>();

export const tf1Missing = (name: string): PyValue | undefined => {
  const replacement = TF1_ALIASES[name];
  if (replacement) {
    let wrapper = tf1Wrappers.get(name);
    if (!wrapper) {
      const v1 = (v1Table ??= compatV1()).get(name) as BuiltinFunction;
      wrapper = new BuiltinFunction(`tf.${name}`, (args, site) => {
        recordLegacyApi(site, `tf.${name}`, replacement);
        return v1.impl(args, site);
      });
      tf1Wrappers.set(name, wrapper);
    }
    return wrapper;
  }
  const instead = TF1_ONLY[name];
  if (instead) {
    throw attributeError(
      `module 'tensorflow' has no attribute '${name}' (a TensorFlow 1 API; in TF 2 use ` +
        `${instead}, or tf.compat.v1.${name})`,
    );
  }
  return undefined;
};

/** tf.compat.v1: the TF2 table plus the TF1 spellings loss code still uses. */
export function compatV1(): Map<string, PyValue> {
  const v1 = new Map<string, PyValue>(top);
  for (const [name, value] of math) if (!v1.has(name)) v1.set(name, value);
  const cast = (dtype: LogicalDtype) => (a: Bound, site: CallSite) => tfCast(site, a.x, dtypeObject(TF_FLAVOUR, dtype));
  v1.set('log', math.get('log')!);
  v1.set('div', math.get('divide')!);
  v1.set('to_float', def('tf.compat.v1.to_float', ['x', "name='ToFloat'"], cast('float32')));
  v1.set('to_int32', def('tf.compat.v1.to_int32', ['x', "name='ToInt32'"], cast('int32')));
  v1.set('to_int64', def('tf.compat.v1.to_int64', ['x', "name='ToInt64'"], cast('int64')));
  v1.set('to_double', def('tf.compat.v1.to_double', ['x', "name='ToDouble'"], cast('float64')));
  v1.set('Print', tf1Print);
  for (const name of Object.keys(REDUCE_KINDS)) {
    v1.set(
      name,
      def(
        `tf.compat.v1.${name}`,
        ['input_tensor', 'axis=None', 'keepdims=None', 'name=None', 'reduction_indices=None', 'keep_dims=None'],
        (a, site) =>
          tfReduce(site, name, a.input_tensor, a.axis ?? a.reduction_indices, truthy(a.keepdims ?? a.keep_dims)),
      ),
    );
  }
  for (const [name, value] of sparseV1) v1.set(name, value);
  v1.set('disable_eager_execution', new BuiltinFunction('tf.compat.v1.disable_eager_execution', () => null));
  v1.set('enable_eager_execution', new BuiltinFunction('tf.compat.v1.enable_eager_execution', () => null));
  v1.set('disable_v2_behavior', new BuiltinFunction('tf.compat.v1.disable_v2_behavior', () => null));
  return v1;
}
