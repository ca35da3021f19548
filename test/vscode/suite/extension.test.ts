// Runs inside the extension host of a real VS Code with Loss Lens loaded from the repository
// (extensionDevelopmentPath), on a workspace holding copies of examples/*.py and fixtures/notes.txt.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'loss-lens.loss-lens';
const COMMAND = 'lossLens.diagnose';

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What the extension wrote to its "Loss Lens" output channel. The API cannot read an output
 * channel back, but VS Code backs each one with a file, `<n>-Loss Lens.log`, in the extension
 * host's log folder under the user-data dir; the launcher says where that is
 * (LOSS_LENS_VSCODE_USER_DATA).
 */
function outputChannelText(): string {
  const root = process.env.LOSS_LENS_VSCODE_USER_DATA;
  if (!root) throw new Error('LOSS_LENS_VSCODE_USER_DATA is not set: the launcher must say where the user-data dir is');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^\d+-Loss Lens\.log$/.test(name)) found.push(path);
    }
  };
  walk(join(root, 'logs'));
  return found.map((f) => readFileSync(f, 'utf8')).join('');
}

/** Top-level functions and classes in a Python source, which is what the command reports. */
function topLevelDefinitions(source: string): number {
  return source.split('\n').filter((line) => /^(?:async\s+)?(?:def|class)\s/.test(line)).length;
}

// The workspace is open before this module loads; one test per example is generated from it.
const workspaceFolder = vscode.workspace.workspaceFolders?.[0];
const examples = workspaceFolder ? readdirSync(workspaceFolder.uri.fsPath).filter((f) => f.endsWith('.py')).sort() : [];

suite('Loss Lens in the extension host', () => {
  let folder: vscode.Uri;

  suiteSetup(() => {
    assert.ok(workspaceFolder, 'a workspace folder is open');
    folder = workspaceFolder.uri;
    assert.ok(examples.length > 0, `examples copied into ${folder.fsPath}`);
  });

  test('the extension under development is loaded, not yet active', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is known to VS Code`);
    assert.equal(ext.isActive, false, 'nothing has opened a Python file yet (activation is onLanguage:python)');
    const commands = (ext.packageJSON.contributes?.commands ?? []) as { command: string; title: string }[];
    assert.equal(commands.find((c) => c.command === COMMAND)?.title, 'Diagnose Loss');
  });

  test('opening a Python file activates it', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, examples[0]));
    assert.equal(doc.languageId, 'python');
    await vscode.window.showTextDocument(doc);
    await until('activation', () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  test(`${COMMAND} is registered`, async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(COMMAND));
  });

  for (const file of examples) {
    test(`Diagnose Loss on ${file} completes and reports to the "Loss Lens" output channel`, async () => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, file));
      await vscode.window.showTextDocument(doc);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());
      await vscode.commands.executeCommand(COMMAND); // resolves once the worker answered
      // Success: "<path> (backend B): N definitions, M notes"; an engine error: "<path>: [line L: ]message".
      const line = await until(`a line about ${file} in the "Loss Lens" output channel`,
        () => outputChannelText().split('\n').find((l) => l.startsWith(doc.fileName)));
      const match = /\(backend (\w+)\): (\d+) definitions, (\d+) notes$/.exec(line);
      assert.ok(match, `a summary, not an error: ${line}`);
      assert.equal(Number(match[2]), topLevelDefinitions(doc.getText()), `definitions counted in ${basename(doc.fileName)}: ${line}`);
      assert.ok(['tensorflow', 'wasm', 'cpu'].includes(match[1]), `a known backend: ${line}`);
    });
  }

  test('on a non-Python file the command returns quietly', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'notes.txt'));
    await vscode.window.showTextDocument(doc);
    assert.notEqual(doc.languageId, 'python');
    const before = outputChannelText();
    await vscode.commands.executeCommand(COMMAND); // shows an information message, writes nothing
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(outputChannelText(), before);
  });
});
