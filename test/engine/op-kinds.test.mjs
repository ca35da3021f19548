// Every traced op carries a canonical kind (what it is, whatever the framework spelled), and the
// aliases of one op across torch, TF, Keras, numpy and Theano share it: the checks match kinds, so
// an op that escaped its kind, or an alias mapped apart, would escape every check.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

// ------------------------------------------------------------------ the OpKind contract, as data

const oneOf =
  (...values) =>
  (v) =>
    values.includes(v);
const isInt = (v) => Number.isInteger(v);
const isAxis = (v) => Number.isInteger(v) && v >= 0;
const isAxes = (v) => Array.isArray(v) && v.every(isAxis) && v.every((a, i) => i === 0 || v[i - 1] < a);
const isAxisList = (v) => Array.isArray(v) && v.every(isAxis);
const isBoolean = (v) => typeof v === 'boolean';
const optional = (check) => (v) => v === undefined || check(v);
const DTYPES = oneOf('float16', 'float32', 'float64', 'uint8', 'int8', 'int16', 'int32', 'int64', 'bool');
const NORMALISING = ['softmax', 'log_softmax'];
const POINTWISE = [
  'sigmoid',
  'logsigmoid',
  'hard_sigmoid',
  'softplus',
  'softsign',
  'tanh',
  'relu',
  'relu6',
  'leaky_relu',
  'elu',
  'selu',
  'silu',
];

/** Field checks per category; a kind must have exactly these fields (optional ones may be absent). */
const SCHEMA = {
  elementwise: {
    operator: oneOf(
      'add',
      'sub',
      'mul',
      'div',
      'floordiv',
      'mod',
      'pow',
      'maximum',
      'minimum',
      'squared_difference',
      'logaddexp',
      'xlogy',
    ),
    guarded: optional((v) => v === true),
  },
  comparison: { operator: oneOf('equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal', 'isclose') },
  logical: { operator: oneOf('and', 'or', 'xor', 'not') },
  unary: {
    fn: oneOf(
      'exp',
      'expm1',
      'exp2',
      'log',
      'log1p',
      'log2',
      'log10',
      'logit',
      'sqrt',
      'rsqrt',
      'square',
      'abs',
      'neg',
      'reciprocal',
      'sin',
      'cos',
      'tan',
      'sinh',
      'cosh',
      'asin',
      'acos',
      'atan',
      'atanh',
      'erf',
      'nan_to_num',
    ),
  },
  rounding: { fn: oneOf('round', 'floor', 'ceil', 'trunc', 'sign') },
  predicate: { test: oneOf('isnan', 'isinf', 'isfinite', 'isposinf', 'isneginf') },
  activation: { fn: oneOf(...NORMALISING, ...POINTWISE), axis: optional(isAxis) },
  loss: {
    loss: oneOf('cross_entropy', 'nll', 'binary_cross_entropy'),
    input: oneOf('logits', 'probabilities', 'log_probabilities'),
    activation: oneOf('softmax', 'sigmoid'),
    axis: optional(isAxis),
    labels: optional(oneOf('indices', 'distribution')),
  },
  reduction: {
    reducer: oneOf(
      'sum',
      'mean',
      'prod',
      'max',
      'min',
      'any',
      'all',
      'logsumexp',
      'var',
      'std',
      'norm',
      'count_nonzero',
    ),
    axes: (v) => v === null || isAxes(v),
    keepdims: isBoolean,
    skipsNan: optional((v) => v === true),
    ord: optional((v) => typeof v === 'number'),
  },
  argreduction: { reducer: oneOf('argmax', 'argmin'), axis: (v) => v === null || isAxis(v), keepdims: isBoolean },
  scan: { fn: oneOf('cumsum'), axis: isAxis },
  sort: { output: oneOf('values', 'indices'), axis: isAxis },
  unique: { output: oneOf('values', 'index', 'inverse', 'counts') },
  bincount: { weighted: isBoolean },
  cast: { to: DTYPES },
  detach: {},
  conversion: { to: oneOf('scalar', 'list', 'numpy'), readAsDetached: optional((v) => v === true) },
  copy: {},
  indexing: {
    method: oneOf('subscript', 'boolean_mask', 'gather', 'gather_nd'),
    axes: optional((v) => Array.isArray(v) && v.every((a) => Number.isInteger(a) && a >= -1)),
    picks: optional((v) => Array.isArray(v) && v.every((p) => isAxis(p.axis) && isInt(p.index) && p.index >= 0)),
  },
  scatter: { method: oneOf('setitem', 'scatter') },
  select: { condition: isAxis },
  clip: { bound: oneOf('min', 'max') },
  one_hot: { depth: (v) => isInt(v) && v >= 0, axis: isAxis },
  contraction: { method: oneOf('matmul', 'dot', 'einsum'), equation: optional((v) => typeof v === 'string') },
  pool: {
    reducer: oneOf('max', 'avg'),
    axes: isAxes,
    window: (v) => Array.isArray(v) && v.length > 0 && v.every((w) => Number.isInteger(w) && w > 0),
  },
  resample: { mode: oneOf('nearest', 'linear'), axes: isAxes },
  normalization: { norm: oneOf('l2'), axes: (v) => v === null || isAxes(v) },
  reshape: {},
  transpose: { permutation: isAxisList, newAxes: optional(isAxisList) },
  join: { method: oneOf('concat', 'stack'), axis: isAxis },
  split: { method: oneOf('split', 'unstack'), axis: isAxis },
  pad: { widths: (v) => Array.isArray(v) && v.every((w) => Array.isArray(w) && w.length === 2 && w.every(isInt)) },
  replicate: { method: oneOf('tile', 'repeat', 'broadcast') },
  reverse: { axes: isAxisList },
  other: { reason: (v) => typeof v === 'string' && v.length > 0 },
};

/** Why `kind` is not a valid OpKind, or undefined. */
function kindProblem(kind) {
  if (kind === null || typeof kind !== 'object') return `kind is ${JSON.stringify(kind)}`;
  const fields = SCHEMA[kind.category];
  if (!fields) return `unknown category ${JSON.stringify(kind.category)}`;
  for (const key of Object.keys(kind)) if (key !== 'category' && !(key in fields)) return `unexpected field ${key}`;
  for (const [key, check] of Object.entries(fields)) {
    if (!check(kind[key])) return `bad ${key}: ${JSON.stringify(kind[key])}`;
  }
  const withAxis = kind.axis !== undefined;
  if (kind.category === 'activation' && NORMALISING.includes(kind.fn) !== withAxis) {
    return 'softmax-like activations (only) carry an axis';
  }
  if (kind.category === 'loss' && (kind.activation === 'softmax') !== (withAxis && kind.labels !== undefined)) {
    return 'softmax losses (only) carry an axis and a label format';
  }
  assert.deepEqual(JSON.parse(JSON.stringify(kind)), kind, 'kinds are plain JSON');
  return undefined;
}

function assertKinds(trace, where) {
  assert.ok(trace.length > 0, `${where}: empty trace`);
  for (const entry of trace) {
    const problem = kindProblem(entry.kind);
    const what = `${where}: entry ${entry.index} (${entry.op}, line ${entry.range.line})`;
    assert.equal(problem, undefined, `${what}: ${problem}`);
  }
}

// ------------------------------------------------------------------ synthetic inputs for a resolved contract

/** Deterministic inputs shaped as diagnose shapes them for `contract`: random predictions and labels. */
function inputsFor(contract) {
  const channels = contract.classes ?? 2;
  const batch = 2;
  const size = contract.classes === 16 ? 12 : 16;
  const spatial = contract.spatialDims === 3 ? [contract.classes === 6 ? 5 : 6, size, size] : [size, size];
  const pixels = spatial.reduce((a, b) => a * b, 1);
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const labels = Array.from({ length: batch * pixels }, () => Math.floor(random() * Math.max(channels, 2)));
  const first = contract.layout === 'channels_first';
  const shape = contract.flattened
    ? [batch * pixels, channels]
    : first
      ? [batch, channels, ...spatial]
      : [batch, ...spatial, channels];
  const offset = (b, c, p) =>
    contract.flattened || !first ? (b * pixels + p) * channels + c : (b * channels + c) * pixels + p;
  const prediction = new Float32Array(batch * pixels * channels);
  const target = new Float32Array(batch * pixels * channels);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < pixels; p++) {
      const scores = Array.from({ length: channels }, () => random() * 4 - 2);
      const total = scores.reduce((s, x) => s + Math.exp(x), 0);
      scores.forEach((s, c) => {
        const probability = channels === 1 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / total;
        prediction[offset(b, c, p)] = contract.prediction === 'logits' ? s : probability;
        const label = labels[b * pixels + p];
        target[offset(b, c, p)] = channels === 1 ? Number(label > 0) : Number(label === c);
      });
    }
  }
  const predictionInput = { data: prediction, shape };
  if (contract.labels !== 'sparse') {
    return { prediction: predictionInput, target: { data: target, shape }, targetDtype: 'float' };
  }
  const channel = contract.sparseChannel ?? contract.layout === 'channels_last';
  const sparseShape = contract.flattened
    ? [batch * pixels, ...(contract.sparseChannel ? [1] : [])]
    : !channel
      ? [batch, ...spatial]
      : first
        ? [batch, 1, ...spatial]
        : [batch, ...spatial, 1];
  const sparseTarget = { data: Float32Array.from(labels), shape: sparseShape };
  return { prediction: predictionInput, target: sparseTarget, targetDtype: contract.floatLabels ? 'float' : 'int' };
}

// ------------------------------------------------------------------ evaluating inline losses

const tensor = (shape, f) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: size }, (_, i) => f(i)), shape };
};
const oneHot = (shape, classAxis) =>
  tensor(shape, (i) => {
    const stride = shape.slice(classAxis + 1).reduce((a, b) => a * b, 1);
    const c = Math.floor(i / stride) % shape[classAxis];
    const pixel = Math.floor(i / (stride * shape[classAxis])) * stride + (i % stride);
    return Number(pixel % shape[classAxis] === c);
  });
const probabilities = (shape) => tensor(shape, (i) => 0.1 + (0.8 * ((i * 7919) % 97)) / 97);

const FIRST = [2, 3, 4, 4];
const LAST = [2, 4, 4, 3];
const CHANNELS_FIRST = { prediction: probabilities(FIRST), target: oneHot(FIRST, 1), targetDtype: 'float' };
const CHANNELS_LAST = { prediction: probabilities(LAST), target: oneHot(LAST, 3), targetDtype: 'float' };
const SETUPS = {
  torch: { argOrder: 'pred_true', inputs: CHANNELS_FIRST },
  theano: { argOrder: 'true_pred', inputs: CHANNELS_FIRST },
  tf: { argOrder: 'true_pred', inputs: CHANNELS_LAST },
  keras: { argOrder: 'true_pred', inputs: CHANNELS_LAST },
  numpy: { argOrder: 'true_pred', inputs: CHANNELS_LAST },
};

/** The trace of `loss` in `source`, and a lookup of the entry spelled `op` on a line ending with `marker`. */
async function traceOf(framework, source) {
  const program = await engine.LossProgram.load(source);
  try {
    const { argOrder, inputs } = SETUPS[framework];
    const { trace } = program.evaluate(program.resolveEntry('loss'), inputs, { framework, argOrder });
    assertKinds(trace, framework);
    const lines = source.split('\n');
    return (marker, op) => {
      const line = lines.findIndex((l) => l.trimEnd().endsWith(`# ${marker}`)) + 1;
      assert.ok(line > 0, `no line marked ${marker}`);
      const entries = trace.filter((e) => e.range.line === line && e.op === op);
      const onLine = trace.filter((e) => e.range.line === line).map((e) => e.op);
      assert.equal(entries.length, 1, `${framework} ${marker}: ${entries.length} '${op}' on line ${line} (${onLine})`);
      return entries[0].kind;
    };
  } finally {
    program.dispose();
  }
}

// ------------------------------------------------------------------ tests

describe('op kinds', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  describe('every trace entry carries a valid kind', () => {
    const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'golden.json'), 'utf8'));
    for (const fixture of golden.cases) {
      test(`golden: ${fixture.fixture} (${fixture.entry})`, async () => {
        const report = await engine.evaluateFile({
          path: join(ROOT, fixture.fixture),
          entry: fixture.entry,
          framework: fixture.framework,
          argOrder: fixture.argOrder,
          inputs: { prediction: fixture.prediction, target: fixture.target, targetDtype: fixture.targetDtype },
        });
        assertKinds(report.evaluation.trace, fixture.fixture);
      });
    }

    const diagnosed = ['test/diagnose/fixtures', 'examples'].flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true })
        .filter((f) => f.endsWith('.py'))
        .map((f) => `${dir}/${f}`),
    );
    for (const path of diagnosed) {
      test(`diagnosed: ${path}`, async () => {
        const source = readFileSync(join(ROOT, path), 'utf8');
        const report = await engine.diagnoseSource(path, source);
        const losses = report.losses.filter((loss) => !loss.error && loss.contract);
        assert.ok(losses.length > 0, `${path}: no loss was evaluated`);
        const program = await engine.LossProgram.load(source);
        try {
          for (const loss of losses) {
            const { framework, argOrder } = loss.contract;
            let evaluation;
            const evaluate = () =>
              program.evaluate(program.resolveEntry(loss.entry), inputsFor(loss.contract), { framework, argOrder });
            try {
              evaluation = evaluate();
            } catch (error) {
              // shapes that cannot be combined at all: the Python error is the finding
              const explained = error.kind === 'python' && loss.findings.some((f) => f.kind === 'shape-mismatch');
              if (explained) continue;
              // PyTorch refuses .numpy() on the prediction: the diagnosis read it as .detach().numpy(), as here
              if (!/Can't call numpy\(\) on Tensor that requires grad/.test(error.message)) throw error;
              program.numpyDetaches = true;
              evaluation = evaluate();
              program.numpyDetaches = false;
            }
            assertKinds(evaluation.trace, `${path} ${loss.entry}`);
          }
        } finally {
          program.dispose();
        }
      });
    }
  });

  test('x * y is one elementwise mul in every framework', async () => {
    const MUL = { category: 'elementwise', operator: 'mul' };
    const torch = await traceOf(
      'torch',
      `import torch

def loss(pred, target):
    a = pred * target  # operator
    b = torch.mul(pred, target)  # function
    c = pred.mul(target)  # method
    d = torch.multiply(pred, target)  # alias
    return (a + b + c + d).mean()
`,
    );
    assert.deepEqual(torch('operator', 'mul'), MUL);
    assert.deepEqual(torch('function', 'mul'), MUL);
    assert.deepEqual(torch('method', 'mul'), MUL);
    assert.deepEqual(torch('alias', 'mul'), MUL); // torch's tables trace every spelling of x * y as mul
    const tf = await traceOf(
      'tf',
      `import tensorflow as tf

def loss(y_true, y_pred):
    a = tf.multiply(y_true, y_pred)  # multiply
    b = tf.math.multiply(y_true, y_pred)  # math
    c = tf.math.multiply_no_nan(y_true, y_pred)  # guarded
    return tf.reduce_mean(a + b + c)
`,
    );
    assert.deepEqual(tf('multiply', 'multiply'), MUL);
    assert.deepEqual(tf('math', 'multiply'), MUL);
    assert.deepEqual(tf('guarded', 'multiply_no_nan'), { ...MUL, guarded: true });
    const keras = await traceOf(
      'keras',
      `from keras import backend as K

def loss(y_true, y_pred):
    a = y_true * y_pred  # operator
    return K.mean(K.sum(a, axis=-1))
`,
    );
    assert.deepEqual(keras('operator', 'mul'), MUL);
    const numpy = await traceOf(
      'numpy',
      `import numpy as np

def loss(y_true, y_pred):
    a = np.multiply(y_true, y_pred)  # function
    b = y_true * y_pred  # operator
    return np.mean(a + b)
`,
    );
    assert.deepEqual(numpy('function', 'multiply'), MUL);
    assert.deepEqual(numpy('operator', 'mul'), MUL);
    const theano = await traceOf(
      'theano',
      `import theano.tensor as T

def loss(y_true, y_pred):
    a = T.mul(y_true, y_pred)  # function
    return T.mean(a)
`,
    );
    assert.deepEqual(theano('function', 'mul'), MUL);
  });

  test('softmax is one activation kind with the normalised axis, however it is called', async () => {
    const softmax = (axis) => ({ category: 'activation', fn: 'softmax', axis });
    const torch = await traceOf(
      'torch',
      `import torch
import torch.nn as nn
import torch.nn.functional as F

def loss(pred, target):
    a = torch.softmax(pred, dim=1)  # torch
    b = F.softmax(pred, dim=-3)  # functional
    c = pred.softmax(1)  # method
    d = nn.Softmax(dim=1)(pred)  # module
    e = F.softmax(pred)  # implicit
    f = F.log_softmax(pred, 1)  # log
    return (a + b + c + d + e + f).mean()
`,
    );
    for (const marker of ['torch', 'functional', 'method', 'module', 'implicit']) {
      assert.deepEqual(torch(marker, 'softmax'), softmax(1), marker);
    }
    assert.deepEqual(torch('log', 'log_softmax'), { category: 'activation', fn: 'log_softmax', axis: 1 });
    const tf = await traceOf(
      'tf',
      `import tensorflow as tf

def loss(y_true, y_pred):
    a = tf.nn.softmax(y_pred)  # default
    b = tf.nn.softmax(y_pred, axis=-1)  # last
    c = tf.math.softmax(y_pred, axis=1)  # spatial
    return tf.reduce_mean(a + b + c)
`,
    );
    assert.deepEqual(tf('default', 'softmax'), softmax(3));
    assert.deepEqual(tf('last', 'softmax'), softmax(3));
    assert.deepEqual(tf('spatial', 'softmax'), softmax(1));
    const keras = await traceOf(
      'keras',
      `import tensorflow as tf
from keras import backend as K

def loss(y_true, y_pred):
    a = K.softmax(y_pred)  # backend
    b = tf.keras.activations.softmax(y_pred)  # activations
    return K.mean(a + b)
`,
    );
    assert.deepEqual(keras('backend', 'softmax'), softmax(3));
    assert.deepEqual(keras('activations', 'softmax'), softmax(3));
    const theano = await traceOf(
      'theano',
      `import theano.tensor as T

def loss(y_true, y_pred):
    flat = y_pred.dimshuffle(0, 2, 3, 1).reshape((-1, 3))
    a = T.nnet.softmax(flat)  # nnet
    b = T.nnet.logsoftmax(flat)  # log
    return T.mean(a + b)
`,
    );
    assert.deepEqual(theano('nnet', 'softmax'), softmax(1));
    assert.deepEqual(theano('log', 'logsoftmax'), { category: 'activation', fn: 'log_softmax', axis: 1 });
    // numpy has no softmax: the numpy-style one is its exp, sum and div, and no activation kind
    const numpy = await traceOf(
      'numpy',
      `import numpy as np

def loss(y_true, y_pred):
    e = np.exp(y_pred)  # exp
    p = e / np.sum(e, axis=-1, keepdims=True)  # normalise
    return np.mean(p)
`,
    );
    assert.deepEqual(numpy('exp', 'exp'), { category: 'unary', fn: 'exp' });
    assert.deepEqual(numpy('normalise', 'sum'), { category: 'reduction', reducer: 'sum', axes: [3], keepdims: true });
    assert.deepEqual(numpy('normalise', 'div'), { category: 'elementwise', operator: 'div' });
  });

  test('built-in losses on logits say so, and which activation they imply', async () => {
    const softmaxLoss = (input, axis, labels) => ({
      category: 'loss',
      loss: 'cross_entropy',
      input,
      activation: 'softmax',
      axis,
      labels,
    });
    const softmaxLogits = (axis, labels) => softmaxLoss('logits', axis, labels);
    const sigmoid = (input) => ({ category: 'loss', loss: 'binary_cross_entropy', input, activation: 'sigmoid' });
    const torch = await traceOf(
      'torch',
      `import torch.nn as nn
import torch.nn.functional as F

def loss(pred, target):
    a = F.cross_entropy(pred, target.argmax(1))  # ce
    b = nn.CrossEntropyLoss()(pred, target)  # module
    c = F.binary_cross_entropy_with_logits(pred, target)  # bce-logits
    d = nn.BCEWithLogitsLoss()(pred, target)  # bce-module
    e = F.binary_cross_entropy(pred, target)  # bce
    f = F.nll_loss(F.log_softmax(pred, 1), target.argmax(1))  # nll
    return a + b + c + d + e + f
`,
    );
    assert.deepEqual(torch('ce', 'cross_entropy'), softmaxLogits(1, 'indices'));
    assert.deepEqual(torch('module', 'cross_entropy'), softmaxLogits(1, 'distribution'));
    assert.deepEqual(torch('bce-logits', 'binary_cross_entropy_with_logits'), sigmoid('logits'));
    assert.deepEqual(torch('bce-module', 'binary_cross_entropy_with_logits'), sigmoid('logits'));
    assert.deepEqual(torch('bce', 'binary_cross_entropy'), sigmoid('probabilities'));
    assert.deepEqual(torch('nll', 'nll_loss'), {
      category: 'loss',
      loss: 'nll',
      input: 'log_probabilities',
      activation: 'softmax',
      axis: 1,
      labels: 'indices',
    });
    const tf = await traceOf(
      'tf',
      `import tensorflow as tf

def loss(y_true, y_pred):
    a = tf.nn.softmax_cross_entropy_with_logits(y_true, y_pred)  # softmax
    b = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)  # sigmoid
    c = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.argmax(y_true, -1), y_pred)  # sparse
    d = tf.nn.weighted_cross_entropy_with_logits(y_true, y_pred, 2.0)  # weighted
    return tf.reduce_mean(a) + tf.reduce_mean(b) + tf.reduce_mean(c) + tf.reduce_mean(d)
`,
    );
    assert.deepEqual(tf('softmax', 'softmax_cross_entropy_with_logits'), softmaxLogits(3, 'distribution'));
    assert.deepEqual(tf('sigmoid', 'sigmoid_cross_entropy_with_logits'), sigmoid('logits'));
    assert.deepEqual(tf('sparse', 'sparse_softmax_cross_entropy_with_logits'), softmaxLogits(3, 'indices'));
    assert.deepEqual(tf('weighted', 'weighted_cross_entropy_with_logits'), sigmoid('logits'));
    const keras = await traceOf(
      'keras',
      `import tensorflow as tf
from keras import backend as K

def loss(y_true, y_pred):
    a = K.categorical_crossentropy(y_true, y_pred, from_logits=True)  # logits
    b = K.binary_crossentropy(y_true, y_pred, from_logits=True)  # bce-logits
    c = K.categorical_crossentropy(y_true, y_pred)  # probabilities
    d = tf.keras.losses.binary_crossentropy(y_true, y_pred)  # bce
    return K.mean(a) + K.mean(b) + K.mean(c) + K.mean(d)
`,
    );
    assert.deepEqual(keras('logits', 'softmax_cross_entropy_with_logits'), softmaxLogits(3, 'distribution'));
    assert.deepEqual(keras('bce-logits', 'sigmoid_cross_entropy_with_logits'), sigmoid('logits'));
    const probabilitiesLoss = softmaxLoss('probabilities', 3, 'distribution');
    assert.deepEqual(keras('probabilities', 'categorical_crossentropy'), probabilitiesLoss);
    assert.deepEqual(keras('bce', 'binary_crossentropy'), sigmoid('probabilities'));
    const theano = await traceOf(
      'theano',
      `import theano.tensor as T

def loss(y_true, y_pred):
    a = T.nnet.sigmoid_binary_crossentropy(y_pred, y_true)  # logits
    b = T.nnet.binary_crossentropy(y_pred, y_true)  # probabilities
    return T.mean(a) + T.mean(b)
`,
    );
    assert.deepEqual(theano('logits', 'sigmoid_binary_crossentropy'), sigmoid('logits'));
    assert.deepEqual(theano('probabilities', 'binary_crossentropy'), sigmoid('probabilities'));
  });

  test('.detach(), .data, tf.stop_gradient and K.stop_gradient are one detach kind', async () => {
    const DETACH = { category: 'detach' };
    const torch = await traceOf(
      'torch',
      `import torch

def loss(pred, target):
    a = pred.detach()  # method
    b = torch.detach(pred)  # function
    c = pred.data  # data
    return (pred * (a + b + c)).mean()
`,
    );
    for (const [marker, op] of [
      ['method', 'detach'],
      ['function', 'detach'],
      ['data', 'data'],
    ]) {
      assert.deepEqual(torch(marker, op), DETACH, marker);
    }
    const tf = await traceOf(
      'tf',
      `import tensorflow as tf

def loss(y_true, y_pred):
    a = tf.stop_gradient(y_pred)  # tf
    return tf.reduce_mean(a * y_pred)
`,
    );
    assert.deepEqual(tf('tf', 'stop_gradient'), DETACH);
    const keras = await traceOf(
      'keras',
      `from keras import backend as K

def loss(y_true, y_pred):
    a = K.stop_gradient(y_pred)  # keras
    return K.mean(a * y_pred)
`,
    );
    assert.deepEqual(keras('keras', 'stop_gradient'), DETACH);
  });

  test('sums over axes are one reduction kind with normalised, ascending axes', async () => {
    const sum = (axes, keepdims = false) => ({ category: 'reduction', reducer: 'sum', axes, keepdims });
    const torch = await traceOf(
      'torch',
      `import torch

def loss(pred, target):
    a = torch.sum(pred * target, dim=(2, 3))  # function
    b = (pred * target).sum(dim=(-1, -2))  # method
    c = torch.sum(pred, 1, keepdim=True)  # keepdim
    d = pred.sum()  # all
    return a.mean() + b.mean() + c.mean() + d
`,
    );
    assert.deepEqual(torch('function', 'sum'), sum([2, 3]));
    assert.deepEqual(torch('method', 'sum'), sum([2, 3]));
    assert.deepEqual(torch('keepdim', 'sum'), sum([1], true));
    assert.deepEqual(torch('all', 'sum'), sum(null));
    const keras = await traceOf(
      'keras',
      `from keras import backend as K

def loss(y_true, y_pred):
    a = K.sum(y_true * y_pred, axis=[1, 2])  # backend
    b = K.sum(y_pred, axis=-1, keepdims=True)  # last
    return K.mean(a) + K.mean(b)
`,
    );
    assert.deepEqual(keras('backend', 'reduce_sum'), sum([1, 2]));
    assert.deepEqual(keras('last', 'reduce_sum'), sum([3], true));
    const tf = await traceOf(
      'tf',
      `import tensorflow as tf

def loss(y_true, y_pred):
    a = tf.reduce_sum(y_true * y_pred, axis=[2, 1])  # tf
    b = tf.math.reduce_sum(y_pred)  # all
    return tf.reduce_mean(a) + b
`,
    );
    assert.deepEqual(tf('tf', 'reduce_sum'), sum([1, 2]));
    assert.deepEqual(tf('all', 'reduce_sum'), sum(null));
    const numpy = await traceOf(
      'numpy',
      `import numpy as np

def loss(y_true, y_pred):
    a = np.sum(y_true * y_pred, axis=(1, 2))  # function
    b = np.nansum(y_pred, axis=-1)  # nan
    return np.mean(a) + np.mean(b)
`,
    );
    assert.deepEqual(numpy('function', 'sum'), sum([1, 2]));
    assert.deepEqual(numpy('nan', 'nansum'), { ...sum([3]), skipsNan: true });
    const theano = await traceOf(
      'theano',
      `import theano.tensor as T

def loss(y_true, y_pred):
    a = T.sum(y_true * y_pred, axis=[2, 3])  # function
    return T.mean(a)
`,
    );
    assert.deepEqual(theano('function', 'sum'), sum([2, 3]));
  });

  test('conversions out of the tensor world, selects and guarded divisions say what they are', async () => {
    const torch = await traceOf(
      'torch',
      `import torch

def loss(pred, target):
    n = pred.sum().item()  # item
    m = float(pred.mean())  # float
    w = torch.where(target > 0.5, pred, 1 - pred)  # where
    return w.mean() * n * m
`,
    );
    assert.deepEqual(torch('item', 'item'), { category: 'conversion', to: 'scalar' });
    assert.deepEqual(torch('float', 'float'), { category: 'conversion', to: 'scalar' });
    assert.deepEqual(torch('where', 'where'), { category: 'select', condition: 0 });
    assert.deepEqual(torch('where', 'greater'), { category: 'comparison', operator: 'greater' });
    const tf = await traceOf(
      'tf',
      `import tensorflow as tf

def loss(y_true, y_pred):
    r = tf.math.divide_no_nan(tf.reduce_sum(y_true), tf.reduce_sum(y_pred))  # guarded
    return r
`,
    );
    assert.deepEqual(tf('guarded', 'divide_no_nan'), { category: 'elementwise', operator: 'div', guarded: true });
  });
});
