// Per-evaluation state shared by the interpreter and the op tables: limits, the trace, the
// gradient mode (torch.no_grad), and the one place where tensor ops are applied.
import * as tf from '@tensorflow/tfjs';
import type { SourceRange } from './ast';
import type { CallSite } from './callsite';
import { InterpreterError, valueError } from './errors';
import type { Budget } from './budget';
import { withKernelLimits } from './kernelLimits';
import { LimitGuard, type Limits, DEFAULT_LIMITS } from './limits';
import type { OpKind } from './opKinds';
import { type Flavour, type LogicalDtype, TensorValue, storageDtype } from './tensor';
import { type GradientMode, type HandGradientUse, type InputRole, Trace, type TensorInfo } from './trace';
import type { Args, PyValue } from './values';

interface OpOptions {
  /** What the op is (checks match it), set where the op is implemented. */
  kind: OpKind;
  gradient?: GradientMode; // default 'flow'
  dtype: LogicalDtype;
  flavour?: Flavour; // default: the first input's
  /** Whether inputs were broadcast against each other (elementwise ops say so). */
  broadcast?: boolean;
  roles?: InputRole[];
}

type Caller = (fn: PyValue, args: Args, range: SourceRange) => PyValue;

export class Runtime {
  readonly trace = new Trace();
  /** The tensors this runtime's ops made (their producer indices point into its trace). */
  private readonly produced = new WeakSet<tf.Tensor>();
  readonly guard: LimitGuard;
  /** Ranges of the user-function calls being executed, outermost first. */
  readonly callStack: SourceRange[] = [];
  gradEnabled = true;
  /** Diagnostic runs read every op's output to mark where NaN/Inf first appears (costs a sync per op). */
  inspectValues = false;
  /** Set by the interpreter so native functions can call Python callables (map, sorted key=...). */
  caller?: Caller;
  /** Set by the interpreter: `__import__`/importlib import as an import statement does (ImportError if none). */
  importer?: (name: string, range: SourceRange) => { root: PyValue; leaf: PyValue };
  /** State that belongs to the program across its evaluations (Keras's set_epsilon...), shared by the interpreter. */
  programState = new Map<string, unknown>();
  /** The hand-written gradients (autograd Functions, tf.custom_gradient, Caffe layers) met, by key. */
  readonly handGradients = new Map<string, HandGradientUse>();
  /**
   * `.numpy()` on a torch tensor that requires grad acts as `.detach().numpy()` instead of raising:
   * the diagnosis asks what the user's obvious fix would give (see diagnose/numpyOnGrad.ts).
   */
  numpyDetaches = false;
  /** Which hand-written gradients to replace by automatic differentiation of their forward pass. */
  autodiff: (key: string) => boolean = () => false;
  /** The return statement the last Python function call ended with, and the function. */
  lastReturn?: { fn: PyValue; range: SourceRange };

  constructor(limits: Partial<Limits> = {}, isCancelled?: () => boolean, budgets: readonly Budget[] = []) {
    this.guard = new LimitGuard({ ...DEFAULT_LIMITS, ...limits }, isCancelled, budgets);
  }

  call(fn: PyValue, args: Args, range: SourceRange): PyValue {
    if (!this.caller)
      throw new InterpreterError('unsupported', 'internal: no interpreter attached to the runtime', range);
    return this.caller(fn, args, range);
  }

  /**
   * Applies a tensor op with the framework's gradient semantics and records it in the trace.
   * Ops that cut the gradient (or make it zero) run on detached copies of their inputs, so TF.js
   * never tries to differentiate through them, exactly as the framework would not.
   */
  apply(
    site: CallSite,
    op: string,
    inputs: TensorValue[],
    compute: (tensors: tf.Tensor[]) => tf.Tensor,
    options: OpOptions,
  ): TensorValue {
    this.guard.tick();
    const flavour = options.flavour ?? inputs[0]?.flavour ?? 'torch';
    // Theano defines the gradient of argmax, comparisons, round and int casts as zeros, not None.
    const requested: GradientMode = options.gradient ?? 'flow';
    const theanoZero = requested === 'cut' && flavour === 'theano' && options.kind.category !== 'detach';
    const gradient: GradientMode = theanoZero ? 'zero' : requested;
    const detachInputs = gradient !== 'flow' || !this.gradEnabled;
    const raw = inputs.map((input) => (detachInputs && input.requiresGrad ? detach(input.tensor) : input.tensor));
    let out: tf.Tensor;
    try {
      out = withKernelLimits(this.guard, op, () => compute(raw));
    } catch (error) {
      throw asPythonError(error, op, site.range);
    }
    if (out.size > this.guard.limits.maxTensorElements) {
      out.dispose();
      this.guard.checkTensorElements(out.shape, `the result of ${op}`);
    }
    this.guard.produced(out.size, op);
    const wanted = storageDtype(options.dtype);
    if (out.dtype !== wanted) out = tf.cast(out, wanted);
    const requiresGrad = gradient !== 'cut' && this.gradEnabled && inputs.some((i) => i.requiresGrad);
    const origin = inputs.reduce((acc, i) => acc | i.origin, 0);
    const info = (t: TensorValue): TensorInfo => ({
      shape: t.shape,
      dtype: t.dtype,
      origin: t.origin,
      requiresGrad: t.requiresGrad,
    });
    const producer = this.trace.record({
      op,
      kind: options.kind,
      ...placed(site.range, this.callStack),
      callStack: [...this.callStack],
      inputs: inputs.map(info),
      inputProducers: inputs.map((i) => this.producerOf(i)),
      output: { shape: out.shape, dtype: options.dtype, origin, requiresGrad },
      gradient,
      differentiable: gradient === 'flow',
      broadcast: options.broadcast ?? false,
      nonFinite: this.inspectValues && out.dtype === 'float32' ? hasNonFinite(out) : undefined,
      ...(this.inspectValues && out.size <= SMALL_OUTPUT && out.dtype === 'float32'
        ? { values: Array.from(out.dataSync() as Float32Array) }
        : {}),
      ...(options.roles ? { roles: options.roles } : {}),
    });
    this.produced.add(out);
    return new TensorValue(out, options.dtype, flavour, origin, requiresGrad, producer);
  }

  /**
   * The trace index of the entry that made a tensor, when this runtime's trace holds it: a tensor the
   * module's top level made (class weights as a global) carries an index into another trace.
   */
  producerOf(value: TensorValue): number {
    return value.producer >= 0 && this.produced.has(value.tensor) ? value.producer : -1;
  }

  /**
   * Records a tensor leaving the tensor world (.item(), float(t), .tolist()): the Python number
   * that results carries no gradient, which the checks need to see.
   */
  recordConversion(site: CallSite, op: string, input: TensorValue, to: 'scalar' | 'list'): void {
    this.trace.record({
      op,
      kind: { category: 'conversion', to },
      ...placed(site.range, this.callStack),
      callStack: [...this.callStack],
      inputs: [{ shape: input.shape, dtype: input.dtype, origin: input.origin, requiresGrad: input.requiresGrad }],
      inputProducers: [this.producerOf(input)],
      output: { shape: [], dtype: 'python', origin: input.origin, requiresGrad: false },
      gradient: 'cut',
      differentiable: false,
      broadcast: false,
    });
  }

  /** A constant tensor (from Python numbers or lists): no origin, no gradient. */
  constant(
    values: tf.TensorLike | tf.Tensor,
    shape: number[] | undefined,
    dtype: LogicalDtype,
    flavour: Flavour,
  ): TensorValue {
    if (shape) this.guard.checkTensorElements(shape, 'a tensor');
    const tensor = values instanceof tf.Tensor ? values : tf.tensor(values, shape, storageDtype(dtype));
    this.guard.checkTensorElements(tensor.shape, 'a tensor');
    return new TensorValue(tensor, dtype, flavour, 0, false);
  }
}

/**
 * Where an op is reported: its own range in the diagnosed file; for an op written in another project
 * file, the call in the diagnosed file that led there (`range`), with the op's own place (`at`).
 */
function placed(range: SourceRange, callStack: readonly SourceRange[]): { range: SourceRange; at?: SourceRange } {
  if (range.file === undefined) return { range };
  const anchor = [...callStack].reverse().find((call) => call.file === undefined && call.line > 0);
  return anchor ? { range: anchor, at: range } : { range };
}

/** Outputs up to this size keep their values in inspected traces. */
const SMALL_OUTPUT = 64;

function hasNonFinite(tensor: tf.Tensor): boolean {
  const data = tensor.dataSync() as Float32Array;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return true;
  return false;
}

/** A copy that TF.js's tape does not connect to the original. */
export function detach(tensor: tf.Tensor): tf.Tensor {
  return tf.tensor(tensor.dataSync(), tensor.shape, tensor.dtype);
}

/** TF.js shape and argument errors surface as Python ValueErrors at the op's line. */
function asPythonError(error: unknown, op: string, range: SourceRange): InterpreterError {
  if (error instanceof InterpreterError) return error.at(range);
  const message = error instanceof Error ? error.message : String(error);
  return valueError(`${op}: ${message}`, range);
}
