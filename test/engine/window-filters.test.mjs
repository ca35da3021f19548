// Sliding-window ops that Hausdorff-erosion and contour losses need: scipy.ndimage.convolve and
// correlate (every boundary mode, origins, the output dtype's C casts), ndarray.ptp, and torch's
// F.conv1d/conv2d. Expected values come from the real libraries (scipy 1.10, numpy 1.24,
// PyTorch 1.13 of /usr/bin/python3), noted here.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { closeTo, engine, fixedLabels, fixedPrediction } from './helpers.mjs';

/** Evaluates loss(p, t) of `source` on the fixed inputs of `shape`. */
async function run(source, { shape = [1, 1, 4, 4], framework = 'numpy', valueOnly = false } = {}) {
  const program = await engine.LossProgram.load(source);
  try {
    return program.evaluate(
      program.resolveEntry('loss'),
      { prediction: fixedPrediction(shape), target: fixedLabels(shape), targetDtype: 'float' },
      { framework, argOrder: 'pred_true', valueOnly },
    );
  } finally {
    program.dispose();
  }
}

async function failure(source) {
  try {
    await run(source);
  } catch (error) {
    return error.message;
  }
  assert.fail('the evaluation did not fail');
}

const HEADER = `import numpy as np
from scipy.ndimage import convolve, correlate
`;

// [expression, dtype, values] from scipy 1.10 (x, k and y as defined in the loss below).
const SCIPY = [
  ['convolve(x, [1., 2.])', 'float32', [1, 4, 7, 10, 13, 15]],
  ['correlate(x, [1., 2.])', 'float32', [0, 2, 5, 8, 11, 14]],
  ["convolve(x, [1., 2., 3.], mode='constant', cval=-1)", 'float32', [-2, 4, 10, 16, 22, 21]],
  ["convolve(x, [1, 2, 3, 4], mode='constant')", 'float32', [4, 10, 20, 30, 34, 31]],
  ["convolve(np.array([1., 2., 3.]), np.ones(9), mode='reflect')", 'float64', [20, 18, 16]],
  ["convolve(np.array([1., 2., 3.]), np.ones(9), mode='nearest')", 'float64', [16, 18, 20]],
  ["convolve(np.array([1., 2., 3.]), np.ones(9), mode='mirror')", 'float64', [17, 18, 19]],
  ["convolve(np.array([1., 2., 3.]), np.ones(9), mode='wrap')", 'float64', [18, 18, 18]],
  ["convolve(np.array([1., 2., 3.]), np.ones(9), mode='grid-constant')", 'float64', [6, 6, 6]],
  ['convolve(np.array([1, 2, 4]), [0.5, 0.5, 0.5])', 'int64', [2, 3, 5]],
  ['convolve(x, [1., 2., 3.], origin=1)', 'float32', [4, 10, 16, 22, 27, 29]],
  ['convolve(x, [1., 2., 3.], origin=-1)', 'float32', [3, 1, 4, 10, 16, 22]],
  ['correlate(x, [1., 2., 3., 5.], origin=1)', 'float32', [4, 6, 13, 23, 34, 45]],
  ['convolve(np.array([-1, -2, -3]), [0.5, 0.5, 0.5])', 'int64', [-2, -3, -4]],
  ['convolve(np.array([1, 2, 3], dtype=np.uint8), [-0.5, 0., 0.0])', 'uint8', [255, 255, 255]],
  ['convolve(np.array([True, False, True]), [1, 1, 1])', 'bool', [1, 1, 1]],
  [
    "convolve(y, k[None], mode='constant', cval=0.0)",
    'float32',
    [1.8, 3.00175, 4.7443, 5.30897, 8.36155, 12.37546, 15.76975, 14.97924, 11.52548, 18.48611, 21.96052, 17.32518],
  ],
  [
    "convolve(y, np.array([[[1, 2], [3, 4]]]), mode='reflect')",
    'float32',
    [
      30.18034, 49.5429, 74.8163, 91.93385, 137.79585, 174.43495, 214.07697, 239.09044, 243.7645, 288.49109, 335.66815,
      364.82874,
    ],
  ],
  [
    "correlate(y, np.array([[[1, 2, 0.5], [3, 4, -1]]]), mode='mirror', origin=(0, -1, 1))",
    'float32',
    [
      85.6406, 55.86068, 57.43863, 83.06345, 221.29852, 177.28018, 181.96863, 220.84258, 177.74866, 140.11551,
      146.46323, 182.2955,
    ],
  ],
  [
    "convolve(y, np.array([[[1, 2, 0.5], [3, 4, -1]]]), mode='nearest', origin=(0, -1, 1))",
    'float32',
    [
      17.31371, 37.25517, 50.54731, 49.36345, 53.5429, 79.40647, 96.45389, 95.99783, 177.74866, 216.39662, 240.20488,
      238.81161,
    ],
  ],
  [
    "convolve(y[0], np.ones((5, 5)) / 25, mode='wrap')",
    'float32',
    [
      17.79015, 18.57953, 16.42163, 17.06586, 15.58049, 16.31165, 14.36671, 14.92373, 12.29003, 12.97972, 11.16819,
      11.67752,
    ],
  ],
];

describe('scipy.ndimage.convolve and correlate', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('every mode, origins and output dtypes as scipy 1.10 gives them', async () => {
    const checks = SCIPY.map(
      ([expression, dtype, values], i) =>
        `    r = ${expression}\n` +
        `    assert r.dtype == np.dtype('${dtype}'), (${i}, str(r.dtype))\n` +
        `    assert np.allclose(r.ravel(), ${JSON.stringify(values)}, rtol=1e-5, atol=1e-4), (${i}, r.tolist())\n`,
    );
    const source =
      `${HEADER}\ndef loss(p, t):\n    x = np.arange(6, dtype=np.float32)\n` +
      '    k = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]]) * 0.2\n' +
      '    y = np.arange(12, dtype=np.float32).reshape(1, 3, 4) ** 1.5\n' +
      `${checks.join('')}    return float(p.sum())\n`;
    const result = await run(source, { valueOnly: true });
    assert.ok(Number.isFinite(result.value));
  });

  test("scipy's errors: boundary mode, weights rank, origin", async () => {
    const call = (args) => `${HEADER}\ndef loss(p, t):\n    return convolve(${args}).sum()\n`;
    assert.match(await failure(call("np.ones(3), [1., 2.], mode='foo'")), /RuntimeError: boundary mode not supported/);
    assert.match(await failure(call('np.ones((2, 3)), [1., 2.]')), /filter weights array has incorrect shape/);
    assert.match(await failure(call('np.ones(3), [1., 2.], origin=2')), /ValueError: Invalid origin/);
  });

  test('a torch tensor that requires grad is refused as PyTorch refuses its .numpy()', async () => {
    const source = `import torch\nfrom scipy.ndimage import convolve\n\ndef loss(p, t):
    return torch.from_numpy(convolve(p, [[[[1.0]]]])).mean()\n`;
    const message = await run(source, { framework: 'torch' }).then(
      () => 'no error',
      (error) => error.message,
    );
    assert.match(message, /Can't call numpy\(\) on Tensor that requires grad/);
  });

  test('the gradient of a convolved numpy prediction matches central differences', async () => {
    const source = `${HEADER}\ndef loss(p, t):
    k = np.array([[[[0.0, 1.0, 0.5], [2.0, -1.0, 0.0], [0.3, 0.0, 1.0]]]])
    return (convolve(p, k, mode='reflect') ** 2).mean() + correlate(p, k, mode='constant', cval=0.5).mean()\n`;
    const shape = [1, 1, 4, 4];
    const program = await engine.LossProgram.load(source);
    try {
      const callable = program.resolveEntry('loss');
      const x = fixedPrediction(shape);
      const target = fixedLabels(shape);
      const at = (data, valueOnly) =>
        program.evaluate(
          callable,
          { prediction: { data, shape }, target, targetDtype: 'float' },
          { framework: 'numpy', argOrder: 'pred_true', valueOnly },
        );
      const { gradient } = at(x.data, false);
      const h = 1e-2;
      const largest = Math.max(...gradient.map(Math.abs));
      for (let i = 0; i < x.data.length; i++) {
        const plus = Float32Array.from(x.data);
        const minus = Float32Array.from(x.data);
        plus[i] += h;
        minus[i] -= h;
        const fd = (at(plus, true).value - at(minus, true).value) / (2 * h);
        assert.ok(Math.abs(fd - gradient[i]) <= 2e-3 * largest + 1e-4, `element ${i}: ${gradient[i]} vs ${fd}`);
      }
    } finally {
      program.dispose();
    }
  });
});

describe('ndarray.ptp', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('max - min over all elements or an axis, as numpy 1.24 gives it; booleans refused', async () => {
    const source = `import numpy as np\n\ndef loss(p, t):
    x = np.arange(12, dtype=np.float32).reshape(3, 4) ** 1.5
    assert abs(x.ptp() - 36.482872) < 1e-4 and x.ptp().dtype == np.float32
    assert np.allclose(x.ptp(axis=0), [22.627416610717773, 26.0, 28.794349670410156, 31.286720275878906])
    assert np.allclose(np.ptp(x, axis=1, keepdims=True), [[5.196152210235596], [10.520259857177734], [13.855455]])
    assert np.ptp(np.array([3, 9, 1])) == 8 and np.ptp(np.array([3, 9, 1])).dtype == np.int64
    return float(p.sum())\n`;
    assert.ok(Number.isFinite((await run(source, { valueOnly: true })).value));
    const booleans = `import numpy as np\n\ndef loss(p, t):\n    return np.array([True, False]).ptp()\n`;
    assert.match(await failure(booleans), /TypeError: numpy boolean subtract/);
  });
});

// [function, input shape, weight shape, arguments, output shape, sum(y * linspace(0.5, 1.5)), |d/dx|] from PyTorch
// 1.13 with x the fixed prediction, W = sin(arange).reshape(weight shape) and B = cos(arange(out channels)).
const TORCH = [
  ['conv2d', [2, 3, 6, 7], [4, 3, 3, 3], 'padding=1', [2, 4, 6, 7], -6.919759750366211, 8.341743469238281],
  ['conv2d', [2, 3, 6, 7], [4, 3, 2, 4], "padding='same'", [2, 4, 6, 7], 9.645453453063965, 30.278779983520508],
  ['conv2d', [2, 4, 7, 7], [6, 2, 3, 3], 'stride=2, groups=2, bias=B', [2, 6, 3, 3], -10.454035758972168, 34.780685],
  ['conv2d', [1, 2, 8, 8], [2, 2, 3, 3], 'dilation=2, padding=(2, 1)', [1, 2, 8, 6], 16.81758117675781, 12.196061],
  ['conv2d', [3, 9, 9], [1, 3, 5, 5], "padding='valid'", [1, 5, 5], 4.530887603759766, 25.100467681884766],
  ['conv1d', [2, 3, 10], [2, 3, 4], 'padding=2, stride=3', [2, 2, 4], 1.9328197240829468, 9.57408618927002],
];

describe('torch.nn.functional.conv1d / conv2d', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  for (const [fn, shape, weight, args, outShape, value, gradNorm] of TORCH) {
    test(`F.${fn} on ${JSON.stringify(shape)} with ${args}`, async () => {
      const source = `import torch\nimport torch.nn.functional as F\n\ndef loss(x, t):
    W = torch.sin(torch.arange(${weight.reduce((a, b) => a * b, 1)}, dtype=torch.float32)).reshape(${weight})
    B = torch.cos(torch.arange(${weight[0]}, dtype=torch.float32))
    y = F.${fn}(x, W, ${args})
    assert list(y.shape) == ${JSON.stringify(outShape)}, y.shape
    return (y * torch.linspace(0.5, 1.5, y.numel()).reshape(y.shape)).sum()\n`;
      const result = await run(source, { shape, framework: 'torch' });
      assert.ok(closeTo(result.value, value, 1e-4), `value ${result.value}, torch ${value}`);
      assert.ok(closeTo(result.gradNorm, gradNorm, 1e-4), `|grad| ${result.gradNorm}, torch ${gradNorm}`);
    });
  }

  test("torch's channel check", async () => {
    const source = `import torch\nimport torch.nn.functional as F\n\ndef loss(x, t):
    return F.conv2d(x, torch.ones(1, 2, 3, 3)).sum()\n`;
    const message = await run(source, { shape: [2, 3, 5, 5], framework: 'torch' }).then(
      () => 'no error',
      (error) => error.message,
    );
    assert.match(message, /expected input\[2, 3, 5, 5\] to have 2 channels, but got 3 channels instead/);
  });
});
