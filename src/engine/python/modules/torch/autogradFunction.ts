// torch.autograd.Function: a user's forward(ctx, ...) and hand-written backward(ctx, *grads), used
// as MyFunction.apply(...). The forward runs without gradient tracking, as torch runs it; its
// outputs are connected to the tensor inputs by one op whose gradient is the Python backward, run
// when the gradient is taken (its ops are not part of the loss's trace). A None the backward returns
// is no gradient for that input, as in torch. When the runtime asks for automatic differentiation of
// the Function (the wrong-gradient check), the forward runs tracked and the backward is not used.
// Also torch.cuda.amp's custom_fwd/custom_bwd decorators and autocast, which change nothing outside
// an autocast region.
import * as tf from '@tensorflow/tfjs';
import { CLASSMETHOD, getAttribute } from '../../attributes';
import { OBJECT_CLASS } from '../../builtins';
import type { CallSite } from '../../callsite';
import { runtimeError, typeError } from '../../errors';
import { freeze } from '../../frozen';
import {
  type HandGradientUse,
  connectBackward,
  handGradientKey,
  inputGradient,
  reachableTensors,
  recordHandGradient,
  returnOf,
  untracked,
} from '../../handGradients';
import { isTensor } from '../../protocols';
import { detach } from '../../runtime';
import { TensorValue, isFloatDtype } from '../../tensor';
import { BuiltinFunction, PyClass, PyFunction, PyInstance, PyTuple, type PyValue } from '../../values';
import { def } from '../common';
import { FLAVOUR } from './arguments';

interface CtxState {
  nonDifferentiable: Set<TensorValue>;
  materializeGrads: boolean;
}

const ctxState = (ctx: PyValue) => (ctx as PyInstance).native as CtxState;

/** The `ctx` a Function's forward and backward share: saved tensors and any attributes the code sets. */
const CTX_CLASS = new PyClass(
  'FunctionCtx',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      'save_for_backward',
      def('save_for_backward', ['self', '*tensors'], (a) => {
        (a.self as PyInstance).attrs.set('saved_tensors', a.tensors);
        return null;
      }),
    ],
    [
      'mark_non_differentiable',
      def('mark_non_differentiable', ['self', '*args'], (a) => {
        for (const t of (a.args as PyTuple).items) if (isTensor(t)) ctxState(a.self).nonDifferentiable.add(t);
        return null;
      }),
    ],
    [
      'set_materialize_grads',
      def('set_materialize_grads', ['self', 'value'], (a) => {
        ctxState(a.self).materializeGrads = a.value === true;
        return null;
      }),
    ],
    ['mark_dirty', def('mark_dirty', ['self', '*args'], () => null)],
  ]),
  undefined,
  'torch.autograd.function.FunctionCtx',
);

/** The tensors ctx holds (saved_tensors and any attribute, inside tuples, lists and dicts too). */
const ctxTensors = (ctx: PyInstance): TensorValue[] => reachableTensors([...ctx.attrs.values()]);

/** The Python backward's gradients for the tensor arguments, from the upstream gradient of the outputs. */
function runBackward(
  site: CallSite,
  cls: PyClass,
  use: HandGradientUse,
  ctx: PyInstance,
  args: PyValue[],
  outputs: PyValue[],
  differentiable: number[],
  upstream: tf.Tensor[],
): tf.Tensor[] {
  const backward = getAttribute(cls, 'backward', site);
  const grads = outputs.map((o, k) => {
    const at = differentiable.indexOf(k);
    if (at >= 0) return new TensorValue(upstream[at], (o as TensorValue).dtype, FLAVOUR, 0, false);
    return isTensor(o) ? new TensorValue(tf.zeros(o.shape, o.tensor.dtype), o.dtype, FLAVOUR, 0, false) : null;
  });
  const returned = untracked(site, false, () =>
    site.rt.call(backward, { positional: [ctx, ...grads], keywords: new Map() }, site.range),
  );
  use.backward = returnOf(site.rt, backward) ?? (backward instanceof PyFunction ? backward.range : use.definition);
  const perArgument = returned instanceof PyTuple ? [...returned.items] : [returned];
  if (perArgument.length !== args.length)
    throw runtimeError(
      `function ${cls.name}Backward returned an incorrect number of gradients (expected ${args.length}, ` +
        `got ${perArgument.length})`,
    );
  const invalid = (i: number) => (got: string, expected: string) =>
    `Function ${cls.name}Backward returned an invalid gradient at index ${i} - got [${got}] ` +
    `but expected shape compatible with [${expected}]`;
  return args.flatMap((a, i) => (isTensor(a) ? [inputGradient(perArgument[i], a, i, use, invalid(i))] : []));
}

/** cls.apply(*args): the forward's value, differentiated by the class's backward. */
function applyFunction(cls: PyClass, args: PyValue[], site: CallSite): PyValue {
  const name = cls.name;
  const forward = getAttribute(cls, 'forward', site);
  const ctx = new PyInstance(CTX_CLASS);
  ctx.native = { nonDifferentiable: new Set(), materializeGrads: true } satisfies CtxState;
  const tracking = site.rt.gradEnabled;
  ctx.attrs.set('needs_input_grad', new PyTuple(args.map((v) => tracking && isTensor(v) && v.requiresGrad)));
  const inputs = args.filter(isTensor);
  const differentiated = tracking && inputs.some((i) => i.requiresGrad);
  const key = handGradientKey(cls.range, name);
  const use = differentiated
    ? recordHandGradient(site.rt, {
        key,
        style: 'autograd-function',
        name,
        definition: cls.range ?? site.range,
      })
    : undefined;
  if (use && site.rt.autodiff(key)) return autodiffForward(site, forward, ctx, args);
  const result = untracked(site, true, () =>
    site.rt.call(forward, { positional: [ctx, ...args], keywords: new Map() }, site.range),
  );
  const outputs = result instanceof PyTuple ? [...result.items] : [result];
  if (!use) return result;
  // Differentiable outputs: float tensors not marked otherwise; the rest are returned as computed.
  const differentiable = outputs.flatMap((o, k) =>
    isTensor(o) && isFloatDtype(o.dtype) && !ctxState(ctx).nonDifferentiable.has(o) ? [k] : [],
  );
  if (!differentiable.length) return result;
  const parts = differentiable.map((k) => outputs[k] as TensorValue);
  // The forward's intermediate tensors are freed when the forward pass ends: what the backward reads
  // through ctx is kept with the op and read back from there.
  const connected = connectBackward(
    site,
    `${name}.apply`,
    'torch.autograd.Function: a hand-written backward',
    inputs,
    parts,
    ctxTensors(ctx),
    (upstream) => runBackward(site, cls, use, ctx, args, outputs, differentiable, upstream),
  );
  const final = outputs.map((o, k) => (differentiable.includes(k) ? connected[differentiable.indexOf(k)] : o));
  return result instanceof PyTuple ? new PyTuple(final) : final[0];
}

/**
 * The forward differentiated automatically (the gradient the backward should give): run with
 * gradient tracking, its outputs marked non-differentiable detached.
 */
function autodiffForward(site: CallSite, forward: PyValue, ctx: PyInstance, args: PyValue[]): PyValue {
  const result = site.rt.call(forward, { positional: [ctx, ...args], keywords: new Map() }, site.range);
  const marked = ctxState(ctx).nonDifferentiable;
  if (!marked.size) return result;
  const detached = (o: PyValue) =>
    isTensor(o) && marked.has(o) ? new TensorValue(detach(o.tensor), o.dtype, o.flavour, o.origin, false) : o;
  return result instanceof PyTuple ? new PyTuple(result.items.map(detached)) : detached(result);
}

// Shared by every analysis: read-only (see ../../frozen.ts).
const applyMarker = freeze(new PyInstance(CLASSMETHOD));
applyMarker.native = new BuiltinFunction('Function.apply', (args, site) => {
  const [cls, ...rest] = args.positional;
  if (!(cls instanceof PyClass)) throw typeError('Function.apply needs the Function class');
  return applyFunction(cls, rest, site);
});

// A 2017-style Function (forward(self, ...) on an instance, called as `MyLoss()(x, y)`): PyTorch 1.5+
// refuses it with this error, whatever the inputs.
const legacyCall = new BuiltinFunction('Function.__call__', () => {
  throw runtimeError(
    'Legacy autograd function with non-static forward method is deprecated. Please use new-style autograd ' +
      'function with static forward method. (Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)',
  );
});

/** torch.autograd.Function: subclasses define static forward(ctx, ...) and backward(ctx, *grads). */
export const FUNCTION_CLASS = new PyClass(
  'Function',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    ['apply', applyMarker],
    ['__call__', legacyCall],
  ]),
  undefined,
  'torch.autograd.Function',
);

/** @once_differentiable: the backward's own ops are never differentiated here, so it changes nothing. */
export const ONCE_DIFFERENTIABLE = new BuiltinFunction('once_differentiable', (args) => args.positional[0]);

/** torch.cuda.amp: custom_fwd(cast_inputs=...) and custom_bwd are no-ops outside an autocast region (here always). */
const identityDecorator = (name: string) =>
  new BuiltinFunction(name, (args) => {
    const [fn] = args.positional;
    // custom_fwd(cast_inputs=torch.float32) returns the decorator; custom_fwd(fn) the function
    return fn === undefined ? new BuiltinFunction(name, (inner) => inner.positional[0]) : fn;
  });
const AUTOCAST = new PyClass(
  'autocast',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    ['__init__', def('autocast.__init__', ['self', '*args', '**kwargs'], () => null)],
    ['__enter__', def('__enter__', ['self'], () => null)],
    ['__exit__', def('__exit__', ['self', '*args'], () => false)],
    ['__call__', def('autocast.__call__', ['self', 'func'], (a) => a.func)],
  ]),
  undefined,
  'torch.cuda.amp.autocast',
);
export const amp = new Map<string, PyValue>([
  ['custom_fwd', identityDecorator('custom_fwd')],
  ['custom_bwd', identityDecorator('custom_bwd')],
  ['autocast', AUTOCAST],
]);
