// Training probes: seeded data that follows the contract, free-logit training that learns with a
// sound loss, broken losses recorded without crashing, connected components, progress events and
// cancellation, detectors, and no tensor left behind. Budgets and images are tiny on purpose: the
// 15 s figure belongs to bench/probe.mjs, not to the tests.
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
const TORCH = {
  framework: 'torch',
  argOrder: 'pred_true',
  layout: 'channels_first',
  labels: 'sparse',
  prediction: 'logits',
  classes: 2,
  spatialDims: 2,
};
/** Small images, few batches: each probe below runs in well under a second. */
const SMALL = { spatial: [32, 32], batchSize: 2, trainBatches: 2, heldOutImages: 2 };
/** A Dice on the argmax: no gradient reaches the prediction, so it cannot learn. */
const HARD_DICE = [
  'import torch',
  '',
  'def hard_dice(pred, target):',
  '    hard = (pred.argmax(1) == 1).float()',
  '    fg = (target == 1).float()',
  '    return 1 - 2 * (hard * fg).sum() / (hard.sum() + fg.sum() + 1)',
  '',
].join('\n');

/** A plain soft Dice on channels-last probabilities, foreground channels, per image. */
function softDice(prediction, target) {
  const axes = [1, 2];
  const overlap = tf.sum(tf.mul(prediction, target), axes);
  const sizes = tf.add(tf.sum(prediction, axes), tf.sum(target, axes));
  const dice = tf.div(tf.add(tf.mul(2, overlap), 1), tf.add(sizes, 1));
  return tf.sub(1, tf.mean(tf.slice(dice, [0, 1], [-1, -1])));
}

/** Hard accuracy through argmax: TF.js has no gradient for it. */
function argmaxLoss(prediction, target) {
  return tf.neg(tf.mean(tf.cast(tf.equal(tf.argMax(prediction, -1), tf.argMax(target, -1)), 'float32')));
}

/** Recall without smoothing, per image: 0/0 = NaN on every image without a lesion. */
function unsmoothedRecall(prediction, target) {
  const axes = [1, 2];
  const foreground = (t) => tf.slice(t, [0, 0, 0, 1], [-1, -1, -1, 1]);
  return tf.sub(
    1,
    tf.mean(tf.div(tf.sum(tf.mul(foreground(prediction), foreground(target)), axes), tf.sum(foreground(target), axes))),
  );
}

function probe(options) {
  return engine.runProbe({ contract: KERAS, steps: 30, evalEvery: 10, data: SMALL, ...options });
}

describe('training probe', () => {
  before(() => engine.initBackend('auto'));

  describe('data', () => {
    test('is deterministic for a seed and differs between seeds', () => {
      const read = (seed) => {
        const data = engine.makeDataset('binary-2d', KERAS, { ...SMALL, seed });
        const arrays = [...data.train, data.heldOut].flatMap((b) => [
          Array.from(b.images.dataSync()),
          Array.from(b.target.dataSync()),
          Array.from(b.labels),
        ]);
        data.dispose();
        return arrays;
      };
      assert.deepEqual(read(3), read(3));
      assert.notDeepEqual(read(3), read(4));
    });

    test('tensors follow the contract: layout, one-hot or sparse, classes, 2-D or 3-D', () => {
      const cases = [
        [KERAS, 'binary-2d', [2, 32, 32, 2], 'float32'],
        [{ ...KERAS, labels: 'sparse' }, 'binary-2d', [2, 32, 32, 1], 'int32'], // Keras: (N, H, W, 1)
        [TORCH, 'binary-2d', [2, 32, 32], 'int32'], // PyTorch: (N, H, W)
        [{ ...TORCH, labels: 'onehot' }, 'binary-2d', [2, 2, 32, 32], 'float32'],
        [{ ...KERAS, classes: 1 }, 'binary-2d', [2, 32, 32, 1], 'float32'],
        [{ ...KERAS, classes: 4 }, 'multiclass-2d', [2, 32, 32, 4], 'float32'],
        [{ ...TORCH, spatialDims: 3 }, 'binary-3d', [2, 8, 16, 16], 'int32'],
        [{ ...KERAS, spatialDims: 3 }, 'binary-3d', [2, 8, 16, 16, 2], 'float32'],
      ];
      for (const [contract, name, shape, dtype] of cases) {
        assert.equal(engine.datasetFor(contract), name);
        const spatial = name === 'binary-3d' ? [8, 16, 16] : [32, 32];
        const data = engine.makeDataset(name, contract, { ...SMALL, spatial });
        const batch = data.train[0];
        assert.deepEqual(batch.target.shape, shape, `${name} ${JSON.stringify(contract)}`);
        assert.equal(batch.target.dtype, dtype);
        assert.deepEqual(batch.images.shape, [2, ...spatial, 1]);
        // The target carries exactly the label maps.
        const classes = Math.max(contract.classes, 2);
        const target = batch.target.dataSync();
        if (contract.labels === 'sparse') assert.deepEqual(Array.from(target), Array.from(batch.labels));
        else if (contract.classes > 1)
          assert.equal(
            target.reduce((a, b) => a + b, 0),
            batch.labels.length,
          );
        assert.ok(batch.labels.every((l) => l >= 0 && l < classes));
        data.dispose();
      }
    });

    test('lesions are rare, many images are empty, classes are missing from images and batches', () => {
      const binary = engine.makeDataset('binary-2d', KERAS);
      assert.ok(
        binary.foregroundFraction > 0.003 && binary.foregroundFraction < 0.02,
        `foreground ${binary.foregroundFraction}`,
      );
      assert.ok(binary.emptyImages >= 3, `${binary.emptyImages} empty images`);
      binary.dispose();
      const volumes = engine.makeDataset('binary-3d', { ...KERAS, spatialDims: 3 });
      assert.deepEqual(volumes.spatial, [16, 32, 32]);
      assert.ok(
        volumes.foregroundFraction > 0 && volumes.foregroundFraction < 0.01,
        `foreground ${volumes.foregroundFraction}`,
      );
      volumes.dispose();

      const multi = engine.makeDataset('multiclass-2d', { ...KERAS, classes: 4 });
      const voxels = 64 * 64;
      const present = (batch, image) =>
        new Set(Array.from(batch.labels.subarray(image * voxels, (image + 1) * voxels)));
      let imagesMissingAClass = 0;
      let batchesMissingAClass = 0;
      for (const batch of multi.train) {
        const inBatch = new Set();
        for (let i = 0; i < batch.count; i++) {
          const classes = present(batch, i);
          if ([1, 2, 3].some((c) => !classes.has(c))) imagesMissingAClass++;
          classes.forEach((c) => inBatch.add(c));
        }
        if ([1, 2, 3].some((c) => !inBatch.has(c))) batchesMissingAClass++;
      }
      assert.ok(imagesMissingAClass >= 8, `${imagesMissingAClass} images miss a class`);
      assert.ok(batchesMissingAClass >= 1, 'some batch misses a class');
      multi.dispose();
    });
  });

  describe('connected components', () => {
    const mask = (rows) => rows.flatMap((r) => [...r].map((c) => (c === '#' ? 1 : 0)));

    test('count 2-D lesions with face and full connectivity', () => {
      const image = mask(['##...', '##..#', '..#.#', '.....', '#...#']);
      assert.equal(engine.labelComponents(image, [5, 5]).count, 5); // the diagonal blob is separate
      assert.equal(engine.labelComponents(image, [5, 5], 'full').count, 4);
      assert.equal(engine.labelComponents(new Array(25).fill(0), [5, 5]).count, 0);
      assert.equal(engine.labelComponents(new Array(25).fill(1), [5, 5]).count, 1);
      const { labels } = engine.labelComponents(mask(['#.#', '#.#', '###']), [3, 3]);
      assert.deepEqual(Array.from(labels), [1, 0, 1, 1, 0, 1, 1, 1, 1]); // a U is one lesion
    });

    test('count 3-D lesions across slices', () => {
      // Two slices of 3×3: a column through both slices, and a voxel touching it only by a corner.
      const volume = [...mask(['#..', '...', '...']), ...mask(['#..', '...', '..#'])];
      assert.equal(engine.labelComponents(volume, [2, 3, 3]).count, 2);
      const corner = [...mask(['#..', '...', '...']), ...mask(['...', '.#.', '...'])];
      assert.equal(engine.labelComponents(corner, [2, 3, 3]).count, 2);
      assert.equal(engine.labelComponents(corner, [2, 3, 3], 'full').count, 1);
    });

    test('match predicted and true lesions by overlap', () => {
      const truth = mask(['##...', '##...', '.....', '...##', '...##']);
      const predicted = mask(['.#...', '.....', '..#..', '.....', '#....']);
      assert.deepEqual(engine.matchLesions(predicted, truth, [5, 5]), {
        truePositives: 1,
        falsePositives: 2,
        falseNegatives: 1,
        trueLesions: 2,
        predictedLesions: 3,
      });
    });
  });

  describe('detectors', () => {
    const evaluation = (step, dice, predicted, falsePositives = 0) => ({
      step,
      dicePerClass: [0.99, dice],
      foregroundDice: dice,
      predictedForeground: predicted,
      trueForeground: 0.01,
      predictedPerClass: [1 - predicted, predicted],
      truePerClass: [0.99, 0.01],
      lesions: {
        truePositives: 10,
        falsePositives,
        falseNegatives: 0,
        trueLesions: 10,
        predictedLesions: 10 + falsePositives,
      },
    });
    const run = (name, losses, evaluations) => ({
      name,
      role: 'user',
      status: 'trained',
      stepsRun: losses.length,
      curves: { loss: losses, gradNorm: losses.map(() => 1), evaluations },
      final: evaluations.at(-1),
      gradient: {
        noGradientSteps: 0,
        zeroGradientSteps: 0,
        nonFiniteGradientSteps: 0,
        nonFiniteLossSteps: 0,
        firstNonFiniteStep: null,
      },
      timeMs: 0,
    });
    const falling = Array.from({ length: 40 }, (_, i) => 1 - i / 50);
    const reference = run('reference', falling, [evaluation(0, 0.02, 0.5, 900), evaluation(40, 0.9, 0.011, 2)]);
    const kinds = (user, references = [reference]) => engine.detectFindings(user, references, 16, 4).map((f) => f.kind);

    test('collapse-to-background when the foreground vanishes while a reference learns', () => {
      const user = run('user', falling, [
        evaluation(0, 0.02, 0.5, 900),
        evaluation(20, 0, 0.0005),
        evaluation(40, 0, 0),
      ]);
      const [finding] = engine.detectFindings(user, [reference], 16, 4);
      assert.equal(finding.kind, 'collapse-to-background');
      assert.equal(finding.evidence.step, 20);
      assert.match(
        finding.message,
        /foreground on 0% of voxels \(truth 1%\) from step 20, while reference reaches Dice 0\.9/,
      );
      assert.deepEqual(kinds(user, []), ['metric-flat'], 'without a reference, only what the curves show');
    });

    test('metric-flat, false-positive-flood, training-diverged, no-learning', () => {
      assert.deepEqual(kinds(run('user', falling, [evaluation(0, 0.02, 0.5, 900), evaluation(40, 0.03, 0.3, 40)])), [
        'metric-flat',
        'false-positive-flood',
      ]);
      assert.deepEqual(kinds(run('user', falling, [evaluation(0, 0.02, 0.5, 900), evaluation(40, 0.7, 0.02, 30)])), [
        'false-positive-flood',
      ]);
      assert.deepEqual(
        kinds(run('user', falling, [evaluation(0, 0.02, 0.5, 900), evaluation(40, 0.85, 0.012, 5)])),
        [],
      );
      const exploding = run(
        'user',
        falling.map((l, i) => (i > 30 ? 1e4 * i : l)),
        [evaluation(0, 0.02, 0.5), evaluation(40, 0.02, 0.5)],
      );
      assert.deepEqual(kinds(exploding), ['training-diverged']);
      const flat = run(
        'user',
        falling.map(() => 0.5),
        [evaluation(0, 0.02, 0.5, 900), evaluation(40, 0.021, 0.5, 900)],
      );
      assert.deepEqual(kinds(flat), ['no-learning']);
      assert.deepEqual(
        kinds(flat, [
          run(
            'reference',
            falling.map(() => 0.5),
            flat.curves.evaluations,
          ),
        ]),
        [],
        'nothing learns: no verdict on the loss',
      );
    });

    test('the message of each probe rule', () => {
      const messages = (user) => engine.detectFindings(user, [reference], 16, 4).map((f) => `${f.kind}: ${f.message}`);
      const start = evaluation(0, 0.02, 0.5, 900);
      const collapsed = run('user', falling, [start, evaluation(20, 0, 0.0005), evaluation(40, 0, 0)]);
      assert.deepEqual(messages(collapsed), [
        'collapse-to-background: trained with this loss, the model predicts foreground on 0% of voxels (truth 1%) ' +
          'from step 20, while reference reaches Dice 0.9',
      ]);
      assert.deepEqual(messages(run('user', falling, [start, evaluation(40, 0.03, 0.3, 40)])), [
        'metric-flat: the loss falls by 68.8% (0.93 → 0.29) while the Dice stays at 0.03 (from 0.02); ' +
          'reference reaches 0.9 on the same data',
        'false-positive-flood: trained with this loss, the model predicts 40 false-positive lesions on 16 images, ' +
          'against 2 with reference',
      ]);
      const still = [evaluation(0, 0.02, 0.5), evaluation(40, 0.02, 0.5)];
      const exploding = run(
        'user',
        falling.map((l, i) => (i > 30 ? 1e4 * i : l)),
        still,
      );
      assert.deepEqual(messages(exploding), ['training-diverged: the loss explodes from 0.93 to 3.90e+5']);
      const nan = run(
        'user',
        falling.map((l, i) => (i >= 10 ? null : l)),
        still,
      );
      nan.gradient = { ...nan.gradient, nonFiniteLossSteps: 30, firstNonFiniteStep: 11 };
      assert.deepEqual(messages(nan), ['training-diverged: the loss is NaN/Inf from step 11 (30 of 40 steps)']);
      const flat = run(
        'user',
        falling.map(() => 0.5),
        [start, evaluation(40, 0.021, 0.5, 900)],
      );
      assert.deepEqual(messages(flat), [
        'no-learning: in 40 steps neither the loss (0.5 → 0.5) nor the Dice (0.02 → 0.021) moves; ' +
          'reference reaches Dice 0.9',
      ]);
    });

    test('comparative verdicts need most references to learn: one that stands out is not the yardstick', () => {
      const user = run('user', falling, [
        evaluation(0, 0.02, 0.5, 900),
        evaluation(20, 0, 0.0005),
        evaluation(40, 0, 0),
      ]);
      const stuck = (name) => run(name, falling, [evaluation(0, 0.02, 0.5, 900), evaluation(40, 0.02, 0, 0)]);
      // One of three references learns (a tiny U-Net in a few hundred steps, with CE): no collapse verdict.
      assert.deepEqual(kinds(user, [reference, stuck('a'), stuck('b')]), []);
      // Two of three learn: the data is learnable, the loss is the difference.
      assert.deepEqual(kinds(user, [reference, { ...reference, name: 'other' }, stuck('a')]), [
        'collapse-to-background',
      ]);
    });

    test('probe findings are rules of the table and become findings with a line', () => {
      for (const kind of engine.PROBE_FINDING_KINDS) assert.ok(engine.RULE_IDS.includes(kind), kind);
      const [probeFinding] = engine.detectFindings(
        run(
          'user',
          falling.map(() => 0.5),
          [evaluation(0, 0.02, 0.5), evaluation(40, 0.02, 0.5)],
        ),
        [reference],
        16,
        4,
      );
      const finding = engine.placeFinding(probeFinding, { line: 7, column: 1, endLine: 9, endColumn: 5 });
      assert.equal(finding.kind, 'no-learning');
      assert.equal(finding.line, 7);
      assert.equal(finding.message, probeFinding.message);
    });
  });

  describe('training', () => {
    test('free logits trained with a soft Dice learn on binary-2d', async () => {
      const report = await probe({ loss: { name: 'soft dice', loss: softDice }, steps: 40 });
      const [run] = report.runs;
      const dice = run.curves.evaluations.map((e) => e.foregroundDice);
      assert.equal(run.status, 'trained');
      assert.equal(report.model.kind, 'free-logits');
      assert.ok(dice[0] < 0.2 && dice.at(-1) > 0.6, `Dice ${dice.map((d) => d.toFixed(2))}`);
      assert.ok(run.curves.loss.at(-1) < run.curves.loss[0]);
      assert.equal(run.curves.loss.length, 40);
      assert.ok(run.curves.gradNorm.every((g) => g > 0));
      assert.deepEqual(report.findings, []);
      assert.equal(report.backend, tf.getBackend());
      JSON.parse(JSON.stringify(report)); // plain JSON
    });

    test('a loss without a gradient is recorded as no-learning, the others still train', async () => {
      const report = await probe({
        loss: { name: 'argmax', loss: argmaxLoss },
        references: [{ name: 'soft dice', loss: softDice }],
      });
      const [broken, reference] = report.runs;
      assert.equal(broken.status, 'no-gradient');
      assert.equal(broken.gradient.noGradientSteps, 30);
      assert.ok(
        broken.curves.loss.every((l) => typeof l === 'number'),
        'the flat curve keeps its values',
      );
      assert.equal(broken.final.foregroundDice, broken.curves.evaluations[0].foregroundDice);
      assert.ok(reference.final.foregroundDice > 0.5);
      assert.deepEqual(
        report.findings.map((f) => f.kind),
        ['no-learning'],
      );
      assert.match(report.findings[0].message, /no gradient path/);
    });

    test('an interpreted Python loss that thresholds the prediction is recorded as no-learning', async () => {
      const program = await engine.LossProgram.load(HARD_DICE);
      try {
        const loss = program.lossFunction(program.resolveEntry('hard_dice'), {
          framework: 'torch',
          argOrder: 'pred_true',
        });
        const report = await engine.runProbe({
          loss: { name: 'hard_dice', loss },
          contract: TORCH,
          steps: 12,
          evalEvery: 4,
          data: SMALL,
        });
        assert.equal(report.runs[0].status, 'no-gradient');
        assert.deepEqual(
          report.findings.map((f) => f.kind),
          ['no-learning'],
        );
      } finally {
        program.dispose();
      }
    });

    test('NaN on empty patches is recorded as training-diverged without poisoning the model', async () => {
      const report = await probe({ loss: { name: 'unsmoothed', loss: unsmoothedRecall } });
      const [run] = report.runs;
      assert.ok(report.dataset.emptyImages > 0);
      assert.ok(run.gradient.nonFiniteLossSteps > 0);
      assert.ok(run.curves.loss.some((l) => l === null));
      assert.deepEqual(
        report.findings.map((f) => f.kind),
        ['training-diverged'],
      );
      assert.ok(Number.isFinite(run.final.foregroundDice));
    });

    test('a loss that throws fails alone', async () => {
      const throwing = () => {
        throw new Error('shape mismatch');
      };
      const report = await probe({
        loss: { name: 'throws', loss: throwing },
        references: [{ name: 'soft dice', loss: softDice }],
        steps: 10,
      });
      assert.equal(report.runs[0].status, 'failed');
      assert.match(report.runs[0].error, /shape mismatch/);
      assert.equal(report.runs[1].status, 'trained');
      assert.equal(report.runs[1].stepsRun, 10);
    });

    test('progress events arrive every few steps with the new points', async () => {
      const events = [];
      await probe({
        loss: { name: 'soft dice', loss: softDice },
        references: [{ name: 'argmax', loss: argmaxLoss }],
        steps: 20,
        evalEvery: 5,
        onProgress: (e) => events.push(e),
      });
      assert.deepEqual(
        events.map((e) => e.step),
        [0, 5, 10, 15, 20],
      );
      const last = events.at(-1);
      assert.deepEqual(
        last.runs.map((r) => r.name),
        ['soft dice', 'argmax'],
      );
      assert.equal(last.runs[0].fromStep, 16);
      assert.equal(last.runs[0].loss.length, 5);
      assert.equal(typeof last.runs[0].evaluation.foregroundDice, 'number');
      assert.equal(events.flatMap((e) => e.runs[0].loss).length, 20);
    });

    test('cancellation stops the run and returns the partial curves', async () => {
      let events = 0;
      const report = await probe({
        loss: { name: 'soft dice', loss: softDice },
        steps: 200,
        evalEvery: 5,
        onProgress: () => events++,
        isCancelled: () => events >= 3,
      });
      assert.equal(report.cancelled, true);
      assert.equal(report.stepsRun, 10);
      assert.equal(report.runs[0].curves.loss.length, 10);
      assert.deepEqual(report.findings, []);
    });

    test('the tiny U-Net trains with the custom conv and generalises to the held-out batch', async () => {
      const report = await probe({
        loss: { name: 'soft dice', loss: softDice },
        model: 'tiny-unet',
        steps: 6,
        evalEvery: 3,
        data: { ...SMALL, spatial: [16, 16] },
      });
      const [run] = report.runs;
      assert.equal(report.model.kind, 'tiny-unet');
      assert.ok(
        report.model.parameters > 1000 && report.model.parameters < 10000,
        `${report.model.parameters} parameters`,
      );
      assert.equal(run.status, 'trained');
      assert.ok(run.curves.gradNorm.every((g) => g > 0));
      assert.equal(report.dataset.evaluationImages, SMALL.heldOutImages);
    });

    test('the custom conv2d has the gradients of tf.conv2d (adjoint test: f is linear in x and in w)', () => {
      const [x, u] = [1, 2].map((seed) => tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', seed));
      const [w, v] = [3, 4].map((seed) => tf.randomNormal([3, 3, 3, 2], 0, 1, 'float32', seed));
      const dy = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 5);
      const f = (a, b) => tf.sum(tf.mul(engine.trainableConv2d(a, b), dy));
      const [gx, gw] = tf.grads(f)([x, w]);
      const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-3 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
      close(f(x, w).dataSync()[0], tf.sum(tf.mul(tf.conv2d(x, w, 1, 'same'), dy)).dataSync()[0]);
      close(tf.sum(tf.mul(gx, u)).dataSync()[0], f(u, w).dataSync()[0]); // <df/dx, u> = f(u, w)
      close(tf.sum(tf.mul(gw, v)).dataSync()[0], f(x, v).dataSync()[0]); // <df/dw, v> = f(x, v)
      tf.dispose([x, u, w, v, dy, gx, gw]);
    });

    test('3-D probes train free logits on binary-3d', async () => {
      const report = await engine.runProbe({
        loss: { name: 'soft dice', loss: softDice3d },
        contract: { ...KERAS, spatialDims: 3 },
        model: 'tiny-unet',
        steps: 8,
        evalEvery: 4,
        data: { spatial: [8, 16, 16], batchSize: 2, trainBatches: 2 },
      });
      assert.equal(report.model.kind, 'free-logits');
      assert.equal(report.dataset.name, 'binary-3d');
      assert.equal(report.runs[0].status, 'trained');
      assert.ok(report.runs[0].final.foregroundDice > report.runs[0].curves.evaluations[0].foregroundDice);
    });

    test('no tensor outlives a probe, whatever the losses did', async () => {
      await probe({ loss: { name: 'warm-up', loss: softDice }, steps: 2 });
      const baseline = tf.memory().numTensors;
      const throwing = () => {
        throw new Error('boom');
      };
      await probe({
        loss: { name: 'soft dice', loss: softDice },
        references: [
          { name: 'argmax', loss: argmaxLoss },
          { name: 'nan', loss: unsmoothedRecall },
          { name: 'throws', loss: throwing },
        ],
        steps: 12,
        evalEvery: 4,
      });
      await probe({
        loss: { name: 'soft dice', loss: softDice },
        model: 'tiny-unet',
        steps: 2,
        evalEvery: 1,
        data: { ...SMALL, spatial: [16, 16] },
      });
      let events = 0;
      await probe({
        loss: { name: 'soft dice', loss: softDice },
        steps: 50,
        evalEvery: 2,
        onProgress: () => events++,
        isCancelled: () => events > 2,
      });
      assert.equal(tf.memory().numTensors, baseline);
    });
  });

  describe('in diagnosis', () => {
    test(
      'references suit the contract: binary one-channel drops generalized Dice, ' + 'quick takes the three cheapest',
      () => {
        const names = (contract, level) => engine.referencesFor(contract, level).map((r) => r.name);
        assert.deepEqual(names(TORCH, 'quick'), ['soft Dice', 'Tversky 0.3/0.7', 'generalized Dice']);
        assert.deepEqual(names(TORCH, 'full'), [
          'soft Dice',
          'Tversky 0.3/0.7',
          'generalized Dice',
          'focal Tversky',
          'unified focal',
          'Dice + CE',
        ]);
        assert.deepEqual(names({ ...KERAS, classes: 1 }, 'quick'), ['soft Dice', 'Tversky 0.3/0.7', 'focal Tversky']);
        assert.ok(!names({ ...KERAS, classes: 1 }, 'full').includes('generalized Dice'));
      },
    );

    test(
      'full probes of several classes (a small network) ' + 'use batch Dice without background for the Dice family',
      async () => {
        const follows = (contract, level) =>
          Object.fromEntries(engine.referencesFor(contract, level).map((r) => [r.name, /batch Dice/.test(r.follows)]));
        const multi = { ...TORCH, classes: 4, spatialDims: 2 };
        assert.deepEqual(follows(multi, 'full'), {
          'soft Dice': true,
          'Tversky 0.3/0.7': true,
          'generalized Dice': true,
          'focal Tversky': true,
          'unified focal': false,
          'Dice + CE': false,
        });
        assert.ok(
          Object.values(follows(multi, 'quick')).every((pooled) => !pooled),
          'free logits: the per-image losses as the libraries define them',
        );
        assert.ok(
          Object.values(follows({ ...multi, classes: 2 }, 'full')).every((pooled) => !pooled),
          'binary: unchanged',
        );
        assert.ok(
          Object.values(follows({ ...multi, spatialDims: 3 }, 'full')).every((pooled) => !pooled),
          '3-D probes train free logits',
        );
        // The pooled soft Dice scores a batch as one: a perfect prediction of 2 images gives 0, like the per-image one.
        await engine.initBackend('auto');
        const [soft] = engine.referencesFor(multi, 'full');
        const labels = tf.tensor3d(
          [
            [
              [0, 1],
              [2, 3],
            ],
            [
              [0, 0],
              [1, 1],
            ],
          ],
          [2, 2, 2],
          'int32',
        );
        const perfect = tf.tidy(() => tf.mul(tf.transpose(tf.oneHot(labels, 4), [0, 3, 1, 2]), 20));
        const value = tf.tidy(() => soft.loss(perfect, labels).dataSync()[0]);
        assert.ok(value < 1e-3, `${value}`);
        tf.dispose([labels, perfect]);
      },
    );

    test(
      'diagnoseSource probes losses only, places findings on the return line, ' + 'and honours cancellation',
      async () => {
        const source = HARD_DICE;
        const budget = { steps: 10, evalEvery: 5, data: SMALL };
        const events = [];
        const report = await engine.diagnoseSource('hard.py', source, {
          probe: 'quick',
          probeBudget: budget,
          onProbeProgress: (loss, event) => events.push([loss.entry, event.step]),
        });
        const [loss] = report.losses;
        assert.equal(loss.probe.runs[0].status, 'no-gradient');
        assert.equal(loss.findings.find((f) => f.kind === 'no-learning').line, 6);
        assert.ok(events.length > 0 && events.every(([entry]) => entry === 'hard_dice'));
        JSON.parse(JSON.stringify(report));
        assert.equal(
          (await engine.diagnoseSource('hard.py', source)).losses[0].probe,
          undefined,
          'no probe by default',
        );
        let calls = 0;
        await assert.rejects(
          engine.diagnoseSource('hard.py', source, {
            probe: 'quick',
            probeBudget: { ...budget, steps: 200 },
            onProbeProgress: () => calls++,
            isCancelled: () => calls > 1,
          }),
          (error) => error.kind === 'cancelled',
        );
      },
    );
  });
});

function softDice3d(prediction, target) {
  const axes = [1, 2, 3];
  const overlap = tf.sum(tf.mul(prediction, target), axes);
  const sizes = tf.add(tf.sum(prediction, axes), tf.sum(target, axes));
  return tf.sub(1, tf.mean(tf.div(tf.add(tf.mul(2, overlap), 1), tf.add(sizes, 1))));
}
