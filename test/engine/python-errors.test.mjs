// Errors a loss raises read as CPython 3.11 with PyTorch 1.13 prints them (checked there): a bare
// `raise AssertionError`, calls with the wrong number of arguments (named by __qualname__), a
// `@torch.no_grad()` stacked over `@staticmethod` (a real bug of HausdorffDTLoss in pywick: the
// wrapper is an ordinary method again, so `self` is passed), a tuple where torch wants a tensor.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine } from './helpers.mjs';

const PRED = { data: Float32Array.from([0.2, 0.8, 0.6, 0.4]), shape: [1, 4] };
const TARGET = { data: Float32Array.from([0, 1, 1, 0]), shape: [1, 4] };

/** Loads `source` and evaluates `entry` as a torch loss; the value, or the error's message. */
async function run(source, entry = 'loss') {
  const program = await engine.LossProgram.load(source);
  try {
    const inputs = { prediction: PRED, target: TARGET, targetDtype: 'float' };
    return program.evaluate(program.resolveEntry(entry), inputs, { framework: 'torch', argOrder: 'pred_true' }).value;
  } catch (error) {
    return error.message;
  } finally {
    program.dispose();
  }
}

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('CPython error messages', () => {
  before(() => engine.initBackend('auto'));

  test('a bare `raise AssertionError` is "AssertionError", not "AssertionError: ()"', async () => {
    const source = `${HEADER}
def loss(p, t):
    if p.dim() != 4:
        raise AssertionError
    return p.sum()
`;
    assert.equal(await run(source), 'AssertionError');
  });

  test('@torch.no_grad() over @staticmethod makes a method again: self is passed, as in Python', async () => {
    const source = `${HEADER}
class DistanceLoss(nn.Module):
    @torch.no_grad()
    @staticmethod
    def field(img):
        return img * 2

    def forward(self, p, t):
        return (self.field(p) * t).sum()
`;
    assert.equal(
      await run(source, 'DistanceLoss()'),
      'TypeError: DistanceLoss.field() takes 1 positional argument but 2 were given',
    );
  });

  test('@staticmethod over @torch.no_grad(), and @torch.no_grad() on a method, bind as Python does', async () => {
    const source = `${HEADER}
class ScaledLoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.k = 3.0

    @staticmethod
    @torch.no_grad()
    def doubled(img):
        return img * 2

    @torch.no_grad()
    def scaled(self, img):
        return img * self.k

    def forward(self, p, t):
        return (p * t).sum() + self.doubled(t).sum() + self.scaled(t).sum()
`;
    // (0.8 + 0.6) + 2 * 2 + 3 * 2
    assert.ok(Math.abs((await run(source, 'ScaledLoss()')) - 11.4) < 1e-5);
  });

  test('argument counts as CPython words them: ranges, plurals, every missing name, keyword-only', async () => {
    const cases = [
      [
        'def f(a, b=1):\n    pass\n',
        'f(1, 2, 3)',
        'TypeError: f() takes from 1 to 2 positional arguments but 3 were given',
      ],
      [
        'def f(a, b, c, *, d):\n    pass\n',
        'f()',
        "TypeError: f() missing 3 required positional arguments: 'a', 'b', and 'c'",
      ],
      [
        'def f(a, b, c, *, d):\n    pass\n',
        'f(1, 2, 3)',
        "TypeError: f() missing 1 required keyword-only argument: 'd'",
      ],
      [
        'def outer():\n    def inner(x):\n        pass\n    return inner\n',
        'outer()(1, 2)',
        'TypeError: outer.<locals>.inner() takes 1 positional argument but 2 were given',
      ],
      ['def f(a, b=1):\n    pass\n', 'f(1, c=2)', "TypeError: f() got an unexpected keyword argument 'c'"],
    ];
    for (const [definition, call, message] of cases) {
      const source = `${HEADER}\n${definition}\ndef loss(p, t):\n    ${call}\n    return p.sum()\n`;
      assert.equal(await run(source), message, call);
    }
  });

  test('torch.sigmoid of a tuple of tensors is a TypeError, not a stacked tensor of another rank', async () => {
    const source = `${HEADER}
def loss(p, t):
    return torch.sigmoid((p,)).sum()
`;
    assert.equal(await run(source), "TypeError: sigmoid(): argument 'input' (position 1) must be Tensor, not tuple");
  });

  test('a loss module called with input= and target= keywords', async () => {
    const source = `${HEADER}
def loss(p, t):
    return nn.BCEWithLogitsLoss()(input=p * 0, target=t)
`;
    assert.ok(Math.abs((await run(source)) - Math.log(2)) < 1e-6);
  });
});
