// What the engine said about each document, per document version: the latest report of each loss,
// merged as single losses are re-diagnosed. Stale versions are dropped.
import * as vscode from 'vscode';
import type { FileReport, Finding, LossReport } from '../engine';

export interface DocumentResults {
  version: number;
  backend: string;
  fileFindings: Finding[];
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
