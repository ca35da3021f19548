// `loss-lens eval PATH --entry EXPR --inputs FILE.json`: one loss's value and gradient norm on given tensors.
import { type BackendPreference, backendFromEnvironment } from '../engine/backendChoice';
import { InputError, checkInputShapes } from '../engine/inputTensors';
import { FileReadError } from '../engine/project/regularFile';
import { cliEngine, projectRequest } from './cliEngine';
import { EVAL_CONTRACT_FIELDS, contractFromFlags } from './contractFlags';
import { inputsMessage, readEvalInputs } from './evalInputs';
import type { FlagValues } from './commandLine';
import { outputFormat } from './outputFormat';
import { UsageError } from './usageError';

/** JSON has no NaN or Infinity: eval writes them as the strings its inputs take ("nan", "inf", "-inf"). */
const jsonNumber = (value: number): number | string =>
  Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : value;

export async function runEval(values: FlagValues, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('eval takes exactly one PATH');
  const entry = values.entry as string | undefined;
  const inputsPath = values.inputs as string | undefined;
  if (!entry) throw new UsageError('eval needs --entry EXPR');
  if (!inputsPath) throw new UsageError('eval needs --inputs FILE.json');
  const format = outputFormat(values);
  const contract = contractFromFlags(values, EVAL_CONTRACT_FIELDS);
  const inputs = (() => {
    try {
      const read = readEvalInputs(inputsPath);
      // Checked here too (the engine process checks again) so that the message names the file.
      const shapeOf = (t: unknown) => (Array.isArray(t) ? undefined : (t as { shape: number[] }).shape);
      const [predictionShape, targetShape] = [shapeOf(read.prediction), shapeOf(read.target)];
      if (predictionShape && targetShape) checkInputShapes(predictionShape, targetShape, contract);
      return read;
    } catch (error) {
      if (error instanceof InputError || error instanceof FileReadError)
        throw new Error(inputsMessage(inputsPath, error));
      throw error;
    }
  })();
  const engine = cliEngine();
  const report = await engine
    .evaluate({
      path: positionals[0], // the engine process runs in this working folder
      entry,
      inputs,
      project: projectRequest(positionals[0], values as { root?: string; path?: string[] }),
      framework: contract.framework,
      argOrder: contract.argOrder,
      layout: contract.layout,
      labels: contract.labels,
      classes: contract.classes,
      backend: (values.backend as BackendPreference | undefined) ?? backendFromEnvironment(),
    })
    .finally(() => engine.dispose());
  const output = {
    value: jsonNumber(report.value),
    grad_norm: report.gradNorm === null ? null : jsonNumber(report.gradNorm),
    backend: report.backend,
  };
  if (format === 'json') process.stdout.write(`${JSON.stringify(output)}\n`);
  else
    process.stdout.write(
      `value ${output.value}   grad_norm ${output.grad_norm ?? 'none (no gradient path)'}   ` +
        `backend ${output.backend}   (${report.framework}, ${report.argOrder})\n`,
    );
  return 0;
}
