// `loss-lens`: the engine, headless, for terminals and CI. The engine runs in its engine process
// (src/host/), so that nothing a loss does takes the CLI down; this process imports only the
// engine's plain-data modules (no TF.js), and loads the engine itself only to name the backend of
// a run that analysed nothing.
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FileReport } from './engine';
import { BACKEND_PREFERENCES, type BackendPreference, backendFromEnvironment } from './engine/backendChoice';
import { PROBE_LEVELS } from './engine/probe/levels';
import { InterpreterError } from './engine/python/errors';
import { InputError, checkInputShapes } from './engine/inputTensors';
import { FileReadError } from './engine/project/regularFile';
import { readSourceFile } from './engine/project/sourceFile';
import {
  DIAGNOSE_CONTRACT_FIELDS,
  EVAL_CONTRACT_FIELDS,
  contractFromFlags,
  contractOptions,
} from './cli/contractFlags';
import { inputsMessage, readEvalInputs } from './cli/evalInputs';
import { diagnoseOutcome } from './cli/exitCode';
import { pythonFiles } from './cli/pythonFiles';
import { NO_LOSS, formatReport, painter } from './cli/reportText';
import { HELP, USAGE } from './cli/usage';
import { terminalJson, visible, visibleLine } from './cli/terminalText';
import { UsageError } from './cli/usageError';
import { EngineClient, EngineError } from './host/engineClient';
import type { ProjectRequest } from './protocol';

function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

const jsonNumber = (value: number): number | string =>
  Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : value;

/** Where a file's imports are looked up: --root, --path, the VIRTUAL_ENV of the shell. */
const PROJECT_OPTIONS = { root: { type: 'string' }, path: { type: 'string', multiple: true } } as const;

/** Where a file's imports are looked up, as the engine process gets it (it builds the layout). */
function projectRequest(file: string, values: { root?: string; path?: string[] }): ProjectRequest {
  const path = resolve(file);
  // The working folder too, as `python -m` has it: a script in training/ importing the root's utils/.
  const cwd = process.cwd();
  const underCwd = !relative(cwd, path).startsWith('..');
  return {
    file: path,
    root: values.root === undefined ? undefined : resolve(values.root),
    extraPaths: [...(underCwd ? [cwd] : []), ...(values.path ?? []).map((p) => resolve(p))],
    environment: process.env.VIRTUAL_ENV || undefined,
  };
}

async function runEval(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...contractOptions(EVAL_CONTRACT_FIELDS),
      entry: { type: 'string' },
      inputs: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
      ...PROJECT_OPTIONS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('eval takes exactly one PATH');
  if (!values.entry) throw new UsageError('eval needs --entry EXPR');
  if (!values.inputs) throw new UsageError('eval needs --inputs FILE.json');
  const contract = contractFromFlags(values, EVAL_CONTRACT_FIELDS);
  const inputsPath = values.inputs;
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
      entry: values.entry,
      inputs,
      project: projectRequest(positionals[0], values),
      framework: contract.framework,
      argOrder: contract.argOrder,
      layout: contract.layout,
      labels: contract.labels,
      classes: contract.classes,
      backend: choice<BackendPreference>('backend', values.backend, BACKEND_PREFERENCES) ?? backendFromEnvironment(),
    })
    .finally(() => engine.dispose());
  const output = {
    value: jsonNumber(report.value),
    grad_norm: report.gradNorm === null ? null : jsonNumber(report.gradNorm),
    backend: report.backend,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(output)}\n`);
  else
    process.stdout.write(
      `value ${output.value}   grad_norm ${output.grad_norm ?? 'none (no gradient path)'}   ` +
        `backend ${output.backend}   (${report.framework}, ${report.argOrder})\n`,
    );
  return 0;
}

/**
 * JSON replacer that leaves out the probe's mask snapshots: pixel maps for the editor's report
 * (several megabytes of indented numbers per probe), not something to read in a terminal or diff.
 */
const withoutMaskSnapshots = (key: string, value: unknown) =>
  key === 'snapshots' || key === 'snapshotSlice' ? undefined : value;

/**
 * The engine process the CLI analyses its files in: a loss that takes it down (out of memory, a V8
 * fatal error) is that loss's error and the run goes on in a fresh one. LOSS_LENS_MAX_HEAP_MB sets
 * the engine's heap limit (default 4096).
 */
function cliEngine(): EngineClient {
  const heapMb = Number(process.env.LOSS_LENS_MAX_HEAP_MB);
  const resourceLimits = Number.isInteger(heapMb) && heapMb > 0 ? { maxOldGenerationSizeMb: heapMb } : undefined;
  return new EngineClient(join(__dirname, '..'), () => {}, 'cli', { resourceLimits });
}

async function runDiagnose(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...contractOptions(DIAGNOSE_CONTRACT_FIELDS),
      entry: { type: 'string' },
      json: { type: 'boolean' },
      backend: { type: 'string' },
      probe: { type: 'string' },
      'probe-steps': { type: 'string' },
      ...PROJECT_OPTIONS,
    },
  });
  if (positionals.length !== 1) throw new UsageError('diagnose takes exactly one PATH (a .py file or a folder)');
  const probe = choice('probe', values.probe, ['none', ...PROBE_LEVELS] as const) ?? 'none';
  const probeSteps = values['probe-steps'];
  if (probeSteps !== undefined) {
    if (probe === 'none') throw new UsageError('--probe-steps needs --probe quick|full');
    if (!/^[1-9]\d*$/.test(probeSteps)) throw new UsageError('--probe-steps must be a positive integer');
  }
  const contract = contractFromFlags(values, DIAGNOSE_CONTRACT_FIELDS);
  const backendChoice =
    choice<BackendPreference>('backend', values.backend, BACKEND_PREFERENCES) ?? backendFromEnvironment();
  const isFolder = (await stat(positionals[0]).catch(() => undefined))?.isDirectory() === true;
  const { files, skipped, unreadable: unlisted } = await pythonFiles(positionals[0]);
  for (const entry of skipped) process.stderr.write(`loss-lens: skipped ${visibleLine(entry.path)}: ${entry.reason}\n`);
  const reports: (FileReport & { backend: string })[] = [];
  // A folder that cannot be listed is reported as a file that cannot be read: the run exits 2.
  for (const folder of unlisted) {
    const name = relative(process.cwd(), folder.path) || folder.path;
    const error = { kind: 'read', message: `cannot list folder ${name}: ${folder.reason}` };
    const report: FileReport = { file: name, losses: [], findings: [], notes: [], error };
    reports.push({ ...report, backend: backendChoice });
    if (!values.json) process.stdout.write(humanReport(report, '', backendChoice, isFolder));
  }
  const engine = cliEngine();
  let knownBackend: string = backendChoice;
  try {
    for (const file of files) {
      const name = relative(process.cwd(), file) || file;
      const live = probe !== 'none' && process.stderr.isTTY === true;
      // Read as CPython would (PEP 263 encodings, size cap, no FIFOs): a file's problem is its error.
      const source = (() => {
        try {
          return readSourceFile(file, name);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      })();
      // One file that cannot be read never ends the run: it is that file's error.
      const { report, backend } =
        source instanceof Error
          ? { report: unreadable(name, source), backend: knownBackend }
          : await engine.diagnose(
              name,
              source,
              {
                project: projectRequest(file, values),
                entry: values.entry,
                contract,
                backend: backendChoice,
                probe,
                probeBudget: probeSteps === undefined ? undefined : { steps: Number(probeSteps) },
              },
              undefined,
              {
                onProbeProgress: live
                  ? (loss, event) =>
                      process.stderr.write(
                        `\r\x1b[Kprobe ${visibleLine(loss.entry)}: step ${event.step}/${event.steps}`,
                      )
                  : undefined,
              },
            );
      if (live) process.stderr.write('\r\x1b[K');
      knownBackend = backend;
      reports.push({ ...report, backend });
      if (!values.json)
        process.stdout.write(humanReport(report, source instanceof Error ? '' : source, backend, isFolder));
    }
  } finally {
    await engine.dispose();
  }
  if (values.json) {
    const backend = reports[0]?.backend ?? (await (await import('./engine')).initBackend(backendChoice));
    const document = isFolder ? { backend, files: reports, ...listed(skipped) } : reports[0];
    process.stdout.write(`${terminalJson(JSON.stringify(document, withoutMaskSnapshots, 2))}\n`);
  }
  const outcome = diagnoseOutcome(reports);
  if (outcome.noLoss && (values.json || isFolder)) {
    const where = !isFolder ? positionals[0] : files.length ? `any file of ${positionals[0]}` : undefined;
    const text = where ? `${NO_LOSS} in ${where}` : `no Python file in ${positionals[0]}`;
    process.stderr.write(`loss-lens: ${visibleLine(text)}\n`);
  }
  return outcome.exitCode;
}

/** The entries a folder run left out, for its JSON document (only when there are some). */
const listed = (skipped: { path: string; reason: string }[]) => (skipped.length ? { skipped } : {});

const unreadable = (file: string, error: Error): FileReport => ({
  file,
  losses: [],
  findings: [],
  notes: [],
  error: fileError(error),
});

const fileError = (error: unknown): FileReport['error'] =>
  error instanceof InterpreterError
    ? { kind: error.kind, message: error.message, line: error.line }
    : error instanceof FileReadError
      ? { kind: error.kind, message: error.message }
      : { kind: 'internal', message: error instanceof Error ? error.message.split('\n')[0] : String(error) };

/** A file's block; in a folder, a file without losses (and nothing else to say) is one quiet line. */
function humanReport(report: FileReport, source: string, backend: string, inFolder: boolean): string {
  const color = process.stdout.isTTY === true;
  const quiet = inFolder && !report.error && !report.losses.length && !report.findings.length;
  if (quiet) return `${painter(color)('dim', `${visibleLine(report.file)}: ${NO_LOSS}`)}\n`;
  return `${formatReport(report, source, color, backend)}\n\n`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'diagnose') return await runDiagnose(rest);
    if (command === 'eval') return await runEval(rest);
    if (command === undefined || command === '--help' || command === '-h') {
      process.stdout.write(`${HELP}\n`);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    // Messages quote paths, entries and the loss's own exceptions: never raw control characters.
    if (error instanceof UsageError) {
      process.stderr.write(`loss-lens: ${visible(error.message)}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InterpreterError || error instanceof EngineError) {
      process.stderr.write(`loss-lens: ${error.line ? `line ${error.line}: ` : ''}${visible(error.message)}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`loss-lens: ${visibleLine(message.split('\n')[0])}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
