// `loss-lens diagnose PATH`: every loss of a file or a folder's files, analysed in the CLI's engine
// process (a loss that takes it down is that loss's error), reported as text, JSON or SARIF.
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { FileReport } from '../engine';
import { type BackendPreference, backendFromEnvironment } from '../engine/backendChoice';
import type { ProbeLevel } from '../engine/probe/levels';
import { readSourceFile } from '../engine/project/sourceFile';
import { cliEngine, projectRequest } from './cliEngine';
import type { FlagValues } from './commandLine';
import { DIAGNOSE_CONTRACT_FIELDS, contractFromFlags } from './contractFlags';
import { diagnoseOutcome } from './exitCode';
import { unreadable } from './fileErrors';
import { outputFormat } from './outputFormat';
import { pythonFiles } from './pythonFiles';
import { NO_LOSS, fileBlock } from './reportText';
import { terminalJson, visibleLine } from './terminalText';
import { UsageError } from './usageError';

/**
 * JSON replacer that leaves out the probe's mask snapshots: pixel maps for the editor's report
 * (several megabytes of indented numbers per probe), not something to read in a terminal or diff.
 */
const withoutMaskSnapshots = (key: string, value: unknown) =>
  key === 'snapshots' || key === 'snapshotSlice' ? undefined : value;

/** The entries a folder run left out, for its JSON document (only when there are some). */
const listed = (skipped: { path: string; reason: string }[]) => (skipped.length ? { skipped } : {});

export async function runDiagnose(values: FlagValues, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('diagnose takes exactly one PATH (a .py file or a folder)');
  const probe = (values.probe as 'none' | ProbeLevel | undefined) ?? 'none';
  const probeSteps = values['probe-steps'] as string | undefined;
  if (probeSteps !== undefined) {
    if (probe === 'none') throw new UsageError('--probe-steps needs --probe quick|full');
    if (!/^[1-9]\d*$/.test(probeSteps)) throw new UsageError('--probe-steps must be a positive integer');
  }
  const json = outputFormat(values) === 'json';
  const contract = contractFromFlags(values, DIAGNOSE_CONTRACT_FIELDS);
  const backendChoice = (values.backend as BackendPreference | undefined) ?? backendFromEnvironment();
  const project = values as { root?: string; path?: string[] };
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
    if (!json) process.stdout.write(fileBlock(report, '', backendChoice, isFolder));
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
                project: projectRequest(file, project),
                entry: values.entry as string | undefined,
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
      if (!json) process.stdout.write(fileBlock(report, source instanceof Error ? '' : source, backend, isFolder));
    }
  } finally {
    await engine.dispose();
  }
  if (json) {
    const backend = reports[0]?.backend ?? (await (await import('../engine')).initBackend(backendChoice));
    const document = isFolder ? { backend, files: reports, ...listed(skipped) } : reports[0];
    process.stdout.write(`${terminalJson(JSON.stringify(document, withoutMaskSnapshots, 2))}\n`);
  }
  const outcome = diagnoseOutcome(reports);
  if (outcome.noLoss && (json || isFolder)) {
    const where = !isFolder ? positionals[0] : files.length ? `any file of ${positionals[0]}` : undefined;
    const text = where ? `${NO_LOSS} in ${where}` : `no Python file in ${positionals[0]}`;
    process.stderr.write(`loss-lens: ${visibleLine(text)}\n`);
  }
  return outcome.exitCode;
}
