// More ops real loss code uses: torch's addcmul/addcdiv, histc and the robust regression losses,
// numpy's ravel/flatten orders, TF 1's tf.Print and tf.bincount, tf.math.bincount and tf.image's
// SSIM and MS-SSIM. Values and gradients are what PyTorch 1.13, numpy 1.24 and TensorFlow 2.21 (CPU)
// give on the same inputs (summaries: the value, the gradient's L2 norm and a few of its entries).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine, fixedLabels as labels, fixedPrediction as prediction } from './helpers.mjs';

/** Two smooth, correlated images in [0, 1] of `shape` (channels last): the prediction and the target. */
function images(shape) {
  const size = shape.reduce((a, b) => a * b, 1);
  const p = Float64Array.from({ length: size }, (_, i) => 0.5 + 0.4 * Math.sin(0.9 * i) * Math.cos(0.031 * i));
  const t = p.map((v, i) => 0.8 * v + 0.1 + 0.05 * Math.sin(2.3 * i + 1));
  return { prediction: { data: Float32Array.from(p), shape }, target: { data: Float32Array.from(t), shape } };
}

const SETUPS = { torch: 'pred_true', numpy: 'pred_true', tf: 'true_pred' };

/** Evaluates `entry` of `source`; returns the evaluation and the program's TF 1 API uses. */
async function evaluate(source, { entry = 'loss', framework = 'torch', shape = [2, 3, 4, 4], inputs } = {}) {
  const program = await engine.LossProgram.load(source);
  try {
    const { prediction: p, target: t } = inputs ?? { prediction: prediction(shape), target: labels(shape) };
    const result = program.evaluate(
      program.resolveEntry(entry),
      { prediction: p, target: t, targetDtype: 'float' },
      { framework, argOrder: SETUPS[framework] },
    );
    return { ...result, legacyApiUses: program.legacyApiUses };
  } finally {
    program.dispose();
  }
}

/** Message of the error evaluating `source` throws. */
async function failure(source, options) {
  try {
    await evaluate(source, options);
  } catch (error) {
    return error.message;
  }
  assert.fail('the evaluation did not fail');
}

/**
 * The evaluation against the real library's numbers: the value within `valueTolerance` (relative,
 * at least absolute below 1), the gradient's norm and the listed entries within `gradTolerance` of the norm.
 */
function assertMatches(result, expected, { valueTolerance = 1e-5, gradTolerance = 1e-4 } = {}) {
  const { value, gradNorm, grad } = expected;
  assert.ok(
    Math.abs(result.value - value) <= valueTolerance * Math.max(1, Math.abs(value)),
    `value ${result.value}, expected ${value}`,
  );
  if (gradNorm === undefined) return;
  assert.ok(result.gradient, 'a gradient path exists');
  assert.ok(Math.abs(result.gradNorm - gradNorm) <= gradTolerance * gradNorm, `gradient norm ${result.gradNorm}`);
  for (const [index, g] of Object.entries(grad)) {
    const actual = result.gradient[Number(index)];
    assert.ok(Math.abs(actual - g) <= gradTolerance * gradNorm, `gradient[${index}] ${actual}, expected ${g}`);
  }
}

/** The kinds of the trace entries spelled `op`. */
const kindsOf = (result, op) => result.trace.filter((e) => e.op === op).map((e) => e.kind);

const TORCH = 'import numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('torch: addcmul, addcdiv, histc', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('addcmul/addcdiv (functions, methods, in place, the deprecated value-first overload)', async () => {
    const result = await evaluate(
      `${TORCH}
def loss(p, t):
    x = p.reshape(2, -1)
    y = t.reshape(2, -1)
    a = torch.addcmul(x, x, y + 0.5, value=0.25)
    b = x.addcdiv(x + 1, x * x + 0.5, value=-1.5)
    c = torch.zeros_like(x).addcmul_(x, x).addcdiv_(x, torch.full_like(x, 4.0))
    d = torch.addcmul(x, 0.5, x, x)
    return (a * a).sum() + b.sum() + (c * y).sum() + d.mean()
`,
      { shape: [1, 2, 2, 3] },
    );
    // torch 1.13
    assertMatches(result, {
      value: -20.573335647583008,
      gradNorm: 16.74781690479401,
      grad: { 0: -0.7347654104232788, 6: 7.501370429992676, 11: 5.14532470703125 },
    });
    const operators = (op) => kindsOf(result, op).map((k) => `${k.category}:${k.operator}`);
    assert.deepEqual(operators('addcmul').slice(0, 3), ['elementwise:mul', 'elementwise:mul', 'elementwise:add']);
    assert.deepEqual(operators('addcdiv').slice(0, 3), ['elementwise:mul', 'elementwise:div', 'elementwise:add']);
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    n = torch.tensor([1, 2])\n    return torch.addcdiv(n, n, n)\n`),
      /RuntimeError: Integer division with addcdiv is no longer supported/,
    );
  });

  test('histc: float32 bin arithmetic as torch, out-of-range entries left out, no gradient', async () => {
    // counts from torch 1.13
    const result = await evaluate(`${TORCH}
def loss(p, t):
    h = torch.histc(p, bins=7)
    assert not h.requires_grad and h.dtype == torch.float32
    assert h.tolist() == [15.0, 13.0, 13.0, 14.0, 14.0, 13.0, 14.0], h.tolist()
    inside = torch.histc(p.detach() * 4 - 2, bins=5, min=-1, max=1)
    assert inside.tolist() == [11.0, 10.0, 11.0, 11.0, 11.0], inside.tolist()
    assert torch.histc(torch.tensor([2.0, 2.0, 2.0]), bins=4).tolist() == [0.0, 0.0, 3.0, 0.0]
    assert torch.histc(torch.tensor([0.0, 0.25, 0.5, 0.75, 1.0]), bins=4, min=0, max=1).tolist() == [1, 1, 1, 2]
    # float32 rounding of (x - min) / (max - min) * bins puts 0.1 and 0.2 below their bins here
    rounded = torch.histc(torch.tensor([0.1, 0.2, 0.3, 0.0]), bins=3, min=0, max=0.3)
    assert rounded.tolist() == [2.0, 1.0, 1.0], rounded.tolist()
    shifted = torch.histc(torch.tensor([-0.1, 0.1, 0.5, 0.9]), bins=6, min=-0.3, max=0.9)
    assert shifted.tolist() == [0.0, 2.0, 0.0, 1.0, 0.0, 1.0], shifted.tolist()
    tenths = torch.histc(torch.tensor([0.1, 0.2, 0.3, 0.7, 0.9, 1.0]), bins=10, min=0, max=1)
    assert tenths.tolist() == [0, 1, 1, 1, 0, 0, 0, 1, 0, 2], tenths.tolist()
    d = p.double().histc(bins=3)
    assert d.dtype == torch.float64 and d.tolist() == [33.0, 31.0, 32.0]
    assert torch.histc(torch.tensor([]), bins=3).tolist() == [0.0, 0.0, 0.0]
    return (h * torch.arange(7.0)).sum() + p.sum()
`);
    const data = prediction([2, 3, 4, 4]).data;
    const expected = [15, 13, 13, 14, 14, 13, 14].reduce((s, c, i) => s + c * i, 0) + data.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(result.value - expected) < 1e-4, `${result.value} vs ${expected}`);
    assert.ok(
      Array.from(result.gradient).every((g) => g === 1),
      'only p.sum() passes a gradient',
    );
    const histc = result.trace.filter((e) => e.op === 'histc');
    assert.ok(histc.length >= 7 && histc.every((e) => e.kind.category === 'bincount' && e.gradient === 'cut'));
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return torch.histc(torch.tensor([1, 2]), bins=2)\n`),
      /RuntimeError: "histogram_cpu" not implemented for 'Long'/,
    );
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return torch.histc(p, bins=2, min=2, max=1)\n`),
      /RuntimeError: torch.histc: max must be larger than min/,
    );
  });
});

describe('torch: smooth_l1_loss, huber_loss, L1Loss', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  const LOSSES = `${TORCH}
def smooth(p, t):
    return F.smooth_l1_loss(p, t, beta=0.5)

def smooth_module_sum(p, t):
    return nn.SmoothL1Loss(size_average=False)(p * 2, t)

def smooth_none_beta0(p, t):
    return (F.smooth_l1_loss(p, t, beta=0.0, reduction="none") * torch.arange(96.0).reshape(2, 3, 4, 4)).sum()

def huber(p, t):
    return F.huber_loss(p * 3 - 1, t, delta=0.7, reduction="sum")

def huber_module(p, t):
    return nn.HuberLoss()(p * 3 - 1, t)

def l1_module(p, t):
    return nn.L1Loss(reduction="sum")(p, t) + nn.L1Loss()(p, t)
`;
  // torch 1.13
  const EXPECTED = {
    smooth: {
      value: 0.2684503495693207,
      gradNorm: 0.0828871753575635,
      grad: { 0: -0.010416666977107525, 48: -0.007311077322810888, 95: 0.010416666977107525 },
    },
    smooth_module_sum: {
      value: 38.70596694946289,
      gradNorm: 14.258283345910225,
      grad: { 0: -1.7999999523162842, 48: 0.5962731838226318, 95: 2.0 },
    },
    smooth_none_beta0: { value: 2186.10400390625, gradNorm: 538.8135113376427, grad: { 0: 0, 48: -48.0, 95: 95.0 } },
    huber: {
      value: 30.555288314819336,
      gradNorm: 16.4998899761136,
      grad: { 0: -2.0999999046325684, 48: -0.1583855152130127, 95: 2.0999999046325684 },
    },
    huber_module: {
      value: 0.3694840371608734,
      gradNorm: 0.21550619054516815,
      grad: { 0: -0.03125, 48: -0.0016498491168022156, 95: 0.03125 },
    },
    l1_module: {
      value: 46.650184631347656,
      gradNorm: 9.900020654412769,
      grad: { 0: -1.0104166269302368, 48: -1.0104166269302368, 95: 1.0104166269302368 },
    },
  };
  for (const [entry, expected] of Object.entries(EXPECTED)) {
    test(`${entry}: value and gradient as torch's`, async () => {
      const result = await evaluate(LOSSES, { entry });
      assertMatches(result, expected);
    });
  }

  test('traced as the ops they are made of; torch argument errors', async () => {
    const result = await evaluate(LOSSES, { entry: 'smooth' });
    const kinds = kindsOf(result, 'smooth_l1_loss');
    assert.ok(kinds.some((k) => k.category === 'unary' && k.fn === 'abs'));
    assert.ok(kinds.some((k) => k.category === 'reduction' && k.reducer === 'mean'));
    assert.ok(result.trace.some((e) => e.kind.category === 'select'));
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return F.smooth_l1_loss(p, t, beta=-1)\n`),
      /RuntimeError: smooth_l1_loss does not support negative values for beta\./,
    );
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return nn.HuberLoss(delta=0)(p, t)\n`),
      /RuntimeError: huber_loss does not support non-positive values for delta\./,
    );
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return nn.HuberLoss(size_average=True)(p, t)\n`),
      /TypeError: .*unexpected keyword argument 'size_average'/,
    );
  });
});

describe('numpy: ravel and flatten', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test("C and Fortran order, np.ravel of lists and scalars, numpy's order error", async () => {
    // numpy 1.24
    const result = await evaluate(
      `import numpy as np
def loss(y_pred, y_true):
    a = np.arange(24.0).reshape(2, 3, 4)
    assert a.flatten().tolist() == list(range(24)) and a.ravel("K").tolist() == list(range(24))
    assert a.ravel(order="F")[:6].tolist() == [0, 12, 4, 16, 8, 20]
    assert a.flatten("f")[6:12].tolist() == [1, 13, 5, 17, 9, 21]
    assert np.ravel(a[0], order="F").tolist() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]
    assert np.ravel([[1, 2], [3, 4]]).tolist() == [1, 2, 3, 4] and np.ravel(5.0).shape == (1,)
    assert a[0, 0].flatten().shape == (4,) and a.ravel(order=None).shape == (24,)
    return float((y_pred.ravel() * y_true.flatten()).sum())
`,
      { framework: 'numpy' },
    );
    const [p, t] = [prediction([2, 3, 4, 4]).data, labels([2, 3, 4, 4]).data];
    const expected = p.reduce((s, v, i) => s + v * t[i], 0);
    assert.ok(Math.abs(result.value - expected) < 1e-4, `${result.value} vs ${expected}`);
    assert.match(
      await failure('import numpy as np\ndef loss(y_pred, y_true):\n    return y_pred.flatten("X")\n', {
        framework: 'numpy',
      }),
      /ValueError: order must be one of 'C', 'F', 'A', or 'K' \(got 'X'\)/,
    );
  });
});

describe('TensorFlow: tf.Print, tf.print, bincount', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('tf.Print passes its input and the gradient (recorded as TF 1 API); tf.print returns None', async () => {
    const result = await evaluate(
      `import tensorflow as tf
def loss(y_true, y_pred):
    p = tf.Print(y_pred, [y_pred, y_true], message="prediction: ", summarize=10)
    q = tf.compat.v1.Print(p, [p])
    assert tf.print("loss", p, output_stream="file:///tmp/never") is None
    return tf.reduce_sum(q * 2.0)
`,
      { framework: 'tf', shape: [2, 4] },
    );
    const data = prediction([2, 4]).data;
    assert.ok(Math.abs(result.value - 2 * data.reduce((s, v) => s + v, 0)) < 1e-5);
    assert.ok(Array.from(result.gradient).every((g) => g === 2));
    assert.deepEqual(kindsOf(result, 'Print'), [{ category: 'copy' }, { category: 'copy' }]);
    assert.deepEqual(
      result.legacyApiUses.map((u) => [u.name, u.line, u.message]),
      [['tf.Print', 3, 'TensorFlow 1 API: tf.Print (TF 2: tf.print)']],
    );
  });

  test('a Python list meeting a float tensor takes its dtype; an int tensor still refuses floats', async () => {
    const result = await evaluate(
      `import tensorflow as tf
def loss(y_true, y_pred):
    weights = [1] * 4
    return tf.reduce_sum(weights * y_pred) + tf.reduce_sum(y_pred * [0, 1, 2, 3])
`,
      { framework: 'tf', shape: [2, 4] },
    );
    const data = prediction([2, 4]).data;
    const expected = data.reduce((s, v, i) => s + v * (1 + (i % 4)), 0);
    assert.ok(Math.abs(result.value - expected) < 1e-5, `${result.value} vs ${expected}`);
    const message = await failure(
      `import tensorflow as tf
def loss(y_true, y_pred):
    return tf.reduce_sum(tf.cast(y_pred, tf.int32) * [0.5, 1.0, 1.0, 1.0])
`,
      { framework: 'tf', shape: [2, 4] },
    );
    assert.match(message, /dtypes? \(int32 and float32\)|Cannot convert/);
  });

  test('tf.math.bincount (minlength, maxlength, weights, dtype, axis=-1, binary_output), tf.bincount', async () => {
    // outputs of TensorFlow 2.21
    const result = await evaluate(
      `import tensorflow as tf
def loss(y_true, y_pred):
    v = tf.constant([1, 1, 2, 3, 2, 4, 4, 5])
    counts = tf.math.bincount(v)
    assert counts.dtype == tf.int32 and counts.numpy().tolist() == [0, 2, 2, 1, 2, 1]
    w = tf.constant([0.5, 1.5, 2.0, 1.0, 0.25, 3.0, 1.0, 2.0])
    weighted = tf.math.bincount(v, weights=w, minlength=8, maxlength=5)
    assert weighted.dtype == tf.float32 and weighted.numpy().tolist() == [0.0, 2.0, 2.25, 1.0, 4.0]
    m = tf.constant([[1, 0, 3], [2, 2, 0]])
    rows = tf.math.bincount(m, axis=-1, weights=tf.constant([[0.5, 1.0, 2.0], [1.0, 2.0, 4.0]]), maxlength=3)
    assert rows.numpy().tolist() == [[1.0, 0.5, 0.0], [4.0, 0.0, 3.0]]
    assert tf.math.bincount(m, dtype=tf.float64, minlength=6).numpy().tolist() == [2, 1, 2, 1, 0, 0]
    assert tf.math.bincount(m, binary_output=True).numpy().tolist() == [1, 1, 1, 1]
    assert tf.math.bincount(tf.constant([1.7, 2.2])).numpy().tolist() == [0, 1, 1]
    assert tf.bincount(v, dtype=tf.int64).dtype == tf.int64
    per_class = tf.bincount(tf.cast(y_true, tf.int32), minlength=3)
    assert per_class.numpy().tolist() == [5, 3, 0], per_class
    return tf.reduce_sum(tf.math.bincount(tf.cast(y_true, tf.int32), weights=y_pred))
`,
      { framework: 'tf', shape: [2, 4] },
    );
    const [p, t] = [prediction([2, 4]).data, labels([2, 4]).data];
    assert.ok(Math.abs(result.value - p.reduce((s, v) => s + v, 0)) < 1e-5);
    // TensorFlow registers no gradient for DenseBincount
    assert.equal(result.gradNorm, null);
    assert.equal(t.filter((v) => v === 1).length, 3);
    const bincounts = result.trace.filter((e) => e.op === 'bincount');
    assert.ok(bincounts.every((e) => e.kind.category === 'bincount' && e.gradient === 'cut'));
    assert.deepEqual(bincounts.at(-1).kind, { category: 'bincount', weighted: true });
    assert.deepEqual(
      result.legacyApiUses.map((u) => `${u.name}@${u.line}`),
      ['tf.bincount@15', 'tf.bincount@16'],
    );
    const message = (code) =>
      failure(`import tensorflow as tf\ndef loss(y_true, y_pred):\n    return ${code}\n`, { framework: 'tf' });
    assert.match(
      await message('tf.math.bincount(tf.constant([-1, 2]))'),
      /InvalidArgumentError: Input arr must be non-negative!/,
    );
    assert.match(
      await message('tf.math.bincount(tf.constant([1]), axis=1)'),
      /ValueError: Unsupported value for argument axis=1/,
    );
    assert.match(
      await message('tf.math.bincount(tf.constant([1]), weights=tf.constant([1.0]), binary_output=True)'),
      /ValueError: Arguments `binary_output` and `weights` are mutually exclusive/,
    );
  });
});

describe('TensorFlow: tf.image.ssim and ssim_multiscale', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  // TensorFlow 2.21 (CPU) on images(shape), gradients with respect to the prediction (img1)
  const CASES = [
    {
      name: 'ssim, 2×32×32×1, per-image values weighted',
      shape: [2, 32, 32, 1],
      code: 'tf.reduce_sum(tf.image.ssim(p, t, 1.0) * [1.0, 2.0])',
      expected: {
        value: 2.8738036155700684,
        gradNorm: 0.13143961715407393,
        grad: { 1328: 0.013145561330020428, 1709: -0.012816432863473892 },
      },
    },
    {
      name: 'ssim, 1×48×48×3, max_val 2, a 7×7 window of σ 1, k1 0.02, k2 0.05',
      shape: [1, 48, 48, 3],
      code: '1.0 - tf.reduce_mean(tf.image.ssim(p, t, max_val=2.0, filter_size=7, filter_sigma=1.0, k1=0.02, k2=0.05))',
      expected: {
        value: 0.037053585052490234,
        gradNorm: 0.016759399464164253,
        grad: { 5367: 0.000530757533852011, 2131: -0.0005341916694305837 },
      },
    },
    {
      name: 'ssim with return_index_map, 2×16×16×2',
      shape: [2, 16, 16, 2],
      code: 'tf.reduce_sum(tf.square(tf.image.ssim(p, t, 1.0, return_index_map=True)))',
      expected: {
        value: 66.01958465576172,
        gradNorm: 11.673891812312934,
        grad: { 208: 2.4260549545288086, 305: -2.3747496604919434 },
      },
    },
    {
      name: 'ssim_multiscale, 1×176×176×1, five scales',
      shape: [1, 176, 176, 1],
      code: '1.0 - tf.image.ssim_multiscale(p, t, 1.0)[0]',
      expected: {
        value: 0.016475379467010498,
        gradNorm: 0.012637679564067882,
        grad: { 15928: 0.0002883147681131959, 12564: -0.0003039141884073615 },
      },
    },
    {
      name: 'ssim_multiscale, 2×45×45×2 (odd sizes padded), three scales, a 7×7 window',
      shape: [2, 45, 45, 2],
      code:
        'tf.reduce_sum(tf.image.ssim_multiscale(p, t, 1.0, power_factors=(0.3, 0.3, 0.4), filter_size=7) ' +
        '* [1.0, 2.0])',
      expected: {
        value: 2.815157413482666,
        gradNorm: 0.1928420813852254,
        grad: { 6174: 0.009548697620630264, 6602: -0.008485755883157253 },
      },
    },
  ];
  for (const { name, shape, code, expected } of CASES) {
    test(name, async () => {
      const result = await evaluate(`import tensorflow as tf\ndef loss(t, p):\n    return ${code}\n`, {
        framework: 'tf',
        inputs: images(shape),
      });
      assertMatches(result, expected, { valueTolerance: 2e-5 });
      const ops = result.trace.filter((e) => e.op.startsWith('ssim'));
      assert.ok(ops.length === 1 && ops[0].kind.category === 'other' && ops[0].gradient === 'flow');
    });
  }

  test('uint8 images scaled as convert_image_dtype does; shapes TF refuses', async () => {
    const result = await evaluate(
      `import tensorflow as tf
def loss(t, p):
    s = tf.image.ssim(tf.cast(p * 255, tf.uint8), tf.cast(t * 255, tf.uint8), 255)
    assert s.shape == (1,) and tf.image.ssim(p[0], t[0], 1.0).shape == ()
    assert tf.image.ssim(p, t[:1], 1.0).shape == (1,)
    return tf.reduce_sum(s)
`,
      { framework: 'tf', inputs: images([1, 16, 16, 1]) },
    );
    assertMatches(result, { value: 0.9565528035163879 });
    const message = (code) =>
      failure(`import tensorflow as tf\ndef loss(t, p):\n    return ${code}\n`, {
        framework: 'tf',
        inputs: images([2, 8, 8, 1]),
      });
    assert.match(await message('tf.image.ssim(p, t, 1.0)'), /InvalidArgumentError: Expected .* to be true/);
    assert.match(
      await message('tf.image.ssim(p[0, :, :, 0], t[0, :, :, 0], 1.0)'),
      /ValueError: Shape \(8, 8\) must have rank at least 3/,
    );
    assert.match(
      await message('tf.image.ssim(p, tf.concat([t, t], -1), 1.0)'),
      /ValueError: Shapes \(8, 8, 1\) and \(8, 8, 2\) are incompatible/,
    );
  });
});

describe('ops of real code: index_select, copy_, torch.sparse.torch, scatter from labels, TF 1 targets=', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('index_select picks channels (gradient only there); copy_ passes the gradient to its source', async () => {
    const shape = [2, 3, 2, 2];
    const p = prediction(shape).data;
    const channel = (i) => Math.floor(i / 4) % 3;
    const picked = await evaluate(
      `${TORCH}def loss(p, t):\n    return p.index_select(1, torch.tensor([2, 0])).sum()\n`,
      {
        shape,
      },
    );
    const expected = p.reduce((s, v, i) => s + (channel(i) === 1 ? 0 : v), 0);
    assert.ok(Math.abs(picked.value - expected) < 1e-5, `${picked.value} vs ${expected}`);
    assert.deepEqual(
      Array.from(picked.gradient),
      Array.from(p, (_, i) => (channel(i) === 1 ? 0 : 1)),
    );
    const copied = await evaluate(
      `${TORCH}def loss(p, t):\n    buf = torch.zeros(p.shape)\n    buf.copy_(p * 2)\n    return buf.sum()\n`,
      { shape },
    );
    assert.ok(Math.abs(copied.value - 2 * p.reduce((s, v) => s + v, 0)) < 1e-4);
    assert.ok(Array.from(copied.gradient).every((g) => g === 2));
  });

  test('torch.sparse.torch is torch; a one-hot scattered from the labels derives from them', async () => {
    const result = await evaluate(
      `${TORCH}def loss(p, t):
    eye = torch.sparse.torch.eye(3)
    onehot = torch.zeros(p.shape)
    onehot.scatter_(1, t[:, :1].long(), 1)
    return (p * onehot).sum() * 0 + eye.sum()
`,
      { shape: [2, 3, 2, 2] },
    );
    assert.equal(result.value, 3);
    const [scatter] = result.trace.filter((e) => e.op === 'scatter_');
    assert.ok(scatter.output.origin & 2, 'the scatter output comes from the labels');
  });

  test("TF 1's weighted_cross_entropy_with_logits(targets=) runs as labels= and is recorded", async () => {
    const body = (keyword) =>
      `import tensorflow as tf\ndef loss(y_true, y_pred):\n` +
      `    return tf.reduce_mean(tf.nn.weighted_cross_entropy_with_logits(${keyword}=y_true, logits=y_pred, ` +
      'pos_weight=2.0))\n';
    const legacy = await evaluate(body('targets'), { framework: 'tf', shape: [2, 4] });
    const current = await evaluate(body('labels'), { framework: 'tf', shape: [2, 4] });
    assert.equal(legacy.value, current.value);
    assert.deepEqual(
      legacy.legacyApiUses.map((u) => u.name),
      ['tf.nn.weighted_cross_entropy_with_logits(targets=)'],
    );
    assert.match(
      await failure(
        'import tensorflow as tf\ndef loss(y_true, y_pred):\n' +
          '    return tf.nn.weighted_cross_entropy_with_logits(logits=y_pred, pos_weight=2.0)\n',
        { framework: 'tf' },
      ),
      /missing required argument: 'labels'/,
    );
  });
});

describe('torch: interpolate and Upsample', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('nearest, nearest-exact, (bi/tri)linear with and without align_corners, sizes and scale factors', async () => {
    const result = await evaluate(`${TORCH}
def loss(p, t):
    x = p.reshape(2, 3, 4, 4)
    a = F.interpolate(x, size=(7, 5), mode='bilinear', align_corners=False)
    b = F.interpolate(x, scale_factor=2.5, mode='bilinear', align_corners=True)
    c = F.interpolate(x, size=(3, 6), mode='nearest')
    d = F.interpolate(x, scale_factor=(1.5, 0.75), mode='nearest-exact')
    e = nn.Upsample(scale_factor=1.7, mode='bilinear')(x)
    f = F.interpolate(x[:, :, 0], size=9, mode='linear')
    g = F.interpolate(x.unsqueeze(2).expand(2, 3, 2, 4, 4), size=(3, 5, 3), mode='trilinear')
    h = F.upsample_bilinear(x, size=(6, 6))
    small = F.interpolate(t, size=(2, 2), mode='nearest')
    assert tuple(b.shape) == (2, 3, 10, 10) and tuple(d.shape) == (2, 3, 6, 3) and tuple(e.shape) == (2, 3, 6, 6)
    total = (a ** 2).sum() + (b * 1.5).mean() + (c ** 3).sum() + d.sum() * 0.3 + (e * e).mean() + f.sum()
    return total + (g ** 2).mean() + h.std() + (small * x[:, :, :2, :2]).sum()
`);
    // torch 1.13
    assertMatches(result, {
      value: 127.80921173095703,
      gradNorm: 46.20896530151367,
      grad: { 0: 4.378090858459473, 7: 3.2774198055267334, 50: 9.814419746398926, 95: 3.098254442214966 },
    });
    assert.deepEqual(kindsOf(result, 'interpolate')[0], { category: 'resample', mode: 'linear', axes: [2, 3] });
  });

  test("torch's argument errors", async () => {
    const call = (args) => failure(`${TORCH}\ndef loss(p, t):\n    return F.interpolate(p, ${args}).sum()\n`);
    assert.match(await call('size=3, scale_factor=2'), /ValueError: only one of size or scale_factor/);
    assert.match(await call("size=3, mode='nearest', align_corners=True"), /ValueError: align_corners option/);
    assert.match(await call("size=3, mode='trilinear'"), /NotImplementedError: Got 4D input, but trilinear/);
    assert.match(await call("size=3, mode='bicubic'"), /unsupported/);
  });
});

describe('old spellings of real code: nn.Softmax2d, nn.NLLLoss2d, tf.nn.softmax_cross_entropy_with_logits_v2', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('Softmax2d is a softmax over the channels; NLLLoss2d is NLLLoss', async () => {
    const result = await evaluate(`${TORCH}
def loss(p, t):
    probs = nn.Softmax2d()(p)
    assert torch.allclose(probs, F.softmax(p, dim=1))
    assert torch.allclose(nn.Softmax2d()(p[0]), F.softmax(p[0], dim=0))
    labels = t.argmax(1)
    assert torch.allclose(nn.NLLLoss2d()(probs.log(), labels), F.nll_loss(probs.log(), labels))
    return nn.NLLLoss2d()(probs.log(), labels)
`);
    assert.ok(Number.isFinite(result.value) && result.gradNorm > 0);
    assert.match(
      await failure(`${TORCH}\ndef loss(p, t):\n    return nn.Softmax2d()(p.reshape(-1)).sum()\n`),
      /ValueError: Softmax2d: expected input to be 3D or 4D, got 1D instead/,
    );
  });

  test('x.data = ... replaces the values outside autograd (old in-place casts)', async () => {
    const result = await evaluate(
      `${TORCH}
def loss(p, t):
    target = t == 1
    target.data = target.data.float()
    assert target.dtype == torch.float32 and not target.requires_grad
    return (p * target).sum() + p.sum()
`,
      {
        inputs: {
          prediction: { data: Float32Array.from([0.2, 0.9, 0.7, 0.1]), shape: [2, 2] },
          target: { data: Float32Array.from([0, 1, 1, 0]), shape: [2, 2] },
        },
      },
    );
    // torch 1.13
    assertMatches(result, { value: 3.5, gradNorm: Math.sqrt(10), grad: { 0: 1, 1: 2, 2: 2, 3: 1 } });
  });

  test('softmax_cross_entropy_with_logits_v2 is the TF 2 function, noted as TF 1 API', async () => {
    const result = await evaluate(
      `import tensorflow as tf
def loss(t, p):
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=t, logits=p)
    current = tf.nn.softmax_cross_entropy_with_logits(labels=t, logits=p)
    tf.debugging.assert_near(v2, current)
    return tf.reduce_mean(v2)
`,
      { framework: 'tf', shape: [2, 4, 4, 3] },
    );
    assert.ok(Number.isFinite(result.value));
    assert.deepEqual(
      result.legacyApiUses.map((u) => `${u.name}@${u.line}`),
      ['tf.nn.softmax_cross_entropy_with_logits_v2@3'],
    );
  });
});
