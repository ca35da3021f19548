// numpy (`import numpy as np`) and numpy.ndarray methods, with numpy's semantics: axis/keepdims,
// float64 for Python floats and float lists, int64 for ints, bool sums → int64, int means → float64,
// 0-d results for full reductions (standing for numpy scalars). numpy has no autograd; Loss Lens
// reads numpy code as differentiable math the way autograd/JAX would: elementwise, reduction and
// shape ops pass the gradient, argmax/argmin, comparisons, logical ops, round/floor/ceil, integer
// and bool casts, unique and count_nonzero cut it, and sign has a zero gradient (as torch.sign,
// which the golden numpy shim uses).
// This file registers the modules; each area fills the tables in its own file (imported here in
// table order).
import './reduce';
import './math';
import './select';
import './linalg';
import './creation';
import './shape';
import './sets';
import './dtypes';
import './ndarray';
import { registerTensorAttributes } from '../../attributes';
import type { PyValue } from '../../values';
import { registerModule } from '../registry';
import { FLAVOUR } from './arguments';
import { linalg } from './linalg';
import { NDARRAY_CLASS, arrayProperties } from './ndarray';
import { arrayMethods, npFunctions } from './tables';
import { absentNumpyName } from './absentNames';

registerTensorAttributes(FLAVOUR, { ...arrayMethods, ...arrayProperties });

const CONSTANTS: [string, PyValue][] = [
  ['pi', Math.PI],
  ['e', Math.E],
  ['euler_gamma', 0.5772156649015329],
  ['inf', Infinity],
  ['Inf', Infinity],
  ['Infinity', Infinity],
  ['PINF', Infinity],
  ['NINF', -Infinity],
  ['nan', NaN],
  ['NaN', NaN],
  ['NAN', NaN],
  ['newaxis', null],
  ['__version__', '1.26.4'],
];

registerModule(
  'numpy',
  () => new Map<string, PyValue>([...npFunctions, ...CONSTANTS, ['ndarray', NDARRAY_CLASS]]),
  absentNumpyName,
);
registerModule('numpy.linalg', () => linalg);
