// dtypes, devices and gradient mode: torch.device, torch.no_grad, finfo, the dtype objects and the
// torch.Tensor class (isinstance, torch.Tensor(data)).
import { OBJECT_CLASS, TENSOR_TYPES, TYPE_CLASSES } from '../../builtins';
import { typeError } from '../../errors';
import { isTensor, iterate, toInt, truthy } from '../../protocols';
import type { LogicalDtype } from '../../tensor';
import type { Runtime } from '../../runtime';
import { BuiltinFunction, PyClass, PyFunction, PyInstance, PyTuple, type PyValue } from '../../values';
import { type Bound, def, dtypeEntries, parseDtype } from '../common';
import { FLAVOUR, torchSize } from './arguments';
import { fn, torchFunctions } from './tables';
import { DEVICE_CPU } from './tensor';

torchFunctions.set('device', new BuiltinFunction('torch.device', () => DEVICE_CPU));

/**
 * The gradient-mode switches: `no_grad`, `enable_grad`, `inference_mode` and `set_grad_enabled`,
 * each a context manager (`with torch.no_grad():`) and a decorator (`@torch.no_grad()` on a
 * function or method), as in torch. `set_grad_enabled(mode)` switches at construction, so it also
 * works as a plain call; the others switch on entry. The previous mode comes back on exit.
 */
interface GradModeState {
  mode: boolean;
  previous: boolean[];
}

function gradModeClass(
  name: string,
  initSpec: readonly string[],
  modeOf: (a: Bound) => boolean,
  switchesAtInit = false,
): PyClass {
  const state = (self: PyValue) => (self as PyInstance).native as GradModeState;
  const enter = (self: PyValue, rt: Runtime) => {
    state(self).previous.push(rt.gradEnabled);
    rt.gradEnabled = state(self).mode;
  };
  const exit = (self: PyValue, rt: Runtime) => {
    const previous = state(self).previous.pop();
    if (previous !== undefined) rt.gradEnabled = previous;
  };
  return new PyClass(
    name,
    [OBJECT_CLASS],
    new Map<string, PyValue>([
      [
        '__init__',
        def(`${name}.__init__`, ['self', ...initSpec], (a, site) => {
          (a.self as PyInstance).native = { mode: modeOf(a), previous: [] } satisfies GradModeState;
          if (switchesAtInit) enter(a.self, site.rt);
          return null;
        }),
      ],
      [
        '__enter__',
        def('__enter__', ['self'], (a, site) => {
          if (!switchesAtInit) enter(a.self, site.rt);
          return null;
        }),
      ],
      [
        '__exit__',
        def('__exit__', ['self', '*args'], (a, site) => {
          exit(a.self, site.rt);
          return false;
        }),
      ],
      ['__call__', def(`${name}.__call__`, ['self', 'func'], (a) => decorated(a.func, state(a.self).mode))],
      ['clone', def(`${name}.clone`, ['self'], (a) => a.self)],
    ]),
    undefined,
    `torch.${name}`,
  );
}

/** `func` run with gradient mode `mode`; called as a method it gets `self` like the function would. */
function decorated(func: PyValue, mode: boolean): BuiltinFunction {
  const name = func instanceof PyFunction || func instanceof BuiltinFunction ? func.name : 'decorated';
  const wrapper: BuiltinFunction = new BuiltinFunction(name, (args, site) => {
    const self = args.positional[0];
    // zero-argument super() inside a decorated method needs the class that defines it
    if (func instanceof PyFunction && !func.definingClass && self instanceof PyInstance)
      func.definingClass = self.cls.mro().find((cls) => [...cls.attrs.values()].includes(wrapper));
    const previous = site.rt.gradEnabled;
    site.rt.gradEnabled = mode;
    try {
      return site.rt.call(func, args, site.range);
    } finally {
      site.rt.gradEnabled = previous;
    }
  });
  return wrapper;
}

torchFunctions.set(
  'no_grad',
  gradModeClass('no_grad', [], () => false),
);
torchFunctions.set(
  'enable_grad',
  gradModeClass('enable_grad', [], () => true),
);
torchFunctions.set(
  'inference_mode',
  gradModeClass('inference_mode', ['mode=True'], (a) => !truthy(a.mode)),
);
torchFunctions.set(
  'set_grad_enabled',
  gradModeClass('set_grad_enabled', ['mode'], (a) => truthy(a.mode), true),
);
torchFunctions.set(
  'is_grad_enabled',
  new BuiltinFunction('torch.is_grad_enabled', (_args, site) => site.rt.gradEnabled),
);

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
TENSOR_TYPES.set('torch', TENSOR_CLASS);

/** torch.Size: a tuple of ints (x.shape, x.size()), built from any sequence of ints. */
export const SIZE_CLASS = new PyClass(
  'Size',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__new__',
      new BuiltinFunction('torch.Size', (args, site) => {
        const sizes = args.positional[1];
        return torchSize(sizes === undefined ? [] : [...iterate(sizes, site)].map((d) => toInt(d, 'size')));
      }),
    ],
  ]),
  undefined,
  'torch.Size',
);
TYPE_CLASSES.set(SIZE_CLASS, (v) => v instanceof PyTuple && v.typeName === 'torch.Size');
torchFunctions.set('Size', SIZE_CLASS);
