// The reference losses a probe trains next to the user's, chosen for the user's contract: correct
// Dice-family and cross-entropy losses reading the prediction the way the contract says.
import type { Contract } from '../contract';
import {
  type Activation,
  type Layout,
  asymmetricUnifiedFocalLoss,
  diceCrossEntropyLoss,
  focalTverskyLoss,
  generalizedDiceLoss,
  softDiceLoss,
  tverskyLoss,
} from './reference';
import type { ProbeLevel } from './runProbe';
import type { LossFn, NamedLoss } from './types';

/** How a reference reads the prediction, and whether its overlaps pool the batch without background. */
interface ReferenceReading {
  activation: Activation;
  layout: Layout;
  /** nnU-Net's batch Dice: overlaps summed over the batch, background channel left out. */
  batchDice: boolean;
}

interface ReferenceSpec {
  name: string;
  follows: string;
  /** Trains with a one-channel (sigmoid) binary prediction. */
  oneChannel: boolean;
  /** Has a batch-Dice variant (see ReferenceReading). */
  pools: boolean;
  make: (read: ReferenceReading) => LossFn;
}

/** Options of the Dice-family references for a reading. */
const diceOptions = ({ activation, layout, batchDice }: ReferenceReading) => ({
  activation,
  layout,
  ...(batchDice ? { batch: true, includeBackground: false } : {}),
});

/**
 * Ordered by cost per step on wasm (bench: soft Dice, Tversky, focal Tversky and generalized Dice
 * about 14 ms a step on 4×2×64×64, unified focal 19 ms, Dice + CE 25 ms). Quick probes take the
 * first three that fit the contract; full probes take them all.
 */
const REFERENCES: ReferenceSpec[] = [
  {
    name: 'soft Dice',
    follows: 'MONAI DiceLoss',
    oneChannel: true,
    pools: true,
    make: (read) => (p, t) => softDiceLoss(p, t, diceOptions(read)),
  },
  {
    name: 'Tversky 0.3/0.7',
    follows: 'MONAI TverskyLoss (alpha 0.3, beta 0.7)',
    oneChannel: true,
    pools: true,
    make: (read) => (p, t) => tverskyLoss(p, t, { ...diceOptions(read), alpha: 0.3, beta: 0.7 }),
  },
  {
    name: 'generalized Dice',
    follows: 'MONAI GeneralizedDiceLoss, absent-class weights guarded',
    // One channel has nothing to weight against: it neither balances classes nor learns reliably.
    oneChannel: false,
    pools: true,
    // Its weights already discount the background: pooling only.
    make:
      ({ activation, layout, batchDice }) =>
      (p, t) =>
        generalizedDiceLoss(p, t, { activation, layout, ...(batchDice ? { batch: true } : {}) }),
  },
  {
    name: 'focal Tversky',
    follows: 'Abraham & Khan 2019 (alpha 0.3, beta 0.7, gamma 0.75)',
    oneChannel: true,
    pools: true,
    make: (read) => (p, t) => focalTverskyLoss(p, t, { ...diceOptions(read), alpha: 0.3, beta: 0.7 }),
  },
  {
    name: 'unified focal',
    follows: 'MONAI AsymmetricUnifiedFocalLoss',
    oneChannel: true,
    pools: false,
    make:
      ({ activation, layout }) =>
      (p, t) =>
        asymmetricUnifiedFocalLoss(p, t, { activation, layout }),
  },
  {
    name: 'Dice + CE',
    follows: 'MONAI DiceCELoss',
    oneChannel: true,
    pools: false,
    make:
      ({ activation, layout }) =>
      (p, t) =>
        diceCrossEntropyLoss(p, t, { activation, layout }),
  },
];
const QUICK_REFERENCES = 3;

/**
 * The reference losses for a contract and level, reading the prediction the way the contract says.
 * A full probe of several classes trains a small network, under which the per-image Dice family
 * with background collapses to background by step 50 (an absent class scores 1 for predicting
 * nothing); measured: batch Dice without background reaches 0.5–0.8 in 300 steps. There the Dice
 * family pools the batch, as nnU-Net's batch Dice does, so the references show what learns.
 */
export function referencesFor(contract: Contract, level: ProbeLevel): (NamedLoss & { follows: string })[] {
  const classes = contract.classes ?? 2;
  const oneChannel = classes === 1;
  const activation: Activation = contract.prediction === 'probabilities' ? 'none' : oneChannel ? 'sigmoid' : 'softmax';
  const fitting = REFERENCES.filter((r) => !oneChannel || r.oneChannel);
  const chosen = level === 'quick' ? fitting.slice(0, QUICK_REFERENCES) : fitting;
  const network = level === 'full' && contract.spatialDims !== 3;
  return chosen.map((r) => {
    const batchDice = network && classes > 2 && r.pools;
    const follows = batchDice ? `${r.follows}; batch Dice without background (nnU-Net)` : r.follows;
    return { name: r.name, follows, loss: r.make({ activation, layout: contract.layout, batchDice }) };
  });
}
