// The training probe's one entry point: builds the data and the initial model the contract calls
// for, trains the user's loss next to the reference losses, and compares their curves. Plain JSON
// out: curves, final metrics, findings, timings, backend.
import * as tf from '@tensorflow/tfjs';
import type { Contract } from '../contract';
import type { Connectivity } from './components';
import { type DatasetName, type DatasetOptions, datasetFor, makeDataset } from './data';
import type { UnplacedFinding } from '../findings/finding';
import { type ProbeFindingKind, detectFindings } from './detect';
import { referencesLearn } from './detectors/curves';
import { type ModelKind, evaluationBatches, initialWeights } from './models';
import { chooseSnapshot } from './snapshots';
import { train } from './train';
import type { LossFn, NamedLoss, ProgressEvent, RunResult, SnapshotSlice } from './types';

import type { ProbeLevel } from './levels';

export { PROBE_LEVELS, type ProbeLevel } from './levels';

/**
 * Step budgets. `quick` trains free logits (8–20 s for six losses on wasm, most of it the losses'
 * own ops); `full` trains the tiny U-Net on 2-D data (50–80 ms a step on wasm: minutes).
 */
const BUDGETS: Record<ProbeLevel, { steps: number; evalEvery: number; model: ModelKind }> = {
  quick: { steps: 200, evalEvery: 10, model: 'free-logits' },
  full: { steps: 1000, evalEvery: 25, model: 'tiny-unet' },
};

/**
 * Adam step sizes. Free logits move each voxel directly: 0.3 lets sound losses reach Dice 1 on
 * binary-2d within the quick budget (0.1 leaves soft Dice at 0.87 with scattered false positives,
 * which would read as a finding). The tiny U-Net collapses to background with every loss at 0.01 and
 * learns at 0.003 (soft Dice 0.8 after 400 steps).
 */
const LEARNING_RATES: Record<ModelKind, number> = { 'free-logits': 0.3, 'tiny-unet': 0.003 };

/**
 * Adam's epsilon. A network's weight gradients sum over all voxels; a free logit's gradient is one
 * voxel's share, which for Dice-type losses on 3-D patches falls to 1e-8 and below, under the
 * default 1e-7: Adam then takes steps 10× smaller than the learning rate and sound losses look as
 * if they failed. Free logits use an epsilon below any real gradient (zeros stay zeros: 0/ε = 0).
 */
const ADAM_EPSILONS: Record<ModelKind, number | undefined> = { 'free-logits': 1e-12, 'tiny-unet': undefined };

export interface ProbeOptions {
  /** The user's loss (e.g. LossProgram.lossFunction(...)). */
  loss: NamedLoss | LossFn;
  /** Losses to compare with, trained on the same data from the same initial model. */
  references?: NamedLoss[];
  contract: Contract;
  level?: ProbeLevel;
  /** Backend name for the report; defaults to the active TF.js backend. */
  backend?: string;
  onProgress?: (event: ProgressEvent) => void;
  isCancelled?: () => boolean;
  // Overrides of the level's defaults (tests use tiny budgets and images).
  steps?: number;
  evalEvery?: number;
  model?: ModelKind;
  dataset?: DatasetName;
  data?: DatasetOptions;
  learningRate?: number;
  seed?: number;
  connectivity?: Connectivity;
}

export interface ProbeReport {
  level: ProbeLevel;
  backend: string;
  contract: Contract;
  dataset: {
    name: DatasetName;
    spatial: number[];
    classes: number;
    trainImages: number;
    evaluationImages: number;
    foregroundFraction: number;
    emptyImages: number;
  };
  model: { kind: ModelKind; parameters: number; learningRate: number };
  steps: number;
  stepsRun: number;
  cancelled: boolean;
  /** The user's loss first, then the references. */
  runs: RunResult[];
  /** The image under the runs' mask snapshots (null: no evaluation image has a lesion). */
  snapshotSlice: SnapshotSlice | null;
  findings: UnplacedFinding<ProbeFindingKind>[];
  timings: { dataMs: number; trainMs: number; totalMs: number; perRunMs: Record<string, number> };
  notes: string[];
}

export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const started = performance.now();
  const level = options.level ?? 'quick';
  const budget = BUDGETS[level];
  const notes: string[] = [];
  const datasetName = options.dataset ?? datasetFor(options.contract);
  let modelKind = options.model ?? budget.model;
  if (modelKind === 'tiny-unet' && datasetName === 'binary-3d') {
    // Real 3-D convolutions are slow and their gradients wrong on wasm (tfjs-notes).
    modelKind = 'free-logits';
    notes.push('3-D probes train free logits: no 3-D network trains reliably on every backend');
  }
  const user: NamedLoss = typeof options.loss === 'function' ? { name: 'your loss', loss: options.loss } : options.loss;
  const references = options.references ?? [];
  const names = new Set<string>();
  for (const l of [user, ...references]) {
    if (names.has(l.name)) throw new Error(`two losses are named '${l.name}': names identify the curves`);
    names.add(l.name);
  }

  const data = makeDataset(datasetName, options.contract, { seed: options.seed, ...options.data });
  const dataMs = performance.now() - started;
  try {
    const learningRate = options.learningRate ?? LEARNING_RATES[modelKind];
    const snapshot = chooseSnapshot(evaluationBatches(modelKind, data), data.spatial);
    const trainStart = performance.now();
    const result = await train({
      data,
      weights: initialWeights(modelKind, data, options.seed ?? 1),
      contract: options.contract,
      losses: [{ ...user, role: 'user' }, ...references.map((r) => ({ ...r, role: 'reference' as const }))],
      steps: options.steps ?? budget.steps,
      evalEvery: options.evalEvery ?? budget.evalEvery,
      learningRate,
      adamEpsilon: ADAM_EPSILONS[modelKind],
      connectivity: options.connectivity,
      snapshotSite: snapshot?.site,
      // The first event names the snapshots' image, so an editor can draw them live.
      onProgress:
        options.onProgress &&
        ((event) =>
          options.onProgress?.(event.step === 0 && snapshot ? { ...event, snapshotSlice: snapshot.slice } : event)),
      isCancelled: options.isCancelled,
    });
    const trainMs = performance.now() - trainStart;
    const [userRun, ...referenceRuns] = result.runs;
    if (referenceRuns.length && !result.cancelled && !referencesLearn(referenceRuns)) {
      notes.push(
        `most reference losses did not learn within ${result.stepsRun} steps (${modelKind}): ` +
          'no verdict compares your loss with them; ' +
          'a longer run or the quick probe (free logits) isolates the loss better',
      );
    }
    const evaluationImages = evaluationBatches(modelKind, data).reduce((acc, b) => acc + b.count, 0);
    return {
      level,
      backend: options.backend ?? tf.getBackend(),
      contract: options.contract,
      dataset: {
        name: datasetName,
        spatial: data.spatial,
        classes: data.labelClasses,
        trainImages: data.train.reduce((acc, b) => acc + b.count, 0),
        evaluationImages,
        foregroundFraction: data.foregroundFraction,
        emptyImages: data.emptyImages,
      },
      model: { kind: modelKind, parameters: result.parameters, learningRate },
      steps: options.steps ?? budget.steps,
      stepsRun: result.stepsRun,
      cancelled: result.cancelled,
      runs: result.runs,
      snapshotSlice: snapshot?.slice ?? null,
      // A cancelled probe has partial curves: no verdicts from them.
      findings: result.cancelled ? [] : detectFindings(userRun, referenceRuns, evaluationImages, data.train.length),
      timings: {
        dataMs: Math.round(dataMs),
        trainMs: Math.round(trainMs),
        totalMs: Math.round(performance.now() - started),
        perRunMs: Object.fromEntries(result.runs.map((r) => [r.name, r.timeMs])),
      },
      notes,
    };
  } finally {
    data.dispose();
  }
}
