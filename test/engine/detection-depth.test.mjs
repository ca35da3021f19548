// Issue 12's detection-depth fixtures (test/diagnose/detection-depth.json): every buggy loss gives
// its finding at its line with the contract given and inferred, and its correct twin gives no error
// or warning under either. test/diagnose/depth-score.mjs prints the same figures as a table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { score, summary } from '../diagnose/depth-score.mjs';
import { ROOT, engine } from './helpers.mjs';

describe('detection depth', () => {
  let rows;
  before(async () => {
    rows = await score();
  });

  test('every buggy fixture is found at its line, with the contract given and inferred', () => {
    const missed = rows.flatMap((r) =>
      ['given', 'inferred'].flatMap((mode) =>
        r[mode] === 'missed' || r[mode] === 'info' ? [`${r.bug} (${mode})`] : [],
      ),
    );
    assert.deepEqual(missed, []);
  });

  test('no correct twin gives an error or a warning, with the contract given or inferred', () => {
    const alarms = rows.flatMap((r) =>
      ['given', 'inferred'].flatMap((mode) => r[`${mode}TwinAlarms`].map((a) => `${r.bug} twin (${mode}): ${a}`)),
    );
    assert.deepEqual(alarms, []);
  });

  test('the buggy fixtures give nothing else of error severity', () => {
    const extra = rows.flatMap((r) =>
      ['given', 'inferred'].flatMap((mode) =>
        r[`${mode}Other`].filter((f) => f.endsWith('(error)')).map((f) => `${r.bug} (${mode}): ${f}`),
      ),
    );
    assert.deepEqual(extra, []);
  });

  test('the figures', () => {
    const figures = summary(rows);
    assert.equal(figures.foundGiven, figures.cases);
    assert.equal(figures.foundInferred, figures.cases);
  });

  test('an error resting on a guessed layout is a warning naming the guess; given, it is an error', async () => {
    const path = 'test/diagnose/fixtures/depth/numpy_reshape_layout_guess.py';
    const source = readFileSync(join(ROOT, path), 'utf8');
    const findingsUnder = async (contract) =>
      (await engine.diagnoseSource(path, source, { contract })).losses[0].findings.filter(
        (f) => f.kind === 'shape-mismatch',
      );
    const [guessed] = await findingsUnder({});
    assert.equal(guessed.severity, 'warning');
    assert.match(guessed.message, /rests on a guess: channels_last data, a convention.*with channels_first data/);
    const [given] = await findingsUnder({ layout: 'channels_last' });
    assert.equal(given.severity, 'error');
    assert.doesNotMatch(given.message, /guess/);
    assert.deepEqual(await findingsUnder({ layout: 'channels_first' }), []);
  });
});
