// The rules are the single source of finding kinds: each has its texts and an example, and the
// files generated from them (docs/findings.md, the README's findings table, the lossLens.severity
// setting) are up to date (scripts/generate.mjs --check).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

const ids = engine.RULES.map((r) => r.id);

test('every rule has a message, an explanation, a fix and an example of the bug and of the fix', () => {
  assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
  for (const rule of engine.RULES) {
    assert.ok(['error', 'warning', 'info'].includes(rule.severity), rule.id);
    assert.ok(rule.message.length > 0, `${rule.id}.message`);
    for (const field of ['title', 'explanation', 'fix']) assert.ok(rule[field].length > 10, `${rule.id}.${field}`);
    for (const field of ['bug', 'fixed']) {
      const lines = rule.example[field].trimEnd().split('\n');
      assert.ok(lines.length >= 3 && lines.length <= 12, `${rule.id}.example.${field}: a few lines`);
      assert.match(lines[0], /^(import|from) /, `${rule.id}.example.${field} starts with its imports`);
    }
    assert.notEqual(rule.example.bug, rule.example.fixed, `${rule.id}: the fix changes the code`);
  }
});

test('the probe rules come last, as in the docs', () => {
  assert.deepEqual(ids.slice(-engine.PROBE_FINDING_KINDS.length), [...engine.PROBE_FINDING_KINDS]);
});

test('docs/findings.md, the README table and the lossLens.severity setting are generated from the rules', async () => {
  const { outdatedFiles } = await import('../../scripts/generate.mjs');
  assert.deepEqual(outdatedFiles(), [], 'run node scripts/generate.mjs');
});

test('the README table and the lossLens.severity setting list exactly the rules, with their severities', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const row = /^\| `([a-z-]+)` \| (error|warning|info) \|/gm;
  const rows = [...readme.matchAll(row)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    rows,
    engine.RULES.map((r) => [r.id, r.severity]),
  );
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const setting = manifest.contributes.configuration.properties['lossLens.severity'];
  assert.deepEqual(Object.keys(setting.properties), ids);
});

test('docs/findings.md has a section per rule, the anchor each Problems-panel entry links to', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'findings.md'), 'utf8');
  for (const id of ids) assert.match(doc, new RegExp(`^## ${id}$`, 'm'));
});
