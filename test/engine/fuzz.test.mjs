// The fuzz suite: seeded hostile sources (hostileSources.mjs) diagnosed in this process, each
// ending with a report or a clear error within its deadline, JSON-serialisable, without leaking a
// tensor, without creating the files the refused calls aim at (in the project, the home folder and
// /tmp) and without changing a canary file they try to delete. bench/fuzz.mjs runs 10,000.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { engine } from './helpers.mjs';
import { CANARY, ESCAPE_TARGETS, hostileSource } from './hostileSources.mjs';

const SEED = 20261207;
const CASES = 300;
/** Small limits: the suite is about ending cleanly, not about analysing everything. */
export const FUZZ_LIMITS = { maxWallTimeMs: 1500, maxLossDiagnosisMs: 6000, maxFileDiagnosisMs: 12000 };
const CANARY_TEXT = 'the fuzz suite checks that no loss deletes or changes this file\n';

describe('fuzz: hostile and mutated sources', () => {
  before(async () => {
    await engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto');
    for (const path of ESCAPE_TARGETS) assert.equal(existsSync(path), false, `${path} exists before the suite`);
    writeFileSync(CANARY, CANARY_TEXT);
  });
  after(() => rmSync(CANARY, { force: true }));

  for (let index = 0; index < CASES; index++) {
    const { name, source } = hostileSource(SEED, index);
    test(`case ${index} (${name}) ends with a report or a clear error`, { timeout: 60_000 }, async () => {
      // A first run may fill caches (framework modules, synthetic inputs); a second must not grow.
      await engine.diagnoseSource(`fuzz-${index}.py`, source, { limits: FUZZ_LIMITS });
      const before = tf.memory().numTensors;
      const started = Date.now();
      const report = await engine.diagnoseSource(`fuzz-${index}.py`, source, { limits: FUZZ_LIMITS });
      assert.ok(Date.now() - started < FUZZ_LIMITS.maxFileDiagnosisMs + 10_000, 'within the file budget');
      JSON.parse(JSON.stringify(report));
      const errors = [report.error, ...report.losses.map((l) => l.error)].filter(Boolean);
      for (const error of errors) {
        assert.notEqual(error.kind, 'internal', `${name}: ${error.message}`);
        assert.ok(error.message && error.message.length < 2000, 'a one-line message');
      }
      assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
      for (const path of ESCAPE_TARGETS) assert.equal(existsSync(path), false, `nothing written at ${path}`);
      assert.equal(readFileSync(CANARY, 'utf8'), CANARY_TEXT, 'the canary file is untouched');
    });
  }
});
