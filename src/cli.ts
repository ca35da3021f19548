// `loss-lens`: the engine, headless, for terminals and CI.
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKEND_PREFERENCES,
  FileReadError,
  InputError,
  InterpreterError,
  PROBE_LEVELS,
  backendFromEnvironment,
  diagnoseSource,
  evaluateFile,
  fileSystemHost,
  initBackend,
  projectLayout,
  readSourceFile,
  type BackendPreference,
  type ProjectContext,
  type FileReport,
} from './engine';
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

function projectOf(file: string, values: { root?: string; path?: string[] }): ProjectContext {
  const path = resolve(file);
  // The working folder too, as `python -m` has it: a script in training/ importing the root's utils/.
  const cwd = process.cwd();
  const underCwd = !relative(cwd, path).startsWith('..');
  const layout = projectLayout(fileSystemHost, path, {
    root: values.root === undefined ? undefined : resolve(values.root),
    extraPaths: [...(underCwd ? [cwd] : []), ...(values.path ?? []).map((p) => resolve(p))],
    environment: process.env.VIRTUAL_ENV || undefined,
  });
  return { layout, host: fileSystemHost };
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
  const inputsError = (error: unknown) =>
    error instanceof InputError || error instanceof FileReadError ? new Error(inputsMessage(inputsPath, error)) : error;
  const inputs = (() => {
    try {
      return readEvalInputs(inputsPath);
    } catch (error) {
      throw inputsError(error);
    }
  })();
  const report = await evaluateFile({
    path: positionals[0],
    entry: values.entry,
    inputs,
    project: projectOf(positionals[0], values),
    framework: contract.framework,
    argOrder: contract.argOrder,
    layout: contract.layout,
    labels: contract.labels,
    classes: contract.classes,
    backend: choice<BackendPreference>('backend', values.backend, BACKEND_PREFERENCES) ?? backendFromEnvironment(),
  }).catch((error: unknown) => {
    throw error instanceof InputError ? inputsError(error) : error;
  });
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
  const backend = await initBackend(
    choice<BackendPreference>('backend', values.backend, BACKEND_PREFERENCES) ?? backendFromEnvironment(),
  );
  const isFolder = (await stat(positionals[0]).catch(() => undefined))?.isDirectory() === true;
  const { files, skipped, unreadable } = await pythonFiles(positionals[0]);
  for (const entry of skipped) process.stderr.write(`loss-lens: skipped ${visibleLine(entry.path)}: ${entry.reason}\n`);
  const reports: (FileReport & { backend: string })[] = [];
  // A folder that cannot be listed is reported as a file that cannot be read: the run exits 2.
  for (const folder of unreadable) {
    const name = relative(process.cwd(), folder.path) || folder.path;
    const error = { kind: 'read', message: `cannot list folder ${name}: ${folder.reason}` };
    const report: FileReport = { file: name, losses: [], findings: [], notes: [], error };
    reports.push({ ...report, backend });
    if (!values.json) process.stdout.write(humanReport(report, '', backend, isFolder));
  }
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    const live = probe !== 'none' && process.stderr.isTTY === true;
    let source = '';
    let report: FileReport;
    try {
      source = readSourceFile(file, name);
      report = await diagnoseSource(name, source, {
        project: projectOf(file, values),
        entry: values.entry,
        contract,
        probe,
        probeBudget: probeSteps === undefined ? undefined : { steps: Number(probeSteps) },
        onProbeProgress: live
          ? (loss, event) =>
              process.stderr.write(`\r\x1b[Kprobe ${visibleLine(loss.entry)}: step ${event.step}/${event.steps}`)
          : undefined,
      });
    } catch (error) {
      // One file that cannot be read or analysed never ends the run: it is that file's error.
      report = { file: name, losses: [], findings: [], notes: [], error: fileError(error) };
    }
    if (live) process.stderr.write('\r\x1b[K');
    reports.push({ ...report, backend });
    if (!values.json) process.stdout.write(humanReport(report, source, backend, isFolder));
  }
  if (values.json) {
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
    if (error instanceof InterpreterError) {
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
