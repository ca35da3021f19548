// PyTorch: torch, torch.nn, torch.nn.functional, and torch.Tensor methods, with torch's semantics
// (dim/keepdim, int64 indices, implicit float promotion, round/sign/floor giving zero gradients,
// argmax/comparisons/.detach()/.long() cutting them).
// This file registers the modules; each area fills the tables in its own file (imported here in
// table order).
import './reduce';
import './math';
import './shape';
import './indexing';
import './tensor';
import './creation';
import './dtypes';
import './functional';
import './nn';
import './sort';
import './legacy';
import './linalg';
import './pool';
import './conv';
import './interpolate';
import { registerTensorAttributes } from '../../attributes';
import { BuiltinFunction, type PyValue } from '../../values';
import { getModule, registerModule } from '../registry';
import { FLAVOUR } from './arguments';
import { TENSOR_CLASS } from './dtypes';
import { FUNCTION_CLASS, ONCE_DIFFERENTIABLE, amp } from './autogradFunction';
import { functional } from './functional';
import { CUDA_LEGACY_CLASSES, VARIABLE_CLASS } from './legacy';
import { linalg } from './linalg';
import { LOSS_CLASS, MODULE_CLASS, WEIGHTED_LOSS_CLASS, nn } from './nn';
import { tensorMethods, torchFunctions } from './tables';
import { tensorProperties } from './tensor';

registerTensorAttributes(FLAVOUR, { ...tensorMethods, ...tensorProperties });

registerModule('torch', () => new Map<string, PyValue>([...torchFunctions, ['Tensor', TENSOR_CLASS]]));
registerModule('torch.nn', () => nn);
registerModule('torch.linalg', () => linalg);
// torch.sparse's own namespace imports torch, so `torch.sparse.torch.eye(n)` (an old one-hot idiom) is torch.eye.
registerModule('torch.sparse', () => new Map<string, PyValue>([['torch', getModule('torch')!]]));
registerModule('torch.nn.functional', () => functional);
registerModule(
  'torch.cuda',
  () =>
    new Map<string, PyValue>([
      ['is_available', new BuiltinFunction('is_available', () => false)],
      ['device_count', new BuiltinFunction('device_count', () => 0n)],
      ...CUDA_LEGACY_CLASSES,
    ]),
);
registerModule('torch.nn.modules', () => new Map<string, PyValue>([['Module', MODULE_CLASS]]));
registerModule('torch.nn.modules.module', () => new Map<string, PyValue>([['Module', MODULE_CLASS]]));
registerModule(
  'torch.nn.modules.loss',
  () =>
    new Map<string, PyValue>([
      ['_Loss', LOSS_CLASS],
      ['_WeightedLoss', WEIGHTED_LOSS_CLASS],
    ]),
);
registerModule(
  'torch.autograd',
  () =>
    new Map<string, PyValue>([
      ['Variable', VARIABLE_CLASS],
      ['Function', FUNCTION_CLASS],
    ]),
);
registerModule(
  'torch.autograd.function',
  () =>
    new Map<string, PyValue>([
      ['Function', FUNCTION_CLASS],
      ['once_differentiable', ONCE_DIFFERENTIABLE],
    ]),
);
registerModule('torch.cuda.amp', () => amp);
registerModule('torch.autograd.variable', () => new Map<string, PyValue>([['Variable', VARIABLE_CLASS]]));
