// Rank 7 and more: the wasm backend's elementwise kernels and its pad returned zeros there (0 instead
// of 0.2, and a different verdict than on cpu). The same loss on rank-7 views of its inputs must give
// the value and gradient of the rank-2 original on every backend, or a clear refusal; never a wrong value.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { closeTo, engine } from './helpers.mjs';
import { evaluateTorch, rejectsWith } from './limitHelpers.mjs';

/** The loss on (2, 4) inputs, or on rank-7 views of them when `view` reshapes. */
const lossSource = (view) =>
  [
    'import torch',
    'def loss(p, t):',
    `    x = ${view('p')}`,
    `    y = ${view('t')}`,
    `    w = ${view('torch.tensor([[0.5, 2.0, 1.0, 3.0]])')}`,
    '    inter = (x * y * w).sum()',
    '    edges = (x[..., 1:3] - y[..., 1:3]).abs().sum()  # its gradient pads',
    '    return 1 - 2 * inter / ((x * w).sum() + y.sum() + 1e-6) + ((x - y) ** 2).mean() + edges / (x + 1).max()',
    '',
  ].join('\n');

const FLAT = lossSource((name) => name);
const RANK_7 = lossSource((name) => `${name}.reshape(1, 1, 1, 1, 1, *${name}.shape)`);
const RANK_8 = lossSource((name) => `${name}.reshape(1, ${name}.shape[0], 1, 1, 1, 1, 1, ${name}.shape[1])`);

describe('rank 7 and more on every backend', () => {
  after(() => engine.initBackend('auto'));

  for (const backend of ['wasm', 'cpu']) {
    test(`rank 7 and 8 give the rank-2 value and gradient on ${backend}`, async () => {
      await engine.initBackend(backend);
      const expected = await evaluateTorch(FLAT);
      for (const source of [RANK_7, RANK_8]) {
        const { value, gradNorm } = await evaluateTorch(source);
        assert.ok(closeTo(value, expected.value, 1e-5), `${source}: ${value} vs ${expected.value}`);
        assert.ok(closeTo(gradNorm, expected.gradNorm, 1e-5), `${gradNorm} vs ${expected.gradNorm}`);
      }
    });
  }

  test('a broadcast that no merge brings to 6 axes is refused on wasm, computed on cpu', async () => {
    const source = [
      'import torch',
      'def loss(p, t):',
      '    a = torch.ones(2, 1, 2, 1, 2, 1, 2) * 0.2',
      '    b = torch.ones(1, 2, 1, 2, 1, 2, 1)',
      '    return p.sum() * 0 + (a * b).mean()',
      '',
    ].join('\n');
    await engine.initBackend('cpu');
    assert.ok(closeTo((await evaluateTorch(source)).value, 0.2));
    await engine.initBackend('wasm');
    await rejectsWith(
      evaluateTorch(source),
      'unsupported',
      /rank 7 tensors are not supported on the wasm backend \(its Multiply kernel/,
      5,
    );
  });
});
