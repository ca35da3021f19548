// Mask snapshots of training probes: the slice they show (an evaluation image with lesions, the
// richest one; for 3-D the depth with the most foreground; at most 64 × 64), the steps they are
// taken at, what they show for a loss that learns and for one that cannot, and no tensor left
// behind. Tiny budgets: the whole file runs in a few seconds.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { engine } from './helpers.mjs';

const KERAS = {
  framework: 'keras',
  argOrder: 'true_pred',
  layout: 'channels_last',
  labels: 'onehot',
  prediction: 'probabilities',
  classes: 2,
  spatialDims: 2,
};
const SMALL = { spatial: [32, 32], batchSize: 2, trainBatches: 2, heldOutImages: 2 };
const READ = { activation: 'none', layout: 'channels_last' };
const { softDice } = engine.referenceLosses.REFERENCE_LOSSES;
const soundLoss = { name: 'soft Dice', loss: (p, t) => softDice.loss(p, t, READ) };

/** Hard accuracy through argmax: no gradient reaches the model. */
const argmaxLoss = {
  name: 'argmax',
  loss: (p, t) => tf.neg(tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(t, -1)), 'float32'))),
};

function probe(options) {
  return engine.runProbe({ contract: KERAS, loss: soundLoss, steps: 30, evalEvery: 5, data: SMALL, ...options });
}

/** Label maps of the evaluation images, one array per image (free logits: the training batches). */
function evaluationLabels(name, contract, data, batches = (d) => d.train) {
  const dataset = engine.makeDataset(name, contract, data);
  const voxels = dataset.spatial.reduce((a, b) => a * b, 1);
  const images = batches(dataset).flatMap((b) =>
    Array.from({ length: b.count }, (_, n) => Array.from(b.labels.subarray(n * voxels, (n + 1) * voxels))),
  );
  dataset.dispose();
  return images;
}

/** Hard Dice of the foreground (any class > 0) between two class maps. */
function foregroundDice(predicted, truth) {
  let both = 0;
  let sizes = 0;
  predicted.forEach((p, i) => {
    sizes += (p > 0) + (truth[i] > 0);
    both += p > 0 && truth[i] > 0;
  });
  return sizes ? (2 * both) / sizes : 1;
}

const distinctForeground = (labels) => new Set(labels.filter((l) => l > 0)).size;
const foregroundCount = (labels) => labels.filter((l) => l > 0).length;

describe('mask snapshots', () => {
  before(() => engine.initBackend('auto'));

  test('the slice is the evaluation image with the most foreground classes, then the most foreground', async () => {
    const contract = { ...KERAS, classes: 4 };
    const report = await probe({ contract, loss: { name: 'argmax', loss: argmaxLoss.loss }, steps: 2, evalEvery: 1 });
    const slice = report.snapshotSlice;
    assert.equal(slice.height, 32);
    assert.equal(slice.width, 32);
    assert.equal(slice.intensity.length, 32 * 32);
    assert.equal(slice.depth, undefined);
    const images = evaluationLabels('multiclass-2d', contract, SMALL);
    assert.deepEqual(slice.truth, images[slice.image], 'the truth is the chosen image’s label map');
    const rank = (labels) => distinctForeground(labels) * 1e6 + foregroundCount(labels);
    assert.equal(rank(slice.truth), Math.max(...images.map(rank)));
    assert.ok(foregroundCount(slice.truth) > 0, 'the slice shows a lesion');
    // The intensity is the model input: brighter on class-1 lesions (contrast +1) than on background.
    const mean = (cls) => {
      const values = slice.intensity.filter((_, i) => slice.truth[i] === cls);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    if (slice.truth.includes(1)) assert.ok(mean(1) > mean(0) + 0.5, `${mean(1)} vs ${mean(0)}`);
  });

  test('images larger than 64 × 64 are downsampled and keep their lesions', async () => {
    const report = await probe({ steps: 1, evalEvery: 1, data: { spatial: [128, 96], batchSize: 2, trainBatches: 1 } });
    const slice = report.snapshotSlice;
    assert.deepEqual([slice.height, slice.width], [64, 48]);
    assert.equal(slice.truth.length, 64 * 48);
    assert.ok(foregroundCount(slice.truth) > 0);
    for (const snapshot of report.runs[0].snapshots) {
      assert.equal(snapshot.foreground.length, 64 * 48);
      assert.equal(snapshot.predicted.length, 64 * 48);
    }
  });

  test('snapshots: step 0 and about five evaluation steps spread over the budget, the last included', async () => {
    const events = [];
    const report = await probe({ references: [argmaxLoss], onProgress: (e) => events.push(e) });
    const expected = [0, 10, 15, 20, 25, 30]; // 6, 12, 18, 24, 30 rounded up to evaluation steps
    for (const run of report.runs)
      assert.deepEqual(
        run.snapshots.map((s) => s.step),
        expected,
        run.name,
      );
    // Progress events carry the snapshot of their step, and only those steps have one.
    assert.deepEqual(
      events.filter((e) => e.runs[0].snapshot).map((e) => e.step),
      expected,
    );
    for (const event of events) {
      for (const [i, run] of event.runs.entries()) {
        const kept = report.runs[i].snapshots.find((s) => s.step === event.step);
        assert.deepEqual(run.snapshot, kept, `${run.name} at step ${event.step}`);
      }
    }
    // Step 0 is the same model for every run.
    assert.deepEqual(report.runs[0].snapshots[0], report.runs[1].snapshots[0]);
    // The first event names the slice (live snapshots can be drawn at their real size); later ones do not repeat it.
    assert.deepEqual(events[0].snapshotSlice, report.snapshotSlice);
    assert.ok(events.slice(1).every((e) => e.snapshotSlice === undefined));
  });

  test('a sound loss ends on the truth; a loss without gradient keeps its initial masks', async () => {
    const report = await probe({ references: [argmaxLoss], steps: 60, evalEvery: 10 });
    const { truth } = report.snapshotSlice;
    const [sound, argmax] = report.runs;
    assert.ok(foregroundDice(sound.snapshots[0].predicted, truth) < 0.3, 'the initial model is noise');
    const last = sound.snapshots.at(-1);
    assert.equal(last.step, 60);
    assert.ok(foregroundDice(last.predicted, truth) > 0.9, `Dice ${foregroundDice(last.predicted, truth)}`);
    const onLesion = last.foreground.filter((_, i) => truth[i] > 0);
    assert.ok(onLesion.reduce((a, b) => a + b, 0) / onLesion.length > 0.8, 'high foreground probability on the lesion');
    assert.equal(argmax.status, 'no-gradient');
    for (const snapshot of argmax.snapshots.slice(1)) {
      assert.deepEqual(snapshot.foreground, argmax.snapshots[0].foreground);
      assert.deepEqual(snapshot.predicted, argmax.snapshots[0].predicted);
    }
  });

  test(
    'foreground probability and hard class agree: 3 decimals, class > 0 exactly where p > 0.5 ' +
      '(softmax and one sigmoid channel)',
    async () => {
      for (const contract of [KERAS, { ...KERAS, classes: 1 }]) {
        const report = await probe({ contract, steps: 10 });
        for (const { foreground, predicted } of report.runs[0].snapshots) {
          assert.ok(foreground.every((p) => p >= 0 && p <= 1 && Math.round(p * 1000) === p * 1000));
          foreground.forEach((p, i) => {
            if (Math.abs(p - 0.5) > 0.001)
              assert.equal(
                predicted[i] > 0,
                p > 0.5,
                `classes ${contract.classes}, pixel ${i}: p ${p}, class ${predicted[i]}`,
              );
          });
        }
      }
    },
  );

  test('the foreground probability is what the loss receives: 1 - p(background) of the model’s softmax', async () => {
    // Free logits: each batch's first step sees the initial model; record what the loss receives.
    const firstSeen = [];
    let calls = 0;
    const recording = {
      name: 'recording',
      loss: (p, t) => {
        if (calls++ < SMALL.trainBatches) firstSeen.push(Array.from(p.dataSync()));
        return soundLoss.loss(p, t);
      },
    };
    const report = await probe({ loss: recording, steps: 2, evalEvery: 1 });
    const { image } = report.snapshotSlice;
    const received = firstSeen[Math.floor(image / SMALL.batchSize)];
    const pixels = 32 * 32;
    const offset = (image % SMALL.batchSize) * pixels;
    // Channels last, two classes: p(foreground) = p[..., 1].
    const expected = Array.from({ length: pixels }, (_, i) => received[(offset + i) * 2 + 1]);
    report.runs[0].snapshots[0].foreground.forEach((p, i) =>
      assert.ok(Math.abs(p - expected[i]) <= 0.0005 + 1e-6, `pixel ${i}: ${p} vs ${expected[i]}`),
    );
  });

  test('a cancelled run ends with a snapshot of its last step', async () => {
    let events = 0;
    const report = await probe({ steps: 200, onProgress: () => events++, isCancelled: () => events >= 3 });
    assert.equal(report.cancelled, true);
    assert.equal(report.stepsRun, 10);
    assert.deepEqual(
      report.runs[0].snapshots.map((s) => s.step),
      [0, 10],
    );
  });

  test(
    'cancelled between steps (a worker’s cancel message): ' + 'the last progress event carries the snapshot',
    async () => {
      let cancelled = false;
      const events = [];
      const onProgress = (e) => {
        events.push(e);
        // As a worker receives a cancel message: during the event loop's next turn.
        if (e.step === 10) setTimeout(() => (cancelled = true), 0);
      };
      const report = await probe({ steps: 200, onProgress, isCancelled: () => cancelled });
      assert.equal(report.stepsRun, 15);
      assert.equal(events.at(-1).step, 15);
      assert.equal(events.at(-1).runs[0].snapshot?.step, 15);
      assert.deepEqual(
        report.runs[0].snapshots.map((s) => s.step),
        [0, 15],
      );
    },
  );

  test('3-D: the slice is the depth with the most foreground', async () => {
    const contract = { ...KERAS, spatialDims: 3 };
    const data = { spatial: [8, 16, 16], batchSize: 2, trainBatches: 2 };
    const report = await probe({ contract, data, steps: 4, evalEvery: 2 });
    const slice = report.snapshotSlice;
    assert.deepEqual([slice.height, slice.width], [16, 16]);
    const volume = evaluationLabels('binary-3d', contract, data)[slice.image];
    const plane = 16 * 16;
    const perDepth = Array.from({ length: 8 }, (_, d) => foregroundCount(volume.slice(d * plane, (d + 1) * plane)));
    assert.equal(perDepth[slice.depth], Math.max(...perDepth), `${perDepth}`);
    assert.deepEqual(slice.truth, volume.slice(slice.depth * plane, (slice.depth + 1) * plane));
    // No depth of any evaluation volume holds more.
    const everyDepth = evaluationLabels('binary-3d', contract, data).flatMap((v) =>
      Array.from({ length: 8 }, (_, d) => foregroundCount(v.slice(d * plane, (d + 1) * plane))),
    );
    assert.equal(perDepth[slice.depth], Math.max(...everyDepth));
    assert.equal(report.runs[0].snapshots.at(-1).predicted.length, plane);
  });

  test('the tiny U-Net shows a held-out image', async () => {
    const data = { ...SMALL, spatial: [16, 16], heldOutImages: 4 };
    const report = await probe({ model: 'tiny-unet', steps: 2, evalEvery: 1, data });
    const images = evaluationLabels('binary-2d', KERAS, data, (d) => [d.heldOut]);
    assert.ok(report.snapshotSlice.image < 4);
    assert.deepEqual(report.snapshotSlice.truth, images[report.snapshotSlice.image]);
    assert.deepEqual(
      report.runs[0].snapshots.map((s) => s.step),
      [0, 1, 2],
    );
  });

  test('no tensor outlives a probe with snapshots', async () => {
    await probe({ steps: 2 });
    const baseline = tf.memory().numTensors;
    await probe({ references: [argmaxLoss], steps: 12, evalEvery: 2 });
    await probe({ contract: { ...KERAS, classes: 1 }, steps: 4 });
    await probe({
      contract: { ...KERAS, spatialDims: 3 },
      data: { spatial: [8, 16, 16], batchSize: 2, trainBatches: 1 },
      steps: 4,
    });
    await probe({ model: 'tiny-unet', steps: 2, evalEvery: 1, data: { ...SMALL, spatial: [16, 16] } });
    await probe({ steps: 2, data: { spatial: [128, 96], batchSize: 1, trainBatches: 1 } });
    let events = 0;
    await probe({ steps: 50, evalEvery: 2, onProgress: () => events++, isCancelled: () => events > 2 });
    assert.equal(tf.memory().numTensors, baseline);
  });

  test('no lesion in any evaluation image: no slice, no snapshots', async () => {
    // One 16×16 training image, which with this seed has no lesion.
    const data = { spatial: [16, 16], batchSize: 1, trainBatches: 1, seed: 7 };
    assert.deepEqual(evaluationLabels('binary-2d', KERAS, data).map(foregroundCount), [0]);
    const report = await probe({ steps: 2, evalEvery: 1, data });
    assert.equal(report.snapshotSlice, null);
    assert.deepEqual(report.runs[0].snapshots, []);
  });
});
