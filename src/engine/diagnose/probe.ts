// Training probes as part of a diagnosis: the user's interpreted loss trained next to reference
// losses chosen for its contract, the probe's verdicts turned into findings on the loss's lines.
import * as tf from '@tensorflow/tfjs';
import type { Contract } from '../contract';
import type { LossProgram } from '../program';
import { InterpreterError } from '../python/errors';
import type { Limits } from '../python/limits';
import type { Module, SourceRange, Stmt } from '../python/ast';
import type { PyValue } from '../python/values';
import { probeFindingAt } from '../probe/detect';
import { type ProbeLevel, type ProbeOptions, type ProbeReport, runProbe } from '../probe/probe';
import {
  type Activation, type Layout, asymmetricUnifiedFocalLoss, diceCrossEntropyLoss, focalTverskyLoss, generalizedDiceLoss, softDiceLoss, tverskyLoss,
} from '../probe/reference';
import type { LossFn, NamedLoss, ProgressEvent } from '../probe/types';
import type { DiscoveredLoss } from './discover';
import type { Finding } from './findings';

export type ProbeSetting = 'none' | ProbeLevel;

/** Overrides of a probe level's budget (tests and CI): fewer steps, smaller images, another seed. */
export type ProbeBudget = Pick<ProbeOptions, 'steps' | 'evalEvery' | 'data' | 'seed'>;

/** What a LossReport carries of a probe: the probe's report plus which references ran and why. */
export interface LossProbe extends ProbeReport {
  /** The name of the user's run in `runs` (always the first). */
  user: string;
  references: { name: string; follows: string }[];
}

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
const diceOptions = ({ activation, layout, batchDice }: ReferenceReading) => ({ activation, layout, ...(batchDice ? { batch: true, includeBackground: false } : {}) });

/**
 * Ordered by cost per step on wasm (bench: soft Dice, Tversky, focal Tversky and generalized Dice
 * about 14 ms a step on 4×2×64×64, unified focal 19 ms, Dice + CE 25 ms). Quick probes take the
 * first three that fit the contract; full probes take them all.
 */
const REFERENCES: ReferenceSpec[] = [
  { name: 'soft Dice', follows: 'MONAI DiceLoss', oneChannel: true, pools: true, make: (read) => (p, t) => softDiceLoss(p, t, diceOptions(read)) },
  { name: 'Tversky 0.3/0.7', follows: 'MONAI TverskyLoss (alpha 0.3, beta 0.7)', oneChannel: true, pools: true, make: (read) => (p, t) => tverskyLoss(p, t, { ...diceOptions(read), alpha: 0.3, beta: 0.7 }) },
  {
    name: 'generalized Dice',
    follows: 'MONAI GeneralizedDiceLoss, absent-class weights guarded',
    // One channel has nothing to weight against: it neither balances classes nor learns reliably.
    oneChannel: false,
    pools: true,
    // Its weights already discount the background: pooling only.
    make: (read) => (p, t) => generalizedDiceLoss(p, t, { activation: read.activation, layout: read.layout, ...(read.batchDice ? { batch: true } : {}) }),
  },
  { name: 'focal Tversky', follows: 'Abraham & Khan 2019 (alpha 0.3, beta 0.7, gamma 0.75)', oneChannel: true, pools: true, make: (read) => (p, t) => focalTverskyLoss(p, t, { ...diceOptions(read), alpha: 0.3, beta: 0.7 }) },
  { name: 'unified focal', follows: 'MONAI AsymmetricUnifiedFocalLoss', oneChannel: true, pools: false, make: ({ activation, layout }) => (p, t) => asymmetricUnifiedFocalLoss(p, t, { activation, layout }) },
  { name: 'Dice + CE', follows: 'MONAI DiceCELoss', oneChannel: true, pools: false, make: ({ activation, layout }) => (p, t) => diceCrossEntropyLoss(p, t, { activation, layout }) },
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
    return { name: r.name, follows: batchDice ? `${r.follows}; batch Dice without background (nnU-Net)` : r.follows, loss: r.make({ activation, layout: contract.layout, batchDice }) };
  });
}

function lastReturn(body: Stmt[]): SourceRange | undefined {
  const found = [...body].reverse().find((s) => s.kind === 'return' && s.value !== undefined);
  return found?.range;
}

/**
 * Where a probe finding goes: the line that returns the loss's value (the last `return` of the
 * function, of `forward`/`call`/`__call__` for a class, of the inner function for a factory),
 * else the definition's first line.
 */
export function probeRange(module: Module, loss: DiscoveredLoss): SourceRange {
  const header: SourceRange = { line: loss.range.line, column: loss.range.column, endLine: loss.range.line, endColumn: loss.range.column };
  const node = module.body.find((s) => s.range.line === loss.range.line && (s.kind === 'def' || s.kind === 'class'));
  let body: Stmt[] | undefined;
  if (node?.kind === 'def') {
    const inner = loss.kind === 'factory' ? [...node.def.body].reverse().find((s) => s.kind === 'def') : undefined;
    body = inner?.kind === 'def' ? inner.def.body : node.def.body;
  } else if (node?.kind === 'class') {
    const method = node.body.find((s) => s.kind === 'def' && ['forward', 'call', '__call__'].includes(s.def.name));
    body = method?.kind === 'def' ? method.def.body : undefined;
  }
  return (body && lastReturn(body)) ?? header;
}

export interface LossProbeRequest {
  program: LossProgram;
  module: Module;
  loss: DiscoveredLoss;
  callable: PyValue;
  contract: Contract;
  level: ProbeLevel;
  budget?: ProbeBudget;
  limits?: Partial<Limits>;
  isCancelled?: () => boolean;
  onProgress?: (event: ProgressEvent) => void;
}

/** The loss called on (pixels, classes) predictions and (pixels,) / (pixels, 1) / (pixels, classes) labels. */
function asFlattened(lossFn: LossFn, sparseChannel: boolean): LossFn {
  return (prediction, target) => {
    const channels = prediction.shape[prediction.rank - 1];
    const pixels = prediction.size / channels;
    const labels = target.size === pixels ? tf.reshape(target, sparseChannel ? [pixels, 1] : [pixels]) : tf.reshape(target, [pixels, channels]);
    return lossFn(tf.reshape(prediction, [pixels, channels]), labels);
  };
}

/** Runs the probe for one loss: its report, and its verdicts as findings. Throws 'cancelled' when cancelled. */
export async function probeLoss(request: LossProbeRequest): Promise<{ probe: LossProbe; findings: Finding[] }> {
  const { program, loss, callable, level } = request;
  const { framework, argOrder, layout, labels, prediction, classes, spatialDims, sparseChannel, flattened } = request.contract;
  // The probe's data and models stay images; a flattened loss gets them reshaped to (pixels, classes).
  const contract: Contract = flattened
    ? { framework, argOrder, layout: 'channels_last', labels, prediction, classes, spatialDims, ...(labels === 'sparse' ? { sparseChannel: false } : {}) }
    : { framework, argOrder, layout, labels, prediction, classes, spatialDims, ...(sparseChannel !== undefined ? { sparseChannel } : {}) };
  const references = referencesFor(contract, level);
  const user = references.some((r) => r.name === loss.entry) ? `${loss.entry} (yours)` : loss.entry;
  const interpreted = program.lossFunction(callable, { framework, argOrder, limits: request.limits, isCancelled: request.isCancelled });
  const report = await runProbe({
    loss: { name: user, loss: flattened ? asFlattened(interpreted, labels === 'sparse' && sparseChannel === true) : interpreted },
    references: references.map(({ name, loss: fn }) => ({ name, loss: fn })),
    contract,
    level,
    onProgress: request.onProgress,
    isCancelled: request.isCancelled,
    ...request.budget,
  });
  if (report.cancelled || request.isCancelled?.()) throw new InterpreterError('cancelled', 'cancelled');
  if (level === 'quick') report.notes.push(`quick probes train the ${references.length} cheapest references (${references.map((r) => r.name).join(', ')}); --probe full trains all of them`);
  const range = probeRange(request.module, loss);
  return {
    probe: { ...report, user, references: references.map(({ name, follows }) => ({ name, follows })) },
    findings: report.findings.map((f) => probeFindingAt(f, range)),
  };
}
