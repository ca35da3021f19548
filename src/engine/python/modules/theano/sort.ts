// Sorting: sort and argsort (axis=None sorts the flattened tensor).
import type { CallSite } from '../../callsite';
import { argsortValue, sortValue } from '../../ops/arraylib';
import { normaliseAxis } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { intArg } from '../common';
import { TT } from './arguments';
import { fn, method } from './tables';

for (const name of ['sort', 'argsort'] as const) {
  const impl = (x: TensorValue, axisValue: PyValue, site: CallSite) => {
    const input = axisValue === null ? reshape(site, x, [-1], 'flatten') : x;
    const axis = axisValue === null ? 0 : normaliseAxis(intArg(axisValue), x.rank);
    return name === 'sort' ? sortValue(site, input, axis) : argsortValue(site, input, axis, 'int64');
  };
  fn(name, ['a', 'axis=-1', "kind='quicksort'", 'order=None'], (a, site) => impl(TT(site, a.a), a.axis, site));
  method(name, ['axis=-1', "kind='quicksort'", 'order=None'], (x, a, site) => impl(x, a.axis, site));
}
