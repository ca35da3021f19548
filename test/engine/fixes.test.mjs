// Every code edit a finding offers, applied to the file and re-diagnosed: the finding is gone and
// no new error or warning appears (the quick fixes the editor shows are these edits).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

const { expected } = JSON.parse(readFileSync(join(ROOT, 'test', 'diagnose', 'expected-findings.json'), 'utf8'));

/** Applies a 1-based line/column edit to the source text. */
export function applyEdit(source, edit) {
  const lines = source.split('\n');
  const offset = (line, column) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return (
    source.slice(0, offset(edit.line, edit.column)) + edit.newText + source.slice(offset(edit.endLine, edit.endColumn))
  );
}

/**
 * Fixes that make a loss compute what it was meant to can reveal a bug the first one hid: once its
 * arguments are in the right order, this generalized Dice shows its unguarded class weights.
 */
const REVEALED = { 'test/fixtures/torch/gdl_swapped_args.py': ['absent-class-explosion', 'nan-on-empty'] };

const serious = (loss) => (loss?.findings ?? []).filter((f) => f.severity !== 'info');

describe('quick-fix edits', () => {
  before(() => engine.initBackend('auto'));
  const offered = [];

  for (const path of Object.keys(expected)) {
    test(`edits offered in ${path} fix what they claim`, async () => {
      const source = readFileSync(join(ROOT, path), 'utf8');
      const report = await engine.diagnoseSource(path, source);
      for (const loss of report.losses) {
        for (const finding of serious(loss).filter((f) => f.fix.edit)) {
          offered.push(finding.kind);
          const fixed = applyEdit(source, finding.fix.edit);
          const after = await engine.diagnoseSource(path, fixed);
          assert.equal(
            after.error,
            undefined,
            `${finding.kind}: the edited file does not load: ${after.error?.message}`,
          );
          const same = after.losses.find((l) => l.entry === loss.entry);
          assert.ok(same && !same.error, `${finding.kind}: ${loss.entry} no longer evaluates: ${same?.error?.message}`);
          const before = new Set(serious(loss).map((f) => f.kind));
          const now = serious(same).map((f) => `${f.kind}@${f.line}`);
          assert.ok(
            !serious(same).some((f) => f.kind === finding.kind && f.line === finding.line),
            `${finding.kind}@${finding.line} is still reported after its fix: ${now}`,
          );
          const introduced = serious(same).filter(
            (f) => !before.has(f.kind) && !(REVEALED[path] ?? []).includes(f.kind),
          );
          assert.deepEqual(
            introduced.map((f) => `${f.kind}@${f.line}`),
            [],
            `the ${finding.kind} fix introduced new findings`,
          );
        }
      }
    });
  }

  test('edits are offered for the kinds that have a safe one', () => {
    for (const kind of [
      'double-activation',
      'activation-mismatch',
      'argument-order',
      'sign-error',
      'nan-on-empty',
      'non-differentiable',
      'absent-class-explosion',
      'numpy-on-grad-tensor',
    ]) {
      assert.ok(offered.includes(kind), `no ${kind} fix was offered (${[...new Set(offered)]})`);
    }
  });
});
