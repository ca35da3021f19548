// `loss-lens diagnose PATH`: every loss of a file or a folder's files, analysed in the CLI's engine
// process (a loss that takes it down is that loss's error), reported as text, JSON or SARIF.
import { isAbsolute } from 'node:path';
import type { FileReport } from '../engine';
import { type BackendPreference, backendFromEnvironment } from '../engine/backendChoice';
import type { ProbeLevel } from '../engine/probe/levels';
import { readSourceFile } from '../engine/project/sourceFile';
import { cliEngine, projectRequest } from './cliEngine';
import type { FlagValues } from './commandLine';
import { DIAGNOSE_CONTRACT_FIELDS, contractFromFlags } from './contractFlags';
import { type DiagnoseRun, type FileRun, noLossText } from './diagnoseRun';
import { diagnoseOutcome } from './exitCode';
import { unreadable } from './fileErrors';
import { outputFormat } from './outputFormat';
import { probeProgress } from './probeProgress';
import { projectFilePath, shownPath } from './projectFiles';
import { pythonFilesOf } from './pythonFiles';
import { reportWriter } from './reportWriters';
import { visibleLine } from './terminalText';
import { UsageError } from './usageError';

interface ProbeSettings {
  probe: 'none' | ProbeLevel;
  budget?: { steps: number };
}

function probeSettings(values: FlagValues): ProbeSettings {
  const probe = (values.probe as ProbeSettings['probe'] | undefined) ?? 'none';
  const steps = values['probe-steps'] as string | undefined;
  if (steps === undefined) return { probe };
  if (probe === 'none') throw new UsageError('--probe-steps needs --probe quick|full');
  if (!/^[1-9]\d*$/.test(steps)) throw new UsageError('--probe-steps must be a positive integer');
  return { probe, budget: { steps: Number(steps) } };
}

/** Read as CPython would (PEP 263 encodings, size cap, no FIFOs): a file's problem is its error, never the run's. */
function readSource(file: string, name: string): string | Error {
  try {
    return readSourceFile(file, name);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export async function runDiagnose(values: FlagValues, positionals: string[]): Promise<number> {
  if (!positionals.length) throw new UsageError('diagnose takes a PATH (a .py file or a folder), or several');
  const { probe, budget } = probeSettings(values);
  const format = outputFormat(values);
  const contract = contractFromFlags(values, DIAGNOSE_CONTRACT_FIELDS);
  const backendChoice = (values.backend as BackendPreference | undefined) ?? backendFromEnvironment();
  const project = values as { root?: string; path?: string[] };
  const { files, skipped, unreadable: unlisted, folder } = await pythonFilesOf(positionals);
  // Several files read as a folder's: a file without a loss is a quiet line, fine if another has one.
  const many = folder || positionals.length > 1;
  for (const entry of skipped) process.stderr.write(`loss-lens: skipped ${visibleLine(entry.path)}: ${entry.reason}\n`);
  const progress = probe === 'none' ? undefined : probeProgress(process.stderr, { quiet: values.quiet === true });
  const writer = reportWriter(format, {
    places: {
      inFolder: many,
      other: (place, diagnosed) => shownPath(projectFilePath(place, diagnosed, project.root), isAbsolute(diagnosed)),
    },
    root: project.root,
    beforeWrite: () => progress?.clear(),
  });
  const done: FileRun[] = [];
  const finished = (run: FileRun) => {
    done.push(run);
    writer.file(run);
  };
  // A folder that cannot be listed is reported as a file that cannot be read: the run exits 2.
  for (const folder of unlisted) {
    const error = { kind: 'read', message: `cannot list folder ${folder.path}: ${folder.reason}` };
    const report: FileReport = { file: folder.path, losses: [], findings: [], notes: [], error };
    finished({ report, backend: backendChoice, source: '' });
  }
  const engine = cliEngine();
  // The backend the engine process resolved `auto` to, once it ran a file.
  let engineBackend: string | undefined;
  try {
    for (const file of files) {
      const source = readSource(file, file);
      const { report, backend } =
        source instanceof Error
          ? { report: unreadable(file, source), backend: engineBackend ?? backendChoice }
          : await engine.diagnose(
              file,
              source,
              {
                project: projectRequest(file, project),
                entry: values.entry as string | undefined,
                contract,
                backend: backendChoice,
                probe,
                probeBudget: budget,
              },
              undefined,
              { onProbeProgress: progress && ((loss, event) => progress.event(file, loss, event)) },
            );
      progress?.clear();
      if (!(source instanceof Error)) engineBackend = backend;
      finished({ report, backend, source: source instanceof Error ? '' : source });
    }
  } finally {
    await engine.dispose();
  }
  const outcome = diagnoseOutcome(done.map((run) => run.report));
  // The documents name a backend even when nothing ran (a folder without Python files).
  const backend =
    engineBackend ?? (format === 'text' ? backendChoice : await (await import('../engine')).initBackend(backendChoice));
  const run: DiagnoseRun = { given: positionals, many, files: done, skipped, backend, outcome };
  writer.finish(run);
  // The text output of a single file says it in the file's block; the others need a line.
  if (outcome.noLoss && (format !== 'text' || many))
    process.stderr.write(`loss-lens: ${visibleLine(noLossText(run))}\n`);
  return outcome.exitCode;
}
