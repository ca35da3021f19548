// torch.autograd.Function: a user's forward(ctx, ...) and hand-written backward(ctx, *grads), used
// as MyFunction.apply(...). The forward runs without gradient tracking, as torch runs it; its
// outputs are connected to the tensor inputs by one op whose gradient is the Python backward, run
// when the gradient is taken (its ops are not part of the loss's trace). Also torch.cuda.amp's
// custom_fwd/custom_bwd decorators and autocast, which change nothing outside an autocast region.
import * as tf from '@tensorflow/tfjs';
import { CLASSMETHOD, getAttribute } from '../../attributes';
import { OBJECT_CLASS } from '../../builtins';
import type { CallSite } from '../../callsite';
import { runtimeError, typeError } from '../../errors';
import { isTensor } from '../../protocols';
import { TensorValue, isFloatDtype } from '../../tensor';
import { BuiltinFunction, PyClass, PyDict, PyInstance, PyList, PyTuple, type PyValue, typeName } from '../../values';
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

/** Calls `fn` with gradient tracking off (and, for the backward, without adding its ops to the trace). */
function untracked<T>(site: CallSite, keepTrace: boolean, run: () => T): T {
  const [gradEnabled, traced] = [site.rt.gradEnabled, site.rt.trace.entries.length];
  site.rt.gradEnabled = false;
  try {
    return run();
  } finally {
    site.rt.gradEnabled = gradEnabled;
    if (!keepTrace) site.rt.trace.entries.length = traced;
  }
}

/** The gradient the Python backward returned for one input, in the input's shape (None: zeros). */
function inputGradient(value: PyValue, input: TensorValue, index: number, name: string): tf.Tensor {
  // TF.js wants float32 gradients for every input (an integer input's is never used)
  if (value === null || !isFloatDtype(input.dtype)) return tf.zeros(input.shape);
  if (!isTensor(value)) throw typeError(`${name}.backward returned ${typeName(value)} for input ${index}`);
  const grad = value.tensor.dtype === 'float32' ? value.tensor : tf.cast(value.tensor, 'float32');
  if (grad.shape.join(',') === input.shape.join(',')) return grad;
  if (grad.size === input.size) return tf.reshape(grad, input.shape);
  throw runtimeError(
    `Function ${name}Backward returned an invalid gradient at index ${index} - got [${grad.shape.join(', ')}] ` +
      `but expected shape compatible with [${input.shape.join(', ')}]`,
  );
}

/** The tensors ctx holds (saved_tensors and any attribute, inside tuples, lists and dicts too). */
function ctxTensors(ctx: PyInstance): TensorValue[] {
  const found = new Set<TensorValue>();
  const visit = (v: PyValue) => {
    if (isTensor(v)) found.add(v);
    else if (v instanceof PyTuple || v instanceof PyList) v.items.forEach(visit);
    else if (v instanceof PyDict) v.values().forEach(visit);
  };
  ctx.attrs.forEach(visit);
  return [...found];
}

/** The Python backward's gradients for the tensor arguments, from the upstream gradient of the outputs. */
function runBackward(
  site: CallSite,
  cls: PyClass,
  ctx: PyInstance,
  args: PyValue[],
  outputs: PyValue[],
  differentiable: number[],
  dy: tf.Tensor,
): tf.Tensor[] {
  const backward = getAttribute(cls, 'backward', site);
  const parts = differentiable.map((k) => outputs[k] as TensorValue);
  const pieces = tf.split(
    dy,
    parts.map((p) => p.size),
  );
  const grads = outputs.map((o, k) => {
    const at = differentiable.indexOf(k);
    if (at >= 0) return new TensorValue(tf.reshape(pieces[at], parts[at].shape), parts[at].dtype, FLAVOUR, 0, false);
    return isTensor(o) ? new TensorValue(tf.zeros(o.shape, o.tensor.dtype), o.dtype, FLAVOUR, 0, false) : null;
  });
  const returned = untracked(site, false, () =>
    site.rt.call(backward, { positional: [ctx, ...grads], keywords: new Map() }, site.range),
  );
  const perArgument = returned instanceof PyTuple ? [...returned.items] : [returned];
  if (perArgument.length !== args.length)
    throw runtimeError(
      `function ${cls.name}Backward returned an incorrect number of gradients (expected ${args.length}, ` +
        `got ${perArgument.length})`,
    );
  return args.flatMap((a, i) => (isTensor(a) ? [inputGradient(perArgument[i], a, i, cls.name)] : []));
}

/** cls.apply(*args): the forward's value, differentiated by the class's backward. */
function applyFunction(cls: PyClass, args: PyValue[], site: CallSite): PyValue {
  const name = cls.name;
  const forward = getAttribute(cls, 'forward', site);
  const ctx = new PyInstance(CTX_CLASS);
  ctx.native = { nonDifferentiable: new Set(), materializeGrads: true } satisfies CtxState;
  const tracking = site.rt.gradEnabled;
  ctx.attrs.set('needs_input_grad', new PyTuple(args.map((v) => tracking && isTensor(v) && v.requiresGrad)));
  const result = untracked(site, true, () =>
    site.rt.call(forward, { positional: [ctx, ...args], keywords: new Map() }, site.range),
  );
  const outputs = result instanceof PyTuple ? [...result.items] : [result];
  const inputs = args.filter(isTensor);
  if (!tracking || !inputs.some((i) => i.requiresGrad)) return result;
  // Differentiable outputs: float tensors not marked otherwise; the rest are returned as computed.
  const differentiable = outputs.flatMap((o, k) =>
    isTensor(o) && isFloatDtype(o.dtype) && !ctxState(ctx).nonDifferentiable.has(o) ? [k] : [],
  );
  if (!differentiable.length) return result;
  const parts = differentiable.map((k) => outputs[k] as TensorValue);
  // The forward's intermediate tensors are freed when the forward pass ends: what the backward reads
  // through ctx is kept with the op (TF.js's save) and read back from there.
  const kept = ctxTensors(ctx);
  const kernel = tf.customGrad(((...xs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    (xs[xs.length - 1] as tf.GradSaveFunc)(kept.map((t) => t.tensor));
    return {
      value: tf.concat(parts.map((p) => tf.reshape(tf.cast(p.tensor, 'float32'), [-1]))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        kept.forEach((t, i) => (t.tensor = saved[i]));
        return runBackward(site, cls, ctx, args, outputs, differentiable, dy);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const combined = site.rt.apply(site, `${name}.apply`, inputs, (ts) => kernel(...ts) as tf.Tensor, {
    kind: { category: 'other', reason: 'torch.autograd.Function: a hand-written backward' },
    dtype: parts[0].dtype,
    flavour: FLAVOUR,
  });
  let offset = 0;
  const connected = parts.map((p) => {
    const [from, size] = [offset, p.size];
    offset += size;
    const piece = (t: tf.Tensor) => tf.reshape(parts.length === 1 ? t : tf.slice(t, [from], [size]), p.shape);
    return site.rt.apply(site, `${name}.apply`, [combined], ([t]) => piece(t), {
      kind: parts.length === 1 ? { category: 'reshape' } : { category: 'split', method: 'split', axis: 0 },
      dtype: p.dtype,
    });
  });
  const final = outputs.map((o, k) => (differentiable.includes(k) ? connected[differentiable.indexOf(k)] : o));
  return result instanceof PyTuple ? new PyTuple(final) : final[0];
}

const applyMarker = new PyInstance(CLASSMETHOD);
applyMarker.native = new BuiltinFunction('Function.apply', (args, site) => {
  const [cls, ...rest] = args.positional;
  if (!(cls instanceof PyClass)) throw typeError('Function.apply needs the Function class');
  return applyFunction(cls, rest, site);
});

/** torch.autograd.Function: subclasses define static forward(ctx, ...) and backward(ctx, *grads). */
export const FUNCTION_CLASS = new PyClass(
  'Function',
  [OBJECT_CLASS],
  new Map<string, PyValue>([['apply', applyMarker]]),
  undefined,
  'torch.autograd.Function',
);

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
