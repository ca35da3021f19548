// The numeric entry point shared by `loss-lens eval` and the golden-value tests: load a file,
// resolve the entry, evaluate on given tensors, report value + gradient norm + backend.
import { type BackendPreference, initBackend } from './backend';
import { type ArgOrder, type Framework, defaultArgOrder, frameworkFromImports } from './contract';
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
  backend?: BackendPreference;
  limits?: Partial<Limits>;
  /** The project the file belongs to (its imports of project modules resolve). */
  project?: ProjectContext;
}

export interface EvalReport {
  value: number;
  gradNorm: number | null;
  backend: string;
  framework: Framework;
  argOrder: ArgOrder;
  evaluation: Evaluation;
}

export async function evaluateFile(request: EvalRequest): Promise<EvalReport> {
  const backend = await initBackend(request.backend ?? 'auto');
  const source = readSourceFile(request.path);
  const program = await LossProgram.load(source, request.limits, request.project);
  try {
    const framework = request.framework ?? frameworkFromImports(program.module) ?? program.projectFramework;
    if (!framework)
      throw new InterpreterError('unsupported', 'cannot tell the framework from the imports: pass --framework');
    const argOrder = request.argOrder ?? defaultArgOrder(framework);
    const callable = program.resolveEntry(request.entry, request.limits);
    const evaluation = program.evaluate(callable, request.inputs, { framework, argOrder, limits: request.limits });
    return { value: evaluation.value, gradNorm: evaluation.gradNorm, backend, framework, argOrder, evaluation };
  } finally {
    program.dispose();
  }
}
