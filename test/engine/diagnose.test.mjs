// `diagnose` on our fixtures and examples: the expected findings (info included) at the expected
// lines with the expected severities and, for at least one finding per static rule, the expected
// message; no error or warning on losses the fixtures call clean (test/diagnose/expected-findings.json).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, engine } from './helpers.mjs';

const EXPECTED = join(ROOT, 'test', 'diagnose', 'expected-findings.json');
const { expected, messages, todo } = JSON.parse(readFileSync(EXPECTED, 'utf8'));

/** The key of a file's file-level findings (sandbox refusals) in expected-findings.json. */
const FILE_LEVEL = '(file)';

const reports = new Map();
/** The report of a file, diagnosed once for all the tests that read it. */
function diagnose(path) {
  if (!reports.has(path)) reports.set(path, engine.diagnoseSource(path, readFileSync(join(ROOT, path), 'utf8')));
  return reports.get(path);
}

const defaultSeverity = new Map(engine.RULES.map((r) => [r.id, r.severity]));
/** A finding as expected-findings.json writes it: kind@line, and its severity where that is not the rule's default. */
const label = (f) => `${f.kind}@${f.line}${f.severity === defaultSeverity.get(f.kind) ? '' : ` (${f.severity})`}`;

const serious = (report) =>
  report.losses.flatMap((l) =>
    l.findings.filter((f) => f.severity !== 'info').map((f) => `${l.entry}: ${f.kind}@${f.line}`),
  );

describe('diagnose', () => {
  before(() => engine.initBackend('auto'));

  for (const [path, losses] of Object.entries(expected)) {
    test(`${path}: ${Object.values(losses).flat().join(', ') || 'no findings'}`, async () => {
      const report = await diagnose(path);
      assert.equal(report.error, undefined, JSON.stringify(report.error));
      assert.deepEqual(report.findings.map(label), losses[FILE_LEVEL] ?? [], 'file-level findings');
      for (const [entry, kinds] of Object.entries(losses)) {
        if (entry === FILE_LEVEL) continue;
        const loss = report.losses.find((l) => l.entry === entry || l.name === entry);
        assert.ok(loss, `${entry} was not discovered (found ${report.losses.map((l) => l.entry).join(', ')})`);
        // A loss that runs refused code stops there: analysed up to that line, with the finding.
        const refused = kinds.some((k) => k.startsWith('sandbox-refused@'));
        assert.equal(loss.error?.kind, refused ? 'sandbox' : undefined, `${entry}: ${JSON.stringify(loss.error)}`);
        // In the order the checks list them.
        assert.deepEqual(loss.findings.map(label), kinds, `${entry}`);
      }
    });
  }

  test('every error and warning kind is expected on at least three files, across two frameworks or more', () => {
    const byKind = new Map();
    for (const [path, losses] of Object.entries(expected)) {
      const framework =
        /(torch|keras|tf|numpy|theano|lasagne)/.exec(
          readFileSync(join(ROOT, path), 'utf8').match(/^(import|from) (\w+)/m)?.[2] ?? '',
        )?.[1] ?? path;
      for (const kinds of Object.values(losses)) {
        for (const k of kinds) {
          const kind = k.split('@')[0];
          if (!byKind.has(kind)) byKind.set(kind, { files: new Set(), frameworks: new Set() });
          byKind.get(kind).files.add(path);
          byKind.get(kind).frameworks.add(framework);
        }
      }
    }
    // Probe findings come from training curves and are tested with the probes (probe.test.mjs).
    const PROBE_KINDS = [
      'collapse-to-background',
      'metric-flat',
      'false-positive-flood',
      'training-diverged',
      'no-learning',
    ];
    for (const rule of engine.RULES.filter(
      (r) => r.severity !== 'info' && r.id !== 'sandbox-refused' && !PROBE_KINDS.includes(r.id),
    )) {
      const seen = byKind.get(rule.id);
      assert.ok(seen && seen.files.size >= 3, `${rule.id}: ${seen?.files.size ?? 0} files`);
      assert.ok(seen.frameworks.size >= 2, `${rule.id}: only ${[...seen.frameworks]}`);
    }
  });

  for (const { file, loss, finding, message } of messages) {
    test(`the message of ${finding} in ${file}${loss ? ` (${loss})` : ''}`, async () => {
      const report = await diagnose(file);
      const findings = loss === null ? report.findings : report.losses.find((l) => l.entry === loss).findings;
      const found = findings.find((f) => `${f.kind}@${f.line}` === finding);
      assert.ok(found, `${finding} not found among ${findings.map(label)}`);
      assert.equal(found.message, message);
    });
  }

  test('every static rule has an expected message (the probe rules have theirs in probe.test.mjs)', () => {
    const covered = new Set(messages.map((m) => m.finding.split('@')[0]));
    const staticRules = engine.RULES.filter((r) => !engine.PROBE_FINDING_KINDS.includes(r.id));
    assert.deepEqual(
      staticRules.filter((r) => !covered.has(r.id)).map((r) => r.id),
      [],
    );
  });

  const fixtures = ['test/fixtures', 'test/diagnose/fixtures'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true })
      .filter((f) => f.endsWith('.py'))
      .map((f) => `${dir}/${f}`),
  );
  const clean = fixtures.filter((f) => /^# fixture: clean/m.test(readFileSync(join(ROOT, f), 'utf8')));

  test('the fixture corpus has at least 15 clean losses', () => assert.ok(clean.length >= 15, `${clean.length}`));

  for (const path of clean) {
    const reason = todo[path];
    test(`clean: ${path} gives no error or warning${reason ? ` (todo: ${reason})` : ''}`, async () => {
      const report = await diagnose(path);
      const problems = [
        ...serious(report),
        ...report.losses.filter((l) => l.error).map((l) => `${l.entry}: could not be evaluated: ${l.error.message}`),
      ];
      // A fixture listed as todo must still fail, so that the list stays honest.
      if (reason) assert.ok(problems.length, `${path} is clean now: remove it from todo`);
      else assert.deepEqual(problems, []);
    });
  }
});

describe('plot data', () => {
  test(
    'the loss response falls towards a perfect prediction for a loss, ' + 'rises for a returned coefficient',
    async () => {
      await engine.initBackend('auto');
      const healthy = await engine.diagnoseSource(
        'x',
        readFileSync(join(ROOT, 'examples/torch_soft_dice_ce.py'), 'utf8'),
        { plots: true },
      );
      const { loss } = healthy.losses[0].plots.response;
      assert.ok(loss.at(-1) < loss[0], `${loss}`);
      assert.equal(healthy.losses[0].plots.gradientByClass.length, healthy.losses[0].contract.classes);
      assert.ok(healthy.losses[0].plots.gradientByClass.every((g) => g > 0));
      const inverted = await engine.diagnoseSource(
        'x',
        readFileSync(join(ROOT, 'examples/keras_dice_returned_as_loss.py'), 'utf8'),
        { plots: true },
      );
      const rising = inverted.losses[0].plots.response.loss;
      assert.ok(rising.at(-1) > rising[0], `${rising}`);
      const argmax = await engine.diagnoseSource(
        'x',
        readFileSync(join(ROOT, 'examples/torch_argmax_dice.py'), 'utf8'),
        {
          plots: true,
        },
      );
      assert.equal(argmax.losses[0].plots.gradientByClass, null, 'no gradient path: no gradient to plot');
      const plain = await engine.diagnoseSource('x', readFileSync(join(ROOT, 'examples/torch_argmax_dice.py'), 'utf8'));
      assert.equal(plain.losses[0].plots, undefined, 'plots only when asked');
    },
  );
});

describe('flattened (pixels, classes) losses', () => {
  test(
    'a loss that runs only on matrices gets the flattened contract, by trial, ' + 'and is probed on reshaped images',
    async () => {
      await engine.initBackend('auto');
      const path = 'test/fixtures/theano/lasagne_cce_2d.py';
      const report = await engine.diagnoseSource(path, readFileSync(join(ROOT, path), 'utf8'), {
        probe: 'quick',
        probeBudget: { steps: 30, evalEvery: 10 },
      });
      const [loss] = report.losses;
      assert.equal(loss.error, undefined, loss.error?.message);
      assert.equal(loss.contract.flattened, true);
      assert.equal(loss.contract.layout, 'channels_last');
      assert.equal(loss.contract.sources.layout, 'trial');
      assert.match(loss.contract.because.layout.why, /\(pixels, classes\)/);
      assert.equal(loss.probeError, undefined, loss.probeError);
      assert.equal(loss.probe.runs[0].status, 'trained');
      assert.ok(
        loss.probe.runs[0].final.foregroundDice > loss.probe.runs[0].curves.evaluations[0].foregroundDice,
        'the flattened loss trains the images',
      );
    },
  );

  test('a class count after the two tensors is the prediction channels; a `bound` is a distance map', async () => {
    const source = `import tensorflow as tf

def sparse_dice_loss(logits, labels, num_classes, smooth=1e-5):
    probs = tf.nn.softmax(logits)
    onehot = tf.one_hot(tf.cast(labels[..., 0], tf.int32), depth=num_classes)
    inter = tf.reduce_sum(probs * onehot, axis=[1, 2])
    total = tf.reduce_sum(probs + onehot, axis=[1, 2])
    return 1.0 - tf.reduce_mean((2.0 * inter + smooth) / (total + smooth))
`;
    const report = await engine.diagnoseSource('x', source);
    const [loss] = report.losses;
    assert.equal(loss.entry, 'sparse_dice_loss');
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    const classes = loss.constructedFrom.find((c) => c.arg === 'num_classes');
    assert.equal(classes.value, 'classes');
    assert.deepEqual(loss.findings, []);
    const bounded = await engine.diagnoseSource(
      'y',
      'import torch\n\ndef boundary_loss(probs, target, bound):\n    return (probs * bound).mean()\n',
    );
    assert.equal(bounded.losses[0].error, undefined, JSON.stringify(bounded.losses[0].error));
    assert.equal(bounded.losses[0].constructedFrom.find((c) => c.arg === 'bound').value, 'distance');
  });

  test('a consistency loss between two predictions (softmax of both) gets no sign-error, its axes are', async () => {
    // KL divergences between a student's and a teacher's logits, as semi-supervised code writes them.
    const source = `import torch.nn.functional as F

def softmax_kl_loss(student_logits, teacher_logits):
    student_log_probs = F.log_softmax(student_logits, dim=1)
    teacher_probs = F.softmax(teacher_logits, dim=1)
    return F.kl_div(student_log_probs, teacher_probs, reduction='mean')

def symmetric_kl_loss(p, q):
    pq = F.kl_div(F.log_softmax(p, dim=-1), F.softmax(q, dim=-1), reduction='batchmean')
    qp = F.kl_div(F.log_softmax(q, dim=-1), F.softmax(p, dim=-1), reduction='batchmean')
    return (pq + qp) / 2
`;
    const report = await engine.diagnoseSource('x', source);
    const verdicts = Object.fromEntries(
      report.losses.map((loss) => [
        loss.entry,
        loss.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}:${f.severity}`),
      ]),
    );
    assert.deepEqual(verdicts, {
      softmax_kl_loss: [],
      // dim=-1 is a spatial axis of (N, C, H, W) segmentation logits; the layout is a convention here.
      symmetric_kl_loss: ['activation-mismatch@9:warning'],
    });
  });

  test('a sum over the class axis that feeds a log picks the true class (focal), no overlap per pixel', async () => {
    const focal = `import torch
import torch.nn.functional as F

def focal_loss(logits, labels, gamma=2.0):
    probs = F.softmax(logits, dim=1)
    onehot = torch.zeros(logits.shape)
    onehot.scatter_(1, labels.unsqueeze(1).long(), 1.0)
    p_true = (probs * onehot).sum(1)
    return (-(1 - p_true) ** gamma * p_true.log()).mean()
`;
    const perPixelDice = `import torch
import torch.nn.functional as F

def dice_loss(logits, labels):
    probs = F.softmax(logits, dim=1)
    onehot = torch.zeros(logits.shape)
    onehot.scatter_(1, labels.unsqueeze(1).long(), 1.0)
    inter = (probs * onehot).sum(1)
    total = (probs + onehot).sum(1)
    return (1 - (2 * inter + 1) / (total + 1)).mean()
`;
    const kinds = async (source) =>
      (await engine.diagnoseSource('x', source)).losses[0].findings
        .filter((f) => f.severity !== 'info')
        .map((f) => `${f.kind}@${f.line}`);
    assert.deepEqual(await kinds(focal), []);
    assert.deepEqual(await kinds(perPixelDice), ['shape-mismatch@8']);
  });

  test('class weights made at module level are constants of the loss, not tensors of its trace', async () => {
    // The global was made while the module loaded: its op index points into another trace.
    const source = `from keras import backend as K
import numpy as np

OFFSET = K.constant(np.zeros((2, 16, 16, 3)))
CLASS_WEIGHTS = K.variable([1.0, 1.0, 4.0])


def weighted_dice_loss(y_true, y_pred, smooth=1e-5):
    inter = K.sum(y_true * y_pred, axis=[1, 2])
    total = K.sum(y_true, axis=[1, 2]) + K.sum(y_pred, axis=[1, 2])
    dice = (2 * inter + smooth) / (total + smooth)
    return 1 - K.mean(dice * CLASS_WEIGHTS)
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}`),
      [],
    );
  });

  test('labels passed as distance maps (a parameter named so); `return dict(loss=...)` is its loss entry', async () => {
    const source = `import torch
import torch.nn as nn


class SurfaceLoss(nn.Module):
    def forward(self, probs, dist_maps):
        assert dist_maps.min() < 0, "signed distance maps expected"
        return dict(loss=(probs[:, 1:] * dist_maps[:, 1:]).mean())
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.constructedFrom.find((c) => c.arg === 'dist_maps').value, 'distance');
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info'),
      [],
    );
  });

  test('a loss over a tuple of heads (`preds, target = tuple(inputs)`) gets its prediction as one head', async () => {
    const source = `import torch.nn as nn
import torch.nn.functional as F


class DeepSupervisionCELoss(nn.Module):
    def __init__(self, aux_weight=0.4):
        super().__init__()
        self.aux_weight = aux_weight

    def forward(self, *inputs):
        preds, target = tuple(inputs)
        loss = F.cross_entropy(preds[0], target)
        for extra in preds[1:]:
            loss = loss + self.aux_weight * F.cross_entropy(extra, target)
        return dict(loss=loss)
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.constructedFrom.find((c) => c.arg === 'inputs').value, '(prediction,)');
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info'),
      [],
    );
  });

  test('a loss that unpacks its heads by name with the labels gets that many heads', async () => {
    const source = `import torch.nn as nn
import torch.nn.functional as F


class PyramidHeadsLoss(nn.Module):
    def __init__(self, weights=(1.0, 0.4, 0.4, 0.4)):
        super().__init__()
        self.weights = weights

    def forward(self, *inputs):
        preds, target = tuple(inputs)
        inputs = tuple(list(preds) + [target])
        full, quarter, eighth, sixteenth, target = tuple(inputs)
        small = target.unsqueeze(1).float()
        total = 0
        for weight, head in zip(self.weights, (full, quarter, eighth, sixteenth)):
            labels = F.interpolate(small, head.size()[2:], mode='nearest').squeeze(1).long()
            total = total + weight * F.cross_entropy(head, labels)
        return dict(loss=total)
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.constructedFrom.find((c) => c.arg === 'inputs').value, '(prediction,) * 4');
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info'),
      [],
    );
  });

  test('per-class weights a constructor spells out give the class count', async () => {
    const source = `import torch
import torch.nn as nn


class WeightedCELoss(nn.Module):
    def __init__(self, ignore_index=255):
        super().__init__()
        weight = torch.FloatTensor([0.9, 1.1, 1.4, 0.7, 1.2])
        self.criterion = nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index)

    def forward(self, pred, target):
        return self.criterion(pred, target)
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.contract.classes, 5);
  });

  test('a loss named binary is tried with one channel first; `return loss, logs` is the loss', async () => {
    const source = `import torch
import torch.nn as nn

class BinaryDiceLogLoss(nn.Module):
    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        inter = (probs * target).sum()
        dice = (2 * inter + 1) / (probs.sum() + target.sum() + 1)
        loss = 1 - dice
        return loss, {'dice': dice.detach()}
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.contract.classes, 1);
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info'),
      [],
    );
  });

  test('a binary loss written for (N, H, W) maps runs without a channel axis, and probes so', async () => {
    const source = `import torch

def binary_overlap_loss(probs, mask):
    assert probs.dim() == 3, 'expects (batch, height, width)'
    shared = (probs * mask).sum(dim=(1, 2))
    total = probs.sum(dim=(1, 2)) + mask.sum(dim=(1, 2))
    return 1 - ((2 * shared + 1) / (total + 1)).mean()
`;
    const small = { spatial: [16, 16], batchSize: 2, trainBatches: 2, heldOutImages: 2 };
    const options = { probe: 'quick', probeBudget: { steps: 6, evalEvery: 3, data: small } };
    const [loss] = (await engine.diagnoseSource('x', source, options)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.contract.channelless, true);
    assert.equal(loss.contract.classes, 1);
    assert.equal(loss.probe.runs[0].status, 'trained');
  });

  test("Keras's global image format decides the layout of layers that name none", async () => {
    const source = `from keras import backend as K
from keras.layers import Conv3D, Input
from keras.models import Model

K.set_image_data_format('channels_first')


def volume_dice_loss(y_true, y_pred, smooth=1e-5):
    inter = K.sum(y_true * y_pred, axis=(-3, -2, -1))
    total = K.sum(y_true, axis=(-3, -2, -1)) + K.sum(y_pred, axis=(-3, -2, -1))
    return 1 - K.mean((2 * inter + smooth) / (total + smooth))


def build(classes=3):
    inputs = Input((1, 16, 16, 16))
    outputs = Conv3D(classes, 1, activation='sigmoid')(inputs)
    model = Model(inputs, outputs)
    model.compile(optimizer='adam', loss=volume_dice_loss)
    return model
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.contract.layout, 'channels_first');
    assert.equal(loss.contract.because.layout.line, 5);
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info'),
      [],
    );
  });

  test('sigmoid on exclusive classes is no finding where the code offers softmax (flags, a ternary)', async () => {
    const flags = `import torch
import torch.nn as nn
import torch.nn.functional as F


class OptionDiceLoss(nn.Module):
    def __init__(
        self,
        num_classes: int = 4,
        sigmoid: bool = True,
        softmax: bool = False,
    ):
        super().__init__()
        self.sigmoid = sigmoid
        self.num_classes = num_classes

    def forward(self, logits, target):
        probs = torch.sigmoid(logits)
        onehot = F.one_hot(target.long(), self.num_classes).permute(0, 3, 1, 2).float()
        inter = (probs * onehot).sum(dim=(2, 3))
        total = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
        return 1 - ((2 * inter + 1e-6) / (total + 1e-6)).mean()
`;
    const ternary = flags.replace(
      'probs = torch.sigmoid(logits)',
      'probs = torch.sigmoid(logits) if self.sigmoid else torch.softmax(logits, 1)',
    );
    const without = flags.replace('        softmax: bool = False,\n', '');
    const mismatch = async (source) =>
      (await engine.diagnoseSource('x', source)).losses[0].findings.some((f) => f.kind === 'activation-mismatch');
    assert.equal(await mismatch(flags), false);
    assert.equal(await mismatch(ternary.replace('        softmax: bool = False,\n', '')), false);
    assert.equal(await mismatch(without), true, 'the same loss without the option is reported');
  });

  test("a constructor docstring's example call gives the prediction's channels, over a signature default", async () => {
    const source = `import torch
import torch.nn as nn


def to_one_hot(labels, classes):
    out = torch.zeros(size=(labels.shape[0], classes) + tuple(labels.shape[2:]), dtype=torch.float32)
    return out.scatter_(1, labels.long(), 1)


class PairFocalLoss(nn.Module):
    def __init__(self, num_classes: int = 2, gamma: float = 2.0):
        """
        Example:
            >>> pred = torch.rand((1, 1, 16, 16))
            >>> grnd = torch.ones((1, 1, 16, 16), dtype=torch.int64)
            >>> loss = PairFocalLoss()
            >>> loss(pred, grnd)
        """
        super().__init__()
        self.num_classes = num_classes
        self.gamma = gamma

    def forward(self, y_pred, y_true):
        if y_pred.shape[1] == 1:
            y_pred = to_one_hot(y_pred, self.num_classes)
            y_true = to_one_hot(y_true, self.num_classes)
        p = y_pred.clamp(1e-6, 1 - 1e-6)
        return -(y_true * (1 - p) ** self.gamma * torch.log(p)).sum(1).mean()
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    assert.equal(loss.error, undefined, JSON.stringify(loss.error));
    assert.equal(loss.contract.classes, 1);
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}`),
      ['non-differentiable@7'],
    );
  });

  test('a weighting-type parameter is a string option, not a weight map', async () => {
    const source = `import tensorflow as tf


def generalised_dice(y_true, y_pred, type_weight):
    volumes = tf.reduce_sum(y_true, axis=(1, 2))
    if type_weight.lower() == 'square':
        weights = tf.math.reciprocal(tf.math.square(volumes) + 1.0)
    else:
        weights = tf.ones_like(volumes)
    inter = tf.reduce_sum(weights * tf.reduce_sum(y_true * y_pred, axis=(1, 2)))
    total = tf.reduce_sum(weights * tf.reduce_sum(y_true + y_pred, axis=(1, 2)))
    return 1 - 2 * inter / total


def weighted_dice(y_true, y_pred, weight_map):
    inter = tf.reduce_sum(weight_map * y_true * y_pred)
    return 1 - 2 * inter / tf.reduce_sum(weight_map * (y_true + y_pred))
`;
    const { losses } = await engine.diagnoseSource('x', source);
    assert.deepEqual(
      losses.map((l) => l.entry),
      ['weighted_dice'],
    );
    assert.equal(losses[0].error, undefined, JSON.stringify(losses[0].error));
  });

  test('an empty mask that makes a log(0) is named so, not 0/0', async () => {
    const source = `import torch

def dice_log_loss(pred, target):
    p = torch.sigmoid(pred)
    inter = (p * target).sum()
    return -torch.log(2 * inter / (p.sum() + target.sum()))
`;
    const [loss] = (await engine.diagnoseSource('x', source)).losses;
    const found = loss.findings.find((f) => f.kind === 'nan-on-empty');
    assert.ok(found, JSON.stringify(loss.findings));
    assert.match(found.message, /\(log\(0\)\)$/);
  });

  test('a loss that runs on images keeps its layout (flattened is the last resort)', async () => {
    const report = await engine.diagnoseSource('x', readFileSync(join(ROOT, 'examples/torch_soft_dice_ce.py'), 'utf8'));
    assert.equal(report.losses[0].contract.flattened, undefined);
  });
});
