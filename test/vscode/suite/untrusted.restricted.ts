// Runs in a window on an UNTRUSTED folder (restricted mode; the "restricted" phase of run.mjs).
// Loss Lens declares limited support: discovery (parsing only) works, interpretation and probes
// wait for trust and say so.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './until';

const EXTENSION_ID = 'loss-lens.loss-lens';
const EXAMPLE = 'torch_argmax_dice.py';
const ENTRY = 'hard_dice_loss';

interface Api {
  showReport(uri: vscode.Uri, entry: string): Promise<void>;
  probe(uri: vscode.Uri, entry: string): Promise<{ error?: string; report?: unknown }>;
  openReports(): { uri: string; entry: string }[];
}

suite('Loss Lens in an untrusted folder', () => {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const uri = vscode.Uri.joinPath(folder, EXAMPLE);

  test('the folder is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('opening a Python file activates the extension (limited support)', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await until('activation', () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  test('CodeLens discovery works: "Diagnose Loss" above the loss', async () => {
    const lenses = await until('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      return found?.length ? found : undefined;
    });
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.range.start.line + 1]),
      [['Diagnose Loss', 7]],
    );
  });

  test('Diagnose Loss interprets nothing, says it waits for trust, and reports no problems', async () => {
    const result = await vscode.commands.executeCommand<{ error?: string; report?: unknown }>(
      'lossLens.diagnose',
      uri,
      ENTRY,
    );
    assert.equal(result?.report, undefined);
    assert.match(result?.error ?? '', /only in trusted workspaces/);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Loss Lens'),
      [],
    );
  });

  test('the report opens but runs no probe until the folder is trusted', async () => {
    const api = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
    await api.showReport(uri, ENTRY);
    assert.deepEqual(api.openReports(), [{ uri: uri.toString(), entry: ENTRY }]);
    const probe = await api.probe(uri, ENTRY);
    assert.equal(probe.report, undefined);
    assert.match(probe.error ?? '', /only in trusted workspaces/);
  });
});
