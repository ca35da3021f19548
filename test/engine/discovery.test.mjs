// Discovery from the AST alone (what CodeLens lists in an untrusted workspace) and the project scan
// that builds a loss from its call sites, on small in-memory projects.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { engine, memoryHost } from './helpers.mjs';

const lines = (...l) => `${l.join('\n')}\n`;

async function listed(source) {
  const module = await engine.LossProgram.parse(source);
  return engine.diagnosableLosses(module).map((l) => `${l.name} = ${l.entry}`);
}

describe('discovery', () => {
  test('methods of a plain class are losses: Class.method, built by its constructor', async () => {
    const source = lines(
      'from keras import backend as K',
      'class SegLosses(object):',
      '    def __init__(self, smooth=1.0):',
      '        self.smooth = smooth',
      '    def dice_coef(self, y_true, y_pred):',
      '        return (2 * K.sum(y_true * y_pred) + self.smooth) / (K.sum(y_true) + K.sum(y_pred) + self.smooth)',
      '    def dice_loss(self, y_true, y_pred):',
      '        return 1 - self.dice_coef(y_true, y_pred)',
      '    def _flat(self, y_true, y_pred):',
      '        return K.flatten(y_true), K.flatten(y_pred)',
    );
    // dice_coef is diagnosed through dice_loss; _flat is private.
    assert.deepEqual(await listed(source), ['SegLosses.dice_loss = SegLosses().dice_loss']);
  });

  test('a class inheriting forward from a base of the file is a loss; the abstract base is not', async () => {
    const source = lines(
      'import torch',
      'from torch import nn',
      'class _Base(nn.Module):',
      '    def score(self, p, t):',
      '        raise NotImplementedError',
      '    def forward(self, logits, target):',
      '        return 1 - self.score(torch.softmax(logits, 1), target).mean()',
      'class DiceLoss(_Base):',
      '    def score(self, p, t):',
      '        return 2 * (p * t).sum() / (p + t).sum()',
    );
    assert.deepEqual(await listed(source), ['DiceLoss = DiceLoss']);
  });

  test('ABC bases with an abstract method, autograd Functions and tuple helpers are skipped', async () => {
    const source = lines(
      'import torch',
      'from abc import ABC, abstractmethod',
      'class BaseLoss(ABC):',
      '    def __call__(self, y_true, y_pred):',
      '        return self.compute(y_true, y_pred)',
      '    @abstractmethod',
      '    def compute(self, y_true, y_pred):',
      '        """The loss."""',
      'class DiceFn(torch.autograd.Function):',
      '    @staticmethod',
      '    def forward(ctx, pred, target):',
      '        return (pred * target).sum()',
      'def split_dice(pred, target):',
      '    return pred.sum(), target.sum()',
    );
    assert.deepEqual(await listed(source), []);
  });

  test('a factory reading a configuration dict is no dict-input loss; a loss reading a batch dict is', async () => {
    const source = lines(
      'import torch',
      'def get_loss_criterion(config):',
      "    name = config['loss']['name']",
      "    return torch.nn.CrossEntropyLoss().to(config['device'])",
      'def build_loss(batch):',
      "    return batch['loss']",
      'def seg_loss(cfg):',
      "    return cfg['weight']",
      'def dice_loss(batch):',
      "    pred, gt = batch['pred'], batch['gt']",
      '    return 1 - 2 * (pred * gt).sum() / (pred.sum() + gt.sum() + 1)',
    );
    assert.deepEqual(await listed(source), ['dice_loss = dice_loss']);
  });

  test('a loss taking a weight map after the labels is a loss', async () => {
    const source = lines(
      'def weighted_bce_loss(pred, target, weight_map):',
      '    return (weight_map * (pred - target) ** 2).mean()',
    );
    assert.deepEqual(await listed(source), ['weighted_bce_loss = weighted_bce_loss']);
  });
});

describe('the project scan', () => {
  before(() => engine.initBackend('auto'));

  test('a required n_classes comes from a call site and its argparse default; environments are not read', async () => {
    const root = '/project';
    const loss = lines(
      'import torch',
      'import torch.nn.functional as F',
      'class DiceLoss(torch.nn.Module):',
      '    def __init__(self, n_classes):',
      '        super().__init__()',
      '        self.n_classes = n_classes',
      '    def forward(self, logits, labels):',
      '        probs = torch.softmax(logits, dim=1)',
      '        onehot = F.one_hot(labels, self.n_classes).permute(0, 3, 1, 2).float()',
      '        inter = (probs * onehot).sum(dim=(2, 3))',
      '        return 1 - ((2 * inter + 1) / ((probs + onehot).sum(dim=(2, 3)) + 1)).mean()',
    );
    const train = lines(
      'import argparse',
      'from losses import DiceLoss',
      'parser = argparse.ArgumentParser()',
      'parser.add_argument("--num-classes", type=int, default=5)',
      'args = parser.parse_args()',
      'criterion = DiceLoss(n_classes=args.num_classes)',
    );
    const files = {
      [join(root, 'losses.py')]: loss,
      [join(root, 'train.py')]: train,
      // A virtual environment and a hidden folder inside the root: never scanned.
      [join(root, 'venv', 'pyvenv.cfg')]: '',
      [join(root, 'venv', 'lib', 'other.py')]: lines('from losses import DiceLoss', 'DiceLoss(n_classes=7)'),
      [join(root, '.cache', 'old.py')]: lines('from losses import DiceLoss', 'DiceLoss(n_classes=9)'),
    };
    const host = memoryHost(files);
    const file = join(root, 'losses.py');
    const project = { layout: engine.projectLayout(host, file, { root }), host };
    const report = await engine.diagnoseSource(file, loss, { project });
    const [dice] = report.losses;
    assert.equal(dice.error, undefined, JSON.stringify(dice.error));
    assert.equal(dice.entry, 'DiceLoss(n_classes=5)');
    assert.equal(dice.contract.classes, 5);
    assert.equal(dice.contract.sources.classes, 'context');
    assert.deepEqual(
      dice.constructedFrom.map(({ arg, value, file: where }) => ({ arg, value, file: where })),
      [{ arg: 'n_classes', value: '5', file: 'train.py' }],
    );
    assert.match(dice.constructedFrom[0].why, /--num_classes defaults to 5/);
  });

  test('each call-site configuration of a loss is diagnosed: a bug only one of them reaches is found', async () => {
    const root = '/proj-variants';
    const loss = lines(
      'import torch',
      'def dice_loss(pred, target, hard=False, eps=1.0):',
      '    if hard:',
      '        pred = (pred > 0.5).float()',
      '    inter = (pred * target).sum(dim=(2, 3))',
      '    union = pred.sum(dim=(2, 3)) + target.sum(dim=(2, 3))',
      '    return 1 - ((2 * inter + eps) / (union + eps)).mean()',
      'def soft_dice(pred, target, squared=False, eps=1.0):',
      '    p2 = pred * pred if squared else pred',
      '    inter = (pred * target).sum(dim=(2, 3))',
      '    return 1 - ((2 * inter + eps) / (p2.sum(dim=(2, 3)) + target.sum(dim=(2, 3)) + eps)).mean()',
    );
    const train = lines(
      'import torch',
      'from losses import dice_loss, soft_dice',
      'def step(model, x, y, warmup):',
      '    out = torch.sigmoid(model(x))',
      '    if warmup:',
      '        loss = dice_loss(out, y, hard=False) + soft_dice(out, y, squared=False)',
      '    else:',
      '        loss = dice_loss(out, y, hard=True) + soft_dice(out, y, squared=True)',
      '    loss.backward()',
    );
    const file = join(root, 'losses.py');
    const host = memoryHost({ [file]: loss, [join(root, 'train.py')]: train });
    const project = { layout: engine.projectLayout(host, file, { root }), host };
    const report = await engine.diagnoseSource(file, loss, { project });
    const [dice, soft] = report.losses;
    assert.deepEqual(
      dice.findings.map((f) => `${f.kind}@${f.line}`),
      ['non-differentiable@4'],
    );
    const [cut] = dice.findings;
    assert.match(cut.message, /when called with hard=True at train\.py:8/);
    assert.equal(cut.evidence.callConfiguration, 'hard=True at train.py:8');
    assert.deepEqual(cut.related.at(-1), { line: 8, file: 'train.py', message: 'called with hard=True here' });
    // The first configuration is the loss's own diagnosis: its keyword note stands.
    assert.deepEqual(
      dice.constructedFrom.map(({ arg, value, line }) => ({ arg, value, line })),
      [{ arg: 'hard', value: 'False', line: 6 }],
    );
    assert.deepEqual(soft.findings, [], 'both configurations of soft_dice are clean');
    // --entry names one configuration: the others are not added.
    const entry = await engine.diagnoseSource(file, loss, { project, entry: 'dice_loss' });
    assert.deepEqual(entry.losses[0].findings, []);
  });

  test("Keras LossFunctionWrapper subclasses are losses; reduction: the call site's or Keras' default", async () => {
    const root = '/proj-wrapper';
    const loss = lines(
      'import tensorflow as tf',
      'from tensorflow.python.keras.losses import LossFunctionWrapper',
      'def soft_dice(y_true, y_pred, smooth=1.0):',
      '    inter = tf.reduce_sum(y_true * y_pred, axis=(1, 2))',
      '    union = tf.reduce_sum(y_true + y_pred, axis=(1, 2))',
      '    return 1.0 - tf.reduce_mean((2 * inter + smooth) / (union + smooth), axis=-1)',
      'class SoftDice(LossFunctionWrapper):',
      "    def __init__(self, reduction, smooth=1.0, name='soft_dice'):",
      '        super().__init__(soft_dice, name=name, reduction=reduction, smooth=smooth)',
      'class SmoothDice(LossFunctionWrapper):',
      "    def __init__(self, reduction, smooth=1.0, name='smooth_dice'):",
      '        super().__init__(soft_dice, name=name, reduction=reduction, smooth=smooth)',
    );
    const model = lines(
      'import tensorflow as tf',
      'from losses import SmoothDice',
      'loss = SmoothDice(tf.keras.losses.Reduction.SUM_OVER_BATCH_SIZE, smooth=2.0)',
    );
    const file = join(root, 'losses.py');
    const host = memoryHost({ [file]: loss, [join(root, 'model.py')]: model });
    const project = { layout: engine.projectLayout(host, file, { root }), host };
    const report = await engine.diagnoseSource(file, loss, { project });
    const byName = Object.fromEntries(report.losses.map((l) => [l.name, l]));
    assert.equal(byName.SoftDice.error, undefined, JSON.stringify(byName.SoftDice.error));
    assert.equal(byName.SoftDice.entry, "SoftDice(reduction='auto')");
    assert.match(byName.SoftDice.constructedFrom[0].why, /Keras' default/);
    assert.equal(byName.SmoothDice.error, undefined, JSON.stringify(byName.SmoothDice.error));
    assert.equal(byName.SmoothDice.entry, "SmoothDice('sum_over_batch_size', smooth=2.0)");
    for (const l of report.losses) assert.deepEqual(l.findings, [], l.name);
  });

  test('a class count the call site reads at run time is the contract’s; its other arguments stand', async () => {
    const root = '/proj-runtime-count';
    const loss = lines(
      'import torch',
      'import torch.nn.functional as F',
      'class SubsetDice(torch.nn.Module):',
      '    def __init__(self, n_classes, class_ids):',
      '        super().__init__()',
      '        self.n_classes, self.class_ids = n_classes, class_ids',
      '    def forward(self, logits, labels):',
      '        probs = F.softmax(logits, dim=1)[:, self.class_ids]',
      '        onehot = F.one_hot(labels, self.n_classes).permute(0, 3, 1, 2).float()[:, self.class_ids]',
      '        inter = (probs * onehot).sum(dim=(2, 3))',
      '        union = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))',
      '        return 1 - ((2 * inter + 1) / (union + 1)).mean()',
    );
    const train = lines('from losses import SubsetDice', 'criterion = SubsetDice(opts.output_nc, class_ids=[0, 2])');
    const file = join(root, 'losses.py');
    const host = memoryHost({ [file]: loss, [join(root, 'train.py')]: train });
    const project = { layout: engine.projectLayout(host, file, { root }), host };
    const [dice] = (await engine.diagnoseSource(file, loss, { project })).losses;
    assert.equal(dice.error, undefined, JSON.stringify(dice.error));
    assert.equal(dice.entry, `SubsetDice(${dice.contract.classes}, class_ids=[0, 2])`);
    const count = dice.constructedFrom.find((c) => c.arg === 'n_classes');
    assert.equal(count.value, String(dice.contract.classes));
    assert.match(count.why, /opts\.output_nc at the call, set at run time: the contract's class count/);
    assert.deepEqual(dice.findings, []);
  });

  test("a docstring example's literal array is an argument; a C×C class-distance matrix sets C", async () => {
    const source = lines(
      'import numpy as np',
      'import torch',
      'import torch.nn.functional as F',
      'class CostSensitiveDice(torch.nn.Module):',
      '    """Dice whose errors cost what the class-distance matrix says.',
      '',
      '    Example::',
      '',
      '        costs = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5], [1.0, 0.5, 0.0]], dtype=np.float32)',
      '        loss = CostSensitiveDice(dist_matrix=costs)',
      '    """',
      '    def __init__(self, dist_matrix):',
      '        super().__init__()',
      '        self.m = torch.clone(torch.as_tensor(dist_matrix))',
      '    def forward(self, logits, labels):',
      '        probs = F.softmax(logits, dim=1).flatten(2)',
      '        cost = self.m[labels.flatten(1)].permute(0, 2, 1)',
      '        return (probs * cost).sum(dim=1).mean()',
    );
    const [loss] = (await engine.diagnoseSource('costs.py', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(
      loss.entry,
      'CostSensitiveDice(dist_matrix=np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5], [1.0, 0.5, 0.0]], dtype=np.float32))',
    );
    assert.equal(loss.contract.classes, 3);
    assert.equal(loss.contract.sources.classes, 'context');
  });

  test('no call site: a required class count follows the contract; other arguments need an --entry', async () => {
    const source = lines(
      'import torch',
      'class CountLoss(torch.nn.Module):',
      '    def __init__(self, num_classes, cfg):',
      '        super().__init__()',
      '        self.k, self.cfg = num_classes, cfg',
      '    def forward(self, logits, labels):',
      '        return torch.softmax(logits, 1)[:, 0].mean()',
      'class OnlyCount(torch.nn.Module):',
      '    def __init__(self, num_classes):',
      '        super().__init__()',
      '        self.k = num_classes',
      '    def forward(self, logits, labels):',
      '        probs = torch.softmax(logits, 1)',
      '        return 1 - probs.gather(1, labels.unsqueeze(1)).mean() + 0 * self.k',
    );
    const report = await engine.diagnoseSource('memory.py', source);
    const [needs, count] = report.losses;
    assert.match(needs.error.message, /CountLoss needs arguments \(num_classes, cfg\)/);
    assert.equal(count.error, undefined, JSON.stringify(count.error));
    assert.equal(count.entry, `OnlyCount(num_classes=${count.contract.classes})`);
    assert.match(count.constructedFrom[0].why, /the contract's class count/);
  });
});
