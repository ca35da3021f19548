// What a `diagnose` run produced, as every output format reads it.
import type { FileReport } from '../engine';
import type { DiagnoseOutcome } from './exitCode';

/** One file's report, the backend it ran on and its source (for the text output's quoted lines). */
export interface FileRun {
  report: FileReport;
  backend: string;
  /** The file's text as the engine read it; empty when it could not be read. */
  source: string;
}

export interface DiagnoseRun {
  /** The PATHs as the user gave them. */
  given: readonly string[];
  /** A folder or several PATHs: a file without a loss is fine as long as another has one. */
  many: boolean;
  files: FileRun[];
  /** Folder entries left out (a FIFO, a symbolic link loop), and why. */
  skipped: { path: string; reason: string }[];
  /** The backend the run used (the first file's; the one asked for when nothing ran). */
  backend: string;
  outcome: DiagnoseOutcome;
}

/** What a file without any loss says (an explicit file without one exits 2). */
export const NO_LOSS = 'no loss found';

/** Why a run that found no loss exits 2: `no loss found in any file of src/`. */
export function noLossText(run: DiagnoseRun): string {
  const where = run.given.join(', ');
  if (!run.files.length) return `no Python file in ${where}`;
  return run.many ? `${NO_LOSS} in any file of ${where}` : `${NO_LOSS} in ${where}`;
}
