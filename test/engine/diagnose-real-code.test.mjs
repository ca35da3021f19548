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
});
