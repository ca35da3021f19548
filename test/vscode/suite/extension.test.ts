// Runs inside the extension host of a real VS Code with Loss Lens loaded from the repository
// (extensionDevelopmentPath), on a workspace holding copies of examples/*.py and fixtures/notes.txt.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';

const EXTENSION_ID = 'loss-lens.loss-lens';
const COMMAND = 'lossLens.diagnose';

/** The findings the repository expects per example (test/diagnose/expected-findings.json), kind@line. */
function expectedFindings(file: string): string[] {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const { expected } = JSON.parse(
    readFileSync(join(ext.extensionPath, 'test', 'diagnose', 'expected-findings.json'), 'utf8'),
  ) as { expected: Record<string, Record<string, string[]>> };
  return Object.values(expected[`examples/${file}`] ?? {})
    .flat()
    .map((finding) => finding.replace(/ \((error|warning|info)\)$/, '')) // a severity that differs from the rule's
    .sort();
}

/** Loss Lens problems (info included) in the Problems panel for a file, as kind@line. */
function problems(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'Loss Lens' && d.severity <= vscode.DiagnosticSeverity.Information)
    .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}@${d.range.start.line + 1}`)
    .sort();
}

/** The report webview tabs open in the window. */
function reportTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('lossLens.report'));
}

interface LossLensApi {
  showReport(uri: vscode.Uri, entry: string): Promise<void>;
  probe(uri: vscode.Uri, entry: string, level?: 'quick' | 'full'): Promise<ProbeResult>;
  openReports(): { uri: string; entry: string }[];
}

interface ProbeResult {
  error?: string;
  report?: {
    losses: {
      entry: string;
      findings: { kind: string }[];
      probeError?: string;
      probe?: { runs: { status: string }[] };
    }[];
  };
}

interface CommandResult {
  file: string;
  backend?: string;
  report?: { losses: { entry: string; line: number; error?: { message: string } }[] };
  error?: string;
}

// The workspace is open before this module loads; tests per example are generated from it.
const workspaceFolder = vscode.workspace.workspaceFolders?.[0];
const examples = workspaceFolder
  ? readdirSync(workspaceFolder.uri.fsPath)
      .filter((f) => f.endsWith('.py'))
      .sort()
  : [];

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
    test(`Diagnose Loss on ${file}: the expected problems at the expected lines`, async () => {
      const uri = vscode.Uri.joinPath(folder, file);
      const result = await vscode.commands.executeCommand<CommandResult>(COMMAND, uri);
      assert.ok(result?.report, `a report, not an error: ${result?.error}`);
      assert.ok(['tensorflow', 'wasm', 'cpu'].includes(result.backend ?? ''), `a known backend: ${result.backend}`);
      for (const loss of result.report.losses)
        assert.equal(loss.error, undefined, `${loss.entry}: ${loss.error?.message}`);
      assert.deepEqual(problems(uri), expectedFindings(file));
    });

    test(`CodeLens above every loss of ${file}, with the verdict after a run`, async () => {
      const uri = vscode.Uri.joinPath(folder, file);
      const result = await vscode.commands.executeCommand<CommandResult>(COMMAND, uri);
      const lenses = await until('code lenses with a verdict', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          uri,
          10,
        );
        return found?.length &&
          found.every((l) => l.command?.title.startsWith('Loss Lens:') || l.command?.title === 'Show report')
          ? found
          : undefined;
      });
      const lines = result!.report!.losses.map((l) => l.line).sort();
      const verdicts = lenses.filter((l) => l.command?.title.startsWith('Loss Lens:'));
      assert.deepEqual(verdicts.map((l) => l.range.start.line + 1).sort(), lines, 'a verdict above every loss');
      const reports = lenses.filter((l) => l.command?.command === 'lossLens.showReport');
      assert.deepEqual(reports.map((l) => l.range.start.line + 1).sort(), lines, '"Show report" above every loss');
    });
  }

  test('each quick fix removes its problem and adds none', async () => {
    let applied = 0;
    const seen: string[] = [];
    for (const file of examples) {
      const uri = vscode.Uri.joinPath(folder, file);
      await vscode.commands.executeCommand(COMMAND, uri);
      const before = problems(uri);
      for (const diagnostic of vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Loss Lens')) {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diagnostic.range,
        );
        const fix = actions?.find((a) => a.title.startsWith('Loss Lens:'));
        const titles = (actions ?? []).map((a) => a.title).join(' | ') || 'no actions';
        seen.push(`${file}:${diagnostic.range.start.line + 1}: ${titles}`);
        if (!fix?.edit) continue;
        const document = await vscode.workspace.openTextDocument(uri);
        const original = document.getText();
        assert.ok(await vscode.workspace.applyEdit(fix.edit), `${fix.title} applies`);
        await document.save();
        await vscode.commands.executeCommand(COMMAND, uri);
        const kind = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
        const after = problems(uri);
        assert.ok(
          !after.includes(`${kind}@${diagnostic.range.start.line + 1}`),
          `${file}: ${fix.title} left ${kind}: ${after}`,
        );
        assert.deepEqual(
          after.filter((p) => !before.includes(p) && !before.some((b) => b.split('@')[0] === p.split('@')[0])),
          [],
          `${file}: ${fix.title} added problems`,
        );
        applied++;
        // Put the file back for the other tests.
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), original);
        await vscode.workspace.applyEdit(edit);
        await document.save();
        break;
      }
    }
    assert.ok(applied >= 2, `quick fixes applied: ${applied}\n${seen.join('\n')}`);
  });

  test('the report panel opens for a loss, with its plot data, and closes cleanly', async () => {
    const api = vscode.extensions.getExtension<LossLensApi>(EXTENSION_ID)!.exports;
    const uri = vscode.Uri.joinPath(folder, 'torch_argmax_dice.py');
    await api.showReport(uri, 'hard_dice_loss');
    const tab = await until('a report tab', () => reportTabs().find((t) => t.label.includes('hard_dice_loss')));
    assert.deepEqual(api.openReports(), [{ uri: uri.toString(), entry: 'hard_dice_loss' }]);
    await vscode.window.tabGroups.close(tab);
    await until('the panel to be gone', () => api.openReports().length === 0);
  });

  test('a quick probe from the report trains the loss live and adds its verdict to the Problems panel', async () => {
    const api = vscode.extensions.getExtension<LossLensApi>(EXTENSION_ID)!.exports;
    const uri = vscode.Uri.joinPath(folder, 'torch_argmax_dice.py');
    const result = await api.probe(uri, 'hard_dice_loss', 'quick');
    const loss = result.report?.losses.find((l) => l.entry === 'hard_dice_loss');
    assert.ok(loss?.probe, `a probe report: ${result.error ?? loss?.probeError}`);
    assert.equal(loss.probe.runs[0].status, 'no-gradient', 'argmax cuts the gradient');
    assert.ok(loss.probe.runs.length >= 3, 'the user loss next to the references');
    assert.ok(
      loss.findings.some((f) => f.kind === 'no-learning'),
      loss.findings.map((f) => f.kind).join(),
    );
    await until('the probe verdict in the Problems panel', () =>
      problems(uri).some((p) => p.startsWith('no-learning@')),
    );
    for (const tab of reportTabs()) await vscode.window.tabGroups.close(tab);
  });

  test('on a non-Python file the command returns nothing', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'notes.txt'));
    await vscode.window.showTextDocument(doc);
    assert.notEqual(doc.languageId, 'python');
    assert.equal(await vscode.commands.executeCommand(COMMAND), undefined); // with an information message
  });
});
