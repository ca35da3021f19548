// A report panel restored after a reload takes its target from state the page saved: only a file:
// URI of an existing document inside the workspace (the workspace decides), and an entry that is a
// short line of text; anything else closes the panel (src/vscode/restoredTarget.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bundled } from './helpers.mjs';

let restoredTarget;
let scratch;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'loss-lens-restore-'));
  ({ restoredTarget } = await bundled('src/vscode/restoredTarget.ts', scratch));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A workspace holding one document; it records what it was asked. */
function workspace() {
  const asked = [];
  return {
    asked,
    async document(uri) {
      asked.push(uri);
      return uri === 'file:///ws/losses.py' ? { uri, file: 'losses.py' } : undefined;
    },
  };
}

test('a saved target naming a workspace document is restored, with the path the workspace gives', async () => {
  const view = workspace();
  const state = { target: { uri: 'file:///ws/losses.py', file: '<img src=x onerror=alert(1)>', entry: 'DiceLoss' } };
  assert.deepEqual(await restoredTarget(state, view), {
    uri: 'file:///ws/losses.py',
    file: 'losses.py',
    entry: 'DiceLoss',
  });
});

test('anything else is not restored, and the workspace is not even asked about other schemes', async () => {
  const view = workspace();
  const states = [
    undefined,
    null,
    'file:///ws/losses.py',
    {},
    { target: null },
    { target: { uri: 42, entry: 'DiceLoss' } },
    { target: { uri: 'file:///ws/losses.py' } },
    { target: { uri: 'file:///ws/losses.py', entry: '' } },
    { target: { uri: 'file:///ws/losses.py', entry: 'x'.repeat(501) } },
    { target: { uri: 'file:///ws/losses.py', entry: 'DiceLoss\nimport os' } },
    { target: { uri: 'https://evil.invalid/losses.py', entry: 'DiceLoss' } },
    { target: { uri: 'vscode-remote://host/ws/losses.py', entry: 'DiceLoss' } },
    { target: { uri: 'command:workbench.action.terminal.new', entry: 'DiceLoss' } },
  ];
  for (const state of states) assert.equal(await restoredTarget(state, view), undefined, JSON.stringify(state));
  assert.deepEqual(view.asked, []);
  // A file: URI outside the workspace, or one the workspace cannot stat: the workspace says no.
  for (const uri of ['file:///etc/passwd', 'file:///ws/deleted.py'])
    assert.equal(await restoredTarget({ target: { uri, entry: 'DiceLoss' } }, view), undefined);
  const failing = { document: async () => Promise.reject(new Error('EntryNotFound')) };
  assert.equal(await restoredTarget({ target: { uri: 'file:///ws/x.py', entry: 'f' } }, failing), undefined);
});
