// A loaded Python file: parsed once, its top level run once, then its losses evaluated on tensors
// as often as needed (each evaluation with a fresh runtime: its own trace, limits and clock).
import * as tf from '@tensorflow/tfjs';
import type { ArgOrder, Framework } from './contract';
import { flavourOf, integerLabelDtype } from './contract';
import type { Module, SourceRange } from './python/ast';
import type { HandGradientUse } from './python/handGradients';
import { InterpreterError } from './python/errors';
import { opaqueError } from './python/protocols';
import { freshModules, importModule } from './python/modules/registry';
import { Interpreter, type LoadNote } from './python/interpreter';
import { type LegacyApiUse, legacyApiUses } from './python/legacyApi';
import type { Budget } from './python/budget';
import type { Limits } from './python/limits';
import {
  DEFAULT_PARSE_BOUNDS,
  type ParseBounds,
  type PythonParser,
  initPythonParser,
  parsePython,
} from './python/parser';
import { Runtime } from './python/runtime';
import { ORIGIN_PREDICTION, ORIGIN_TARGET, TensorValue } from './python/tensor';
import type { TraceEntry } from './python/trace';
import {
  BoundMethod,
  BuiltinFunction,
  PyClass,
  PyDict,
  PyFunction,
  PyInstance,
  PyModule,
  PyOpaque,
  PyList,
  PyTuple,
  type PyValue,
  typeName,
} from './python/values';
import type { Scope } from './python/scope';
import './python/modules/all';
import type { ProjectLayout } from './project/projectPaths';
import { ProjectImporter } from './project/projectImporter';
import type { SourceHost } from './project/sourceHost';

const FILE_START = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** The project a diagnosed file belongs to: how its imports are found, and how files are read. */
export interface ProjectContext {
  layout: ProjectLayout;
  host: SourceHost;
}

export type NestedNumbers = (number | NestedNumbers)[];

/** What a loss gets besides the prediction and the labels (see LossProgram.withArguments). */
export interface ArgumentBinding {
  keywords?: { name: string; value: string }[];
  /** Each makes one more positional argument from the loss's two inputs. */
  extras?: ((prediction: TensorValue, target: TensorValue) => PyValue)[];
  /** The prediction arrives as a tuple of this many heads' outputs (a network with auxiliary heads), each it. */
  predictionHeads?: number;
  /** What the loss takes in place of the labels, made from them (signed distance maps of the masks). */
  labelsAs?: (prediction: TensorValue, target: TensorValue) => TensorValue;
  /** Keyword arguments bound to framework modules (a backend a package injects: keras.backend). */
  modules?: { name: string; module: string }[];
  /** The loss takes one dict instead: the prediction under each of these keys, the labels under `labels`. */
  dictInput?: { prediction: string[]; labels: string };
}

export interface LossInputs {
  prediction: NestedNumbers | { data: Float32Array; shape: number[] };
  target: NestedNumbers | { data: Float32Array | Int32Array; shape: number[] };
  targetDtype: 'float' | 'int';
}

export interface EvaluationOptions {
  framework: Framework;
  argOrder: ArgOrder;
  limits?: Partial<Limits>;
  isCancelled?: () => boolean;
  /** Skip the backward pass (value and trace only). */
  valueOnly?: boolean;
  /** Mark in the trace which ops produce NaN/Inf (slower: reads every intermediate). */
  inspectValues?: boolean;
  /** Hand-written gradients (by key) to replace by automatic differentiation of their forward pass. */
  autodiff?: (key: string) => boolean;
}

export interface Evaluation {
  value: number;
  /** d(loss)/d(prediction), or null when no gradient path exists (the framework would have none). */
  gradient: Float32Array | null;
  gradientShape: number[];
  gradNorm: number | null;
  /** Whether the result requires grad in the framework's sense (true with an all-zero gradient for torch.round). */
  requiresGrad: boolean;
  /** The loss returned more than one element and was reduced by its mean, as Keras does. */
  reducedByMean: boolean;
  trace: TraceEntry[];
  resultShape: number[];
  /** Trace index of the op that produced the result (-1 when the loss returned a Python number). */
  resultProducer: number;
  /** The loss returned a Python number (`.item()`, `float(...)`): nothing a framework can differentiate. */
  returnedNumber: boolean;
  /** The hand-written gradients the loss used (autograd Functions, tf.custom_gradient, Caffe layers). */
  handGradients: HandGradientUse[];
}

/** Flattens nested lists into data + shape, checking that they are rectangular. */
export function toFlat(value: LossInputs['prediction'] | LossInputs['target']): {
  data: Float32Array | Int32Array;
  shape: number[];
} {
  if (!Array.isArray(value)) return value;
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const flat = (value as unknown[]).flat(Infinity) as unknown[];
  const expected = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== expected || flat.some((v) => typeof v !== 'number' && v !== null)) {
    throw new InterpreterError('python', 'ValueError: input tensors must be rectangular nested lists of numbers');
  }
  return { data: Float32Array.from(flat as number[], (v) => (v === null ? NaN : v)), shape };
}

/** The source ranges of a parsed snippet's nodes (by identity). */
function rangesIn(module: Module): Set<SourceRange> {
  const ranges = new Set<SourceRange>();
  const stack: unknown[] = [module.body];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) stack.push(...value);
    else
      for (const [key, child] of Object.entries(value))
        if (key === 'range') ranges.add(child as SourceRange);
        else stack.push(child);
  }
  return ranges;
}

export class LossProgram {
  /** The budgets of the diagnosis under way (a file's, a loss's): every evaluation also stops at their deadlines. */
  budgets: readonly Budget[] = [];
  /**
   * Evaluations read `.numpy()` on a torch tensor that requires grad as `.detach().numpy()` instead
   * of raising PyTorch's RuntimeError: set by a diagnosis that asks what that fix would give.
   */
  numpyDetaches = false;

  private constructor(
    readonly source: string,
    readonly module: Module,
    private readonly interpreter: Interpreter,
    private readonly parser: PythonParser,
    /** Tensors the modules' top levels keep (constants, class weights, closures' captures). */
    private readonly moduleTensors: Set<tf.Tensor>,
    private readonly importer?: ProjectImporter,
    /** The limits the program was loaded with: the default of each evaluation's. */
    private readonly limits?: Partial<Limits>,
  ) {}

  /** Parses only (no execution): for discovery in untrusted workspaces and for CodeLens. */
  static async parse(source: string, bounds: Partial<ParseBounds> = {}): Promise<Module> {
    return parsePython(await initPythonParser(), source, undefined, { ...DEFAULT_PARSE_BOUNDS, ...bounds });
  }

  /**
   * Parses and loads a file. A syntax error throws an InterpreterError with its line. With a
   * `project`, the file's imports of its project's modules resolve (loaded on demand); without
   * one, everything but the frameworks is an unresolved import.
   */
  static async load(
    source: string,
    limits?: Partial<Limits>,
    project?: ProjectContext,
    control: { isCancelled?: () => boolean; budgets?: readonly Budget[] } = {},
  ): Promise<LossProgram> {
    freshModules(); // nothing an earlier file did to the framework modules reaches this one
    const parser = await initPythonParser();
    const module = parsePython(parser, source);
    // The module's top-level code runs under the caller's cancellation and budgets (a file's deadline).
    const interpreter = new Interpreter(module, new Runtime(limits, control.isCancelled, control.budgets));
    const kept = new Set<tf.Tensor>();
    const keep = (values: Iterable<PyValue>) => {
      for (const t of reachableTensors(values)) if (!kept.has(t)) kept.add(tf.keep(t));
    };
    let importer: ProjectImporter | undefined;
    if (project) {
      const { layout, host } = project;
      const projectImporter = new ProjectImporter(
        host,
        layout.searchPaths,
        (text, file) => parsePython(parser, text, file),
        interpreter,
      );
      importer = projectImporter;
      interpreter.importer = projectImporter;
      interpreter.setPackage(layout.package);
      projectImporter.register(layout.moduleName, new PyModule(layout.moduleName, interpreter.globals.vars));
      // Imported modules load during evaluations too: their tensors must survive the evaluation's scope.
      interpreter.keepModuleState = (globals) => keep(globals.vars.values());
      // As Python does, the packages above the file run their __init__ first (a backend they inject…).
      const packages = layout.package ? layout.package.split('.') : [];
      packages.forEach((_, i) => projectImporter.find(packages.slice(0, i + 1).join('.'), FILE_START)?.initialise?.());
    }
    tf.engine().startScope();
    try {
      interpreter.load();
    } finally {
      // Keep what the module still references; everything else made while loading is freed.
      keep(interpreter.globals.vars.values());
      tf.engine().endScope();
    }
    return new LossProgram(source, module, interpreter, parser, kept, importer, limits);
  }

  /** Frees the module's own tensors. */
  dispose(): void {
    for (const t of this.moduleTensors) if (!t.isDisposed) t.dispose();
  }

  /** The text of the file a range is in: this file's (no `file`) or an imported project module's. */
  sourceOf(file?: string): string | undefined {
    return file === undefined ? this.source : this.importer?.sourceOf(file);
  }

  /** The framework of the project modules the file imported, for a file that imports none itself. */
  get projectFramework(): Framework | undefined {
    return this.importer?.framework();
  }

  get loadNotes(): readonly LoadNote[] {
    return this.interpreter.loadNotes;
  }

  /**
   * Uses of framework APIs a later release removed (TensorFlow 1 names such as tf.log), met while
   * loading and evaluating so far, once per spelling and line: the diagnosis's info notes.
   */
  get legacyApiUses(): readonly LegacyApiUse[] {
    return legacyApiUses(this.interpreter.rt.programState);
  }

  get globals(): ReadonlyMap<string, PyValue> {
    return this.interpreter.globals.vars;
  }

  /**
   * Evaluates `--entry` (a name, a factory call, a class, or Class.forward) in the module and
   * returns the callable it denotes. Classes are instantiated with their defaults.
   */
  resolveEntry(expression: string, limits?: Partial<Limits>): PyValue {
    const entryModule = parsePython(this.parser, expression);
    try {
      return this.resolveParsedEntry(expression, entryModule, limits);
    } catch (error) {
      // A line of the entry expression itself (always 1) is no line of the file: the loss's own is.
      if (error instanceof InterpreterError && error.range && rangesIn(entryModule).has(error.range))
        error.range = undefined;
      throw error;
    }
  }

  private resolveParsedEntry(expression: string, entryModule: Module, limits?: Partial<Limits>): PyValue {
    return this.withRuntime(this.runtime(limits), () => {
      const stmt = entryModule.body[0];
      if (entryModule.body.length !== 1 || stmt.kind !== 'expr')
        throw new InterpreterError('syntax', `--entry must be one Python expression, got '${expression}'`);
      let value = this.interpreter.eval(stmt.value, this.interpreter.globals);
      if (value instanceof PyClass)
        value = this.interpreter.call(value, { positional: [], keywords: new Map() }, stmt.range);
      if (value instanceof PyFunction && value.definingClass && value.params[0]?.name === 'self') {
        const instance = this.interpreter.call(
          value.definingClass,
          { positional: [], keywords: new Map() },
          stmt.range,
        );
        value = new BoundMethod(instance, value);
      }
      // A name whose definition was skipped or comes from a missing import: say which, not its type.
      if (value instanceof PyOpaque) throw opaqueError(value);
      if (!isCallable(value))
        throw new InterpreterError(
          'python',
          `TypeError: '${expression}' is a ${typeName(value)}, not a callable loss`,
          stmt.range,
          'TypeError',
        );
      return value;
    });
  }

  /**
   * The loss called with more than (prediction, target), as the project calls it: keyword arguments
   * its call sites pass (Python source, evaluated in the module: `softmax=True`) and tensors made
   * from the two inputs (a weight map, distance maps) after them. The result takes two arguments
   * in the loss's own order, like the loss itself.
   */
  withArguments(callable: PyValue, binding: ArgumentBinding): PyValue {
    const keywords = new Map<string, PyValue>();
    for (const { name, value } of binding.keywords ?? []) {
      const expression = parsePython(this.parser, value).body[0];
      if (expression?.kind !== 'expr')
        throw new InterpreterError('syntax', `keyword argument ${name}=${value} is not an expression`);
      keywords.set(
        name,
        this.withRuntime(this.runtime(), () => this.interpreter.eval(expression.value, this.interpreter.globals)),
      );
    }
    for (const { name, module } of binding.modules ?? []) keywords.set(name, importModule(module, FILE_START).leaf);
    const extras = binding.extras ?? [];
    return new BuiltinFunction(typeName(callable), (args, site) => {
      const tensors = args.positional.filter((a): a is TensorValue => a instanceof TensorValue);
      const prediction = tensors.find((t) => t.origin & ORIGIN_PREDICTION);
      const target = tensors.find((t) => t.origin & ORIGIN_TARGET && !(t.origin & ORIGIN_PREDICTION));
      const made = prediction && target ? extras.map((extra) => extra(prediction, target)) : [];
      const { labelsAs } = binding;
      const positional = args.positional.map((a) => {
        if (labelsAs && prediction && target && a === target) return labelsAs(prediction, target);
        const heads = binding.predictionHeads;
        return heads && a === prediction ? new PyTuple(Array.from({ length: heads }, () => prediction)) : a;
      });
      const merged = new Map([...keywords, ...args.keywords]);
      const dict = binding.dictInput;
      // Each input as the other bindings made it (a tuple of heads, distance maps), under its key.
      const asBound = (t: TensorValue) => positional[args.positional.indexOf(t)];
      const called =
        dict && prediction && target ? [inputDict(dict, asBound(prediction), asBound(target))] : positional;
      return this.interpreter.call(callable, { positional: [...called, ...made], keywords: merged }, site.range);
    });
  }

  /** A fresh runtime for one evaluation: the program's limits unless overridden, and the diagnosis's budgets. */
  private runtime(limits?: Partial<Limits>, isCancelled?: () => boolean): Runtime {
    const runtime = new Runtime({ ...this.limits, ...limits }, isCancelled, this.budgets);
    runtime.numpyDetaches = this.numpyDetaches;
    return runtime;
  }

  private withRuntime<T>(runtime: Runtime, run: () => T): T {
    this.interpreter.attach(runtime);
    return run();
  }

  /** One call of the loss on tensors, in the framework's argument order; a scalar comes back. */
  private callLoss(
    callable: PyValue,
    prediction: tf.Tensor,
    target: tf.Tensor,
    options: Pick<EvaluationOptions, 'framework' | 'argOrder'>,
  ) {
    const flavour = flavourOf(options.framework);
    const targetDtype = target.dtype === 'int32' ? integerLabelDtype(options.framework) : 'float32';
    const predictionValue = new TensorValue(prediction, 'float32', flavour, ORIGIN_PREDICTION, true);
    const targetValue = new TensorValue(target, targetDtype, flavour, ORIGIN_TARGET, false);
    const positional =
      options.argOrder === 'true_pred' ? [targetValue, predictionValue] : [predictionValue, targetValue];
    const range = { line: 0, column: 0, endLine: 0, endColumn: 0 };
    const returned = this.interpreter.call(callable, { positional, keywords: new Map() }, range);
    const result = lossOfReturned(returned);
    const { scalar, requiresGrad, reduced, shape } = toScalarLoss(result);
    return {
      scalar,
      requiresGrad,
      reduced,
      shape,
      producer: result instanceof TensorValue ? this.interpreter.rt.producerOf(result) : -1,
      returnedNumber: typeof result === 'number',
    };
  }

  /**
   * The loss as a TF.js function of (prediction, target) for training probes: every call interprets
   * the loss afresh under its own runtime (limits, cancellation). Call it inside tf.tidy or an
   * optimizer's minimize; integer targets are int32 tensors.
   */
  lossFunction(
    callable: PyValue,
    options: Pick<EvaluationOptions, 'framework' | 'argOrder' | 'limits' | 'isCancelled'>,
  ): (prediction: tf.Tensor, target: tf.Tensor) => tf.Scalar {
    return (prediction, target) => {
      this.interpreter.attach(this.runtime(options.limits, options.isCancelled));
      return this.callLoss(callable, prediction, target, options).scalar;
    };
  }

  /** Calls the loss on the inputs under the framework's argument order, with value and gradient. */
  evaluate(callable: PyValue, inputs: LossInputs, options: EvaluationOptions): Evaluation {
    const runtime = this.runtime(options.limits, options.isCancelled);
    runtime.inspectValues = options.inspectValues ?? false;
    if (options.autodiff) runtime.autodiff = options.autodiff;
    this.interpreter.attach(runtime);
    const prediction = toFlat(inputs.prediction);
    const target = toFlat(inputs.target);
    runtime.guard.checkTensorElements(prediction.shape, 'the prediction');
    runtime.guard.checkTensorElements(target.shape, 'the target');
    const targetDtype = inputs.targetDtype === 'int' ? integerLabelDtype(options.framework) : 'float32';
    let captured:
      | {
          value: number;
          requiresGrad: boolean;
          reduced: boolean;
          shape: number[];
          producer: number;
          returnedNumber: boolean;
        }
      | undefined;

    const lossOf = (x: tf.Tensor): tf.Scalar => {
      const targetTensor =
        targetDtype === 'float32'
          ? tf.tensor(target.data, target.shape, 'float32')
          : tf.tensor(Int32Array.from(target.data), target.shape, 'int32');
      const result = this.callLoss(callable, x, targetTensor, options);
      captured = { ...result, value: result.scalar.dataSync()[0] };
      return result.scalar;
    };

    const xs = tf.tensor(prediction.data, prediction.shape, 'float32');
    let gradient: Float32Array | null;
    try {
      // tf.tidy keeps the tensor its function returns: the value-only scalar is disposed here.
      gradient = options.valueOnly
        ? (tf.tidy(() => lossOf(xs)).dispose(), null)
        : gradientOf(xs, lossOf, () => captured !== undefined);
    } catch (error) {
      if (error instanceof InterpreterError) error.progress ??= runtime.trace.entries.length;
      throw error;
    } finally {
      releaseAbandonedTape();
      xs.dispose();
    }
    const result = captured!;
    const handGradients = [...runtime.handGradients.values()];
    // A backward that gave no gradient (None) for the prediction's path, and nothing else reached it:
    // the framework leaves the prediction without a gradient.
    const noGradient = handGradients.some((h) => h.noGradient) && gradient?.every((g) => g === 0);
    const grad = result.requiresGrad && gradient && !noGradient ? gradient : null;
    return {
      value: result.value,
      gradient: grad,
      gradientShape: prediction.shape,
      gradNorm: grad ? Math.sqrt(grad.reduce((acc, g) => acc + g * g, 0)) : null,
      requiresGrad: result.requiresGrad,
      reducedByMean: result.reduced,
      trace: runtime.trace.entries,
      resultShape: result.shape,
      resultProducer: result.producer,
      returnedNumber: result.returnedNumber,
      handGradients,
    };
  }
}

/**
 * The one dict a loss that takes its inputs so is called with (PyMIC's loss_input_dict): the
 * prediction and the labels as the other bindings made them (heads, distance maps), under their keys.
 */
function inputDict(keys: NonNullable<ArgumentBinding['dictInput']>, prediction: PyValue, labels: PyValue): PyDict {
  const dict = new PyDict();
  for (const key of keys.prediction) dict.set(key, prediction);
  dict.set(keys.labels, labels);
  return dict;
}

/** d(loss)/d(x); all zeros when the loss ran but TF.js found no path from x (the framework's call). */
function gradientOf(xs: tf.Tensor, lossOf: (x: tf.Tensor) => tf.Scalar, ran: () => boolean): Float32Array {
  return tf.tidy(() => {
    try {
      const { grads } = tf.valueAndGrads((x: tf.Tensor) => lossOf(x))([xs]);
      return grads[0].dataSync() as Float32Array;
    } catch (error) {
      if (ran() && error instanceof Error && /Cannot compute gradient of y=f\(x\)/.test(error.message))
        return new Float32Array(xs.size);
      throw error;
    }
  });
}

/**
 * TF.js keeps the tensors its tape saved for the backward pass until backprop ends; when the
 * forward pass throws (a Python error, a limit) or no gradient path exists, backprop never runs
 * and they would leak. This frees them.
 */
export function releaseAbandonedTape(): void {
  const state = (
    tf.engine() as unknown as { state: { gradientDepth: number; activeTape: { saved?: tf.Tensor[] }[] | null } }
  ).state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const tensor of node.saved ?? []) if (!tensor.isDisposed) tensor.dispose();
  state.activeTape = null;
}

function isCallable(value: PyValue): boolean {
  return (
    value instanceof PyFunction ||
    value instanceof BoundMethod ||
    value instanceof BuiltinFunction ||
    (value instanceof PyInstance && value.cls.lookup('__call__') !== undefined)
  );
}

/** Every tensor reachable from module-level values, through containers, objects and closures. */
function reachableTensors(roots: Iterable<PyValue>): tf.Tensor[] {
  const found = new Set<tf.Tensor>();
  const seen = new Set<object>();
  const visit = (value: PyValue | undefined): void => {
    if (value === null || value === undefined || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof TensorValue) found.add(value.tensor);
    else if (value instanceof PyList || value instanceof PyTuple) value.items.forEach(visit);
    else if (value instanceof PyDict)
      for (const [k, v] of value.entries.values()) {
        visit(k);
        visit(v);
      }
    else if (value instanceof PyInstance) {
      value.attrs.forEach(visit);
      visit(value.native as PyValue);
    } else if (value instanceof PyClass) value.attrs.forEach(visit);
    else if (value instanceof BoundMethod) {
      visit(value.self);
      visit(value.func);
    } else if (value instanceof PyFunction) {
      value.defaults.forEach(visit);
      for (let scope: Scope | undefined = value.closure; scope && scope.kind !== 'module'; scope = scope.parent)
        scope.vars.forEach(visit);
    }
  };
  for (const root of roots) visit(root);
  return [...found];
}

/**
 * `return loss, (dice.detach(), ce.detach())`: training code unpacks the loss and logs the rest, so the
 * first item is the loss when it is a tensor or a number; `return dict(loss=...)` (segmentation
 * toolboxes' trainers read `losses['loss']`) is its 'loss' entry.
 */
function lossOfReturned(result: PyValue): PyValue {
  const isValue = (v: PyValue | undefined) => v instanceof TensorValue || typeof v === 'number';
  if (result instanceof PyDict) {
    const entry = result.get('loss');
    return isValue(entry) ? entry! : result;
  }
  if (!(result instanceof PyTuple) || !result.items.length) return result;
  const [first] = result.items;
  return isValue(first) ? first : result;
}

/** The loss value as a scalar tensor; a non-scalar result is reduced by its mean, as Keras does. */
function toScalarLoss(result: PyValue): {
  scalar: tf.Scalar;
  requiresGrad: boolean;
  reduced: boolean;
  shape: number[];
} {
  if (result instanceof TensorValue) {
    const asFloat =
      result.dtype === 'bool' || result.dtype.startsWith('int') || result.dtype === 'uint8'
        ? tf.cast(result.tensor, 'float32')
        : result.tensor;
    if (result.size === 1)
      return {
        scalar: tf.reshape(asFloat, []) as tf.Scalar,
        requiresGrad: result.requiresGrad,
        reduced: false,
        shape: result.shape,
      };
    if (result.size === 0) throw new InterpreterError('python', 'ValueError: the loss returned an empty tensor');
    return {
      scalar: tf.mean(asFloat) as tf.Scalar,
      requiresGrad: result.requiresGrad,
      reduced: true,
      shape: result.shape,
    };
  }
  if (typeof result === 'number' || typeof result === 'bigint' || typeof result === 'boolean') {
    return { scalar: tf.scalar(Number(result)), requiresGrad: false, reduced: false, shape: [] };
  }
  if (result instanceof PyOpaque) throw opaqueError(result); // names the import or the skipped definition
  throw new InterpreterError(
    'python',
    `TypeError: the loss returned ${typeName(result)}, not a tensor or a number`,
    undefined,
    'TypeError',
  );
}
