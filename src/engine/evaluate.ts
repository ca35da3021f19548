// The numeric entry point shared by `loss-lens eval` and the golden-value tests: load a file,
// resolve the entry, evaluate on given tensors, report value + gradient norm + backend.
import { type BackendPreference, initBackend } from './backend';
import { type ArgOrder, type Contract, type Framework, defaultArgOrder, frameworkFromImports } from './contract';
import { checkedContract } from './contractInput';
import { type FlatTensor, checkInputShapes, checkInputShape, tensorFromNested, InputError } from './inputTensors';
import { type Evaluation, LossProgram, type LossInputs, type ProjectContext } from './program';
import { readSourceFile } from './project/sourceFile';
import { InterpreterError } from './python/errors';
import type { Limits } from './python/limits';

export interface EvalRequest {
  path: string;
  entry: string;
  inputs: LossInputs;
  framework?: Framework;
  argOrder?: ArgOrder;
  /** Contract fields the tensors must agree with (their shapes fix them): checked, not inferred. */
  layout?: Contract['layout'];
  labels?: Contract['labels'];
  classes?: number;
  backend?: BackendPreference;
  limits?: Partial<Limits>;
  /** The project the file belongs to (its imports of project modules resolve). */
  project?: ProjectContext;
  /**
   * Read `.numpy()` on a tensor that requires grad as `.detach().numpy()` instead of raising as
   * PyTorch does (what the diagnosis asks of such losses; tests compare it with the same reading of
   * real PyTorch). Not a CLI option: `eval` answers what the framework does.
   */
  numpyDetaches?: boolean;
}

export interface EvalReport {
  value: number;
  gradNorm: number | null;
  backend: string;
  framework: Framework;
  argOrder: ArgOrder;
  evaluation: Evaluation;
}

/** A given tensor, nested lists or flat, checked (rectangular, finite float32, int labels, bounds). */
function checkedTensor(
  value: LossInputs['prediction'] | LossInputs['target'],
  field: string,
  int: boolean,
): FlatTensor {
  if (Array.isArray(value) || !value || typeof value !== 'object')
    return tensorFromNested(value, field, int ? 'int' : 'float');
  checkInputShape(value.shape, field);
  const size = value.shape.reduce((a, b) => a * b, 1);
  if (value.data.length !== size)
    throw new InputError(`${field}: ${value.data.length} values for shape [${value.shape.join(', ')}]`);
  return value;
}

/** The inputs as flat tensors whose shapes go together, or an InputError naming the element at fault. */
function checkedInputs(inputs: LossInputs, given: Partial<Contract>): LossInputs {
  const prediction = checkedTensor(inputs.prediction, 'prediction', false);
  const target = checkedTensor(inputs.target, 'target', inputs.targetDtype === 'int');
  checkInputShapes(prediction.shape, target.shape, given);
  return { ...inputs, prediction: prediction as LossInputs['prediction'], target };
}

export async function evaluateFile(request: EvalRequest): Promise<EvalReport> {
  // The request may come from anywhere (a test, another tool): its contract fields are checked too.
  const given = checkedContract({
    framework: request.framework,
    argOrder: request.argOrder,
    layout: request.layout,
    labels: request.labels,
    classes: request.classes,
  });
  const inputs = checkedInputs(request.inputs, given);
  const backend = await initBackend(request.backend ?? 'auto');
  const source = readSourceFile(request.path);
  const program = await LossProgram.load(source, request.limits, request.project);
  program.numpyDetaches = request.numpyDetaches ?? false;
  try {
    const framework = given.framework ?? frameworkFromImports(program.module) ?? program.projectFramework;
    if (!framework)
      throw new InterpreterError('unsupported', 'cannot tell the framework from the imports: pass --framework');
    const argOrder = given.argOrder ?? defaultArgOrder(framework);
    const callable = program.resolveEntry(request.entry, request.limits);
    const evaluation = program.evaluate(callable, inputs, { framework, argOrder, limits: request.limits });
    return { value: evaluation.value, gradNorm: evaluation.gradNorm, backend, framework, argOrder, evaluation };
  } finally {
    program.dispose();
  }
}
