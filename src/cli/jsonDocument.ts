// `--format json`: one document whether PATH is a file or a folder, so a script reads both alike:
// { version, backend, files: [a report per file, each with its backend], skipped: [{ path, reason }] }.
import type { FileReport } from '../engine';
import type { DiagnoseRun } from './diagnoseRun';
import { packageInfo } from './packageInfo';
import { terminalJson } from './terminalText';

export interface DiagnoseDocument {
  /** The Loss Lens version that wrote the document. */
  version: string;
  backend: string;
  files: (FileReport & { backend: string })[];
  skipped: { path: string; reason: string }[];
}

/**
 * JSON replacer that leaves out the probe's mask snapshots: pixel maps for the editor's report
 * (several megabytes of indented numbers per probe), not something to read in a terminal or diff.
 */
export const withoutMaskSnapshots = (key: string, value: unknown) =>
  key === 'snapshots' || key === 'snapshotSlice' ? undefined : value;

export function diagnoseDocument(run: DiagnoseRun): DiagnoseDocument {
  return {
    version: packageInfo().version,
    backend: run.backend,
    files: run.files.map(({ report, backend }) => ({ ...report, backend })),
    skipped: run.skipped,
  };
}

/** The document as the CLI prints it: indented, DEL, C1 and bidirectional characters as \u escapes. */
export const diagnoseJson = (run: DiagnoseRun) =>
  `${terminalJson(JSON.stringify(diagnoseDocument(run), withoutMaskSnapshots, 2))}\n`;
