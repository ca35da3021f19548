// What the report panels do: open a loss's report (diagnosing it with plot data when needed), run
// and cancel its training probe with live progress, answer the page's requests (reveal a line,
// probe, diagnose again), and keep every open panel in step with the results store.
import * as vscode from 'vscode';
import type { ProbeLevel } from '../engine';
import type { ReportTarget, WebviewRequest } from '../protocol';
import { type DiagnoseCommandResult, type Diagnoser, UNTRUSTED_MESSAGE } from './diagnoser';
import { rangeOf } from './diagnostics';
import { type ReportPanel, type ReportPanels, reportMessage } from './reportPanel';
import type { ResultStore } from './results';
import { readSettings } from './settings';

export class ReportController {
  constructor(
    private readonly panels: ReportPanels,
    private readonly diagnoser: Diagnoser,
    private readonly results: ResultStore,
  ) {
    results.onDidChange((uri) => this.refresh(uri));
  }

  targetOf(document: vscode.TextDocument, entry: string): ReportTarget {
    return { uri: document.uri.toString(), file: vscode.workspace.asRelativePath(document.uri), entry };
  }

  /**
   * Opens (or reveals) the loss's report beside the editor. Diagnoses it first when the store has
   * no plot data for it; with `probe`, then trains it at the configured level, live.
   */
  async open(
    document: vscode.TextDocument,
    entry: string,
    options: { probe: boolean; preserveFocus?: boolean },
  ): Promise<ReportPanel> {
    const panel = this.panels.show(this.targetOf(document, entry), options.preserveFocus ?? true);
    if (!vscode.workspace.isTrusted) {
      panel.post({ type: 'status', message: UNTRUSTED_MESSAGE, busy: false });
      return panel;
    }
    if (!this.post(panel, document)?.loss.plots) {
      panel.post({ type: 'status', message: `Diagnosing ${entry}…`, busy: true });
      const result = await this.diagnoser.diagnose(document, { entry, plots: true, quiet: true });
      if (result.error) panel.post({ type: 'status', message: `Could not diagnose: ${result.error}`, busy: false });
    }
    const level = readSettings(document.uri).probe;
    if (options.probe && level !== 'none') void this.runProbe(panel, document, level);
    return panel;
  }

  /** Trains the panel's loss; a newer probe of the same loss replaces a running one. */
  async runProbe(
    panel: ReportPanel,
    document: vscode.TextDocument,
    level: ProbeLevel,
    quiet = false,
  ): Promise<DiagnoseCommandResult> {
    panel.cancelProbe();
    const cancel = new vscode.CancellationTokenSource();
    panel.probe = cancel;
    panel.post({ type: 'status', message: '', busy: false }); // e.g. "curves from before the last change"
    panel.post({ type: 'probe-started', level });
    const { entry } = panel.target;
    try {
      const result = await this.diagnoser.probe(document, {
        entry,
        level,
        quiet,
        token: cancel.token,
        onProgress: (event) => panel.post({ type: 'probe-progress', event }),
      });
      const loss = result.report?.losses.find((l) => l.entry === entry);
      // A probe replaced by a newer one says nothing: the panel already follows its successor.
      if (panel.probe !== cancel) return result;
      if (result.cancelled) panel.post({ type: 'probe-ended', state: 'cancelled' });
      else if (result.error || !loss)
        panel.post({
          type: 'probe-ended',
          state: 'failed',
          message: result.error ?? `${entry} is no longer in the file`,
        });
      else if (!loss.probe) panel.post({ type: 'probe-ended', state: 'failed', message: whyNoProbe(loss) });
      else {
        // Recorded in the store, the report reached the panel through refresh(); a store that kept
        // it out (the text changed meanwhile) still lets the panel show the probe, marked stale.
        if (this.results.latest(document.uri)?.losses.get(entry) !== loss) {
          panel.post(reportMessage(panel.target, result.backend ?? '', loss, true, readSettings(document.uri).probe));
        }
        panel.post({ type: 'probe-ended', state: 'done' });
      }
      return result;
    } finally {
      if (panel.probe === cancel) panel.probe = undefined;
      cancel.dispose();
    }
  }

  readonly onRequest = (panel: ReportPanel, request: WebviewRequest): void => {
    void this.handle(panel, request).catch((error: Error) =>
      panel.post({ type: 'status', message: error.message, busy: false }),
    );
  };

  private async handle(panel: ReportPanel, request: WebviewRequest): Promise<void> {
    if (request.type === 'cancel-probe') return panel.cancelProbe();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(panel.target.uri));
    if (request.type === 'reveal') {
      const range = rangeOf(document, {
        line: request.line,
        column: request.column,
        endLine: request.endLine ?? request.line,
        endColumn: request.endColumn,
      });
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
      await vscode.window.showTextDocument(document, {
        viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
        selection: range,
        preserveFocus: false,
      });
      vscode.window.activeTextEditor?.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } else if (request.type === 'run-probe') {
      await this.runProbe(panel, document, request.level);
    } else if (request.type === 'rediagnose') {
      panel.post({ type: 'status', message: `Diagnosing ${panel.target.entry}…`, busy: true });
      const result = await this.diagnoser.diagnose(document, { entry: panel.target.entry, plots: true });
      panel.post({ type: 'status', message: result.error ? `Could not diagnose: ${result.error}` : '', busy: false });
      const level = readSettings(document.uri).probe;
      if (!result.error && level !== 'none') await this.runProbe(panel, document, level);
    }
  }

  /** Posts the store's report of the panel's loss; returns it (undefined when the store has none). */
  private post(panel: ReportPanel, document: vscode.TextDocument) {
    const results = this.results.latest(document.uri);
    const loss = results?.losses.get(panel.target.entry);
    if (!results || !loss) return undefined;
    // A static re-diagnosis carries no probe: keep showing the last one until a new probe ends.
    const previous = panel.lastReport?.loss.probe;
    const shown = !loss.probe && previous && !panel.probe ? { ...loss, probe: previous } : loss;
    const message = reportMessage(
      panel.target,
      results.backend,
      shown,
      results.version !== document.version,
      readSettings(document.uri).probe,
    );
    panel.post(message);
    if (shown !== loss)
      panel.post({
        type: 'status',
        message: 'The training curves are from before the last change: run the probe again.',
        busy: false,
      });
    return message;
  }

  private refresh(uri: vscode.Uri): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!document) return;
    for (const panel of this.panels.forDocument(uri)) this.post(panel, document);
  }

  /** The document's text changed: its open reports now describe an older version. */
  documentChanged(document: vscode.TextDocument): void {
    for (const panel of this.panels.forDocument(document.uri)) {
      if (panel.lastReport && !panel.lastReport.stale) panel.post({ ...panel.lastReport, stale: true });
    }
  }

  /** After a save's re-diagnosis: quick probes of the open reports run again (full ones wait for a click). */
  rerunQuickProbes(document: vscode.TextDocument): void {
    if (readSettings(document.uri).probe !== 'quick') return;
    // In the status bar: a notification at every save would be noise; the report has its Cancel button.
    for (const panel of this.panels.forDocument(document.uri)) void this.runProbe(panel, document, 'quick', true);
  }
}

function whyNoProbe(loss: { role: string; error?: { message: string }; probeError?: string }): string {
  if (loss.error) return `the loss could not be evaluated: ${loss.error.message}`;
  if (loss.probeError) return loss.probeError;
  if (loss.role !== 'loss') return 'this function is a helper of another loss: probes train the loss that calls it';
  return 'the probe did not run';
}
