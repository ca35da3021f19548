// Benchmark (not a test): a quick training probe (200 steps, free logits, binary-2d 4×64×64) of one
// interpreted Python loss next to 5 other losses written in TF.js, on one backend. Target on the
// 2-core machine with wasm: under 15 s for the whole probe. The 5 others are the engine's reference
// losses when the build has them (--references own: five written here).
// Usage: node bench/probe.mjs [--backend wasm|cpu|tensorflow] [--level quick|full] [--model free-logits|tiny-unet]
//        [--references library|own] [FILE.py --entry EXPR]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const engine = require('../dist/engine.js');
const tf = require('@tensorflow/tfjs');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'wasm' },
    level: { type: 'string', default: 'quick' },
    model: { type: 'string' },
    entry: { type: 'string', default: 'SoftDiceCrossEntropy' },
    references: { type: 'string', default: 'library' },
  },
});
const file = positionals[0] ?? 'examples/torch_soft_dice_ce.py';
const backend = await engine.initBackend(values.backend);

// PyTorch conventions: (N, C, H, W) logits, (N, H, W) integer labels.
const contract = {
  framework: 'torch',
  argOrder: 'pred_true',
  layout: 'channels_first',
  labels: 'sparse',
  prediction: 'logits',
  classes: 2,
  spatialDims: 2,
};

const program = await engine.LossProgram.load(readFileSync(file, 'utf8'));
const userLoss = program.lossFunction(program.resolveEntry(values.entry), {
  framework: contract.framework,
  argOrder: contract.argOrder,
});

// Five common losses written directly in TF.js, for the same contract. They avoid two slow paths
// of the wasm backend: comparisons with a broadcast operand (a one-hot by tf.equal against a class
// range takes ~6 ms here) and logSumExp/max over a non-last axis (its gradient goes through such a
// comparison): the class axis is moved last, where tf.oneHot and tf.logSoftmax are fast.
const toLast = (t) => tf.transpose(t, [0, 2, 3, 1]);
const oneHot = (labels, classes) =>
  tf
    .oneHot(tf.reshape(labels, [-1]), classes)
    .reshape([...labels.shape, classes])
    .toFloat();
const SPATIAL = [1, 2];
const softDice = (logits, labels) => {
  const p = tf.softmax(toLast(logits), -1);
  const t = oneHot(labels, logits.shape[1]);
  const dice = tf.div(
    tf.add(tf.mul(2, tf.sum(tf.mul(p, t), SPATIAL)), 1),
    tf.add(tf.add(tf.sum(p, SPATIAL), tf.sum(t, SPATIAL)), 1),
  );
  return tf.sub(1, tf.mean(dice));
};
const crossEntropy = (logits, labels) =>
  tf.neg(tf.mean(tf.sum(tf.mul(oneHot(labels, logits.shape[1]), tf.logSoftmax(toLast(logits), -1)), -1)));
const focal = (logits, labels) => {
  const logP = tf.sum(tf.mul(oneHot(labels, logits.shape[1]), tf.logSoftmax(toLast(logits), -1)), -1);
  return tf.neg(tf.mean(tf.mul(tf.pow(tf.sub(1, tf.exp(logP)), 2), logP)));
};
const tversky = (logits, labels, alpha = 0.3, beta = 0.7) => {
  const p = tf.softmax(toLast(logits), -1);
  const t = oneHot(labels, logits.shape[1]);
  const tp = tf.sum(tf.mul(p, t), SPATIAL);
  const fp = tf.sum(tf.mul(p, tf.sub(1, t)), SPATIAL);
  const fn = tf.sum(tf.mul(tf.sub(1, p), t), SPATIAL);
  return tf.sub(1, tf.mean(tf.div(tf.add(tp, 1), tf.add(tf.add(tp, tf.add(tf.mul(alpha, fp), tf.mul(beta, fn))), 1))));
};
const own = [
  { name: 'soft Dice', loss: softDice },
  { name: 'cross-entropy', loss: crossEntropy },
  { name: 'focal', loss: focal },
  { name: 'Tversky 0.3/0.7', loss: tversky },
  { name: 'Dice + CE', loss: (p, t) => tf.add(softDice(p, t), crossEntropy(p, t)) },
];
// The engine's reference losses (src/engine/probe/reference/), when the build has them.
const library = engine.referenceLosses?.REFERENCE_LOSSES;
const READ = { activation: 'softmax', layout: 'channels_first' };
const fromLibrary =
  library &&
  ['softDice', 'diceCrossEntropy', 'focal', 'tversky', 'generalizedDice'].map((name) => ({
    name,
    loss: (p, t) => library[name].loss(p, t, READ),
  }));
const references = values.references === 'own' || !fromLibrary ? own : fromLibrary;

const baseline = tf.memory().numTensors;
let events = 0;
const start = performance.now();
const report = await engine.runProbe({
  loss: { name: `${file}:${values.entry}`, loss: userLoss },
  references,
  contract,
  level: values.level,
  model: values.model,
  backend,
  onProgress: () => events++,
});
const wallMs = performance.now() - start;
program.dispose();

console.log(
  JSON.stringify(
    {
      backend,
      level: report.level,
      model: report.model,
      dataset: report.dataset,
      steps: report.stepsRun,
      losses: report.runs.length,
      references: references === own ? 'own' : 'library',
      wallMs: Math.round(wallMs),
      timings: report.timings,
      progressEvents: events,
      leakedTensors: tf.memory().numTensors - baseline,
      final: Object.fromEntries(
        report.runs.map((r) => [
          r.name,
          {
            status: r.status,
            dice: Number(r.final.foregroundDice.toFixed(3)),
            falsePositives: r.final.lesions.falsePositives,
          },
        ]),
      ),
      findings: report.findings.map((f) => `${f.kind}: ${f.message}`),
    },
    null,
    2,
  ),
);
