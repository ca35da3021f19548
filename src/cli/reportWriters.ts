// The output formats of diagnose: text streams each file's block as it is done; JSON and SARIF
// are one document, written when the run ends.
import type { DiagnoseRun, FileRun } from './diagnoseRun';
import type { OutputFormat } from './flags';
import { diagnoseJson } from './jsonDocument';
import { sarifJson } from './sarif';
import { type TextPlaces, fileBlock } from './reportText';

export interface ReportWriter {
  /** A file's report, as soon as it is known. */
  file(run: FileRun): void;
  /** The run's end: the document formats write everything here. */
  finish(run: DiagnoseRun): void;
}

export interface WriterOptions {
  /** How the text output names files (as the user gave PATH). */
  places: TextPlaces;
  /** --root: the SARIF output resolves project-root-relative places with it. */
  root?: string;
  /** Written to before anything goes to stdout (the probe's progress line clears itself). */
  beforeWrite?: () => void;
}

export function reportWriter(format: OutputFormat, options: WriterOptions): ReportWriter {
  const write = (text: string) => {
    options.beforeWrite?.();
    process.stdout.write(text);
  };
  if (format === 'json') return { file: () => {}, finish: (run) => write(diagnoseJson(run)) };
  if (format === 'sarif')
    return { file: () => {}, finish: (run) => write(sarifJson(run, { base: process.cwd(), root: options.root })) };
  return {
    file: (fileRun) => write(fileBlock(fileRun, options.places)),
    finish: () => {},
  };
}
