// K.* reductions: sum/prod/max/min/logsumexp, mean/var/std (bools cast to floatx first), any/all,
// argmax/argmin and cumsum, each delegating to its tf.* op.
import type { CallSite } from '../../callsite';
import { truthy } from '../../protocols';
import { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { dtypeObject } from '../common';
import { T, TF_FLAVOUR, TF_TABLES, tfArgReduce, tfCast, tfReduce } from '../tensorflow';
import { floatx } from './config';
import { K, call } from './tables';

const asFloatIfBool = (site: CallSite, value: PyValue): TensorValue => {
  const x = T(site, value);
  return x.dtype === 'bool' ? tfCast(site, x, dtypeObject(TF_FLAVOUR, floatx(site))) : x;
};
const REDUCTIONS: Record<string, string> = {
  sum: 'reduce_sum',
  prod: 'reduce_prod',
  max: 'reduce_max',
  min: 'reduce_min',
  logsumexp: 'reduce_logsumexp',
};
for (const [name, op] of Object.entries(REDUCTIONS)) {
  K(name, ['x', 'axis=None', 'keepdims=False'], (a, site) => tfReduce(site, op, a.x, a.axis, truthy(a.keepdims)));
}
// K.mean/var/std cast bool tensors to floatx first (K.sum does not: TF refuses to sum bools).
for (const [name, op] of [
  ['mean', 'reduce_mean'],
  ['var', 'reduce_variance'],
  ['std', 'reduce_std'],
] as const) {
  K(name, ['x', 'axis=None', 'keepdims=False'], (a, site) =>
    tfReduce(site, op, asFloatIfBool(site, a.x), a.axis, truthy(a.keepdims)),
  );
}
for (const [name, op] of [
  ['any', 'reduce_any'],
  ['all', 'reduce_all'],
] as const) {
  K(name, ['x', 'axis=None', 'keepdims=False'], (a, site) =>
    tfReduce(site, op, tfCast(site, a.x, 'bool'), a.axis, truthy(a.keepdims)),
  );
}
K('argmax', ['x', 'axis=-1'], (a, site) => tfArgReduce(site, 'argmax', a.x, a.axis, null));
K('argmin', ['x', 'axis=-1'], (a, site) => tfArgReduce(site, 'argmin', a.x, a.axis, null));
K('cumsum', ['x', 'axis=0'], (a, site) =>
  call(site, TF_TABLES.math.get('cumsum')!, [a.x], new Map([['axis', a.axis]])),
);
