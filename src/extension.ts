// The VS Code side. It converts engine results at the edge; all analysis runs in the worker.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { WorkerRequest, WorkerResponse } from './protocol';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (response: WorkerResponse) => void>();

function engineWorker(context: vscode.ExtensionContext): Worker {
  if (worker) return worker;
  const created = new Worker(join(context.extensionPath, 'dist', 'worker.js'));
  created.on('message', (response: WorkerResponse) => {
    pending.get(response.id)?.(response);
    pending.delete(response.id);
  });
  created.on('exit', () => {
    // A crashed worker is replaced on the next request; callers waiting on it are told.
    for (const [id, resolve] of pending) resolve({ type: 'error', id, message: 'the Loss Lens engine stopped unexpectedly' });
    pending.clear();
    worker = undefined;
  });
  worker = created;
  return created;
}

function request(context: vscode.ExtensionContext, message: Omit<WorkerRequest, 'id'> & { type: 'checkFile'; source: string }): Promise<WorkerResponse> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    engineWorker(context).postMessage({ ...message, id });
  });
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Loss Lens');
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('lossLens.diagnose', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'python') {
        void vscode.window.showInformationMessage('Loss Lens: open a Python file with a loss function first.');
        return;
      }
      const response = await request(context, { type: 'checkFile', source: editor.document.getText() });
      if (response.type === 'error') {
        output.appendLine(`${editor.document.fileName}: ${response.line ? `line ${response.line}: ` : ''}${response.message}`);
        void vscode.window.showWarningMessage(`Loss Lens: ${response.message}`);
        return;
      }
      const { summary } = response;
      output.appendLine(`${editor.document.fileName} (backend ${summary.backend}): ${summary.definitions.length} definitions, ${summary.notes.length} notes`);
      for (const note of summary.notes) output.appendLine(`  line ${note.line}: ${note.message}`);
      output.show(true);
    }),
  );
}

export function deactivate(): Promise<number> | undefined {
  return worker?.terminate();
}
