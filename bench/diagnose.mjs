// Benchmark (not a test): diagnosing one loss (static + numeric checks, no probe), cold (first
// diagnosis in a fresh process: backend, parser and kernels initialised) and warm (repeated).
// Usage: node bench/diagnose.mjs [--backend wasm|cpu|tensorflow] [--runs N] [FILE.py]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const started = performance.now();
const require = createRequire(import.meta.url);
const engine = require('../dist/engine.js');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string', default: 'wasm' }, runs: { type: 'string', default: '20' } },
});
const file = positionals[0] ?? 'examples/torch_soft_dice_ce.py';
const source = readFileSync(file, 'utf8');

const backend = await engine.initBackend(values.backend);
const first = await engine.diagnoseSource(file, source);
const coldMs = performance.now() - started;
if (first.losses.length !== 1 || first.losses[0].error) throw new Error(`expected one diagnosable loss in ${file}`);

const samples = [];
for (let i = 0; i < Number(values.runs); i++) {
  const start = performance.now();
  await engine.diagnoseSource(file, source);
  samples.push(performance.now() - start);
}
samples.sort((a, b) => a - b);
const warmMs = samples[Math.floor(samples.length / 2)];
console.log(
  JSON.stringify(
    {
      backend,
      file,
      loss: first.losses[0].entry,
      cold_ms: Number(coldMs.toFixed(1)),
      warm_ms_median: Number(warmMs.toFixed(1)),
      targets: { cold_ms: 1000, warm_ms: 200 },
      meets_targets: coldMs < 1000 && warmMs < 200,
    },
    null,
    2,
  ),
);
