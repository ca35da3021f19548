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
  /** PATH as the user gave it. */
  given: string;
  isFolder: boolean;
  files: FileRun[];
  /** Folder entries left out (a FIFO, a symbolic link loop), and why. */
  skipped: { path: string; reason: string }[];
  /** The backend the run used (the first file's; the one asked for when nothing ran). */
  backend: string;
  outcome: DiagnoseOutcome;
}
