// The VS Code side. Everything heavy runs in the engine workers; this file wires commands, CodeLens,
// diagnostics, quick fixes and report panels, and converts engine results at the edge.
import * as vscode from 'vscode';
import type { ProbeLevel } from './engine';
import { LossLensCodeLens } from './vscode/codeLens';
import { type DiagnoseCommandResult, Diagnoser } from './vscode/diagnoser';
import { forgetFindings, toDiagnostics } from './vscode/diagnostics';
import { EngineClient } from './host/engineClient';
import { LossLensQuickFixes } from './vscode/quickFixes';
import { ReportController } from './vscode/reportController';
import { REPORT_VIEW_TYPE, ReportPanels } from './vscode/reportPanel';
import { ResultStore } from './vscode/results';
import { readSettings } from './vscode/settings';

export type { DiagnoseCommandResult } from './vscode/diagnoser';

/** What activate() returns: the commands' work as functions, for tests and other extensions. */
export interface LossLensApi {
  diagnose: (uri?: vscode.Uri, entry?: string) => Thenable<DiagnoseCommandResult | undefined>;
  /** Opens the loss's report (diagnosing it for its plots when needed), without starting a probe. */
  showReport: (uri: vscode.Uri, entry: string) => Promise<void>;
  /** Trains the loss in its report panel (opened if needed); resolves when the probe ends. */
  probe: (uri: vscode.Uri, entry: string, level?: ProbeLevel) => Promise<DiagnoseCommandResult>;
  /** The report panels open now, by document and entry. */
  openReports: () => { uri: string; entry: string }[];
}

export function activate(context: vscode.ExtensionContext): LossLensApi {
  const output = vscode.window.createOutputChannel('Loss Lens');
  const log = (line: string) => output.appendLine(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  // Static diagnoses and probes get a worker each: a minute-long probe never delays squiggles.
  const engine = new EngineClient(context.extensionPath, log, 'diagnosis');
  const probeEngine = new EngineClient(context.extensionPath, log, 'probe');
  const results = new ResultStore();
  const diagnoser = new Diagnoser(engine, probeEngine, results, log);
  const diagnostics = vscode.languages.createDiagnosticCollection('lossLens');
  const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'findings.md');
  const lenses = new LossLensCodeLens(engine, results);
  const panels = new ReportPanels(context.extensionUri, (panel, request) => reports.onRequest(panel, request));
  const reports = new ReportController(panels, diagnoser, results);
  const python: vscode.DocumentSelector = { language: 'python' };

  results.onDidChange((uri) => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const current = document && results.get(document);
    if (!document || !current) diagnostics.delete(uri);
    else diagnostics.set(uri, toDiagnostics(document, current, docs, readSettings(uri).severity));
  });

  /** The loss under the cursor, or the user's pick when the file has several. */
  const chooseEntry = async (editor: vscode.TextEditor): Promise<string | undefined | null> => {
    const losses = await lenses.losses(editor.document);
    if (losses.length <= 1) return losses[0]?.entry;
    const line = editor.selection.active.line + 1;
    const under = losses.find((l) => l.line <= line && line <= l.endLine);
    if (under) return under.entry;
    const picked = await vscode.window.showQuickPick(
      losses.map((l) => ({ label: l.name, description: `line ${l.line} · ${l.kind}`, entry: l.entry })),
      { placeHolder: 'Which loss should Loss Lens diagnose?' },
    );
    return picked ? picked.entry : null;
  };

  /** The command's document and entry: its arguments (CodeLens, API), else the active editor's loss. */
  const resolveTarget = async (
    uri?: vscode.Uri,
    entry?: string,
  ): Promise<{ document: vscode.TextDocument; entry?: string } | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!document || document.languageId !== 'python') {
      void vscode.window.showInformationMessage('Loss Lens: open a Python file with a loss function first.');
      return undefined;
    }
    let chosen: string | undefined | null = entry;
    if (!uri && chosen === undefined && editor) chosen = await chooseEntry(editor);
    if (chosen === null) return undefined; // the pick was dismissed
    return { document, entry: chosen };
  };

  // From the palette or a lens, one loss: squiggles first, then its report beside the editor with
  // the probe training live. With only a document (API, tests): the whole file, no report.
  const diagnoseCommand = async (uri?: vscode.Uri, entry?: string): Promise<DiagnoseCommandResult | undefined> => {
    const target = await resolveTarget(uri, entry);
    if (!target) return undefined;
    const { document } = target;
    const openReport =
      target.entry !== undefined && readSettings(document.uri).openReport && vscode.workspace.isTrusted;
    const result = await diagnoser.diagnose(document, {
      entry: target.entry,
      plots:
        openReport ||
        (target.entry !== undefined && panels.get({ uri: document.uri.toString(), entry: target.entry }) !== undefined),
    });
    if (openReport && result.report && target.entry) void reports.open(document, target.entry, { probe: true });
    return result;
  };

  const showReportCommand = async (uri?: vscode.Uri, entry?: string): Promise<void> => {
    const target = await resolveTarget(uri, entry);
    if (!target) return;
    if (target.entry === undefined) {
      void vscode.window.showInformationMessage('Loss Lens: no loss found in this file.');
      return;
    }
    const existing = panels.get({ uri: target.document.uri.toString(), entry: target.entry });
    // A report opened for the first time trains its loss; an open one is just brought forward.
    await reports.open(target.document, target.entry, {
      probe: !existing?.lastReport?.loss.probe,
      preserveFocus: false,
    });
  };

  context.subscriptions.push(
    output,
    diagnostics,
    results,
    lenses,
    panels,
    { dispose: () => void engine.dispose() },
    { dispose: () => void probeEngine.dispose() },
    vscode.commands.registerCommand('lossLens.diagnose', diagnoseCommand),
    vscode.commands.registerCommand('lossLens.showReport', showReportCommand),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, panels),
    vscode.languages.registerCodeLensProvider(python, lenses),
    vscode.languages.registerCodeActionsProvider(python, new LossLensQuickFixes(), {
      providedCodeActionKinds: LossLensQuickFixes.kinds,
    }),
    vscode.workspace.onDidSaveTextDocument(async (document) => {
      if (document.languageId !== 'python' || !readSettings(document.uri).runOnSave || !vscode.workspace.isTrusted)
        return;
      const open = panels.forDocument(document.uri).length > 0;
      const result = await diagnoser.diagnose(document, { quiet: true, plots: open });
      if (open && result.report) reports.rerunQuickProbes(document);
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length === 0) return;
      // Edited text invalidates the findings' positions until the next run.
      if (results.get(event.document) === undefined) diagnostics.delete(event.document.uri);
      reports.documentChanged(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      // Open reports keep the document's results (the page still shows them; a reveal reopens it).
      if (panels.forDocument(document.uri).length === 0) results.forget(document.uri);
      diagnostics.delete(document.uri);
      forgetFindings(document.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => log('workspace trusted: losses can be diagnosed')),
  );
  const untrusted = ' (untrusted workspace: discovery only until the folder is trusted)';
  log(`Loss Lens active${vscode.workspace.isTrusted ? '' : untrusted}`);

  return {
    diagnose: diagnoseCommand,
    showReport: async (uri, entry) => {
      const document = await vscode.workspace.openTextDocument(uri);
      await reports.open(document, entry, { probe: false });
    },
    probe: async (uri, entry, level) => {
      const document = await vscode.workspace.openTextDocument(uri);
      const panel = await reports.open(document, entry, { probe: false });
      return reports.runProbe(panel, document, level ?? (readSettings(uri).probe === 'full' ? 'full' : 'quick'));
    },
    openReports: () => panels.all().map((p) => ({ uri: p.target.uri, entry: p.target.entry })),
  };
}

export function deactivate(): void {
  // Disposables (the workers and panels included) are released through context.subscriptions.
}
