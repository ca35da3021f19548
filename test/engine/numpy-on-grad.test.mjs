// `.numpy()` on a tensor that requires grad: PyTorch 1.13 raises (with grad mode on), so evaluating
// such a loss fails as training would; the diagnosis asks what `.detach().numpy()` would give and
// reports the line: numpy-on-grad-tensor when the loss still trains that way, non-differentiable
// when it would not (computed in numpy). Verified against /usr/bin/python3's PyTorch 1.13.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine, fixedLabels, fixedPrediction } from './helpers.mjs';

const shape = [2, 1, 6, 6];
const inputs = { prediction: fixedPrediction(shape), target: fixedLabels(shape), targetDtype: 'float' };

async function evaluate(source, entry, numpyDetaches = false) {
  const program = await engine.LossProgram.load(source);
  program.numpyDetaches = numpyDetaches;
  try {
    return program.evaluate(program.resolveEntry(entry), inputs, { framework: 'torch', argOrder: 'pred_true' });
  } finally {
    program.dispose();
  }
}

const WEIGHTED = `import numpy as np
import torch


def weighted_loss(pred, target):
    weight = torch.from_numpy(np.abs(pred.numpy() - 0.5))
    return (weight * (pred - target) ** 2).mean()
`;

const IN_NUMPY = `import numpy as np
import torch


def numpy_loss(pred, target):
    error = (pred.cpu().numpy() - target.cpu().numpy()) ** 2
    return torch.from_numpy(error).mean()
`;

const ROUND_TRIP = `import numpy as np
import torch


def round_trip_loss(pred, target):
    error = (pred.detach().cpu().numpy() - target.cpu().numpy()) ** 2
    return torch.from_numpy(error).mean()
`;

describe('.numpy() on a tensor that requires grad', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('an evaluation raises as PyTorch does; under torch.no_grad() PyTorch converts it', async () => {
    await assert.rejects(evaluate(WEIGHTED, 'weighted_loss'), /Can't call numpy\(\) on Tensor that requires grad/);
    const noGrad = `import torch\n\ndef loss(pred, target):
    with torch.no_grad():
        weight = torch.from_numpy(pred.numpy() + 1.0)
    return (weight * (pred - target) ** 2).mean()\n`;
    const evaluation = await evaluate(noGrad, 'loss');
    assert.ok(evaluation.gradNorm > 0);
  });

  test('read as .detach().numpy() (the diagnosis only): the conversion cuts the gradient at its line', async () => {
    const evaluation = await evaluate(WEIGHTED, 'weighted_loss', true);
    const conversion = evaluation.trace.find((e) => e.kind.category === 'conversion');
    assert.deepEqual(conversion.kind, { category: 'conversion', to: 'numpy', readAsDetached: true });
    assert.equal(conversion.range.line, 6);
    assert.equal(conversion.gradient, 'cut');
    assert.ok(evaluation.gradNorm > 0, 'the gradient still reaches the prediction through (pred - target) ** 2');
  });

  test('the loss still trains once detached: numpy-on-grad-tensor, with .detach() inserted as the fix', async () => {
    const report = await engine.diagnoseSource('weighted.py', WEIGHTED);
    const [loss] = report.losses;
    assert.equal(loss.error, undefined);
    const finding = loss.findings.find((f) => f.kind === 'numpy-on-grad-tensor');
    assert.equal(finding.line, 6);
    assert.equal(finding.severity, 'error');
    assert.deepEqual(finding.fix.edit, { line: 6, column: 42, endLine: 6, endColumn: 42, newText: '.detach()' });
    assert.ok(!loss.findings.some((f) => f.kind === 'non-differentiable'));
  });

  test('computed in numpy: non-differentiable at the .numpy() line, saying PyTorch raises there; no edit', async () => {
    const [loss] = (await engine.diagnoseSource('in_numpy.py', IN_NUMPY)).losses;
    assert.equal(loss.error, undefined);
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}`),
      ['non-differentiable@6'],
    );
    const [finding] = loss.findings;
    assert.match(finding.message, /raises while training/);
    assert.equal(finding.evidence.raises, "RuntimeError: Can't call numpy() on Tensor that requires grad");
    assert.equal(finding.fix.edit, undefined);
  });

  test('a detached round trip through numpy: non-differentiable at the .detach(), no edit to remove it', async () => {
    const [loss] = (await engine.diagnoseSource('round_trip.py', ROUND_TRIP)).losses;
    const [finding] = loss.findings.filter((f) => f.severity !== 'info');
    assert.equal(`${finding.kind}@${finding.line}`, 'non-differentiable@6');
    assert.match(finding.message, /goes on to numpy/);
    assert.equal(finding.fix.edit, undefined, 'removing .detach() would make .numpy() raise');
  });

  test('a metric (run under torch.no_grad()) is analysed without a finding', async () => {
    const metric = `import numpy as np\nimport torch\n\n\ndef dice_score(pred, target):
    p, t = pred.numpy() > 0.5, target.numpy() > 0.5
    return torch.tensor((2 * (p & t).sum() + 1) / (p.sum() + t.sum() + 1))\n`;
    const [loss] = (await engine.diagnoseSource('metric.py', metric)).losses;
    assert.equal(loss.role, 'metric');
    assert.equal(loss.error, undefined);
    assert.deepEqual(
      loss.findings.filter((f) => f.severity !== 'info'),
      [],
    );
  });

  test('np.asarray / np.array of a tensor that requires grad call its .numpy(): they raise too', async () => {
    const source = `import numpy as np
import torch


def far_weighted(pred, target):
    far = np.asarray(pred) < 0.5
    weight = torch.from_numpy(far.astype(np.float32)) + 1.0
    return (weight * (pred - target) ** 2).mean()


def far_weighted_detached(pred, target):
    far = np.array(pred.detach()) < 0.5
    weight = torch.from_numpy(far.astype(np.float32)) + 1.0
    return (weight * (pred - target) ** 2).mean()
`;
    await assert.rejects(evaluate(source, 'far_weighted'), /Can't call numpy\(\) on Tensor that requires grad/);
    const detached = await evaluate(source, 'far_weighted_detached');
    assert.ok(detached.gradNorm > 0);
    const [raising, clean] = (await engine.diagnoseSource('far.py', source)).losses;
    assert.deepEqual(
      raising.findings.filter((f) => f.severity !== 'info').map((f) => `${f.kind}@${f.line}`),
      ['numpy-on-grad-tensor@6'],
    );
    assert.match(raising.findings[0].message, /^`asarray` raises while training/);
    assert.deepEqual(
      clean.findings.filter((f) => f.severity !== 'info'),
      [],
    );
  });
});
