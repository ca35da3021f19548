// dtypes, devices and gradient mode: torch.device, torch.no_grad, finfo, the dtype objects and the
// torch.Tensor class (isinstance, torch.Tensor(data)).
import { OBJECT_CLASS, TYPE_CLASSES } from '../../builtins';
import { typeError } from '../../errors';
import { isTensor } from '../../protocols';
import type { LogicalDtype } from '../../tensor';
import { BuiltinFunction, PyClass, PyInstance, type PyValue } from '../../values';
import { def, dtypeEntries, parseDtype } from '../common';
import { FLAVOUR } from './arguments';
import { fn, torchFunctions } from './tables';
import { DEVICE_CPU } from './tensor';

torchFunctions.set('device', new BuiltinFunction('torch.device', () => DEVICE_CPU));

/** `with torch.no_grad():` turns gradient tracking off in its body, as torch does. */
const NO_GRAD = new PyClass(
  'no_grad',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__enter__',
      def('__enter__', ['self'], (a, site) => {
        (a.self as PyInstance).native = site.rt.gradEnabled;
        site.rt.gradEnabled = false;
        return null;
      }),
    ],
    [
      '__exit__',
      def('__exit__', ['self', '*args'], (a, site) => {
        site.rt.gradEnabled = (a.self as PyInstance).native as boolean;
        return false;
      }),
    ],
  ]),
  undefined,
  'torch.no_grad',
);
torchFunctions.set('no_grad', NO_GRAD);

const FINFO = new Map<LogicalDtype, Record<string, number>>([
  [
    'float32',
    {
      eps: 1.1920928955078125e-7,
      tiny: 1.1754943508222875e-38,
      max: 3.4028234663852886e38,
      min: -3.4028234663852886e38,
    },
  ],
  [
    'float64',
    { eps: 2.220446049250313e-16, tiny: 2.2250738585072014e-308, max: Number.MAX_VALUE, min: -Number.MAX_VALUE },
  ],
  ['float16', { eps: 0.0009765625, tiny: 6.103515625e-5, max: 65504, min: -65504 }],
]);
fn('finfo', ['type=None'], (a) => {
  const info = FINFO.get(parseDtype(a.type, FLAVOUR) ?? 'float32');
  if (!info) throw typeError('torch.finfo() requires a floating point input type');
  const object = new PyInstance(OBJECT_CLASS);
  for (const [k, v] of Object.entries(info)) object.attrs.set(k, v);
  return object;
});

for (const [name, value] of dtypeEntries(FLAVOUR, {
  float32: 'float32',
  float: 'float32',
  float64: 'float64',
  double: 'float64',
  float16: 'float16',
  half: 'float16',
  int64: 'int64',
  long: 'int64',
  int32: 'int32',
  int: 'int32',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
})) {
  torchFunctions.set(name, value);
}

export const TENSOR_CLASS = new PyClass(
  'Tensor',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    // torch.Tensor(data) builds a float tensor, like torch.FloatTensor
    [
      '__new__',
      new BuiltinFunction('torch.Tensor', (args, site) =>
        site.rt.call(
          torchFunctions.get('FloatTensor')!,
          { positional: args.positional.slice(1), keywords: args.keywords },
          site.range,
        ),
      ),
    ],
  ]),
  undefined,
  'torch.Tensor',
);
TYPE_CLASSES.set(TENSOR_CLASS, (v) => isTensor(v) && v.flavour === 'torch');
