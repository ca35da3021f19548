// The Python subset real loss code uses, checked end to end on small tensors (values computed by
// hand or by Python semantics, not by the interpreter itself).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine } from './helpers.mjs';

const PRED = { data: Float32Array.from([0.2, 0.8, 0.6, 0.4]), shape: [1, 4] };
const TARGET = { data: Float32Array.from([0, 1, 1, 0]), shape: [1, 4] };

/** Loads `source`, evaluates `entry` as a torch loss f(pred, target) and returns the value. */
async function run(source, entry = 'loss', options = {}) {
  const program = await engine.LossProgram.load(source);
  try {
    const callable = program.resolveEntry(entry);
    return program.evaluate(
      callable,
      {
        prediction: options.prediction ?? PRED,
        target: options.target ?? TARGET,
        targetDtype: options.targetDtype ?? 'float',
      },
      { framework: options.framework ?? 'torch', argOrder: options.argOrder ?? 'pred_true', limits: options.limits },
    );
  } finally {
    program.dispose();
  }
}

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport math\n';

describe('Python language subset', () => {
  before(() => engine.initBackend('auto'));

  test('factories, closures, defaults and keyword arguments', async () => {
    const source = `${HEADER}
def make(alpha=0.5, *, beta=2.0):
    def loss(p, t):
        return (alpha * p + beta * t).sum()
    return loss
`;
    // 0.3 * sum(p) + 2 * sum(t) = 0.3 * 2 + 2 * 2
    assert.ok(Math.abs((await run(source, 'make(alpha=0.3)')).value - 4.6) < 1e-5);
  });

  test('nn.Module subclass with __init__, super() and forward', async () => {
    const source = `${HEADER}
class Base(nn.Module):
    def __init__(self, smooth):
        super().__init__()
        self.smooth = smooth

class Dice(Base):
    def __init__(self, smooth=1.0):
        super(Dice, self).__init__(smooth)
        self.name = f"dice{self.smooth:.1f}"

    def forward(self, p, t):
        inter = (p * t).sum()
        return 1 - (2 * inter + self.smooth) / (p.sum() + t.sum() + self.smooth)
`;
    // inter = 1.4, sums 2 and 2: 1 - 3.8 / 5
    assert.ok(Math.abs((await run(source, 'Dice')).value - 0.24) < 1e-5);
    assert.ok(Math.abs((await run(source, 'Dice(smooth=0.0)')).value - 0.3) < 1e-5);
    assert.ok(Math.abs((await run(source, 'Dice.forward')).value - 0.24) < 1e-5);
  });

  test('loops, comprehensions, zip/enumerate, slicing, augmented assignment, while/break', async () => {
    const source = `${HEADER}
def loss(p, t):
    total = 0.0
    for i, (a, b) in enumerate(zip([1, 2, 3], [4, 5, 6])):
        total += a * b * (i + 1)
    squares = [k * k for k in range(5) if k % 2 == 0]
    table = {k: v for k, v in zip("ab", (1, 2))}
    n = 0
    while True:
        n += 1
        if n >= 3:
            break
    head, *rest = [10, 20, 30]
    assert len(rest) == 2, "unpacking"
    last = p[..., -1:][0, ::-1].sum()
    return total + sum(squares) + table["b"] + n + head + last + round(2.5) + abs(-1) + max(1, 7) + min([3, 2])
`;
    // 4*1 + 10*2 + 18*3 = 78; squares 0+4+16 = 20; 2; 3; 10; p[0,3] = 0.4; round(2.5) = 2; 1; 7; 2
    assert.ok(Math.abs((await run(source)).value - (78 + 20 + 2 + 3 + 10 + 0.4 + 2 + 1 + 7 + 2)) < 1e-4);
  });

  test('lambda, isinstance, f-strings, try/except, module constants, int/float semantics', async () => {
    const source = `${HEADER}
EPS = 1e-6
SCALE = 7 // 2
square = lambda x: x ** 2

def loss(p, t):
    assert isinstance(p, torch.Tensor) and isinstance(SCALE, int)
    label = f"{SCALE:03d}-{EPS:.0e}"
    try:
        raise ValueError("boom")
    except (KeyError, ValueError) as err:
        msg = str(err)
    bonus = 1 if label == "003-1e-06" and msg == "boom" else 100
    return square(p).sum() * SCALE / 2 + 7 / 2 + bonus + math.sqrt(4)
`;
    // sum(p^2) = 0.04+0.64+0.36+0.16 = 1.2; *3/2 = 1.8; + 3.5 + 1 + 2
    assert.ok(Math.abs((await run(source)).value - 8.3) < 1e-5);
  });

  test('gradient follows the framework: argmax and .detach() cut it, torch.round zeroes it', async () => {
    const argmax = await run(
      `${HEADER}\ndef loss(p, t):\n    return (torch.argmax(p, dim=1).float() - 1).abs().mean()\n`,
    );
    assert.equal(argmax.gradNorm, null);
    const detached = await run(`${HEADER}\ndef loss(p, t):\n    return (p.detach() * t).sum()\n`);
    assert.equal(detached.gradNorm, null);
    const rounded = await run(`${HEADER}\ndef loss(p, t):\n    return torch.round(p).sum()\n`);
    assert.equal(rounded.gradNorm, 0);
    const mixed = await run(`${HEADER}\ndef loss(p, t):\n    return ((p > 0.5).float() * p).sum()\n`);
    assert.deepEqual(Array.from(mixed.gradient), [0, 1, 1, 0]);
    const labelsOnly = await run(`${HEADER}\ndef loss(p, t):\n    return (p * (t > 0.5).float()).sum()\n`);
    assert.deepEqual(Array.from(labelsOnly.gradient), [0, 1, 1, 0]);
    const noGrad = await run(
      `${HEADER}\ndef loss(p, t):\n    with torch.no_grad():\n        w = p * 2\n    return (w * p).sum()\n`,
    );
    assert.deepEqual(
      Array.from(noGrad.gradient, (g) => Number(g.toFixed(5))),
      [0.4, 1.6, 1.2, 0.8],
    );
  });

  test('a non-scalar result is reduced by its mean, as Keras does', async () => {
    const result = await run(`${HEADER}\ndef loss(p, t):\n    return p * 2\n`);
    assert.equal(result.reducedByMean, true);
    assert.ok(Math.abs(result.value - 1.0) < 1e-6);
  });

  test('the trace maps ops to lines, marks broadcasts, cuts and origins', async () => {
    const source = `${HEADER}
def helper(x):
    return x.sum(dim=0)

def loss(p, t):
    hard = torch.argmax(p, dim=1)
    weights = t[0][:, None] * p[0][None, :]
    return helper(weights).mean() + hard.float().mean()
`;
    const { trace } = await run(source);
    const argmax = trace.find((e) => e.op === 'argmax');
    assert.equal(argmax.range.line, 10);
    assert.equal(argmax.gradient, 'cut');
    assert.equal(argmax.output.origin, 1);
    const mul = trace.find((e) => e.op === 'mul');
    assert.equal(mul.range.line, 11);
    assert.equal(mul.broadcast, true);
    assert.equal(mul.output.origin, 3, 'prediction and target met here');
    assert.deepEqual(
      mul.inputs.map((i) => i.shape),
      [
        [4, 1],
        [1, 4],
      ],
    );
    const sum = trace.find((e) => e.op === 'sum');
    assert.equal(sum.range.line, 7, 'an op in a helper points into the helper');
    assert.equal(sum.callStack.at(-1).line, 12, 'with the call site that reached it');
  });

  test('range is a sequence: reusable, len(), indexing and slicing', async () => {
    const source = `${HEADER}
def loss(p, t):
    assert list(range(4)[1:-1]) == [1, 2] and len(range(2, 10, 3)) == 3 and range(5)[-1] == 4
    axes = range(len(p.shape))[1:]
    r = range(3)
    assert sum(r) == 3 and sum(r) == 3 and 2 in r and list(reversed(r)) == [2, 1, 0]
    return p.sum(dim=tuple(axes)).sum()
`;
    assert.ok(Number.isFinite((await run(source)).value));
  });

  test('sets: distinct items, numpy scalars as their values, methods and operators', async () => {
    const source = `${HEADER}
import numpy as np
def loss(p, t):
    values = set(np.unique(t.cpu().numpy()))
    assert values.issubset([0, 1])
    assert {1, 2} | {2, 3} == {3, 2, 1} and {1, 2} & {2, 3} == {2} and {1, 2} - {2} == {1}
    assert {1, 2} ^ {2, 3} == {1, 3} and {1, 2}.union([5]) == {1, 2, 5} and {1} != {1, 2}
    seen = set()
    seen.add(1)
    seen.add(1)
    seen.update([2, 3])
    seen.discard(3)
    assert isinstance(seen, set) and not isinstance([1], set) and len(seen) == 2
    # Ordering is inclusion, not list order: {1, 2} <= {1, 3} is False though [1, 2] <= [1, 3].
    assert {1} <= {1, 2} and {1} < {1, 2} and not ({1, 2} < {1, 2}) and not ({1, 2} <= {1, 3})
    assert {1, 2} >= {2} and {1, 2} > {2} and not ({3} > {1, 2})
    return p.sum() * len(values | {7})
`;
    assert.ok(Math.abs((await run(source)).value - 3 * 2.0) < 1e-5);
  });

  test('a syntax error is a clean error with its line', async () => {
    await assert.rejects(
      engine.LossProgram.load('import torch\n\ndef loss(p, t):\n    return (p +\n'),
      (error) => error.kind === 'syntax' && error.line >= 4,
    );
  });

  test('an unsupported API names the construct and the line', async () => {
    await assert.rejects(
      run(`${HEADER}\ndef loss(p, t):\n    x = p.sum()\n    return torch.fft.fft(p)\n`),
      (error) => error.kind === 'unsupported' && /torch\.fft/.test(error.message) && error.line === 8,
    );
  });
});

describe('program state', () => {
  test("one file's K.set_epsilon does not leak into another file", async () => {
    await engine.initBackend('auto');
    const inputs = { prediction: PRED, target: TARGET, targetDtype: 'float' };
    const setter = await engine.LossProgram.load(
      'from keras import backend as K\nK.set_epsilon(0.5)\n\ndef loss(t, p):\n    return K.epsilon() + 0 * K.sum(p)\n',
    );
    const reader = await engine.LossProgram.load(
      'from keras import backend as K\n\ndef loss(t, p):\n    return K.epsilon() + 0 * K.sum(p)\n',
    );
    try {
      const options = { framework: 'keras', argOrder: 'true_pred' };
      assert.equal(setter.evaluate(setter.resolveEntry('loss'), inputs, options).value, 0.5);
      assert.ok(Math.abs(reader.evaluate(reader.resolveEntry('loss'), inputs, options).value - 1e-7) < 1e-12);
      assert.equal(setter.evaluate(setter.resolveEntry('loss'), inputs, options).value, 0.5);
    } finally {
      setter.dispose();
      reader.dispose();
    }
  });
});

describe('iteration over tensors', () => {
  test('for row in tensor keeps the gradient (no gather kernel needed)', async () => {
    await engine.initBackend('auto');
    const program = await engine.LossProgram.load(
      [
        'import torch',
        '',
        'def loss(p, t):',
        '    total = 0.0',
        '    for row in p:',
        '        total = total + (row * row).sum()',
        '    return total',
        '',
      ].join('\n'),
    );
    try {
      const result = program.evaluate(
        program.resolveEntry('loss'),
        { prediction: PRED, target: TARGET, targetDtype: 'float' },
        { framework: 'torch', argOrder: 'pred_true' },
      );
      assert.deepEqual(
        Array.from(result.gradient, (g) => Number(g.toFixed(5))),
        [0.4, 1.6, 1.2, 0.8],
      );
    } finally {
      program.dispose();
    }
  });
});
