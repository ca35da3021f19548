// Diagnoses of constructs from real losses that failed for reasons of Loss Lens's own (pywick's
// losses.py, UNet++'s nnU-Net and Keras code): what the report says when the loss cannot run on
// images and a retry on volumes hits a limit, losses over tuples of heads, pixel weights without a
// class axis, and TensorFlow 1 streaming metrics.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine } from './helpers.mjs';

/** The one loss of `source`, diagnosed. */
async function diagnosed(source, options = {}) {
  const report = await engine.diagnoseSource('x.py', source, options);
  assert.equal(report.error, undefined, JSON.stringify(report.error));
  return report.losses;
}

const serious = (loss) => loss.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}`);

describe('diagnose: real-code failures', () => {
  before(() => engine.initBackend('auto'));

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
});
