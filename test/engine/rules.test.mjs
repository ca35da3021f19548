// The rules table is the single source of finding kinds: the README's findings table and the
// severity setting in package.json must list exactly its ids, with the same default severities.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

const ids = engine.RULES.map((r) => r.id);

test('every rule has a message, an explanation and a fix', () => {
  assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
  for (const rule of engine.RULES) {
    assert.ok(['error', 'warning', 'info'].includes(rule.severity), rule.id);
    assert.ok(rule.message.length > 0, `${rule.id}.message`);
    for (const field of ['title', 'explanation', 'fix']) assert.ok(rule[field].length > 10, `${rule.id}.${field}`);
  }
});

test('the README findings table lists exactly the rules, with their severities', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(rows.map(([id]) => id), ids);
  for (const [id, severity] of rows) assert.equal(severity, engine.RULES.find((r) => r.id === id).severity, id);
});

test('the lossLens.severity setting covers exactly the rules', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const setting = manifest.contributes.configuration.properties['lossLens.severity'];
  assert.deepEqual(Object.keys(setting.properties), ids);
});

test('docs/findings.md documents every rule (generated from the table)', async () => {
  const { findingsDoc } = await import('../../scripts/findings-doc.mjs');
  assert.equal(readFileSync(join(ROOT, 'docs', 'findings.md'), 'utf8'), findingsDoc(), 'run node scripts/findings-doc.mjs');
  for (const id of ids) assert.match(findingsDoc(), new RegExp(`^## ${id}$`, 'm'));
});
