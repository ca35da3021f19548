// Benchmark (not a test): the fuzz suite's generator (test/engine/hostileSources.mjs) at scale,
// diagnosed in one process with the suite's small limits. Counts cases that crashed (an internal
// error or an exception out of diagnoseSource), hung past the file budget, or leaked tensors
// (a second diagnosis of the same source grew tf.memory()), or escaped (created a file the refused
// calls aim at, changed the canary they try to delete). Usage: node bench/fuzz.mjs [CASES] [SEED]
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { CANARY, ESCAPE_TARGETS, hostileSource } from '../test/engine/hostileSources.mjs';

const require = createRequire(import.meta.url);
const engine = require('../dist/engine.js');
const cases = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 20261207);
const limits = { maxWallTimeMs: 1500, maxLossDiagnosisMs: 6000, maxFileDiagnosisMs: 12000 };

const backend = await engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto');
const counts = {
  cases: 0,
  crashes: 0,
  hangs: 0,
  leaks: 0,
  escapes: 0,
  analysedLosses: 0,
  failedLosses: 0,
  fileErrors: 0,
};
const CANARY_TEXT = 'the fuzz bench checks that no loss deletes or changes this file\n';
writeFileSync(CANARY, CANARY_TEXT);
const escaped = () =>
  ESCAPE_TARGETS.some((path) => existsSync(path)) ||
  !existsSync(CANARY) ||
  readFileSync(CANARY, 'utf8') !== CANARY_TEXT;
const examples = [];
const started = performance.now();
for (let index = 0; index < cases; index++) {
  const { name, source } = hostileSource(seed, index);
  counts.cases++;
  try {
    await engine.diagnoseSource(`fuzz-${index}.py`, source, { limits });
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const report = await engine.diagnoseSource(`fuzz-${index}.py`, source, { limits });
    if (performance.now() - t0 > limits.maxFileDiagnosisMs + 10_000) counts.hangs++;
    if (tf.memory().numTensors !== before) {
      counts.leaks++;
      if (examples.length < 10) examples.push({ index, name, problem: 'leak' });
    }
    const errors = [report.error, ...report.losses.map((l) => l.error)].filter(Boolean);
    if (errors.some((e) => e.kind === 'internal')) {
      counts.crashes++;
      if (examples.length < 10) examples.push({ index, name, problem: errors.find((e) => e.kind === 'internal') });
    }
    if (escaped()) {
      counts.escapes++;
      if (examples.length < 10) examples.push({ index, name, problem: 'escape' });
      for (const path of ESCAPE_TARGETS) rmSync(path, { recursive: true, force: true });
      writeFileSync(CANARY, CANARY_TEXT);
    }
    if (report.error) counts.fileErrors++;
    for (const loss of report.losses) {
      if (loss.error) counts.failedLosses++;
      else counts.analysedLosses++;
    }
  } catch (error) {
    counts.crashes++;
    if (examples.length < 10) examples.push({ index, name, problem: String(error).slice(0, 200) });
  }
}
rmSync(CANARY, { force: true });
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ backend, seed, ...counts, seconds: Number(seconds.toFixed(1)), examples }, null, 2));
