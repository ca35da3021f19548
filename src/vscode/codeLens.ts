// CodeLens above every discovered loss: "Diagnose Loss" before a run; the verdict after one.
import * as vscode from 'vscode';
import type { DiscoveredLossSummary } from '../protocol';
import type { EngineClient } from '../host/engineClient';
import type { ResultStore } from './results';

export class LossLensCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly discovered = new Map<string, { version: number; losses: Promise<DiscoveredLossSummary[]> }>();

  constructor(
    private readonly engine: EngineClient,
    private readonly results: ResultStore,
  ) {
    results.onDidChange(() => this.changed.fire());
  }

  /** Discovery (parsing only, nothing executed) per document version. */
  losses(document: vscode.TextDocument): Promise<DiscoveredLossSummary[]> {
    const key = document.uri.toString();
    const cached = this.discovered.get(key);
    if (cached?.version === document.version) return cached.losses;
    const losses = this.engine.discover(document.getText());
    this.discovered.set(key, { version: document.version, losses });
    return losses;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const losses = await this.losses(document);
    const results = this.results.get(document);
    const lenses: vscode.CodeLens[] = [];
    for (const loss of losses) {
      const range = new vscode.Range(loss.line - 1, 0, loss.line - 1, 0);
      const report = results?.losses.get(loss.entry);
      if (report) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: verdict(report),
            command: 'lossLens.diagnose',
            arguments: [document.uri, loss.entry],
            tooltip: 'Diagnose this loss again',
          }),
        );
        lenses.push(
          new vscode.CodeLens(range, {
            title: 'Show report',
            command: 'lossLens.showReport',
            arguments: [document.uri, loss.entry],
            tooltip: 'Findings, plots and the training probe of this loss',
          }),
        );
      } else
        lenses.push(
          new vscode.CodeLens(range, {
            title: 'Diagnose Loss',
            command: 'lossLens.diagnose',
            arguments: [document.uri, loss.entry],
          }),
        );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function verdict(report: { findings: { severity: string }[]; error?: { message: string } }): string {
  if (report.error) return 'Loss Lens: could not evaluate';
  const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const parts = [
    errors && `${errors} error${errors > 1 ? 's' : ''}`,
    warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`,
  ].filter(Boolean);
  return parts.length ? `Loss Lens: ${parts.join(' · ')}` : 'Loss Lens: no problems found';
}
