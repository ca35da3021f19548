// Plot data of the report (`diagnoseSource(..., { plots: true })`): the per-class weights a loss
// computes from the labels, on the all-present batch and on the batch missing its last class, and
// the gradient per class channel and on foreground vs background pixels.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

async function plotsOf(path, source = readFileSync(join(ROOT, path), 'utf8'), contract) {
  const report = await engine.diagnoseSource(path, source, { plots: true, ...(contract ? { contract } : {}) });
  const [loss] = report.losses;
  assert.equal(loss.error, undefined, JSON.stringify(loss.error));
  return loss.plots;
}

const positiveFinite = (values) => values.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0);

describe('plot data: class weights', () => {
  before(() => engine.initBackend('auto'));

  test('PyTorch generalized Dice, 1/count² unguarded: an infinite weight (null) for the absent class', async () => {
    const { classWeights } = await plotsOf('test/fixtures/torch/generalized_dice_unguarded.py');
    assert.equal(classWeights.line, 18);
    assert.equal(classWeights.expression, '1.0 / (torch.sum(target, dim=dims) ** 2)');
    assert.equal(classWeights.allPresent.length, 3);
    assert.ok(positiveFinite(classWeights.allPresent), `${classWeights.allPresent}`);
    // Inverse volume: background, by far the largest class, weighs least.
    assert.ok(
      classWeights.allPresent[0] < Math.min(...classWeights.allPresent.slice(1)) / 10,
      `${classWeights.allPresent}`,
    );
    assert.equal(classWeights.absentClass, 2);
    assert.ok(positiveFinite(classWeights.oneAbsent.slice(0, 2)));
    assert.equal(classWeights.oneAbsent[2], null, 'Inf is reported as null');
  });

  test(
    'Keras generalized Dice with weights per (image, class), 1/(count² + ε): ' +
      'averaged over the batch, huge for the absent class',
    async () => {
      const { classWeights } = await plotsOf('test/fixtures/keras/generalized_dice_tiny_eps.py');
      assert.equal(classWeights.line, 17);
      assert.equal(classWeights.expression, '1. / (K.square(counts) + K.epsilon())');
      assert.equal(classWeights.allPresent.length, 3, 'one value per class, not per (image, class)');
      assert.ok(positiveFinite(classWeights.allPresent) && Math.max(...classWeights.allPresent) < 1);
      assert.ok(classWeights.oneAbsent[2] > 1e6, `${classWeights.oneAbsent}`);
      assert.ok(classWeights.oneAbsent[0] < 1 && classWeights.oneAbsent[1] < 1);
      // Two classes on a batch of two, (2, 2) weights: the class axis is the last one.
      const binary = (await plotsOf('test/fixtures/keras/generalized_dice_tiny_eps.py', undefined, { classes: 2 }))
        .classWeights;
      assert.ok(binary.allPresent[0] < binary.allPresent[1] / 10, `${binary.allPresent}`);
      assert.ok(binary.oneAbsent[1] > 1e6, `${binary.oneAbsent}`);
    },
  );

  test('guarded weights stay finite: tf.math.divide_no_nan gives the absent class weight 0', async () => {
    const { classWeights } = await plotsOf('test/fixtures/tf/gdl_divide_no_nan.py');
    assert.match(classWeights.expression, /^tf\.math\.divide_no_nan/);
    assert.ok(positiveFinite(classWeights.allPresent));
    assert.deepEqual(classWeights.oneAbsent.map(Number.isFinite), [true, true, true]);
    assert.equal(classWeights.oneAbsent[2], 0);
  });

  test('weighted cross-entropy with inverse-frequency weights computed from the batch (PyTorch)', async () => {
    const source = [
      'import torch',
      'import torch.nn.functional as F',
      '',
      'def weighted_cross_entropy(logits, target):',
      '    n_classes = logits.shape[1]',
      '    counts = F.one_hot(target, n_classes).sum(dim=(0, 1, 2)).float()',
      '    weights = counts.sum() / (n_classes * counts)',
      '    return F.cross_entropy(logits, target, weight=weights)',
      '',
    ].join('\n');
    const { classWeights } = await plotsOf('weighted_ce.py', source, { classes: 3 });
    assert.equal(classWeights.line, 7);
    assert.equal(classWeights.expression, 'counts.sum() / (n_classes * counts)');
    assert.ok(positiveFinite(classWeights.allPresent));
    assert.ok(classWeights.allPresent[0] < 1 && classWeights.allPresent[1] > 1, `${classWeights.allPresent}`);
    assert.equal(classWeights.oneAbsent[2], null);
  });

  test(
    'MONAI-style guard: the plot shows the weights after it ' + '(an absent class gets the largest present weight)',
    async () => {
      const { classWeights } = await plotsOf('test/fixtures/torch/generalized_dice_monai_guard.py');
      assert.equal(classWeights.expression, 'weights + absent * largest');
      const last = classWeights.oneAbsent.length - 1;
      assert.equal(classWeights.absentClass, last);
      assert.ok(positiveFinite(classWeights.oneAbsent), `${classWeights.oneAbsent}`);
      const present = classWeights.oneAbsent.slice(0, last);
      assert.ok(
        Math.abs(classWeights.oneAbsent[last] - Math.max(...present)) <= 1e-6 * Math.max(...present),
        `${classWeights.oneAbsent}`,
      );
    },
  );

  test('losses without class weights have none: soft Dice (+ CE), fixed weights', async () => {
    assert.equal((await plotsOf('examples/torch_soft_dice_ce.py')).classWeights, null);
    assert.equal((await plotsOf('examples/keras_dice_no_smoothing.py')).classWeights, null);
    assert.equal((await plotsOf('test/fixtures/keras/weighted_dice_two_class.py')).classWeights, null);
  });
});

describe('plot data: loss response and gradient', () => {
  test('the response runs from a random prediction (0) to a perfect one (1)', async () => {
    const { response } = await plotsOf('test/fixtures/torch/soft_dice_binary.py');
    assert.equal(response.towardsPerfect.length, response.loss.length);
    assert.deepEqual([response.towardsPerfect[0], response.towardsPerfect.at(-1)], [0, 1]);
    assert.ok(
      response.loss.every((l, i) => i === 0 || l < response.loss[i - 1]),
      `${response.loss}`,
    );
    assert.ok(Math.abs(response.loss.at(-1)) < 1e-3);
  });

  test(
    'a Dice on the background channel only: ' + 'no gradient on the lesion channels, more on background pixels',
    async () => {
      const plots = await plotsOf('test/fixtures/torch/background_only_dice.py');
      assert.ok(plots.gradientByClass[0] > 0);
      assert.deepEqual(
        plots.gradientByClass.slice(1),
        plots.gradientByClass.slice(1).map(() => 0),
      );
      assert.ok(
        plots.gradientBackground > 2 * plots.gradientForeground,
        `${plots.gradientBackground} vs ${plots.gradientForeground}`,
      );
      const sound = await plotsOf('examples/torch_soft_dice_ce.py');
      assert.ok(
        sound.gradientForeground > sound.gradientBackground,
        'Dice + CE pulls harder on the rare lesion pixels',
      );
    },
  );
});

describe('plot data: hand-written gradient vs automatic', () => {
  before(() => engine.initBackend('auto'));

  test('a sign-flipped backward: every sampled element mirrored, at most 512, the worst among them', async () => {
    const { gradientCheck } = await plotsOf('test/diagnose/fixtures/torch_function_dice_sign.py');
    assert.equal(gradientCheck.name, 'BinaryDiceFn');
    assert.equal(gradientCheck.line, 27);
    assert.ok(gradientCheck.elements >= 512, `${gradientCheck.elements}`);
    assert.equal(gradientCheck.index.length, Math.min(512, gradientCheck.elements));
    assert.ok(gradientCheck.index.includes(gradientCheck.worst));
    assert.ok(
      gradientCheck.index.every((i, k) => k === 0 || i > gradientCheck.index[k - 1]),
      'sorted, distinct',
    );
    assert.ok(Math.abs(gradientCheck.relErr - 2) < 1e-3, `${gradientCheck.relErr}`);
    gradientCheck.hand.forEach((h, k) => assert.ok(Math.abs(h + gradientCheck.auto[k]) <= 1e-6 * (1 + Math.abs(h))));
  });

  test('a correct Caffe layer: points on the diagonal; a loss without a hand-written gradient: none', async () => {
    const { gradientCheck } = await plotsOf('test/diagnose/fixtures/caffe_dice_layer.py');
    assert.equal(gradientCheck.name, 'DiceLossLayer');
    assert.equal(gradientCheck.line, 40, 'the bottom[0].diff assignment');
    assert.ok(gradientCheck.relErr < 1e-4, `${gradientCheck.relErr}`);
    assert.equal(gradientCheck.hand.length, gradientCheck.auto.length);
    assert.equal((await plotsOf('examples/torch_soft_dice_ce.py')).gradientCheck, null);
  });
});
