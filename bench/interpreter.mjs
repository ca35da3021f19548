// Benchmark (not a test): interpret + evaluate + differentiate a typical multi-class soft Dice on
// 2×64×64×4 inputs, warm, against the same loss written directly in TF.js.
// Usage: node bench/interpreter.mjs [--backend wasm|cpu|tensorflow] [--runs N]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const engine = require('../dist/engine.js');
const tf = require('@tensorflow/tfjs');

const { values } = parseArgs({
  options: { backend: { type: 'string', default: 'wasm' }, runs: { type: 'string', default: '30' } },
});
const backend = await engine.initBackend(values.backend);
const runs = Number(values.runs);

const SOURCE = `
from tensorflow.keras import backend as K

SMOOTH = 1e-5

def dice_coef(y_true, y_pred, smooth=SMOOTH):
    axes = (1, 2)
    intersection = K.sum(y_true * y_pred, axis=axes)
    union = K.sum(y_true, axis=axes) + K.sum(y_pred, axis=axes)
    return K.mean((2. * intersection + smooth) / (union + smooth), axis=0)

def dice_loss(y_true, y_pred):
    return 1 - K.mean(dice_coef(y_true, y_pred))
`;

const shape = [2, 64, 64, 4];
const size = shape.reduce((a, b) => a * b, 1);
const logits = Float32Array.from({ length: size }, (_, i) => Math.sin(i * 12.9898) * 2);
const prediction = tf.tidy(() => tf.softmax(tf.tensor(logits, shape), -1).dataSync());
const labels = Float32Array.from({ length: size }, (_, i) => (i % 4 === Math.floor(i / 4096) % 4 ? 1 : 0));
const inputs = {
  prediction: { data: Float32Array.from(prediction), shape },
  target: { data: labels, shape },
  targetDtype: 'float',
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn) {
  for (let i = 0; i < 5; i++) fn(); // warm-up: kernels compiled, parser cached
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

// Interpreted: parse (cached) + load + resolve + evaluate with gradient, every run.
const interpretedMs = [];
for (let i = 0; i < runs + 5; i++) {
  const start = performance.now();
  const program = await engine.LossProgram.load(SOURCE);
  const result = program.evaluate(program.resolveEntry('dice_loss'), inputs, {
    framework: 'keras',
    argOrder: 'true_pred',
  });
  program.dispose();
  if (i >= 5) interpretedMs.push(performance.now() - start);
  if (!Number.isFinite(result.value) || result.gradNorm === null) throw new Error('benchmark loss did not evaluate');
}

// The same loss in TF.js directly.
const direct = () =>
  tf.tidy(() => {
    const x = tf.tensor(inputs.prediction.data, shape);
    const t = tf.tensor(labels, shape);
    const f = (p) => {
      const inter = tf.sum(tf.mul(t, p), [1, 2]);
      const union = tf.add(tf.sum(t, [1, 2]), tf.sum(p, [1, 2]));
      const coef = tf.mean(tf.div(tf.add(tf.mul(2, inter), 1e-5), tf.add(union, 1e-5)), 0);
      return tf.sub(1, tf.mean(coef));
    };
    const { value, grads } = tf.valueAndGrads(f)([x]);
    value.dataSync();
    grads[0].dataSync();
  });
const directMs = time(direct);
const interpreted = median(interpretedMs);

const report = {
  backend,
  input: shape.join('×'),
  runs,
  interpreted_ms_median: Number(interpreted.toFixed(2)),
  direct_tfjs_ms_median: Number(directMs.toFixed(2)),
  overhead_ms: Number((interpreted - directMs).toFixed(2)),
  overhead_ratio: Number((interpreted / directMs).toFixed(2)),
  target_ms: 50,
  meets_target: interpreted < 50,
};
console.log(JSON.stringify(report, null, 2));
