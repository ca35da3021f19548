// Diagnoses of constructs from real losses that failed for reasons of Loss Lens's own (pywick's
// losses.py, UNet++'s nnU-Net and Keras code): what the report says when the loss cannot run on
// images and a retry on volumes hits a limit, losses over tuples of heads, pixel weights without a
// class axis, evaluation helpers the project runs on numpy arrays, and TensorFlow 1 streaming metrics.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { join } from 'node:path';
import { engine, memoryHost } from './helpers.mjs';

/** The one loss of `source`, diagnosed. */
async function diagnosed(source, options = {}) {
  const report = await engine.diagnoseSource('x.py', source, options);
  assert.equal(report.error, undefined, JSON.stringify(report.error));
  return report.losses;
}

const serious = (loss) => loss.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}`);

describe('diagnose: real-code failures', () => {
  before(() => engine.initBackend('auto'));

  test('a double activation in an inherited forward is placed on the call the forward makes', async () => {
    const source = `import torch
import torch.nn as nn


class OhemBCE(nn.Module):
    def __init__(self):
        super().__init__()
        self.criterion = nn.BCEWithLogitsLoss()

    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        return self.criterion(probs, target)


class OhemBCEPlus(OhemBCE):
    pass


class OhemBCEWrapped(OhemBCE):
    def forward(self, logits, target):
        return super().forward(logits, target)
`;
    const losses = await diagnosed(source);
    const byName = Object.fromEntries(losses.map((l) => [l.name, l]));
    assert.deepEqual(serious(byName.OhemBCE), ['double-activation@12']);
    assert.deepEqual(serious(byName.OhemBCEPlus), ['double-activation@12']);
    const [wrapped] = byName.OhemBCEWrapped.findings;
    assert.equal(`${wrapped.kind}@${wrapped.line}`, 'double-activation@21');
    assert.deepEqual(
      wrapped.related.map((r) => [r.line, r.message]),
      [
        [11, 'the first activation: `sigmoid`'],
        [12, '`binary_cross_entropy_with_logits` runs here'],
      ],
    );
  });

  test('a limit met only by the retry on volumes leaves the error the loss raised on images', async () => {
    const source = `import torch


def volume_dice(pred, target):
    if pred.dim() == 4:
        raise ValueError("images are not supported")
    scratch = torch.zeros(20000, 20000)
    return (pred * target).sum() + scratch.sum()
`;
    const [loss] = await diagnosed(source);
    assert.deepEqual(loss.error, { kind: 'python', message: 'ValueError: images are not supported', line: 6 });
    assert.equal(loss.contract.spatialDims, 2);
  });

  test('constructor call sites: a stale `__main__` demo and a dict of keys the inner loss lost come last', async () => {
    const source = `import torch
import torch.nn as nn
import torch.nn.functional as F


class SoftDice(nn.Module):
    def __init__(self, batch_dice=False, smooth=1.0):
        super().__init__()
        self.batch_dice = batch_dice
        self.smooth = smooth

    def forward(self, logits, target):
        probs = torch.softmax(logits, 1)
        onehot = F.one_hot(target[:, 0].long(), probs.shape[1]).permute(0, 3, 1, 2).float()
        axes = (0, 2, 3) if self.batch_dice else (2, 3)
        inter = (probs * onehot).sum(axes)
        total = probs.sum(axes) + onehot.sum(axes)
        return 1 - ((2 * inter + self.smooth) / (total + self.smooth)).mean()


class DiceCE(nn.Module):
    def __init__(self, dice_kwargs, ce_kwargs):
        super().__init__()
        self.dice = SoftDice(**dice_kwargs)
        self.ce = nn.CrossEntropyLoss(**ce_kwargs)

    def forward(self, logits, target):
        return self.dice(logits, target) + self.ce(logits, target[:, 0].long())


def old_setup():
    return DiceCE({'batch_dice': True, 'smooth_in_nom': True}, {})


def setup():
    return DiceCE({'batch_dice': True, 'smooth': 1e-5}, {})


if __name__ == "__main__":
    demo = DiceCE({'smooth': 0.0}, {})
`;
    const losses = await diagnosed(source);
    const loss = losses.find((l) => l.name === 'DiceCE');
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.entry, "DiceCE({'batch_dice': True, 'smooth': 1e-5}, {})");
    assert.deepEqual(serious(loss), []);
  });

  test('a call site whose construction raises gives way to the next one', async () => {
    const source = `import torch
import torch.nn as nn


class TverskyLoss(nn.Module):
    def __init__(self, alpha, beta):
        super().__init__()
        if alpha + beta != 1:
            raise ValueError("alpha + beta must be 1")
        self.alpha, self.beta = alpha, beta

    def forward(self, logits, target):
        p = torch.sigmoid(logits)
        tp = (p * target).sum()
        fp = (p * (1 - target)).sum()
        fn = ((1 - p) * target).sum()
        return 1 - (tp + 1) / (tp + self.alpha * fp + self.beta * fn + 1)


def legacy():
    return TverskyLoss(0.5, 0.7)


def current():
    return TverskyLoss(0.3, 0.7)
`;
    const [loss] = await diagnosed(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.entry, 'TverskyLoss(0.3, 0.7)');
  });

  test('a head compared with a tensor the loss builds from the labels itself: needs arguments, never run', async () => {
    const source = `import torch
import torch.nn as nn


class EncodingLoss(nn.CrossEntropyLoss):
    def __init__(self, se_weight=0.2, nclass=4):
        super().__init__()
        self.se_weight = se_weight
        self.nclass = nclass
        self.bce = nn.BCELoss()

    def forward(self, *inputs):
        preds, target = tuple(inputs)
        inputs = tuple(list(preds) + [target])
        pred, se_pred, target = tuple(inputs)
        se_target = self._presence(target, self.nclass).type_as(pred)
        loss1 = super().forward(pred, target)
        loss2 = self.bce(torch.sigmoid(se_pred), se_target)
        return loss1 + self.se_weight * loss2

    @staticmethod
    def _presence(target, nclass):
        present = torch.zeros(target.size(0), nclass)
        for i in range(target.size(0)):
            present[i] = torch.histc(target[i].float(), bins=nclass, min=0, max=nclass - 1) > 0
        return present
`;
    const [loss] = await diagnosed(source);
    assert.equal(loss.error.kind, 'unsupported');
    assert.equal(loss.error.line, 5);
    assert.match(loss.error.message, /^EncodingLoss needs arguments \(se_pred\): it takes its heads \(pred, se_pred\)/);
    assert.match(
      loss.error.message,
      /compares se_pred with se_target, which it builds from the labels itself \(line 16\)/,
    );
    assert.match(loss.error.message, /--entry "lambda p, t: EncodingLoss\(\)\(\(p, se_pred\), t\)"/);
  });

  test('a loss over *inputs that hands its "heads" on as one tensor gets the prediction itself', async () => {
    const source = `import torch
import torch.nn as nn
import torch.nn.functional as F


class BaseCE(nn.Module):
    def forward(self, logits, labels):
        return F.cross_entropy(torch.log_softmax(logits, 1), labels.long())


class AuxCELoss(BaseCE):
    def __init__(self, aux=False, aux_weight=0.4):
        super().__init__()
        self.aux = aux
        self.aux_weight = aux_weight

    def forward(self, *inputs):
        preds, target = tuple(inputs)
        if self.aux:
            loss = super().forward(preds[0], target)
            for extra in preds[1:]:
                loss = loss + self.aux_weight * super().forward(extra, target)
            return dict(loss=loss)
        return dict(loss=super().forward(preds, target))
`;
    const loss = (await diagnosed(source)).find((l) => l.name === 'AuxCELoss');
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(
      loss.constructedFrom?.find((c) => c.arg === 'inputs'),
      undefined,
    );
    assert.deepEqual(serious(loss), []);
  });

  test('heads unpacked by name in branches: the count under which the branch that runs unpacks', async () => {
    const source = `import torch.nn as nn
import torch.nn.functional as F


class PairHeadsLoss(nn.Module):
    def __init__(self, aux=False):
        super().__init__()
        self.aux = aux

    def forward(self, *inputs):
        preds, target = tuple(inputs)
        inputs = tuple(list(preds) + [target])
        if self.aux:
            pred, aux, target = tuple(inputs)
            return F.cross_entropy(pred, target) + 0.4 * F.cross_entropy(aux, target)
        pred, target = tuple(inputs)
        return F.cross_entropy(pred, target)
`;
    const [loss] = await diagnosed(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.constructedFrom.find((c) => c.arg === 'inputs').value, '(prediction,)');
  });

  test('pixel weights a loss checks as (N, H, W) beside (N, C, H, W) labels: made without a class axis', async () => {
    const source = `import torch
import torch.nn as nn


class WeightedBCEDice(nn.Module):
    def __init__(self, eps=1.0):
        super().__init__()
        self.bce = nn.BCEWithLogitsLoss()
        self.eps = eps

    def forward(self, logits, labels, weights):
        # logits and labels are B x C x H x W, weights B x H x W
        if len(logits.shape) != len(labels.shape):
            raise AssertionError
        if logits.size(2) != weights.size(1) or logits.size(3) != weights.size(2):
            raise AssertionError
        bce = self.bce(input=logits, target=labels)
        probs = torch.sigmoid(logits)
        inter = (probs * labels).sum()
        return bce + 1 - (2 * inter + self.eps) / (probs.sum() + labels.sum() + self.eps)
`;
    const [loss] = await diagnosed(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.contract.channelless, undefined);
    assert.match(loss.constructedFrom.find((c) => c.arg === 'weights').why, /one label map, \(N, \*spatial\)/);
    assert.deepEqual(serious(loss), []);
  });

  test('helpers run on model.predict() arrays are numpy code; TF 1 streaming metrics are refused', async () => {
    const root = '/project';
    const helpers = `import tensorflow as tf
from keras import backend as K


def mean_iou(y_true, y_pred):
    score, update = tf.metrics.mean_iou(y_true, tf.to_int32(y_pred > 0.5), 2)
    K.get_session().run(tf.local_variables_initializer())
    return score


def dice_coef(y_true, y_pred):
    intersection = K.sum(K.flatten(y_true) * K.flatten(y_pred))
    return (2. * intersection + 1.) / (K.sum(y_true) + K.sum(y_pred) + 1.)


def dice_coef_loss(y_true, y_pred):
    return 1. - dice_coef(y_true, y_pred)


def compute_iou(im1, im2):
    overlap = (im1 > 0.5) * (im2 > 0.5)
    union = (im1 > 0.5) + (im2 > 0.5)
    return (overlap.sum() + 1.) / float(union.sum() + 1.)
`;
    const app = `import numpy as np
from keras.layers import Conv2D, Input
from keras.models import Model
from helpers import *

inputs = Input((64, 64, 1))
outputs = Conv2D(1, 1, activation='sigmoid')(inputs)
model = Model(inputs, outputs)
model.compile(optimizer='adam', loss=dice_coef_loss, metrics=[mean_iou, dice_coef])
x_test = np.load('x_test.npy')
y_test = np.load('y_test.npy')
p_test = model.predict(x_test)
print(compute_iou(y_test, p_test), dice_coef(y_test, p_test))
`;
    const host = memoryHost({ [join(root, 'helpers.py')]: helpers, [join(root, 'app.py')]: app });
    const file = join(root, 'helpers.py');
    const project = { layout: engine.projectLayout(host, file, { root }), host };
    const report = await engine.diagnoseSource(file, helpers, { project });
    const byName = new Map(report.losses.map((l) => [l.name, l]));
    const iou = byName.get('compute_iou');
    assert.equal(iou.error, undefined, JSON.stringify(iou.error));
    assert.equal(iou.contract.framework, 'numpy');
    assert.deepEqual(iou.contract.because.framework, {
      line: 13,
      why: 'compute_iou(y_test, p_test): numpy arrays (app.py:13)',
      file: 'app.py',
    });
    assert.deepEqual(serious(iou), []);
    // Keras code the script also calls on arrays stays Keras code (K converts them)
    assert.equal(byName.get('dice_coef').contract.framework, 'keras');
    const metric = byName.get('mean_iou');
    assert.equal(metric.error.kind, 'unsupported');
    assert.equal(metric.error.line, 6);
    assert.match(metric.error.message, /^unsupported: tf\.metrics\.mean_iou is a TensorFlow 1 streaming metric/);
    assert.ok(report.notes.some((n) => n.kind === 'legacy-api' && /tf\.metrics\.mean_iou/.test(n.message)));
  });

  test('a torch helper evaluated on .numpy() arrays is numpy code; one the training minimises is not', async () => {
    const root = '/project';
    const losses = `import torch


def soft_dice(pred, target):
    inter = (pred * target).sum()
    return 1 - (2 * inter + 1) / (pred.sum() + target.sum() + 1)


def hard_dice(pred, target):
    pred = pred > 0.5
    inter = (pred * target).sum()
    return (2 * inter + 1) / (pred.sum() + target.sum() + 1)
`;
    const train = `import torch
from losses import soft_dice, hard_dice


def run(model, loader, optimizer):
    for x, y in loader:
        out = torch.sigmoid(model(x))
        loss = soft_dice(out, y)
        loss.backward()
        optimizer.step()
        score = hard_dice(out.detach().cpu().numpy(), y.numpy())
        check = soft_dice(out.detach().cpu().numpy(), y.numpy())
`;
    const host = memoryHost({ [join(root, 'losses.py')]: losses, [join(root, 'train.py')]: train });
    const file = join(root, 'losses.py');
    const project = { layout: engine.projectLayout(host, file, { root }), host };
    const report = await engine.diagnoseSource(file, losses, { project });
    const byName = new Map(report.losses.map((l) => [l.name, l]));
    assert.equal(byName.get('hard_dice').contract.framework, 'numpy');
    assert.equal(byName.get('soft_dice').contract.framework, 'torch');
  });
});
