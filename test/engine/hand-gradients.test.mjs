// Hand-written gradients: torch.autograd.Function, tf.custom_gradient and Caffe Python layers as the
// interpreter runs them (the backward's gradient, None as no gradient), and the wrong-gradient
// verdict against real PyTorch's torch.autograd.gradcheck (test/golden/gradcheck.json, written by
// test/golden/gradcheck_functions.py).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, closeTo, engine, relativeL2 } from './helpers.mjs';

const GRADCHECK = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'gradcheck.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'loss-lens-grad-'));

const diagnose = (path) => engine.diagnoseSource(path, readFileSync(join(ROOT, path), 'utf8'));
const kinds = (report) => report.losses.flatMap((l) => l.findings.map((f) => f.kind));

/** Evaluates `entry` of a Python source (written to a scratch file) on flat inputs. */
async function evaluate(source, entry, framework, inputs, argOrder = 'pred_true') {
  const path = join(scratch, `${entry.replace(/\W/g, '_')}_${framework}.py`);
  writeFileSync(path, source);
  return engine.evaluateFile({ path, entry, framework, argOrder, inputs });
}

const flat = (data, shape) => ({ data: Float32Array.from(data), shape });

describe('wrong-gradient agrees with torch.autograd.gradcheck (float64)', () => {
  before(() => engine.initBackend('auto'));

  test('the golden file covers buggy and correct Functions', () => {
    const verdicts = GRADCHECK.cases.map((c) => c.gradcheck);
    assert.ok(verdicts.filter((v) => !v).length >= 2 && verdicts.some((v) => v), `${verdicts}`);
  });

  for (const row of GRADCHECK.cases) {
    test(`${row.fixture}: gradcheck ${row.gradcheck ? 'passes' : 'fails'}, so wrong-gradient is ${
      row.gradcheck ? 'not ' : ''
    }reported`, async () => {
      const report = await diagnose(row.fixture);
      assert.equal(kinds(report).includes('wrong-gradient'), !row.gradcheck, JSON.stringify(kinds(report)));
    });

    test(`${row.fixture}: value and gradient through the hand-written backward, as torch gives them`, async () => {
      const report = await engine.evaluateFile({
        path: join(ROOT, row.fixture),
        entry: row.entry,
        framework: 'torch',
        argOrder: 'pred_true',
        inputs: {
          prediction: flat(row.prediction.data, row.prediction.shape),
          target: {
            data: (row.targetDtype === 'int' ? Int32Array : Float32Array).from(row.target.data),
            shape: row.target.shape,
          },
          targetDtype: row.targetDtype,
        },
      });
      assert.ok(closeTo(report.value, row.value, 1e-4), `value ${report.value}, torch ${row.value}`);
      const { diff, norm, mismatched } = relativeL2(Array.from(report.evaluation.gradient), row.gradient);
      assert.equal(mismatched, 0);
      assert.ok(diff <= 1e-3 * norm, `relative L2 ${diff / norm}`);
    });
  }

  test('the report carries the evidence: relative error, worst element, both values, the input case', async () => {
    const report = await diagnose('test/diagnose/fixtures/torch_function_dice_unnormalised.py');
    const finding = report.losses[0].findings.find((f) => f.kind === 'wrong-gradient');
    const { relErr, worstIndex, handValue, autoValue, inputCase, name } = finding.evidence;
    assert.equal(name, 'MeanDiceFunction');
    // The forward averages over 2 images × 3 classes; the backward forgets the 1/6.
    assert.ok(closeTo(relErr, 5, 1e-3), `${relErr}`);
    assert.ok(closeTo(handValue, 6 * autoValue, 1e-3), `${handValue} vs ${autoValue}`);
    assert.equal(worstIndex.length, 4);
    assert.match(inputCase, /^random logits/);
    assert.equal(finding.line, 24, 'the backward return');
    assert.equal(finding.related[0].line, 7, 'the Function');
  });

  test('two Functions in one loss: only the one whose backward is wrong is blamed', async () => {
    const source = `import torch
import torch.nn as nn


class SquaredError(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return ((x - y) ** 2).mean()

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * 2 * (x - y) / x.numel(), None


class DiceCoefficientGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, p, y):
        ctx.save_for_backward(p, y)
        return 1 - (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)

    @staticmethod
    def backward(ctx, g):
        p, y = ctx.saved_tensors
        i, u = (p * y).sum(), p.sum() + y.sum()
        return g * (2 * y * (u + 1) - (2 * i + 1)) / (u + 1) ** 2, None


class ComboLoss(nn.Module):
    def forward(self, probs, target):
        return SquaredError.apply(probs, target) + DiceCoefficientGrad.apply(probs, target)
`;
    const report = await engine.diagnoseSource('combo.py', source);
    const found = report.losses[0].findings.filter((f) => f.kind === 'wrong-gradient');
    assert.deepEqual(
      found.map((f) => [f.evidence.name, f.line]),
      [['DiceCoefficientGrad', 27]],
    );
  });

  test('a straight-through estimator (a thresholding forward, a soft backward on purpose) is left alone', async () => {
    const report = await diagnose('test/diagnose/fixtures/torch_function_straight_through.py');
    // Its Dice pools the batch (an info note); nothing about its gradient.
    assert.deepEqual(kinds(report), ['batch-pooled-dice']);
  });
});

describe('torch.autograd.Function: None is no gradient', () => {
  before(() => engine.initBackend('auto'));

  const source = `import torch
import torch.nn.functional as F


class Scale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, target):
        return (x * target).sum()

    @staticmethod
    def backward(ctx, grad):
        return None, None


def only_function(pred, target):
    return Scale.apply(pred, target)


def with_another_term(pred, target):
    return Scale.apply(pred, target) + (pred ** 2).sum()
`;
  const inputs = {
    prediction: flat([0.5, -1, 2, 0.25], [2, 2]),
    target: flat([1, 0, 1, 1], [2, 2]),
    targetDtype: 'float',
  };

  test('a backward returning None for the only path: no gradient at all (torch leaves .grad None)', async () => {
    const report = await evaluate(source, 'only_function', 'torch', inputs);
    assert.equal(report.value, 2.75);
    assert.equal(report.gradNorm, null);
  });

  test('None on one path, autograd on another: the other path gives the gradient', async () => {
    const report = await evaluate(source, 'with_another_term', 'torch', inputs);
    assert.deepEqual(Array.from(report.evaluation.gradient), [1, -2, 4, 0.5]);
  });
});

describe('a legacy (non-static) torch.autograd.Function', () => {
  test('calling an instance raises what PyTorch >= 1.5 raises, at the call', async () => {
    const source = `import torch
from torch.autograd import Function

class HalfDice(Function):
    def forward(self, pred, target):
        self.save_for_backward(pred, target)
        return (pred * target).sum() / (pred.sum() + target.sum())

    def backward(self, grad_output):
        pred, target = self.saved_tensors
        return grad_output * target, None

def half_dice_loss(pred, target):
    return 1 - HalfDice()(pred, target)
`;
    const report = await engine.diagnoseSource('legacy_function.py', source);
    const loss = report.losses.find((l) => l.name === 'half_dice_loss');
    assert.equal(loss.error.kind, 'python');
    assert.equal(loss.error.line, 14);
    assert.match(loss.error.message, /^RuntimeError: Legacy autograd function with non-static forward method/);
  });
});

describe('tf.custom_gradient', () => {
  before(() => engine.initBackend('auto'));

  const source = `import tensorflow as tf


@tf.custom_gradient
def tripled(x):
    def grad(upstream):
        return upstream * 3.0 * tf.ones_like(x)

    return tf.reduce_sum(x), grad


@tf.custom_gradient
def weighted(y_true, y_pred):
    def grad(upstream):
        return None, upstream * y_true

    return tf.reduce_sum(y_true * y_pred) * 2.0, grad


@tf.custom_gradient
def miscounted(y_true, y_pred):
    def grad(upstream):
        return upstream * y_true

    return tf.reduce_sum(y_true * y_pred), grad


def one_input(y_true, y_pred):
    return tripled(y_pred)


def two_inputs(y_true, y_pred):
    return weighted(y_true, y_pred)


def wrong_count(y_true, y_pred):
    return miscounted(y_true, y_pred)
`;
  const inputs = { prediction: flat([0.5, 1, 2, 4], [4]), target: flat([1, 0, 1, 0], [4]), targetDtype: 'float' };

  test('the value is y; the gradient is grad_fn(upstream), not the derivative of y', async () => {
    const report = await evaluate(source, 'one_input', 'tf', inputs, 'true_pred');
    assert.equal(report.value, 7.5);
    assert.deepEqual(Array.from(report.evaluation.gradient), [3, 3, 3, 3]);
  });

  test('one gradient per argument, None for the labels', async () => {
    const report = await evaluate(source, 'two_inputs', 'tf', inputs, 'true_pred');
    assert.equal(report.value, 5);
    assert.deepEqual(Array.from(report.evaluation.gradient), [1, 0, 1, 0]);
  });

  test('grad_fn must return a gradient for every argument, as TF requires', async () => {
    await assert.rejects(
      evaluate(source, 'wrong_count', 'tf', inputs, 'true_pred'),
      /custom_gradient function expected to return 2 gradients, but returned 1/,
    );
  });
});

describe('Caffe Python layers', () => {
  before(() => engine.initBackend('auto'));

  const clean = 'test/diagnose/fixtures/caffe_dice_layer.py';

  test('discovered as a loss called with bottom = [prediction, labels], (N, C, H, W) blobs', async () => {
    const module = await engine.LossProgram.parse(readFileSync(join(ROOT, clean), 'utf8'));
    const [layer] = engine.discoverLosses(module);
    assert.equal(layer.name, 'DiceLossLayer');
    assert.deepEqual(layer.params, ['prediction', 'labels']);
    assert.equal(layer.caffeLayer, true);
    const report = await diagnose(clean);
    const { contract } = report.losses[0];
    assert.equal(contract.framework, 'numpy');
    assert.equal(contract.argOrder, 'pred_true');
    assert.equal(contract.layout, 'channels_first');
  });

  test('a Keras Layer subclass is not a Caffe layer', async () => {
    const source = `from tensorflow.keras.layers import Layer


class DiceLossLayer(Layer):
    def forward(self, bottom, top):
        pass

    def backward(self, top, propagate_down, bottom):
        pass
`;
    const discovered = engine.discoverLosses(await engine.LossProgram.parse(source));
    assert.ok(discovered.every((d) => !d.caffeLayer));
  });

  test('the loss is top[0].data after forward; the gradient is bottom[0].diff after backward', async () => {
    // Two images of two pixels: per-image soft Dice, averaged (the correct layer divides by num).
    const prediction = [0.2, 0.8, 0.6, 0.4];
    const labels = [0, 1, 1, 0];
    const report = await engine.evaluateFile({
      path: join(ROOT, clean),
      entry: 'DiceLossLayer',
      framework: 'numpy',
      argOrder: 'pred_true',
      inputs: { prediction: flat(prediction, [2, 1, 1, 2]), target: flat(labels, [2, 1, 1, 2]), targetDtype: 'float' },
    });
    const expected = [0, 1].map((n) => {
      const [p, g] = [prediction.slice(2 * n, 2 * n + 2), labels.slice(2 * n, 2 * n + 2)];
      const inter = p[0] * g[0] + p[1] * g[1];
      const union = p[0] + p[1] + g[0] + g[1];
      const grad = g.map((y) => (2 * inter + 1 - 2 * y * (union + 1)) / (union + 1) ** 2 / 2);
      return { dice: (2 * inter + 1) / (union + 1), grad };
    });
    assert.ok(closeTo(report.value, 1 - (expected[0].dice + expected[1].dice) / 2, 1e-6));
    const gradient = Array.from(report.evaluation.gradient);
    expected.flatMap((e) => e.grad).forEach((g, i) => assert.ok(closeTo(gradient[i], g, 1e-5), `${gradient}`));
  });
});
