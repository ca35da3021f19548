// The VS Code side. Everything heavy runs in the engine worker; this file wires commands, CodeLens,
// diagnostics and quick fixes, and converts engine results at the edge.
import * as vscode from 'vscode';
import type { FileReport } from './engine';
import { LossLensCodeLens } from './vscode/codeLens';
import { forgetFindings, toDiagnostics } from './vscode/diagnostics';
import { EngineClient, EngineError } from './vscode/engineClient';
import { LossLensQuickFixes } from './vscode/quickFixes';
import { ResultStore } from './vscode/results';
import { readSettings } from './vscode/settings';

/** What `lossLens.diagnose` returns (tests and other extensions can use it). */
export interface DiagnoseCommandResult {
  file: string;
  backend?: string;
  report?: FileReport;
  error?: string;
}

export function activate(context: vscode.ExtensionContext): { diagnose: (uri?: vscode.Uri, entry?: string) => Thenable<DiagnoseCommandResult | undefined> } {
  const output = vscode.window.createOutputChannel('Loss Lens');
  const log = (line: string) => output.appendLine(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const engine = new EngineClient(context.extensionPath, log);
  const results = new ResultStore();
  const diagnostics = vscode.languages.createDiagnosticCollection('lossLens');
  const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'findings.md');
  const lenses = new LossLensCodeLens(engine, results);
  const python: vscode.DocumentSelector = { language: 'python' };

  const refreshDiagnostics = (document: vscode.TextDocument) => {
    const current = results.get(document);
    if (!current) return diagnostics.delete(document.uri);
    diagnostics.set(document.uri, toDiagnostics(document, current, docs, readSettings(document.uri).severity));
  };

  /** Diagnoses a document (one loss or all), with a cancellable progress notification. */
  const diagnose = async (document: vscode.TextDocument, entry?: string, quiet = false): Promise<DiagnoseCommandResult> => {
    const file = vscode.workspace.asRelativePath(document.uri);
    if (!vscode.workspace.isTrusted) {
      const message = 'Loss Lens interprets losses only in trusted workspaces: trust this folder to diagnose (CodeLens discovery works meanwhile).';
      if (!quiet) void vscode.window.showInformationMessage(message);
      return { file, error: message };
    }
    const settings = readSettings(document.uri);
    const version = document.version;
    const source = document.getText();
    const run = async (token?: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string }>) => {
      const started = Date.now();
      log(`diagnosing ${file}${entry ? ` (${entry})` : ''}`);
      try {
        const result = await engine.diagnose(file, source, { entry, contract: settings.contract, backend: settings.backend }, token, (message) => progress?.report({ message }));
        const { report, backend } = result;
        log(`${file}: ${report.losses.length} loss${report.losses.length === 1 ? '' : 'es'}, ${report.losses.reduce((n, l) => n + l.findings.length, 0) + report.findings.length} findings, backend ${backend}, ${Date.now() - started} ms`);
        for (const loss of report.losses) log(`  ${loss.entry} (line ${loss.line}): ${loss.error ? `could not evaluate: ${loss.error.message}` : loss.findings.map((f) => `${f.kind}@${f.line}`).join(', ') || 'no problems found'}`);
        if (report.error) log(`  cannot analyse: ${report.error.message}`);
        if (document.version === version) {
          results.record(document, report, backend, entry === undefined);
          refreshDiagnostics(document);
        }
        return { file, backend, report };
      } catch (error) {
        const message = error instanceof EngineError && error.cancelled ? 'cancelled' : (error as Error).message;
        log(`${file}: ${message}`);
        if (!quiet && message !== 'cancelled') void vscode.window.showWarningMessage(`Loss Lens: ${message}`);
        return { file, error: message };
      }
    };
    if (quiet) return run();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loss Lens: diagnosing ${entry ?? file}`, cancellable: true }, (progress, token) => run(token, progress));
  };

  /** The loss under the cursor, or the user's pick when the file has several. */
  const chooseEntry = async (editor: vscode.TextEditor): Promise<string | undefined | null> => {
    const losses = await lenses.losses(editor.document);
    if (losses.length <= 1) return losses[0]?.entry;
    const line = editor.selection.active.line + 1;
    const under = losses.find((l) => l.line <= line && line <= l.endLine);
    if (under) return under.entry;
    const picked = await vscode.window.showQuickPick(losses.map((l) => ({ label: l.name, description: `line ${l.line} · ${l.kind}`, entry: l.entry })), { placeHolder: 'Which loss should Loss Lens diagnose?' });
    return picked ? picked.entry : null;
  };

  const diagnoseCommand = async (uri?: vscode.Uri, entry?: string): Promise<DiagnoseCommandResult | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!document || document.languageId !== 'python') {
      void vscode.window.showInformationMessage('Loss Lens: open a Python file with a loss function first.');
      return undefined;
    }
    // From the palette (no arguments): the loss under the cursor or the user's pick. With a
    // document (CodeLens, other extensions, tests): that entry, or the whole file.
    let chosen: string | undefined | null = entry;
    if (!uri && chosen === undefined && editor) chosen = await chooseEntry(editor);
    if (chosen === null) return undefined; // the pick was dismissed
    return diagnose(document, chosen);
  };

  context.subscriptions.push(
    output,
    diagnostics,
    results,
    lenses,
    { dispose: () => void engine.dispose() },
    vscode.commands.registerCommand('lossLens.diagnose', diagnoseCommand),
    vscode.languages.registerCodeLensProvider(python, lenses),
    vscode.languages.registerCodeActionsProvider(python, new LossLensQuickFixes(), { providedCodeActionKinds: LossLensQuickFixes.kinds }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.languageId === 'python' && readSettings(document.uri).runOnSave && vscode.workspace.isTrusted) void diagnose(document, undefined, true);
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      // Edited text invalidates the findings' positions until the next run.
      if (results.get(event.document) === undefined) diagnostics.delete(event.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      results.forget(document.uri);
      diagnostics.delete(document.uri);
      forgetFindings(document.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => log('workspace trusted: losses can be diagnosed')),
  );
  log(`Loss Lens active${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: discovery only until the folder is trusted)'}`);
  return { diagnose: diagnoseCommand };
}

export function deactivate(): void {
  // Disposables (the worker included) are released through context.subscriptions.
}
