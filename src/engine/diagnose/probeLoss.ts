// Training probes as part of a diagnosis: the user's interpreted loss trained next to reference
// losses chosen for its contract, the probe's verdicts placed on the loss's return line.
import * as tf from '@tensorflow/tfjs';
import type { Contract } from '../contract';
import { type Finding, placeFinding } from '../findings/finding';
import type { LossProgram } from '../program';
import type { ProbeFindingKind } from '../probe/detect';
import { referencesFor } from '../probe/references';
import { type ProbeLevel, type ProbeOptions, type ProbeReport, runProbe } from '../probe/runProbe';
import type { LossFn, ProgressEvent } from '../probe/types';
import type { Module } from '../python/ast';
import { InterpreterError } from '../python/errors';
import type { Limits } from '../python/limits';
import type { PyValue } from '../python/values';
import type { DiscoveredLoss } from './discover';
import { returnRange } from './queries/returnSite';

export type ProbeSetting = 'none' | ProbeLevel;

/** Overrides of a probe level's budget (tests and CI): fewer steps, smaller images, another seed. */
export type ProbeBudget = Pick<ProbeOptions, 'steps' | 'evalEvery' | 'data' | 'seed'>;

/** What a LossReport carries of a probe: the probe's report plus which references ran and why. */
export interface LossProbe extends ProbeReport {
  /** The name of the user's run in `runs` (always the first). */
  user: string;
  references: { name: string; follows: string }[];
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
    const labels =
      target.size === pixels
        ? tf.reshape(target, sparseChannel ? [pixels, 1] : [pixels])
        : tf.reshape(target, [pixels, channels]);
    return lossFn(tf.reshape(prediction, [pixels, channels]), labels);
  };
}

/** The loss called on (N, *spatial) maps: the probe's single channel axis taken away from both tensors. */
function asChannelless(lossFn: LossFn, layout: Contract['layout']): LossFn {
  return (prediction, target) => {
    const axis = layout === 'channels_first' ? 1 : prediction.rank - 1;
    const labels = target.rank === prediction.rank ? tf.squeeze(target, [axis]) : target;
    return lossFn(tf.squeeze(prediction, [axis]), labels);
  };
}

/** The contract the probe's data and models follow: images, also for a loss that takes them flattened. */
function imageContract(contract: Contract): Contract {
  const { framework, argOrder, layout, labels, prediction, classes, spatialDims, sparseChannel, flattened } = contract;
  if (flattened) {
    const channel = labels === 'sparse' ? { sparseChannel: false } : {};
    return { framework, argOrder, layout: 'channels_last', labels, prediction, classes, spatialDims, ...channel };
  }
  const channel = sparseChannel !== undefined ? { sparseChannel } : {};
  return { framework, argOrder, layout, labels, prediction, classes, spatialDims, ...channel };
}

/** Runs the probe for one loss: its report, and its verdicts as findings. Throws 'cancelled' when cancelled. */
export async function probeLoss(request: LossProbeRequest): Promise<{
  probe: LossProbe;
  findings: Finding<ProbeFindingKind>[];
}> {
  const { program, loss, callable, level } = request;
  const { framework, argOrder, labels, sparseChannel, flattened, channelless, layout } = request.contract;
  // The probe's data and models stay images; a flattened loss gets them reshaped to (pixels, classes).
  const contract = imageContract(request.contract);
  const references = referencesFor(contract, level);
  const user = references.some((r) => r.name === loss.entry) ? `${loss.entry} (yours)` : loss.entry;
  const { limits, isCancelled } = request;
  const interpreted = program.lossFunction(callable, { framework, argOrder, limits, isCancelled });
  const userLoss = flattened
    ? asFlattened(interpreted, labels === 'sparse' && sparseChannel === true)
    : channelless
      ? asChannelless(interpreted, layout)
      : interpreted;
  const report = await runProbe({
    loss: { name: user, loss: userLoss },
    references: references.map(({ name, loss: fn }) => ({ name, loss: fn })),
    contract,
    level,
    onProgress: request.onProgress,
    isCancelled: request.isCancelled,
    ...request.budget,
  });
  if (report.cancelled || request.isCancelled?.()) throw new InterpreterError('cancelled', 'cancelled');
  if (level === 'quick') {
    const names = references.map((r) => r.name).join(', ');
    report.notes.push(
      `quick probes train the ${references.length} cheapest references (${names}); --probe full trains all of them`,
    );
  }
  const range = returnRange(request.module, loss);
  return {
    probe: { ...report, user, references: references.map(({ name, follows }) => ({ name, follows })) },
    findings: report.findings.map((f) => placeFinding(f, range)),
  };
}
