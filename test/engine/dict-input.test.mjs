// Losses that take their inputs in one dict (PyMIC's `forward(self, loss_input_dict)`, a batch dict
// read as batch['pred'] / batch['gt']): discovered, called with a plain dict under the keys the code
// reads (optional .get keys left out), diagnosed and probed so; an unclear pair is refused with the
// keys named, and a verdict resting on keys guessed from their use is a warning.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine } from './helpers.mjs';

const serious = (loss) => loss.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}`);
const dictNote = (loss) => loss.constructedFrom?.find((c) => c.value.startsWith('{'));

async function diagnose(source, options = {}) {
  const report = await engine.diagnoseSource('losses.py', source, options);
  assert.equal(report.error, undefined, JSON.stringify(report.error));
  return report.losses;
}

/** A PyMIC-like base and loss in one file, the base's forward documented, the loss's not. */
const PYMIC_LIKE = `import torch
import torch.nn as nn


def to_pixels(x):
    channels = x.shape[1]
    return torch.reshape(x.permute(0, 2, 3, 1), (-1, channels))


class BaseSegLoss(nn.Module):
    def __init__(self, params=None):
        super().__init__()
        self.acti = 'softmax' if params is None else params.get('acti', 'softmax')

    def forward(self, loss_input_dict):
        """
        :param prediction: network output, with the
            shape of [N, C, H, W].
        :param ground_truth: soft one-hot ground truth, with the
            shape of [N, C, H, W].
        """
        pass


class DiceLoss(BaseSegLoss):
    def forward(self, loss_input_dict):
        predict = loss_input_dict['prediction']
        soft_y = loss_input_dict['ground_truth']
        pix_w = loss_input_dict.get('pixel_weight', None)
        if 'class_weight' in loss_input_dict:
            cls_w = loss_input_dict['class_weight']
        predict = to_pixels(torch.softmax(predict, dim=1))
        soft_y = to_pixels(soft_y)
        if pix_w is not None:
            pix_w = to_pixels(pix_w)
            predict = predict * pix_w
        inter = torch.sum(predict * soft_y, dim=0)
        dice = (2 * inter + 1e-5) / (predict.sum(dim=0) + soft_y.sum(dim=0) + 1e-5)
        return 1 - dice.mean()
`;

describe('losses that take one dict', () => {
  before(() => engine.initBackend('auto'));

  test('a PyMIC-like loss is called with a dict of its two keys; optional keys stay out', async () => {
    const losses = await diagnose(PYMIC_LIKE);
    assert.deepEqual(
      losses.map((l) => l.name),
      ['DiceLoss'],
      'the documented placeholder base is abstract',
    );
    const [loss] = losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.deepEqual(serious(loss), []);
    const note = dictNote(loss);
    assert.equal(note.arg, 'loss_input_dict');
    assert.equal(note.value, "{'prediction': prediction, 'ground_truth': labels}");
    assert.match(note.why, /'pixel_weight', 'class_weight' left out/);
    assert.equal(note.guessed, undefined);
    // The base's docstring (the loss's forward has none) gives the layout and the one-hot labels.
    const { contract } = loss;
    assert.equal(contract.labels, 'onehot');
    assert.equal(contract.sources.labels, 'context');
    assert.match(contract.because.labels.why, /soft one-hot ground truth/);
    assert.equal(contract.layout, 'channels_first');
    assert.match(contract.because.layout.why, /docstring on prediction: "shape of \[N, C, H, W\]/);
    assert.equal(contract.prediction, 'logits');
    assert.equal(contract.sources.argOrder, 'context');
    assert.match(contract.because.argOrder.why, /one dict/);
  });

  test('without a docstring, sparse maps broadcast over flattened classes are rejected: one-hot by trial', async () => {
    const source = PYMIC_LIKE.replace(/"""[\s\S]*?"""\n/, '');
    const [loss] = await diagnose(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.contract.labels, 'onehot');
    assert.equal(loss.contract.sources.labels, 'trial');
  });

  test("a plain function on batch['pred'] / batch['gt'] is a loss, probed through the dict", async () => {
    const source = `import torch


def seg_loss(batch, smooth=1.0):
    probs = torch.sigmoid(batch['pred'])
    gt = batch['gt']
    inter = (probs * gt).sum(dim=(1, 2, 3))
    total = probs.sum(dim=(1, 2, 3)) + gt.sum(dim=(1, 2, 3))
    return 1 - ((2 * inter + smooth) / (total + smooth)).mean()
`;
    assert.deepEqual(
      engine.diagnosableLosses(await engine.LossProgram.parse(source)).map((l) => l.name),
      ['seg_loss'],
    );
    const small = { spatial: [16, 16], batchSize: 2, trainBatches: 2, heldOutImages: 2 };
    const [loss] = await diagnose(source, { probe: 'quick', probeBudget: { steps: 6, evalEvery: 3, data: small } });
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(dictNote(loss).value, "{'pred': prediction, 'gt': labels}");
    assert.equal(loss.probeError, undefined);
    assert.equal(loss.probe.runs[0].status, 'trained');
  });

  test('keys that do not say which is which are refused with the keys named, not guessed', async () => {
    const source = `import torch.nn as nn


class PairLoss(nn.Module):
    def forward(self, outputs):
        return ((outputs['a'] - outputs['b']) ** 2).mean()
`;
    const [loss] = await diagnose(source);
    assert.equal(loss.error.kind, 'unsupported');
    assert.match(loss.error.message, /needs arguments: it reads keys 'a', 'b' of its one argument \(outputs\)/);
    assert.match(loss.error.message, /which are the prediction and the labels\?/);
    assert.match(
      loss.error.message,
      /--entry "lambda prediction, labels: PairLoss\(\)\(\{'a': \.\.\., 'b': \.\.\.\}\)"/,
    );
  });

  test('a required key that is neither the prediction nor the labels needs an entry', async () => {
    const source = `import torch
import torch.nn as nn


class MaskedLoss(nn.Module):
    def forward(self, batch):
        probs = torch.softmax(batch['logits'], dim=1)
        err = (probs - batch['target']) ** 2
        return (err * batch['roi']).mean()
`;
    const [loss] = await diagnose(source);
    assert.match(loss.error.message, /needs arguments: .*nothing says what 'roi' holds/);
    assert.match(loss.error.message, /'logits': prediction, 'target': labels, 'roi': \.\.\./);
  });

  test('a loss that reads the prediction and the image, no labels, is not analysed', async () => {
    const source = `import torch
import torch.nn as nn


class LevelSetLoss(nn.Module):
    def forward(self, loss_input_dict):
        probs = torch.softmax(loss_input_dict['prediction'], dim=1)
        image = loss_input_dict['image']
        return (probs * (image - image.mean()) ** 2).mean()
`;
    const [loss] = await diagnose(source);
    assert.match(loss.error.message, /takes no labels: .*'image': the network's input/);
  });

  test('keys read from their use are a guess: an error resting on them is a warning that says so', async () => {
    const source = `import torch
import torch.nn as nn
import torch.nn.functional as F


class HardDiceLoss(nn.Module):
    def forward(self, d):
        hard = torch.argmax(torch.softmax(d['x'], dim=1), dim=1)
        onehot = F.one_hot(d['y'].long(), 3).permute(0, 3, 1, 2).float()
        pred = F.one_hot(hard, 3).permute(0, 3, 1, 2).float()
        inter = (pred * onehot).sum()
        return 1 - (2 * inter + 1) / (pred.sum() + onehot.sum() + 1)
`;
    const [loss] = await diagnose(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    const note = dictNote(loss);
    assert.equal(note.value, "{'x': prediction, 'y': labels}");
    assert.equal(note.guessed, true);
    const finding = loss.findings.find((f) => f.kind === 'non-differentiable');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /rests on a guess: the keys 'x' and 'y'/);
  });

  test("a built-in loss given the labels' key as its prediction is still an argument-order error", async () => {
    const source = `import torch.nn as nn
import torch.nn.functional as F


class SwappedBCELoss(nn.Module):
    def forward(self, batch):
        return F.binary_cross_entropy_with_logits(batch['gt'], batch['pred'])
`;
    const [loss] = await diagnose(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    const orders = loss.findings.filter((f) => f.kind === 'argument-order');
    assert.deepEqual(
      orders.map((f) => [f.line, f.severity]),
      [[7, 'error']],
    );
  });

  test('auxiliary heads beside a named prediction each get the prediction', async () => {
    const source = `import torch.nn as nn
import torch.nn.functional as F


class DeepSupervisionLoss(nn.Module):
    def forward(self, outputs):
        target = outputs['target']
        return F.cross_entropy(outputs['out'], target) + 0.4 * F.cross_entropy(outputs['aux'], target)
`;
    const [loss] = await diagnose(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(dictNote(loss).value, "{'out': prediction, 'aux': prediction, 'target': labels}");
    assert.deepEqual(serious(loss), []);
  });

  test('the dict handed to a helper, by name or spread into its parameters, is read there', async () => {
    const source = `import torch
import torch.nn as nn


def _dice(probs, mask, smooth=1.0):
    inter = (probs * mask).sum()
    return 1 - (2 * inter + smooth) / (probs.sum() + mask.sum() + smooth)


class Base(nn.Module):
    def inputs_of(self, batch):
        return torch.sigmoid(batch['seg_logits']), batch['seg_gt']


class HelperDiceLoss(Base):
    def forward(self, batch):
        probs, mask = self.inputs_of(batch)
        return _dice(probs, mask)


class SpreadDiceLoss(nn.Module):
    def forward(self, batch):
        return self.compute(**batch)

    def compute(self, logits, mask, weight=None):
        return _dice(torch.sigmoid(logits), mask)
`;
    const losses = await diagnose(source);
    const byName = new Map(losses.map((l) => [l.name, l]));
    for (const loss of losses) assert.equal(loss.error, undefined, `${loss.name}: ${JSON.stringify(loss.error)}`);
    assert.equal(dictNote(byName.get('HelperDiceLoss')).value, "{'seg_logits': prediction, 'seg_gt': labels}");
    assert.equal(dictNote(byName.get('SpreadDiceLoss')).value, "{'logits': prediction, 'mask': labels}");
    assert.match(dictNote(byName.get('SpreadDiceLoss')).why, /'weight' left out/);
  });

  test('a constructor reading its None-defaulted settings unguarded needs them; a guarded one does not', async () => {
    const source = `import torch.nn as nn


class FocalDiceLoss(nn.Module):
    def __init__(self, params=None):
        super().__init__()
        self.beta = params['focal_beta']

    def forward(self, loss_input_dict):
        p = loss_input_dict['prediction'].softmax(1)
        y = loss_input_dict['ground_truth']
        dice = (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)
        return 1 - dice ** (1.0 / self.beta)


class PlainDiceLoss(nn.Module):
    def __init__(self, params=None):
        super().__init__()
        self.smooth = params.get('smooth', 1.0) if params else 1.0
        if params is None:
            params = {}
        self.eps = params.get('eps', 1e-5)

    def forward(self, loss_input_dict):
        p = loss_input_dict['prediction'].softmax(1)
        y = loss_input_dict['ground_truth']
        return 1 - (2 * (p * y).sum() + self.smooth) / (p.sum() + y.sum() + self.smooth)
`;
    const [focal, plain] = await diagnose(source);
    assert.match(focal.error.message, /FocalDiceLoss needs arguments \(params\)/);
    assert.equal(plain.error, undefined, JSON.stringify(plain.error));
  });

  test('two-argument losses are called as before', async () => {
    const source = `import torch


def dice_loss(pred, target):
    probs = torch.sigmoid(pred)
    return 1 - (2 * (probs * target).sum() + 1) / (probs.sum() + target.sum() + 1)
`;
    const [loss] = await diagnose(source);
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(dictNote(loss), undefined);
  });
});
