// What the engine said about each document, per document version: the latest report of each loss,
// merged as single losses are re-diagnosed. Stale versions are dropped.
import * as vscode from 'vscode';
import type { FileNote, FileReport, Finding, LossReport } from '../engine';

export interface DocumentResults {
  version: number;
  backend: string;
  fileFindings: Finding[];
  /** Notes on this file's code that are not findings (TensorFlow 1 API the losses ran). */
  notes: FileNote[];
  losses: Map<string, LossReport>;
  fileError?: FileReport['error'];
}

export class ResultStore {
  private readonly byDocument = new Map<string, DocumentResults>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  get(document: vscode.TextDocument): DocumentResults | undefined {
    const results = this.byDocument.get(document.uri.toString());
    return results && results.version === document.version ? results : undefined;
  }

  /** The latest results whatever the document's version (a report panel marks them stale). */
  latest(uri: vscode.Uri): DocumentResults | undefined {
    return this.byDocument.get(uri.toString());
  }

  /** Records a report: a whole-file diagnosis replaces, a single-loss one updates its loss. */
  record(document: vscode.TextDocument, report: FileReport, backend: string, wholeFile: boolean): DocumentResults {
    const key = document.uri.toString();
    const previous = this.byDocument.get(key);
    const keep = !wholeFile && previous?.version === document.version;
    const results: DocumentResults = {
      version: document.version,
      backend,
      fileFindings: report.findings,
      notes: keep ? mergeNotes(previous!.notes, report.notes) : report.notes,
      losses: new Map(keep ? previous!.losses : []),
      fileError: report.error,
    };
    for (const loss of report.losses) results.losses.set(loss.entry, loss);
    this.byDocument.set(key, results);
    this.changed.fire(document.uri);
    return results;
  }

  forget(uri: vscode.Uri): void {
    this.byDocument.delete(uri.toString());
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Notes of a single loss's diagnosis added to those of the whole file's, each once. */
function mergeNotes(previous: FileNote[], latest: FileNote[]): FileNote[] {
  const key = (n: FileNote) => `${n.kind}:${n.file ?? ''}:${n.line}:${n.message}`;
  const seen = new Set(previous.map(key));
  return [...previous, ...latest.filter((n) => !seen.has(key(n)))];
}
