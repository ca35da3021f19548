// Constructs of real losses that stopped the interpreter for reasons of its own (pywick's losses.py):
// one-hot encodings at depth 1 (RMILoss's num_classes=1), and a name numpy never had
// (`np.flatten(x)`), which real numpy refuses with AttributeError. Values are PyTorch 1.13's and
// numpy 1.24's.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine } from './helpers.mjs';

const PRED = { data: Float32Array.from([0.2, 0.8, 0.6, 0.4]), shape: [1, 4] };
const TARGET = { data: Float32Array.from([0, 1, 1, 0]), shape: [1, 4] };

/** Loads `source` and evaluates `loss`; the value, or the error's message. */
async function run(source, framework = 'torch') {
  const program = await engine.LossProgram.load(source);
  try {
    const inputs = { prediction: PRED, target: TARGET, targetDtype: 'float' };
    const argOrder = framework === 'tf' ? 'true_pred' : 'pred_true';
    return program.evaluate(program.resolveEntry('loss'), inputs, { framework, argOrder }).value;
  } catch (error) {
    return error.message;
  } finally {
    program.dispose();
  }
}

describe('one-hot at depth 1', () => {
  before(() => engine.initBackend('auto'));

  test('F.one_hot(x, num_classes=1): one column, 1 where the class is 0 (TF.js refuses depth 1)', async () => {
    const source = `import torch
import torch.nn.functional as F

def loss(p, t):
    valid = t < 1
    hot = F.one_hot(t.long() * valid.long(), num_classes=1).float()
    return (hot.squeeze(-1) * p).sum() + hot.sum()
`;
    // hot is all ones, (1, 4, 1): sum(p) + 4
    assert.ok(Math.abs((await run(source)) - 6) < 1e-6);
  });

  test('torch.bincount of zeros has length 1; tf.one_hot at depth 1 gives 0 off its class', async () => {
    const torchSource = `import torch

def loss(p, t):
    return torch.bincount(torch.zeros(4, dtype=torch.long)).float().sum() + p.sum() * 0
`;
    assert.equal(await run(torchSource), 4);
    const tfSource = `import tensorflow as tf

def loss(y_true, y_pred):
    hot = tf.one_hot(tf.cast(y_true, tf.int32), 1)
    return tf.reduce_sum(hot) + 0 * tf.reduce_sum(y_pred)
`;
    // labels [0, 1, 1, 0]: only the two zeros are on
    assert.equal(await run(tfSource, 'tf'), 2);
  });
});

describe('names numpy never had', () => {
  before(() => engine.initBackend('auto'));

  test("np.flatten(x) is numpy's AttributeError (an ndarray method), not an unsupported name", async () => {
    const source = `import numpy as np

def loss(y_true, y_pred):
    return np.sum(np.flatten(y_true) * np.ravel(y_pred))
`;
    assert.equal(
      await run(source, 'numpy'),
      "AttributeError: module 'numpy' has no attribute 'flatten' " +
        '(an ndarray method: call it on the array, x.flatten(...))',
    );
  });

  test("from numpy import flatten: numpy's ImportError; a name numpy has, not modelled: unsupported", async () => {
    // the import fails at module level: its statement is skipped and the name says why
    assert.match(
      await run('from numpy import flatten\n\ndef loss(a, b):\n    return flatten(a)\n', 'numpy'),
      /ImportError: cannot import name 'flatten' from 'numpy'/,
    );
    assert.match(
      await run('import numpy as np\n\ndef loss(a, b):\n    return np.busday_count(a, b)\n', 'numpy'),
      /^unsupported: numpy\.busday_count/,
    );
  });
});
