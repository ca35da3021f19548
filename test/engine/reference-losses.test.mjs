// The probes' reference losses (src/engine/probe/reference/) against the values the libraries'
// own test suites assert (test/data/reference-vectors.json: MONAI, segmentation_models.pytorch,
// NiftyNet, nnU-Net, SegLoss), each within the case's tolerance; then gradients and tensor hygiene.
//
// Every case is either mapped onto our options (the mapping refuses parameters it does not know, so
// nothing is silently mis-mapped) or its loss is listed in NOT_IMPLEMENTED with the reason.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ROOT, engine } from './helpers.mjs';

const R = engine.referenceLosses;

// Where each set comes from: test/data/README.md.
const VECTORS_PATH = join(ROOT, 'test', 'data', 'reference-vectors.json');

/** The file was written by Python's json, which emits bare NaN/Infinity values; JSON.parse refuses them. */
function readVectors(path) {
  const text = readFileSync(path, 'utf8').replace(/("\s*:\s*)(NaN|-?Infinity)(?=\s*[,}\]])/g, '$1"$2"');
  return JSON.parse(text);
}
const CASES = readVectors(VECTORS_PATH);

// Losses whose semantics our reference losses do not implement, and why.
const NOT_IMPLEMENTED = {
  // A Wasserstein distance between class distributions under a class-distance matrix: a different
  // family from the overlap and cross-entropy losses the probes compare against.
  'monai.losses.GeneralizedWassersteinDiceLoss':
    'needs a class-distance matrix (Wasserstein Dice), not a reference family',
  // Sums tp/fp/fn over all classes and voxels at once: one index for every class, which is the
  // "classes pooled" pattern the diagnosis flags, not a per-class Tversky.
  "niftynet LossFunction(loss_type='Tversky')": 'pools tp/fp/fn over classes as well as voxels',
  // Floors each class's denominator at 1 (max(seg + ref, 1)) and maps NaN to a score of 1: a different
  // guard from MONAI's (which replaces infinite weights), so the values differ for small volumes.
  "niftynet LossFunction(loss_type='GDSC')":
    "per-class denominator floor max(V_seg + V_ref, 1) instead of MONAI's weight guard",
  // Sensitivity-specificity loss: not one of the reference families.
  "niftynet LossFunction(loss_type='SensSpec')": 'sensitivity-specificity loss, not a reference family',
  // Unguarded inverse-volume weights 1/(V + 1e-10)^2 (V2: 1/clamp(V^2, smooth), batch-pooled): the
  // absent-class explosion the diagnosis flags, not MONAI's guarded weights.
  'SegLoss GDiceLoss': 'unguarded weights 1/(V + 1e-10)^2',
  'SegLoss GDiceLossV2': 'weights 1/clamp(V^2, smooth), a different guard',
  // Label-smoothed one-hot clamped to [smooth/(C-1), 1 - smooth] and p_t = sum(onehot * p) + smooth:
  // a different focal definition from MONAI's.
  'SegLoss FocalLoss': 'label-smoothed one-hot and a smoothed p_t, not the MONAI focal definition',
};

// ---------------------------------------------------------------------------------------------
// Parameter mapping helpers

const tensor = (nested) => tf.tensor(nested);

function refuseUnknown(c, known) {
  const unknown = Object.keys(c.params).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`case ${c.case} of ${c.loss}: unmapped parameters ${unknown.join(', ')}`);
}

// MONAI: `sigmoid`/`softmax` flags, or `other_act` applied to the input first (its output then read as probabilities).
const MONAI_OTHER_ACTIVATIONS = {
  'torch.tanh': (x) => tf.tanh(x),
  'lambda x: torch.log_softmax(x, dim=1)': (x) => tf.sub(x, tf.logSumExp(x, 1, true)),
};

function monaiPrediction(c) {
  const x = tensor(c.input);
  if (c.params.other_act === undefined) return x;
  const act = MONAI_OTHER_ACTIVATIONS[c.params.other_act];
  if (!act) throw new Error(`unmapped other_act ${c.params.other_act}`);
  return act(x);
}

const monaiActivation = (p) => (p.sigmoid ? 'sigmoid' : p.softmax ? 'softmax' : 'none');

// to_onehot_y needs no option: a (B, 1, ...) label map is recognised by its shape and one-hot encoded.
const MONAI_COMMON = [
  'include_background',
  'to_onehot_y',
  'sigmoid',
  'softmax',
  'other_act',
  'smooth_nr',
  'smooth_dr',
  'batch',
  'soft_label',
  'reduction',
];

function monaiRatioOptions(p) {
  return {
    activation: monaiActivation(p),
    includeBackground: p.include_background ?? true,
    smoothNr: p.smooth_nr ?? 1e-5,
    smoothDr: p.smooth_dr ?? 1e-5,
    batch: p.batch ?? false,
    softLabel: p.soft_label ?? false,
    reduction: p.reduction === 'sum' ? 'sum' : 'mean',
  };
}

/** reduction='none' is served by the family's terms function; the scalar loss otherwise. */
const lossOrTerms = (p, loss, terms) => (p.reduction === 'none' ? terms : loss);

// smp: from_logits (default True) applies softmax in multiclass mode, sigmoid otherwise; sums pooled
// over the batch (dims=(0, 2)); no smoothing by default; the denominator clamped at eps; a class
// absent from the target contributes 0 loss.
function smpOptions(p) {
  const fromLogits = p.from_logits ?? true;
  return {
    activation: fromLogits ? (p.mode === 'multiclass' ? 'softmax' : 'sigmoid') : 'none',
    smoothNr: p.smooth ?? 0,
    smoothDr: p.smooth ?? 0,
    denominatorFloor: p.eps ?? 1e-7,
    batch: true,
    zeroEmptyClasses: true,
  };
}

// smp's functional scores take flat tensors (global sums) or (rows, N) with dims=[1] (one score per
// row, then the test's mean): rows become samples of a one-channel prediction.
function smpScoreInputs(c) {
  const rows = c.params.dims ? c.input.length : 1;
  const reshape = (nested) => tf.reshape(tensor(nested), [rows, 1, -1]);
  if (c.params.dims && c.params.then !== 'mean over rows')
    throw new Error(`unmapped smp score reduction ${c.params.then}`);
  return [reshape(c.input), reshape(c.target)];
}

const smpScoreOptions = (p) => ({ activation: 'none', smoothNr: 0, smoothDr: 0, denominatorFloor: p.eps ?? 1e-7 });

// NiftyNet: channels-last (B, ...spatial, C); labels flattened per image, so a (B, 1, N) label map is
// read as (B, N); the loss is computed per image and averaged over the batch.
function niftyInputs(c, dense = false) {
  const prediction = tensor(c.input);
  const labelShape = prediction.shape.slice(0, -1);
  const target = dense ? tensor(c.target) : tf.reshape(tensor(c.target), labelShape);
  const voxelWeights = c.weight_map ? tf.reshape(tensor(c.weight_map), labelShape) : undefined;
  return { prediction, target, voxelWeights };
}

const NIFTY_COMMON = ['n_class', 'softmax'];

function niftyDice(c, { squared, dense }) {
  refuseUnknown(c, NIFTY_COMMON);
  const { prediction, target, voxelWeights } = niftyInputs(c, dense);
  return R.softDiceLoss(prediction, target, {
    activation: c.params.softmax ? 'softmax' : 'none',
    layout: 'channels_last',
    squaredPrediction: squared,
    smoothNr: 1e-5,
    smoothDr: 1e-5,
    voxelWeights,
  });
}

// nnU-Net / SegLoss dice-style losses return -mean(score): our loss minus 1.
const minusOne = (loss) => tf.sub(loss, 1);
const nonlinearity = (name) => {
  if (name === 'softmax') return 'softmax';
  if (name === null || name === undefined) return 'none';
  throw new Error(`unmapped apply_nonlin ${name}`);
};

function nnunetDiceOptions(p) {
  return {
    activation: nonlinearity(p.apply_nonlin === undefined ? 'softmax' : p.apply_nonlin),
    batch: p.batch_dice ?? false,
    includeBackground: p.do_bg ?? true,
    smoothNr: p.smooth ?? 1,
    smoothDr: p.smooth ?? 1,
    // nnU-Net clips the smoothed denominator at 1e-8, so empty classes score 0 without smoothing.
    denominatorFloor: 1e-8,
  };
}

/** SegLoss's copies of nnU-Net's Dice-style losses: the same options without the denominator's floor. */
function segLossDiceOptions(p) {
  const options = nnunetDiceOptions(p);
  delete options.denominatorFloor;
  return options;
}

// ---------------------------------------------------------------------------------------------
// One mapper per library loss: the case in, a tensor (the library's quantity) out.

const MAPPERS = {
  'monai.losses.DiceLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, [...MONAI_COMMON, 'squared_pred', 'jaccard', 'weight']);
    const options = {
      ...monaiRatioOptions(p),
      squaredPrediction: p.squared_pred ?? false,
      jaccard: p.jaccard ?? false,
      classWeights: p.weight,
    };
    return lossOrTerms(p, R.softDiceLoss, R.softDiceTerms)(monaiPrediction(c), tensor(c.target), options);
  },
  // Without a mask MONAI warns and computes the plain DiceLoss.
  'monai.losses.MaskedDiceLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, [...MONAI_COMMON, 'squared_pred', 'jaccard']);
    const options = {
      ...monaiRatioOptions(p),
      squaredPrediction: p.squared_pred ?? false,
      jaccard: p.jaccard ?? false,
    };
    if (c.mask) return R.maskedDiceLoss(monaiPrediction(c), tensor(c.target), { ...options, mask: tensor(c.mask) });
    return lossOrTerms(p, R.softDiceLoss, R.softDiceTerms)(monaiPrediction(c), tensor(c.target), options);
  },
  'monai.losses.GeneralizedDiceLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, [...MONAI_COMMON, 'w_type']);
    const options = { ...monaiRatioOptions(p), weightType: p.w_type ?? 'square' };
    return lossOrTerms(p, R.generalizedDiceLoss, R.generalizedDiceTerms)(monaiPrediction(c), tensor(c.target), options);
  },
  'monai.losses.TverskyLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, [...MONAI_COMMON, 'alpha', 'beta']);
    const options = { ...monaiRatioOptions(p), alpha: p.alpha ?? 0.5, beta: p.beta ?? 0.5 };
    return lossOrTerms(p, R.tverskyLoss, R.tverskyTerms)(monaiPrediction(c), tensor(c.target), options);
  },
  // MONAI's FocalLoss always takes logits: use_softmax picks the softmax form, else the sigmoid form.
  'monai.losses.FocalLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, ['include_background', 'to_onehot_y', 'gamma', 'alpha', 'weight', 'reduction', 'use_softmax']);
    const options = {
      activation: p.use_softmax ? 'softmax' : 'sigmoid',
      includeBackground: p.include_background ?? true,
      gamma: p.gamma ?? 2,
      alpha: p.alpha ?? undefined,
      classWeights: p.weight,
      reduction: p.reduction === 'sum' ? 'sum' : 'mean',
    };
    return lossOrTerms(p, R.focalLoss, R.focalTerms)(tensor(c.input), tensor(c.target), options);
  },
  // MONAI's cross-entropy term reads the raw input as logits whatever the activation flags say.
  'monai.losses.DiceCELoss': (c) => {
    const p = c.params;
    refuseUnknown(c, [...MONAI_COMMON, 'weight', 'lambda_dice', 'lambda_ce', 'squared_pred', 'jaccard']);
    return R.diceCrossEntropyLoss(tensor(c.input), tensor(c.target), {
      ...monaiRatioOptions(p),
      squaredPrediction: p.squared_pred ?? false,
      jaccard: p.jaccard ?? false,
      classWeights: p.weight,
      lambdaDice: p.lambda_dice ?? 1,
      lambdaCe: p.lambda_ce ?? 1,
      crossEntropyInput: 'logits',
    });
  },
  // DiceFocalLoss = lambda_dice * DiceLoss + lambda_focal * FocalLoss; its focal term is the sigmoid
  // form on the raw logits (it never passes use_softmax), while its Dice honours softmax=True.
  // Reproduced by composing the two reference losses.
  'monai.losses.DiceFocalLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, ['softmax', 'sigmoid', 'to_onehot_y', 'include_background']);
    const prediction = tensor(c.input);
    const target = tensor(c.target);
    const dice = R.softDiceLoss(prediction, target, monaiRatioOptions(p));
    const focal = R.focalLoss(prediction, target, {
      activation: 'sigmoid',
      includeBackground: p.include_background ?? true,
    });
    return tf.add(dice, focal);
  },
  // MONAI's AsymmetricUnifiedFocalLoss takes probabilities.
  'monai.losses.AsymmetricUnifiedFocalLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, ['weight', 'gamma', 'delta', 'to_onehot_y']);
    return R.asymmetricUnifiedFocalLoss(tensor(c.input), tensor(c.target), {
      activation: 'none',
      weight: p.weight,
      gamma: p.gamma,
      delta: p.delta,
    });
  },

  'smp.losses.DiceLoss': (c) => {
    refuseUnknown(c, ['mode', 'from_logits', 'smooth', 'eps']);
    return R.softDiceLoss(tensor(c.input), tensor(c.target), smpOptions(c.params));
  },
  // smp divides (I + s) by (U + s), MONAI-style Jaccard (2I + s) by 2U + s: identical for smooth = 0.
  'smp.losses.JaccardLoss': (c) => {
    refuseUnknown(c, ['mode', 'from_logits', 'eps']);
    return R.softDiceLoss(tensor(c.input), tensor(c.target), { ...smpOptions(c.params), jaccard: true });
  },
  // smp's gamma raises the class-mean loss: focal Tversky with the exponent after the mean.
  'smp.losses.TverskyLoss': (c) => {
    const p = c.params;
    refuseUnknown(c, ['mode', 'from_logits', 'smooth', 'eps', 'alpha', 'beta', 'gamma']);
    const options = {
      ...smpOptions(p),
      alpha: p.alpha ?? 0.5,
      beta: p.beta ?? 0.5,
      gamma: p.gamma ?? 1,
      gammaApplies: 'afterMean',
    };
    return R.focalTverskyLoss(tensor(c.input), tensor(c.target), options);
  },
  // The functional scores are 1 - our loss.
  'smp.losses._functional.soft_dice_score': (c) => {
    refuseUnknown(c, ['eps']);
    const [prediction, target] = smpScoreInputs(c);
    return tf.sub(1, R.softDiceLoss(prediction, target, smpScoreOptions(c.params)));
  },
  'smp.losses._functional.soft_jaccard_score': (c) => {
    refuseUnknown(c, ['eps', 'dims', 'then']);
    const [prediction, target] = smpScoreInputs(c);
    return tf.sub(1, R.softDiceLoss(prediction, target, { ...smpScoreOptions(c.params), jaccard: true }));
  },
  'smp.losses._functional.soft_tversky_score': (c) => {
    refuseUnknown(c, ['eps', 'alpha', 'beta']);
    const [prediction, target] = smpScoreInputs(c);
    return tf.sub(
      1,
      R.tverskyLoss(prediction, target, { ...smpScoreOptions(c.params), alpha: c.params.alpha, beta: c.params.beta }),
    );
  },

  // NiftyNet 'Dice': squared prediction in the denominator, smoothing 1e-5 on both sides.
  "niftynet LossFunction(loss_type='Dice')": (c) => niftyDice(c, { squared: true, dense: false }),
  "niftynet LossFunction(loss_type='Dice_NS')": (c) => niftyDice(c, { squared: false, dense: false }),
  "niftynet LossFunction(loss_type='Dice_Dense')": (c) => niftyDice(c, { squared: true, dense: true }),
  "niftynet LossFunction(loss_type='Dice_Dense_NS')": (c) => niftyDice(c, { squared: false, dense: true }),
  // CE(logits) - mean Dice score: our Dice + CE minus 1; the loss applies its own softmax, whatever
  // the `softmax` flag (NiftyNet overrides it for the xent losses).
  "niftynet LossFunction(loss_type='DicePlusXEnt')": (c) => {
    refuseUnknown(c, NIFTY_COMMON);
    const { prediction, target, voxelWeights } = niftyInputs(c);
    return minusOne(
      R.diceCrossEntropyLoss(prediction, target, {
        activation: 'softmax',
        layout: 'channels_last',
        smoothNr: 1e-5,
        smoothDr: 1e-5,
        voxelWeights,
      }),
    );
  },

  'nnunetv2 SoftDiceLoss': (c) => {
    refuseUnknown(c, ['apply_nonlin', 'batch_dice', 'do_bg', 'smooth', 'ddp']);
    return minusOne(R.softDiceLoss(tensor(c.input), tensor(c.target), nnunetDiceOptions(c.params)));
  },
  'nnunetv2 MemoryEfficientSoftDiceLoss': (c) => {
    refuseUnknown(c, ['apply_nonlin', 'batch_dice', 'do_bg', 'smooth', 'ddp']);
    return minusOne(R.softDiceLoss(tensor(c.input), tensor(c.target), nnunetDiceOptions(c.params)));
  },
  // weight_ce * CE + weight_dice * (-mean dice) = our Dice + CE minus weight_dice. The ignore label is
  // masked out of both terms (loss_mask and ignore_index): voxel weights of 0.
  'nnunetv2 DC_and_CE_loss(dice_class=MemoryEfficientSoftDiceLoss)': (c) => {
    const p = c.params;
    refuseUnknown(c, ['soft_dice_kwargs', 'ce_kwargs', 'weight_ce', 'weight_dice', 'ignore_label']);
    if (Object.keys(p.ce_kwargs).length) throw new Error('unmapped ce_kwargs');
    const target = tensor(c.target);
    const voxelWeights = p.ignore_label === null ? undefined : tf.cast(tf.notEqual(target, p.ignore_label), 'float32');
    const loss = R.diceCrossEntropyLoss(tensor(c.input), target, {
      ...nnunetDiceOptions({ ...p.soft_dice_kwargs, apply_nonlin: 'softmax' }),
      lambdaDice: p.weight_dice,
      lambdaCe: p.weight_ce,
      voxelWeights,
    });
    return tf.sub(loss, p.weight_dice);
  },

  'SegLoss SoftDiceLoss': (c) => {
    refuseUnknown(c, ['apply_nonlin', 'batch_dice', 'do_bg', 'smooth']);
    const options = segLossDiceOptions(c.params);
    return minusOne(R.softDiceLoss(tensor(c.input), tensor(c.target), options));
  },
  'SegLoss TverskyLoss': (c) => {
    refuseUnknown(c, ['apply_nonlin', 'batch_dice', 'do_bg', 'smooth', 'alpha(fp)', 'beta(fn)']);
    const options = segLossDiceOptions(c.params);
    return minusOne(
      R.tverskyLoss(tensor(c.input), tensor(c.target), {
        ...options,
        alpha: c.params['alpha(fp)'],
        beta: c.params['beta(fn)'],
      }),
    );
  },
  // (1 + TverskyLoss)^gamma = (1 - mean TI)^gamma, SegLoss's Tversky having alpha 0.3, beta 0.7 built in.
  'SegLoss FocalTversky_loss': (c) => {
    refuseUnknown(c, ['tversky_kwargs', 'gamma']);
    const options = segLossDiceOptions(c.params.tversky_kwargs);
    return R.focalTverskyLoss(tensor(c.input), tensor(c.target), {
      ...options,
      alpha: 0.3,
      beta: 0.7,
      gamma: c.params.gamma,
      gammaApplies: 'afterMean',
    });
  },
};

// Required coverage: every case of these losses must be mapped (and pass).
const MUST_COVER = [
  'monai.losses.DiceLoss',
  'monai.losses.GeneralizedDiceLoss',
  'monai.losses.TverskyLoss',
  'monai.losses.FocalLoss',
  'monai.losses.DiceCELoss',
  'monai.losses.AsymmetricUnifiedFocalLoss',
  'smp.losses.DiceLoss',
  'smp.losses.JaccardLoss',
  'smp.losses.TverskyLoss',
];

// ---------------------------------------------------------------------------------------------

const SPECIAL = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, nan: NaN, inf: Infinity, '-inf': -Infinity };
const numbers = (nested) =>
  (Array.isArray(nested) ? nested.flat(Infinity) : [nested]).map((v) => (typeof v === 'string' ? SPECIAL[v] : v));

/** max(rtol * |expected|, atol, 1e-5); NaN must meet NaN. */
function withinTolerance(actual, expected, tolerance) {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  const allowed = Math.max((tolerance.rtol ?? 0) * Math.abs(expected), tolerance.atol ?? 0, 1e-5);
  return Math.abs(actual - expected) <= allowed;
}

const label = (c, i) => `#${i} ${c.library.split('/')[1]} ${c.loss} ${c.case}`;

describe('reference losses reproduce the library test vectors', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  const covered = CASES.map((c, i) => ({ c, i })).filter(({ c }) => MAPPERS[c.loss]);

  test('every case is mapped or its loss is listed as not implemented, with a reason', () => {
    const unaccounted = CASES.filter((c) => !MAPPERS[c.loss] && !NOT_IMPLEMENTED[c.loss]).map((c) => c.loss);
    assert.deepEqual([...new Set(unaccounted)], [], 'losses with neither a mapping nor a reason');
    for (const loss of Object.keys(NOT_IMPLEMENTED))
      assert.ok(!MAPPERS[loss], `${loss} is both mapped and listed as not implemented`);
    for (const loss of MUST_COVER) {
      assert.ok(MAPPERS[loss], `${loss} must be covered`);
      assert.ok(
        CASES.some((c) => c.loss === loss),
        `no ${loss} case in the vectors`,
      );
    }

    const counts = {};
    for (const c of CASES) {
      const key = `${c.library.split('/')[1]} ${c.loss}`;
      counts[key] ??= { covered: 0, notImplemented: 0 };
      counts[key][MAPPERS[c.loss] ? 'covered' : 'notImplemented']++;
    }
    const lines = Object.entries(counts).map(
      ([key, n]) => `  ${key}: ${n.covered} covered${n.notImplemented ? `, ${n.notImplemented} not implemented` : ''}`,
    );
    console.log(`reference vectors: ${covered.length} of ${CASES.length} cases covered\n${lines.join('\n')}`);
    // Exact counts, so that a mapping lost (or a vectors file changed) is noticed, not silently skipped.
    assert.equal(CASES.length, 180, 'the vectors file changed: review the mappings and these counts');
    assert.equal(covered.length, 160);
  });

  for (const { c, i } of covered) {
    test(label(c, i), () => {
      const before = tf.memory().numTensors;
      const actual = tf.tidy(() => Array.from(MAPPERS[c.loss](c).dataSync()));
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
      const expected = numbers(c.expected);
      assert.equal(actual.length, expected.length, `${actual.length} values, expected ${expected.length}`);
      expected.forEach((e, k) => {
        assert.ok(
          withinTolerance(actual[k], e, c.tolerance),
          `value[${k}] ${actual[k]}, expected ${e} (rtol ${c.tolerance.rtol}, atol ${c.tolerance.atol})`,
        );
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Gradients, inputs in every accepted form, tensor hygiene.

/** Deterministic pseudo-random numbers (tests must not flake). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const voxels = (spatial) => spatial.reduce((a, b) => a * b, 1);
const classIds = (classes, spatial) => tf.reshape(tf.range(0, classes), [1, classes, ...spatial.map(() => 1)]);
const oneHotOf = (labels, classes, spatial) =>
  tf.cast(tf.equal(tf.expandDims(labels, 1), classIds(classes, spatial)), 'float32');
const softmaxOverClasses = (x) => tf.exp(tf.sub(x, tf.logSumExp(x, 1, true)));
const toChannelsLast = (t) => tf.transpose(t, [0, ...Array.from({ length: t.rank - 2 }, (_, i) => i + 2), 1]);

/**
 * Logits (2, C, ...spatial) and a label map (2, ...spatial) in which every class occurs; a binary
 * problem (one channel) has 0/1 labels.
 */
function randomProblem(spatial, channels, seed) {
  const next = random(seed);
  const classes = Math.max(channels, 2);
  const logits = tf.tensor(
    Array.from({ length: 2 * channels * voxels(spatial) }, () => 4 * next() - 2),
    [2, channels, ...spatial],
  );
  const labels = tf.tensor(
    Array.from({ length: 2 * voxels(spatial) }, (_, k) => (k < classes ? k : Math.floor(next() * classes))),
    [2, ...spatial],
  );
  return { logits, labels };
}

// Each reference loss at least once, and the variants whose code paths differ (activations, binary
// predictions, soft labels, weights, pooling). `probabilities` feeds softmax outputs with activation 'none'.
const SETUPS = [
  { name: 'softDice', options: { activation: 'softmax', includeBackground: false, squaredPrediction: true } },
  {
    name: 'softDice',
    variant: 'jaccard, batch, soft labels, voxel weights',
    options: { activation: 'softmax', jaccard: true, batch: true, softLabel: true },
    voxelWeights: true,
  },
  {
    name: 'softDice',
    variant: 'binary sigmoid, smp guards',
    channels: 1,
    options: { activation: 'sigmoid', smoothNr: 0, smoothDr: 0, denominatorFloor: 1e-7, zeroEmptyClasses: true },
  },
  { name: 'maskedDice', options: { activation: 'softmax' }, mask: true },
  { name: 'diceCrossEntropy', options: { activation: 'softmax', classWeights: [0.5, 1, 2] } },
  {
    name: 'diceCrossEntropy',
    variant: 'binary, pos_weight',
    channels: 1,
    options: { activation: 'sigmoid', classWeights: [2] },
  },
  {
    name: 'diceCrossEntropy',
    variant: 'probabilities, ignored voxels',
    probabilities: true,
    options: { activation: 'none', includeBackground: false },
    voxelWeights: true,
  },
  { name: 'generalizedDice', options: { activation: 'softmax', batch: true } },
  {
    name: 'generalizedDice',
    variant: 'simple weights, per sample',
    options: { activation: 'softmax', weightType: 'simple' },
  },
  { name: 'tversky', options: { activation: 'sigmoid', alpha: 0.3, beta: 0.7 } },
  { name: 'focalTversky', options: { activation: 'softmax', alpha: 0.3, beta: 0.7, gamma: 0.75 } },
  {
    name: 'focalTversky',
    variant: 'gamma after the mean',
    options: { activation: 'softmax', gamma: 0.75, gammaApplies: 'afterMean' },
  },
  { name: 'focal', options: { activation: 'softmax', alpha: 0.25 } },
  {
    name: 'focal',
    variant: 'sigmoid, class weights, no background',
    options: { activation: 'sigmoid', alpha: 0.25, classWeights: [1, 2, 3], includeBackground: false },
  },
  { name: 'focal', variant: 'probabilities', probabilities: true, options: { activation: 'none', gamma: 2 } },
  { name: 'asymmetricUnifiedFocal', options: { activation: 'softmax' } },
  { name: 'asymmetricUnifiedFocal', variant: 'binary sigmoid', channels: 1, options: { activation: 'sigmoid' } },
];

const setupLabel = (setup) => `${setup.name}${setup.variant ? ` (${setup.variant})` : ''}`;

/** The setup's options for a problem: per-voxel maps without a channel axis, which fits both layouts. */
function optionsFor(setup, spatial) {
  const options = { ...setup.options };
  const pattern = (k) => (k % 3 === 0 ? 0 : 1);
  if (setup.mask)
    options.mask = tf.tensor(
      Array.from({ length: 2 * voxels(spatial) }, (_, k) => pattern(k)),
      [2, ...spatial],
    );
  if (setup.voxelWeights)
    options.voxelWeights = tf.tensor(
      Array.from({ length: 2 * voxels(spatial) }, (_, k) => pattern(k) * (1 + (k % 2))),
      [2, ...spatial],
    );
  return options;
}

/** The setup's loss as a function of the logits (turned into probabilities where the setup reads those). */
function lossFor(setup, options, labels) {
  const { loss } = R.REFERENCE_LOSSES[setup.name];
  const input = (x) => (setup.probabilities ? softmaxOverClasses(x) : x);
  return (logits, target = labels) => loss(input(logits), target, options);
}

/** The same problem handed over channels-last (the mask given its trailing channel axis, to exercise that form). */
function channelsLastLossFor(setup, options, labels) {
  const lastOptions = { ...options, layout: 'channels_last' };
  if (options.mask) lastOptions.mask = tf.expandDims(options.mask, -1);
  const { loss } = R.REFERENCE_LOSSES[setup.name];
  return (logits) =>
    loss(
      toChannelsLast(setup.probabilities ? softmaxOverClasses(logits) : logits),
      tf.expandDims(labels, -1),
      lastOptions,
    );
}

describe('reference losses: gradients, layouts, targets, memory', () => {
  before(() => engine.initBackend(process.env.LOSS_LENS_BACKEND ?? 'auto'));

  test('every reference loss has a setup here', () => {
    assert.deepEqual([...new Set(SETUPS.map((s) => s.name))].sort(), Object.keys(R.REFERENCE_LOSSES).sort());
  });

  for (const setup of SETUPS) {
    const channels = setup.channels ?? 3;
    for (const spatial of [
      [4, 5],
      [3, 4, 5],
    ]) {
      test(
        `${setupLabel(setup)} ${spatial.length}-D: ` +
          'finite nonzero gradient, same value in every input form, no leak',
        () => {
          const baseline = tf.memory().numTensors;
          tf.tidy(() => {
            const { logits, labels } = randomProblem(spatial, channels, 7 + spatial.length);
            const options = optionsFor(setup, spatial);
            const at = lossFor(setup, options, labels);

            const gradient = Array.from(
              tf
                .grad((x) => at(x))(logits)
                .dataSync(),
            );
            assert.ok(gradient.every(Number.isFinite), 'non-finite gradient');
            assert.ok(Math.hypot(...gradient) > 1e-6, 'zero gradient');

            const reference = at(logits).dataSync()[0];
            assert.ok(Number.isFinite(reference), `loss ${reference}`);
            const forms = {
              'one-hot target': () =>
                at(logits, channels === 1 ? tf.expandDims(labels, 1) : oneHotOf(labels, channels, spatial)),
              'label map with channel axis': () => at(logits, tf.expandDims(labels, 1)),
              'channels-last': () => channelsLastLossFor(setup, options, labels)(logits),
            };
            for (const [form, compute] of Object.entries(forms)) {
              const value = compute().dataSync()[0];
              assert.ok(
                Math.abs(value - reference) <= 1e-5 * Math.max(1, Math.abs(reference)),
                `${form}: ${value} vs ${reference}`,
              );
            }
          });
          assert.equal(tf.memory().numTensors, baseline, 'tensors leaked');
        },
      );
    }

    test(`${setupLabel(setup)}: a direct call keeps only its result`, () => {
      const { logits, labels } = randomProblem([4, 4], channels, 3);
      const options = optionsFor(setup, [4, 4]);
      const input = setup.probabilities ? softmaxOverClasses(logits) : logits;
      const before = tf.memory().numTensors;
      const value = R.REFERENCE_LOSSES[setup.name].loss(input, labels, options);
      assert.equal(value.rank, 0, 'not a scalar');
      assert.equal(tf.memory().numTensors, before + 1, 'intermediate tensors leaked');
      tf.dispose([value, input, logits, labels, options.mask, options.voxelWeights]);
    });

    test(
      `${setupLabel(setup)}: ` + 'a perfect prediction scores better than a random one; saturated logits stay finite',
      () => {
        tf.tidy(() => {
          const spatial = [6, 6];
          const { logits, labels } = randomProblem(spatial, channels, 11);
          const at = lossFor(setup, optionsFor(setup, spatial), labels);
          const target = channels === 1 ? tf.expandDims(labels, 1) : oneHotOf(labels, channels, spatial);
          const perfect = at(tf.mul(tf.sub(target, 0.5), 20)).dataSync()[0];
          const randomValue = at(logits).dataSync()[0];
          assert.ok(perfect < randomValue, `perfect ${perfect} >= random ${randomValue}`);

          // Saturated logits, right for some voxels and wrong for others: a class can be predicted
          // exactly (1 - TI = 0, where x^gamma with gamma < 1 has an infinite slope).
          const flipped =
            channels === 1 ? tf.sub(1, target) : oneHotOf(tf.sub(channels - 1, labels), channels, spatial);
          const saturated = tf.mul(tf.sub(flipped, 0.5), 400);
          const value = at(saturated).dataSync()[0];
          const gradient = Array.from(
            tf
              .grad((x) => at(x))(saturated)
              .dataSync(),
          );
          assert.ok(Number.isFinite(value), `loss ${value}`);
          assert.ok(gradient.every(Number.isFinite), 'non-finite gradient');
        });
      },
    );
  }

  test('the unreduced terms functions keep only their result', () => {
    const { logits, labels } = randomProblem([4, 4], 3, 2);
    const expectedShapes = {
      softDiceTerms: [2, 3],
      generalizedDiceTerms: [2],
      tverskyTerms: [2, 3],
      focalTerms: [2, 3, 4, 4],
    };
    for (const [name, shape] of Object.entries(expectedShapes)) {
      const before = tf.memory().numTensors;
      const terms = R[name](logits, labels, { activation: 'softmax' });
      assert.deepEqual(terms.shape, shape, name);
      assert.equal(tf.memory().numTensors, before + 1, `${name} leaked`);
      terms.dispose();
    }
    tf.dispose([logits, labels]);
  });

  test('a target that fits neither form is refused with both shapes', () => {
    tf.tidy(() => {
      const { logits } = randomProblem([4, 4], 3, 1);
      assert.throws(
        () => R.softDiceLoss(logits, tf.zeros([2, 2, 4, 4]), { activation: 'softmax' }),
        /\[2,2,4,4\].*\[2,3,4,4\]/,
      );
    });
  });
});
