// torch.nn: Module (calling an instance runs forward()) and the built-in modules loss code
// instantiates (Softmax, Sigmoid, ReLU, Identity, the loss modules, Parameter).
import * as tf from '@tensorflow/tfjs';
import { getAttribute } from '../../attributes';
import { OBJECT_CLASS } from '../../builtins';
import type { CallSite } from '../../callsite';
import { notImplementedError, typeError, valueError } from '../../errors';
import { activationKind } from '../../opKinds';
import { unaryOp } from '../../ops/elementwise';
import {
  implicitSoftmaxDim,
  logSoftmax,
  parseReduction,
  softmax,
  torchBinaryCrossEntropy,
  torchBinaryCrossEntropyWithLogits,
  torchClassificationLoss,
} from '../../ops/nn';
import { type Args, BuiltinFunction, PyClass, PyInstance, PyList, type PyValue } from '../../values';
import { type Bound, def, floatArg, intArg } from '../common';
import { FLAVOUR, T, legacyReductionName } from './arguments';
import { functional, huberLoss, smoothL1Loss } from './functional';

/** nn.Module: calling an instance runs forward(); parameters/buffers are plain attributes. */
export const MODULE_CLASS = new PyClass(
  'Module',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__init__',
      def('Module.__init__', ['self', '*args', '**kwargs'], (a) => {
        (a.self as PyInstance).attrs.set('training', true);
        return null;
      }),
    ],
    [
      '__call__',
      new BuiltinFunction('Module.__call__', (args, site) => {
        const self = args.positional[0] as PyInstance;
        if (self.cls.lookup('forward') === undefined) {
          throw notImplementedError(`Module [${self.cls.name}] is missing the required "forward" function`);
        }
        // self.forward as Python binds it (a @staticmethod forward takes no self)
        const forward = getAttribute(self, 'forward', site);
        return site.rt.call(forward, { positional: args.positional.slice(1), keywords: args.keywords }, site.range);
      }),
    ],
    [
      'register_buffer',
      def('Module.register_buffer', ['self', 'name', 'tensor', 'persistent=True'], (a) => {
        (a.self as PyInstance).attrs.set(String(a.name), a.tensor);
        return null;
      }),
    ],
    ['to', def('Module.to', ['self', '*args', '**kwargs'], (a) => a.self)],
    ['cuda', def('Module.cuda', ['self', '*args', '**kwargs'], (a) => a.self)],
    ['cpu', def('Module.cpu', ['self'], (a) => a.self)],
    ['train', def('Module.train', ['self', 'mode=True'], (a) => a.self)],
    ['eval', def('Module.eval', ['self'], (a) => a.self)],
    ['parameters', def('Module.parameters', ['self', 'recurse=True'], () => new PyList([]))],
  ]),
  undefined,
  'torch.nn.Module',
);

/** torch.nn.modules.loss._Loss: a Module that keeps its `reduction` (from the legacy flags when given). */
export const LOSS_CLASS = new PyClass(
  '_Loss',
  [MODULE_CLASS],
  new Map<string, PyValue>([
    [
      '__init__',
      def('_Loss.__init__', ['self', 'size_average=None', 'reduce=None', "reduction='mean'"], (a) => {
        const self = a.self as PyInstance;
        self.attrs.set('training', true);
        self.attrs.set('reduction', legacyReductionName(a.size_average, a.reduce, a.reduction));
        return null;
      }),
    ],
  ]),
  undefined,
  'torch.nn.modules.loss._Loss',
);

/** torch.nn.modules.loss._WeightedLoss: a _Loss with a `weight` buffer. */
export const WEIGHTED_LOSS_CLASS = new PyClass(
  '_WeightedLoss',
  [LOSS_CLASS],
  new Map<string, PyValue>([
    [
      '__init__',
      def(
        '_WeightedLoss.__init__',
        ['self', 'weight=None', 'size_average=None', 'reduce=None', "reduction='mean'"],
        (a) => {
          const self = a.self as PyInstance;
          self.attrs.set('training', true);
          self.attrs.set('reduction', legacyReductionName(a.size_average, a.reduce, a.reduction));
          self.attrs.set('weight', a.weight);
          return null;
        },
      ),
    ],
  ]),
  undefined,
  'torch.nn.modules.loss._WeightedLoss',
);

/** A built-in nn module (nn.Softmax(dim=1), nn.BCELoss()) whose forward is a native function of its attributes. */
/** The names torch's loss and activation modules give their forward's tensors. */
const FORWARD_NAMES = ['input', 'target'];

/** A native module's forward arguments in order, keywords included (`criterion(input=x, target=y)`). */
function forwardArguments(name: string, args: Args): PyValue[] {
  const values = args.positional.slice(1);
  for (const key of args.keywords.keys())
    if (!FORWARD_NAMES.includes(key)) throw typeError(`${name}.forward() got an unexpected keyword argument '${key}'`);
  for (const key of FORWARD_NAMES.slice(values.length)) {
    const value = args.keywords.get(key);
    if (value === undefined) break;
    values.push(value);
  }
  if (values.length < args.positional.length - 1 + args.keywords.size)
    throw typeError(`${name}.forward() got multiple values for an argument`);
  return values;
}

export function nativeModule(
  name: string,
  initSpec: readonly string[],
  forward: (config: Bound, args: PyValue[], site: CallSite) => PyValue,
): PyClass {
  return new PyClass(
    name,
    [MODULE_CLASS],
    new Map<string, PyValue>([
      [
        '__init__',
        def(`${name}.__init__`, ['self', ...initSpec], (a) => {
          const self = a.self as PyInstance;
          self.attrs.set('training', true);
          for (const [k, v] of Object.entries(a)) if (k !== 'self') self.attrs.set(k, v);
          // the deprecated size_average/reduce flags decide the reduction, as in torch's _Loss
          if ('size_average' in a)
            self.attrs.set('reduction', legacyReductionName(a.size_average, a.reduce, a.reduction));
          return null;
        }),
      ],
      [
        'forward',
        new BuiltinFunction(`${name}.forward`, (args, site) => {
          // torch's forward reads the module's attributes (a subclass may have changed self.reduction)
          const self = args.positional[0] as PyInstance;
          const config: Bound = Object.fromEntries(self.attrs);
          if ('size_average' in config) Object.assign(config, { size_average: null, reduce: null });
          return forward(config, forwardArguments(name, args), site);
        }),
      ],
    ]),
    undefined,
    `torch.nn.${name}`,
  );
}

export const nn = new Map<string, PyValue>([
  ['Module', MODULE_CLASS],
  [
    'Softmax',
    nativeModule('Softmax', ['dim=None'], (c, [x], site) =>
      softmax(site, T(site, x), c.dim === null ? implicitSoftmaxDim(T(site, x).rank) : intArg(c.dim)),
    ),
  ],
  [
    // Softmax over the channels of (C, H, W) / (N, C, H, W) images.
    'Softmax2d',
    nativeModule('Softmax2d', [], (_c, [x], site) => {
      const input = T(site, x);
      if (input.rank !== 3 && input.rank !== 4)
        throw valueError(`Softmax2d: expected input to be 3D or 4D, got ${input.rank}D instead`);
      return softmax(site, input, -3);
    }),
  ],
  [
    'LogSoftmax',
    nativeModule('LogSoftmax', ['dim=None'], (c, [x], site) =>
      logSoftmax(site, T(site, x), c.dim === null ? implicitSoftmaxDim(T(site, x).rank) : intArg(c.dim)),
    ),
  ],
  [
    'Sigmoid',
    nativeModule('Sigmoid', [], (_c, [x], site) =>
      unaryOp(site, 'sigmoid', activationKind('sigmoid'), x, FLAVOUR, tf.sigmoid),
    ),
  ],
  [
    'ReLU',
    nativeModule('ReLU', ['inplace=False'], (_c, [x], site) =>
      unaryOp(site, 'relu', activationKind('relu'), x, FLAVOUR, tf.relu, 'same'),
    ),
  ],
  ['Identity', nativeModule('Identity', ['*args', '**kwargs'], (_c, [x]) => x)],
  [
    'CrossEntropyLoss',
    nativeModule(
      'CrossEntropyLoss',
      [
        'weight=None',
        'size_average=None',
        'ignore_index=-100',
        'reduce=None',
        "reduction='mean'",
        'label_smoothing=0.0',
      ],
      (c, [input, target], site) =>
        torchClassificationLoss(
          site,
          'cross_entropy',
          T(site, input),
          T(site, target),
          c.weight === null ? undefined : T(site, c.weight),
          intArg(c.ignore_index),
          parseReduction(legacyReductionName(c.size_average, c.reduce, c.reduction)),
          floatArg(c.label_smoothing),
        ),
    ),
  ],
  [
    'NLLLoss',
    nativeModule(
      'NLLLoss',
      ['weight=None', 'size_average=None', 'ignore_index=-100', 'reduce=None', "reduction='mean'"],
      (c, [input, target], site) =>
        torchClassificationLoss(
          site,
          'nll_loss',
          T(site, input),
          T(site, target),
          c.weight === null ? undefined : T(site, c.weight),
          intArg(c.ignore_index),
          parseReduction(legacyReductionName(c.size_average, c.reduce, c.reduction)),
        ),
    ),
  ],
  [
    'BCELoss',
    nativeModule(
      'BCELoss',
      ['weight=None', 'size_average=None', 'reduce=None', "reduction='mean'"],
      (c, [input, target], site) =>
        torchBinaryCrossEntropy(
          site,
          T(site, input),
          T(site, target),
          c.weight === null ? undefined : T(site, c.weight),
          parseReduction(legacyReductionName(c.size_average, c.reduce, c.reduction)),
        ),
    ),
  ],
  [
    'BCEWithLogitsLoss',
    nativeModule(
      'BCEWithLogitsLoss',
      ['weight=None', 'size_average=None', 'reduce=None', "reduction='mean'", 'pos_weight=None'],
      (c, [input, target], site) =>
        torchBinaryCrossEntropyWithLogits(
          site,
          T(site, input),
          T(site, target),
          c.weight === null ? undefined : T(site, c.weight),
          c.pos_weight === null ? undefined : T(site, c.pos_weight),
          parseReduction(legacyReductionName(c.size_average, c.reduce, c.reduction)),
        ),
    ),
  ],
  [
    'MSELoss',
    nativeModule('MSELoss', ['size_average=None', 'reduce=None', "reduction='mean'"], (c, [input, target], site) =>
      site.rt.call(
        functional.get('mse_loss')!,
        {
          positional: [input, target],
          keywords: new Map([['reduction', legacyReductionName(c.size_average, c.reduce, c.reduction)]]),
        },
        site.range,
      ),
    ),
  ],
  [
    'L1Loss',
    nativeModule('L1Loss', ['size_average=None', 'reduce=None', "reduction='mean'"], (c, [input, target], site) =>
      site.rt.call(
        functional.get('l1_loss')!,
        {
          positional: [input, target],
          keywords: new Map([['reduction', legacyReductionName(c.size_average, c.reduce, c.reduction)]]),
        },
        site.range,
      ),
    ),
  ],
  [
    'SmoothL1Loss',
    nativeModule(
      'SmoothL1Loss',
      ['size_average=None', 'reduce=None', "reduction='mean'", 'beta=1.0'],
      (c, [input, target], site) =>
        smoothL1Loss(
          site,
          input,
          target,
          parseReduction(legacyReductionName(c.size_average, c.reduce, c.reduction)),
          floatArg(c.beta, 'beta'),
        ),
    ),
  ],
  [
    'HuberLoss',
    nativeModule('HuberLoss', ["reduction='mean'", 'delta=1.0'], (c, [input, target], site) =>
      huberLoss(site, input, target, parseReduction(c.reduction), floatArg(c.delta, 'delta')),
    ),
  ],
  ['Parameter', def('nn.Parameter', ['data=None', 'requires_grad=True'], (a, site) => T(site, a.data))],
]);

// torch's deprecated 2-D spelling: NLLLoss itself takes (N, C, H, W) since 0.4.
nn.set('NLLLoss2d', nn.get('NLLLoss')!);
