// The ops real loss code needed beyond the fixture corpus: gradients TF.js lacks (checked against
// central finite differences of the interpreter's own values), the legacy PyTorch API and gradient
// modes, torch/numpy mixing, TensorFlow 1 names and their record, and Python builtins. Values are
// what PyTorch 1.13 / numpy / scipy give (computed by hand or noted from the real libraries).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine, fixedLabels as labels, fixedPrediction as prediction } from './helpers.mjs';

async function load(source) {
  return engine.LossProgram.load(source);
}

/** Evaluates `entry` of `source` as f(pred, target); the program stays open for more evaluations. */
function evaluate(program, entry, inputs, options = {}) {
  return program.evaluate(
    program.resolveEntry(entry),
    { prediction: inputs.prediction, target: inputs.target, targetDtype: inputs.targetDtype ?? 'float' },
    {
      framework: options.framework ?? 'torch',
      argOrder: options.argOrder ?? 'pred_true',
      valueOnly: options.valueOnly,
    },
  );
}

async function run(source, entry = 'loss', options = {}) {
  const program = await load(source);
  try {
    const shape = options.shape ?? [2, 3, 4, 4];
    return evaluate(
      program,
      entry,
      { prediction: options.prediction ?? prediction(shape), target: options.target ?? labels(shape) },
      options,
    );
  } finally {
    program.dispose();
  }
}

/** Message of the error evaluating `entry` throws. */
async function failure(source, entry = 'loss', options = {}) {
  try {
    await run(source, entry, options);
  } catch (error) {
    return error.message;
  }
  assert.fail('the evaluation did not fail');
}

/**
 * The interpreter's gradient against central differences of its own values (float32, so h = 1e-2
 * and a tolerance relative to the largest entry), on every entry of a small prediction.
 */
async function checkGradient(source, shape, h = 1e-2, tolerance = 2e-3) {
  const program = await load(source);
  try {
    const x = prediction(shape);
    const target = labels(shape);
    const { gradient } = evaluate(program, 'loss', { prediction: x, target });
    assert.ok(gradient, 'a gradient path exists');
    const at = (data) => evaluate(program, 'loss', { prediction: { data, shape }, target }, { valueOnly: true }).value;
    const scale = Math.max(...Array.from(gradient, Math.abs));
    assert.ok(scale > 0, 'a non-zero gradient');
    for (let i = 0; i < x.data.length; i++) {
      const plus = Float32Array.from(x.data);
      const minus = Float32Array.from(x.data);
      plus[i] += h;
      minus[i] -= h;
      const fd = (at(plus) - at(minus)) / (2 * h);
      assert.ok(
        Math.abs(fd - gradient[i]) <= tolerance * scale,
        `entry ${i}: autodiff ${gradient[i]}, finite differences ${fd} (largest entry ${scale})`,
      );
    }
  } finally {
    program.dispose();
  }
}

const TORCH = 'import math\nimport numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('gradients TF.js lacks, against finite differences', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('masked assignment on a prediction-derived tensor (no ScatterNd on the tape)', () =>
    checkGradient(
      `${TORCH}
def loss(p, t):
    d = (p - t).abs()
    out = d.clone()
    small = d < 0.4
    out[small] = 0.4 * torch.log(1 + d[small] / 0.5)
    out[~small] = out[~small] ** 2
    return out.mean()
`,
      [1, 2, 3, 3],
    ));

  test('scatter_, scatter_add and index_put(accumulate=True): repeated positions', () =>
    checkGradient(
      `${TORCH}
def loss(p, t):
    flat = p.reshape(2, -1)
    idx = torch.tensor([[0, 2, 2, 1], [3, 3, 0, 1]])
    written = torch.zeros(2, 5).scatter_(1, idx, flat[:, :4])
    summed = torch.zeros(2, 5).scatter_add(1, idx, flat[:, 4:8] ** 2)
    acc = torch.zeros(6).index_put((torch.tensor([0, 0, 5, 2]),), flat[0, :4] * flat[1, :4], accumulate=True)
    return (written * torch.arange(5.0)).sum() + summed.sum() + (acc ** 2).sum()
`,
      [2, 1, 3, 3],
    ));

  test('tile (x.repeat) of rank-5 tensors', () =>
    checkGradient(
      `${TORCH}
def loss(p, t):
    q = p.unsqueeze(2).repeat(1, 2, 3, 1, 1)
    return (q * torch.arange(q.numel(), dtype=torch.float32).reshape(q.shape).cos()).sum()
`,
      [1, 2, 2, 3],
    ));

  test('max and average pooling (overlapping windows, padding, ceil mode)', () =>
    checkGradient(
      `${TORCH}
def loss(p, t):
    m = F.max_pool2d(p, 3, stride=1, padding=1)
    a = F.avg_pool2d(p, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
    e = -F.max_pool2d(-p, (3, 1), (1, 1), (1, 0))
    v = p.unsqueeze(1)
    m3 = F.max_pool3d(v, (2, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1))
    a3 = F.avg_pool3d(v, 2, stride=1, divisor_override=3)
    return (m * t).sum() + (a ** 2).sum() + e.var() + (m3 ** 2).sum() + a3.sum()
`,
      [1, 2, 4, 4],
    ));

  test('sort, topk and median values, and several advanced indices', () =>
    checkGradient(
      `${TORCH}
def loss(p, t):
    v, _ = torch.sort(p.flatten(), descending=True)
    top = torch.topk(p.view(2, -1), 3, dim=1).values
    med = p.median(dim=3).values
    picked = p[torch.tensor([[0], [1]]), torch.tensor([0, 1]), 1]
    return (v * torch.linspace(0, 1, v.numel())).sum() + top.sum() + (med ** 2).sum() + picked.prod()
`,
      [2, 2, 3, 3],
    ));

  test('gather and nll_loss read their entries only: an -inf elsewhere in the row stays out', async () => {
    const result = await run(`${TORCH}
def loss(p, t):
    logp = torch.log(torch.tensor([[0.0, 0.5, 0.5], [0.25, 0.0, 0.75]]))
    picked = logp.gather(1, torch.tensor([[1], [2]]))
    nll = F.nll_loss(logp, torch.tensor([1, 2]), reduction="sum")
    return picked.sum() - nll + (p.gather(1, torch.tensor([[[[0]]]]).expand(2, 1, 4, 4)) * 2).sum()
`);
    const data = prediction([2, 3, 4, 4]).data;
    let expected = 2 * (Math.log(0.5) + Math.log(0.75));
    for (let b = 0; b < 2; b++) for (let k = 0; k < 16; k++) expected += 2 * data[b * 48 + k];
    assert.ok(Math.abs(result.value - expected) < 1e-5, `${result.value} vs ${expected}`);
    assert.ok(Array.from(result.gradient).every((g, i) => g === (i % 48 < 16 ? 2 : 0)));
  });

  test('norms (zero gradient at a zero vector), xlogy and kl_div', async () => {
    await checkGradient(
      `${TORCH}
def loss(p, t):
    d = p - 0.5
    q = p + 1.0
    norms = torch.linalg.vector_norm(d, dim=1).sum() + d.norm(p=3) + torch.linalg.norm(d[0, 0], ord=1)
    return norms + torch.xlogy(q, q).sum() + F.kl_div(q.log(), t * 0.8 + 0.1, reduction="batchmean")
`,
      [1, 2, 3, 3],
    );
    const zero = await run(
      `${TORCH}\ndef loss(p, t):\n    return torch.linalg.vector_norm(p * 0, dim=1).sum() + p.sum()\n`,
    );
    assert.ok(
      Array.from(zero.gradient).every((g) => g === 1),
      'the norm of a zero vector passes no NaN',
    );
  });
});

describe('legacy PyTorch API and gradient modes', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('typed tensor classes, torch.cuda included (zeros for the uninitialised sizes form)', async () => {
    const result = await run(`${TORCH}
def loss(p, t):
    a = torch.FloatTensor(2, 3).zero_().fill_(2.0)
    b = torch.cuda.FloatTensor([0.2, 0.8])
    c = torch.LongTensor(p.size(0)).zero_()
    d = torch.FloatTensor(torch.Size([2, 2]))
    e = torch.ByteTensor([1, 0, 1])
    assert a.type() == "torch.FloatTensor" and c.type() == "torch.LongTensor" and e.dtype == torch.uint8
    assert isinstance(p, torch.FloatTensor) and not isinstance(p, torch.cuda.FloatTensor)
    assert p.cuda().cpu().type(torch.cuda.FloatTensor).type() == "torch.FloatTensor"
    assert p.type("torch.DoubleTensor").dtype == torch.float64
    total = 0
    for i in range(torch.tensor(3)):
        total += i
    return a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + total + 0 * p.sum()
`);
    assert.ok(Math.abs(result.value - (12 + 1 + 0 + 0 + 2 + 3)) < 1e-5, `${result.value}`);
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return torch.FloatTensor(2.5)\n`),
      /new\(\): data must be a sequence \(got float\)/,
    );
  });

  test('Variable detaches (torch 1.13), requires_grad changes on leaves only, numpy() needs no grad', async () => {
    const variable = await run(
      `${TORCH}\nfrom torch.autograd import Variable\ndef loss(p, t):\n    return (Variable(p) * t).sum()\n`,
    );
    assert.equal(variable.gradNorm, null, 'Variable(p) has no path back to p');
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    q = p * 2\n    q.requires_grad = False\n    return q.sum()\n`),
      /RuntimeError: you can only change requires_grad flags of leaf variables/,
    );
    const leaf = await run(
      `${TORCH}\ndef loss(p, t):\n    w = t * 2\n    w.requires_grad = False\n` +
        '    p.requires_grad_(False)\n    return (p * w).sum()\n',
    );
    assert.equal(leaf.gradNorm, null, 'the prediction itself was made a constant');
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return float(p.numpy().sum())\n`),
      /Can't call numpy\(\) on Tensor that requires grad/,
    );
    const labelsAsNumpy = await run(
      `${TORCH}\ndef loss(p, t):\n    return (p * torch.from_numpy(t.cpu().numpy())).sum()\n`,
    );
    assert.ok(labelsAsNumpy.gradNorm > 0);
  });

  test('.cpu() copies as on the GPU losses train on: under no_grad the copy needs no grad', async () => {
    // A weight made from the prediction inside no_grad, as boundary losses make distance maps.
    const weighted = await run(
      `${TORCH}\ndef loss(p, t):\n    with torch.no_grad():\n        w = torch.from_numpy(p.cpu().numpy() > 0.5)\n` +
        '    return (p * w.float()).sum()\n',
    );
    assert.ok(weighted.gradNorm > 0, 'the gradient still flows through p');
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return float(p.cpu().numpy().sum())\n`),
      /Can't call numpy\(\) on Tensor that requires grad/,
      'outside no_grad the copy requires grad, as in torch',
    );
  });

  test('~ on integer arrays is the bitwise not (255 - x on uint8), as numpy and torch give it', async () => {
    const { value } = await run(
      `${TORCH}\ndef loss(p, t):\n    m = (t.cpu().numpy() > 0.5).astype(np.uint8)\n` +
        '    s = (~m).astype(np.float32).sum() + (~np.array([0, 1, 2])).sum()\n    return p.sum() * 0 + float(s)\n',
      'loss',
      { shape: [1, 1, 2, 2] },
    );
    const ones = labels([1, 1, 2, 2]).data.filter((v) => v > 0.5).length;
    // uint8: 255 - m per element; int64: -x - 1 → -1 - 2 - 3
    assert.equal(value, 255 * 4 - ones - 6);
  });

  test('`with torch.no_grad:` (the class, not an instance) is the TypeError Python raises', async () => {
    assert.match(
      await failure(
        `${TORCH}\ndef loss(p, t):\n    with torch.no_grad:\n        w = t * 2\n    return (p * w).sum()\n`,
      ),
      /TypeError: 'type' object does not support the context manager protocol/,
    );
  });

  test('@torch.no_grad() on functions and methods (with super()), enable_grad, set_grad_enabled', async () => {
    const result = await run(
      `${TORCH}
@torch.no_grad()
def weights(x):
    return x * 2

class Base(nn.Module):
    def scale(self):
        return 3.0

class Loss(Base):
    @torch.no_grad()
    def scale(self):
        return super().scale() + 1

    @torch.inference_mode()
    def frozen(self, x):
        return x + 1

    def forward(self, p, t):
        w = weights(p)
        with torch.no_grad():
            with torch.enable_grad():
                kept = p * 1
        torch.set_grad_enabled(False)
        off = p * 1
        torch.set_grad_enabled(True)
        with torch.set_grad_enabled(False):
            also_off = p * 1
        assert not w.requires_grad and kept.requires_grad and not off.requires_grad
        assert not also_off.requires_grad and not self.frozen(p).requires_grad and torch.is_grad_enabled()
        return (w * p).sum() * self.scale() + kept.sum()
`,
      'Loss',
      { shape: [1, 4] },
    );
    // w = 2p is a constant: d/dp of 4 * sum(w * p) + sum(p) = 8 p + 1
    const expected = Array.from(prediction([1, 4]).data, (v) => 8 * v + 1);
    Array.from(result.gradient).forEach((g, i) =>
      assert.ok(Math.abs(g - expected[i]) < 1e-4, `${g} vs ${expected[i]}`),
    );
  });

  test('torch tensors and numpy arrays in one operator, as torch 1.13 and numpy 1.24 resolve them', async () => {
    const weighted = await run(`${TORCH}
W = np.array([0.25, 0.75])
def loss(p, t):
    labels = t[:, :2, 0, 0]
    mixed = labels * W
    assert mixed.dtype == torch.float64 and type(mixed) == torch.Tensor
    return (p[:, :2, 0, 0] * torch.from_numpy(W)).sum() + mixed.sum() + p.sum() * np.float64(2.0)
`);
    assert.ok(Number.isFinite(weighted.value) && weighted.gradNorm > 0);
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return (p[0, :2, 0, 0] * np.array([0.5, 0.5])).sum()\n`),
      /RuntimeError: Can't call numpy\(\) on Tensor that requires grad/,
    );
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return (np.array([0.5, 0.5]) * t[0, :2, 0, 0]).sum()\n`),
      /TypeError: unsupported operand type\(s\) for \*: 'numpy.ndarray' and 'Tensor'/,
    );
    assert.match(
      await failure(
        `${TORCH}\ndef loss(p, t):\n` +
          '    return torch.einsum("ij,ij->i", p[0, 0], torch.from_numpy(np.ones((4, 4)))).sum()\n',
      ),
      /RuntimeError: expected scalar type Float but found Double/,
    );
  });
});

describe('TensorFlow 1 names', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  const TF1 = `import tensorflow as tf

def tf1_loss(y_true, y_pred):
    n = y_pred.get_shape()[-1].value
    y_true = tf.to_float(y_true)
    ce = -tf.reduce_sum(y_true * tf.log(y_pred), axis=-1, keep_dims=True)
    w = tf.reciprocal(tf.reduce_sum(y_true, reduction_indices=[0, 1, 2]) + 1.0)
    w = tf.where(tf.is_inf(w), tf.zeros_like(w), w)
    extra = tf.cond(tf.constant(True), lambda: tf.constant(0.0), lambda: tf.constant(1.0), strict=True)
    return tf.reduce_mean(ce) + tf.reduce_sum(w) / n + extra

def tf2_loss(y_true, y_pred):
    n = y_pred.shape[-1]
    y_true = tf.cast(y_true, tf.float32)
    ce = -tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1, keepdims=True)
    w = tf.math.reciprocal(tf.reduce_sum(y_true, axis=[0, 1, 2]) + 1.0)
    w = tf.where(tf.math.is_inf(w), tf.zeros_like(w), w)
    return tf.reduce_mean(ce) + tf.reduce_sum(w) / n
`;

  test('run as TF 1.x ran them, the same values as their TF 2 spellings, each use recorded as TF 1 API', async () => {
    const program = await load(TF1);
    try {
      const inputs = { prediction: prediction([2, 4, 4, 3]), target: labels([2, 4, 4, 3]) };
      const options = { framework: 'tf', argOrder: 'true_pred' };
      const tf1 = evaluate(program, 'tf1_loss', inputs, options);
      const tf2 = evaluate(program, 'tf2_loss', inputs, options);
      assert.ok(Math.abs(tf1.value - tf2.value) < 1e-6 && tf1.gradNorm > 0, `${tf1.value} vs ${tf2.value}`);
      assert.ok(Math.abs(tf1.gradNorm - tf2.gradNorm) < 1e-6);
      const uses = program.legacyApiUses;
      assert.deepEqual(
        uses.map((u) => `${u.name}@${u.line}`),
        [
          'Dimension.value@4',
          'tf.to_float@5',
          'tf.log@6',
          'tf.reduce_sum(keep_dims=)@6',
          'tf.reduce_sum(reduction_indices=)@7',
          'tf.reciprocal@7',
          'tf.is_inf@8',
          'tf.cond(strict=)@9',
        ],
      );
      assert.equal(uses[2].message, 'TensorFlow 1 API: tf.log (TF 2: tf.math.log)');
      assert.ok(uses.every((u) => u.api === 'tensorflow1'));
      evaluate(program, 'tf1_loss', inputs, options);
      assert.equal(program.legacyApiUses.length, uses.length, 'recorded once per spelling and line');
    } finally {
      program.dispose();
    }
  });

  test('tf.py_function and tf.numpy_function run the Python function on the tensors', async () => {
    const program = await load(`import numpy as np
import tensorflow as tf

def doubled_labels(y):
    return (y.numpy() * 2).astype(np.float32)

def loss(y_true, y_pred):
    weights = tf.py_function(func=doubled_labels, inp=[y_true], Tout=tf.float32)
    scaled = tf.numpy_function(lambda a: a + 1.0, [y_true], tf.float32)
    direct = tf.py_function(lambda p: p * 3.0, [y_pred], tf.float32)
    return tf.reduce_mean(y_pred * weights) + tf.reduce_sum(scaled) * 0.0 + tf.reduce_mean(direct)
`);
    try {
      const shape = [1, 4];
      const result = evaluate(
        program,
        'loss',
        { prediction: prediction(shape), target: labels(shape) },
        { framework: 'tf', argOrder: 'true_pred' },
      );
      // d/dp of mean(p * 2t) + mean(3p) = (2t + 3) / 4: py_function keeps the gradient of the TF ops inside
      const expected = Array.from(labels(shape).data, (t) => (2 * t + 3) / 4);
      Array.from(result.gradient).forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-6, `${g}`));
    } finally {
      program.dispose();
    }
  });

  test('graph-only TF 1 names stay AttributeErrors', async () => {
    const program = await load(
      'import tensorflow as tf\ndef loss(y_true, y_pred):\n    return tf.placeholder(tf.float32)\n',
    );
    try {
      assert.throws(
        () =>
          evaluate(program, 'loss', { prediction: prediction([1, 4]), target: labels([1, 4]) }, { framework: 'tf' }),
        /AttributeError: module 'tensorflow' has no attribute 'placeholder'/,
      );
      assert.deepEqual(program.legacyApiUses, []);
    } finally {
      program.dispose();
    }
  });
});

describe('Python builtins loss code relies on', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('isinstance/issubclass with classes and built-in types, type(x) comparisons, getattr defaults', async () => {
    const result = await run(`${TORCH}
from enum import Enum

class Mode(str, Enum):
    MEAN = "mean"

class Base:
    pass

class Child(Base):
    pass

def loss(p, t):
    checks = [
        isinstance(Mode, type) and issubclass(Mode, Enum) and issubclass(Child, (int, Base)),
        isinstance(Child(), object) and isinstance(3, object) and not issubclass(Base, Child),
        issubclass(bool, int) and not isinstance(Child, Base),
        type(p) == torch.Tensor and type(p) is not np.ndarray and type(p.numpy() if False else 1) == int,
        type(np.zeros(2)) is np.ndarray and type([1]) in (list, tuple),
        getattr(F, "avg_pool2d") is F.avg_pool2d and getattr(F, "no_such_fn", None) is None,
        getattr(torch, "no_such_name", 7) == 7 and hasattr(F, "max_pool3d"),
    ]
    assert all(checks), checks
    return p.sum() * 0
`);
    assert.equal(result.value, 0);
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return issubclass(3, int)\n`),
      /TypeError: issubclass\(\) arg 1 must be a class/,
    );
  });

  test('str methods', async () => {
    const result = await run(`${TORCH}
def loss(p, t):
    shape = ["B", "3", "H", "*"]
    checks = [
        [s.isnumeric() for s in shape] == [False, True, False, False],
        "12".isdigit() and "ab".isalpha() and "a1".isalnum() and " ".isspace() and not "".isdigit(),
        "Dice".startswith(("Di", "Fo")) and "loss.py".endswith((".txt", ".py")) and not "abc".startswith("b", 0, 2),
        "abc".startswith("b", 1) and "xxlossxx".strip("x") == "loss" and "  a ".lstrip() == "a ",
        "a,b,c".split(",", 1) == ["a", "b,c"] and "a,b,c".rsplit(",", 1) == ["a,b", "c"],
        "a b  c".split() == ["a", "b", "c"] and "dice_loss".find("loss") == 5 and "aaa".count("a") == 3,
        "key=value".partition("=") == ("key", "=", "value") and "7".zfill(3) == "007" and "ab".center(5) == "  ab ",
        "dice loss".title() == "Dice Loss" and "DICE".lower() == "dice" and "aXb".replace("X", "-") == "a-b",
        "a-b-c".replace("-", "+", 1) == "a+b-c" and "Ab".swapcase() == "aB" and "ab".upper().isupper(),
    ]
    assert all(checks), checks
    return p.sum() * 0
`);
    assert.equal(result.value, 0);
  });
});

describe('advanced indices as each framework places them', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('numpy counts integers among advanced indices, torch indexes with them first', async () => {
    // shapes from numpy 1.24 and torch 1.13
    const numpy = await run(
      `import numpy as np
def loss(p, t):
    a = p.reshape(2, 3, 4)
    shapes = [a[0, :, [1, 2]].shape, a[:, 0, [1, 2]].shape, a[[0, 1], :, 0].shape, a[0, [1, 2]].shape]
    assert shapes == [(2, 3), (2, 2), (2, 3), (2, 4)], shapes
    return a[[0, 1], [2, 0], [3, 1]].sum()
`,
      'loss',
      { framework: 'numpy', shape: [2, 12] },
    );
    const data = prediction([2, 12]).data;
    assert.ok(Math.abs(numpy.value - (data[0 * 12 + 2 * 4 + 3] + data[1 * 12 + 0 * 4 + 1])) < 1e-6);
    const torch = await run(
      `${TORCH}
def loss(p, t):
    a = p.reshape(2, 3, 4)
    shapes = [tuple(a[0, :, [1, 2]].shape), tuple(a[:, 0, [1, 2]].shape), tuple(a[[0, 1], :, 0].shape)]
    assert shapes == [(3, 2), (2, 2), (2, 3)], shapes
    return a[[0, 1], [2, 0], [3, 1]].sum()
`,
      'loss',
      { shape: [2, 12] },
    );
    assert.ok(Math.abs(torch.value - numpy.value) < 1e-6);
  });
});

describe('scipy.ndimage.distance_transform_edt', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test("exact distances with sampling, indices, and scipy's answer without any background", async () => {
    // values from scipy 1.10
    const result = await run(
      `import numpy as np
from scipy.ndimage import distance_transform_edt

def loss(p, t):
    d = distance_transform_edt(np.array([[1, 1, 0], [1, 1, 1]]), sampling=(2, 1))
    assert np.allclose(d, [[2.0, 1.0, 0.0], [np.sqrt(8), np.sqrt(5), 2.0]])
    e, idx = distance_transform_edt(np.array([[0, 1, 1, 1]]), return_indices=True)
    assert np.allclose(e, [[0, 1, 2, 3]]) and idx.shape == (2, 1, 4) and idx[1].tolist() == [[0, 0, 0, 0]]
    full = distance_transform_edt(np.ones((2, 3)))
    assert np.allclose(full, [[1.0, np.sqrt(2), np.sqrt(5)], [2.0, np.sqrt(5), np.sqrt(8)]])
    return float(d.sum())
`,
      'loss',
      { framework: 'numpy' },
    );
    assert.ok(Math.abs(result.value - (3 + Math.sqrt(8) + Math.sqrt(5) + 2)) < 1e-5);
  });
});
