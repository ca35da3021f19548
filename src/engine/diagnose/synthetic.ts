// Deterministic synthetic inputs shaped by a contract: label maps with small blob lesions and
// predictions that are random, perfect, or empty, in the layout, label format and prediction
// domain the loss expects.
import type { Contract } from '../contract';
import type { LossInputs } from '../program';
import { InterpreterError } from '../python/errors';
import { normalSample, seededRandom } from '../random';

/**
 * The most class channels synthetic inputs are made with. Every loop here is linear in the classes
 * (a blob per class and image; a channel per class and pixel), so this bounds them to a few million
 * steps whatever contract they are given (settings stop at 64; a model in the file may say 150).
 */
export const MAX_SYNTHETIC_CLASSES = 1024;

/** The contract's class count (2 when unset), refused when no synthetic input can have it. */
function classCount(contract: Contract): number {
  const classes = contract.classes ?? 2;
  if (!Number.isInteger(classes) || classes < 1 || classes > MAX_SYNTHETIC_CLASSES)
    throw new InterpreterError(
      'limit',
      `limit: a contract of ${classes} classes (synthetic inputs take 1 to ${MAX_SYNTHETIC_CLASSES} classes)`,
    );
  return classes;
}

export type PredictionKind = 'random' | 'perfect' | 'empty' | 'inverted' | 'perfect-but-one';

export interface SyntheticOptions {
  batch?: number;
  size?: number; // spatial edge
  depth?: number; // for 3-D
  seed?: number;
  /** Classes that never occur in the labels (absent-class probes). */
  absentClasses?: number[];
  /** Labels with no foreground at all (empty patches). */
  emptyTarget?: boolean;
  /** With 'perfect-but-one': the class whose pixels the prediction gets wrong. */
  wrongClass?: number;
  /** With 'random': blend towards the perfect prediction (0 = random, 1 = perfect), for loss-response plots. */
  towardsPerfect?: number;
}

/** A class index per pixel: background with one blob per foreground class, per image. */
export function labelMap(
  contract: Contract,
  options: SyntheticOptions = {},
): { labels: Int32Array; spatial: number[]; batch: number } {
  const batch = options.batch ?? 2;
  // Spatial sizes differ from the batch (2) and the class count, so checks can tell axes apart by size.
  const size = options.size ?? (contract.classes === 16 ? 12 : 16);
  const spatial =
    contract.spatialDims === 3 ? [options.depth ?? (contract.classes === 6 ? 5 : 6), size, size] : [size, size];
  const pixels = spatial.reduce((a, b) => a * b, 1);
  const classes = Math.max(classCount(contract), 2);
  const labels = new Int32Array(batch * pixels);
  if (options.emptyTarget) return { labels, spatial, batch };
  const random = seededRandom(options.seed ?? 7);
  const absent = new Set(options.absentClasses ?? []);
  for (let b = 0; b < batch; b++) {
    for (let c = 1; c < classes; c++) {
      if (absent.has(c)) continue;
      const radius = 1.5 + random() * 2;
      const center = spatial.map((d) => radius + random() * (d - 2 * radius));
      for (let p = 0; p < pixels; p++) {
        let rest = p;
        let distance = 0;
        for (let d = spatial.length - 1; d >= 0; d--) {
          const coordinate = rest % spatial[d];
          rest = Math.floor(rest / spatial[d]);
          distance += (coordinate - center[d]) ** 2;
        }
        if (distance <= radius * radius) labels[b * pixels + p] = c;
      }
    }
  }
  return { labels, spatial, batch };
}

/** Index of element (b, c, ...spatial) in the contract's layout. */
function layoutShape(contract: Contract, batch: number, channels: number, spatial: number[]): number[] {
  if (contract.flattened) return [batch * spatial.reduce((a, b) => a * b, 1), channels];
  if (contract.channelless) return [batch, ...spatial];
  return contract.layout === 'channels_first' ? [batch, channels, ...spatial] : [batch, ...spatial, channels];
}

export function channelOffset(
  contract: Contract,
  b: number,
  c: number,
  p: number,
  channels: number,
  pixels: number,
): number {
  return contract.layout === 'channels_first' ? (b * channels + c) * pixels + p : (b * pixels + p) * channels + c;
}

/**
 * Inputs for one evaluation. `classes` 1 means a binary loss with one sigmoid channel; 2 or more
 * means mutually exclusive classes (softmax).
 */
export function syntheticInputs(
  contract: Contract,
  prediction: PredictionKind,
  options: SyntheticOptions = {},
): LossInputs {
  const channels = classCount(contract);
  const binary = channels === 1;
  const { labels, spatial, batch } = labelMap(binary ? { ...contract, classes: 2 } : contract, options);
  const pixels = spatial.reduce((a, b) => a * b, 1);
  const random = seededRandom((options.seed ?? 7) * 31 + 1);
  const shape = layoutShape(contract, batch, channels, spatial);
  const probabilities = new Float32Array(batch * pixels * channels);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < pixels; p++) {
      const label = labels[b * pixels + p];
      const scores = Array.from({ length: channels }, (_, c) => {
        switch (prediction) {
          case 'perfect':
            return binary ? label : label === c ? 1 : 0;
          case 'perfect-but-one': {
            // Right everywhere except on `wrongClass`, whose pixels go to another class.
            const wrong = options.wrongClass ?? 1;
            const predicted = label === wrong ? (wrong === 0 ? 1 : 0) : label;
            return binary ? predicted : predicted === c ? 1 : 0;
          }
          case 'empty':
            return binary ? 0 : c === 0 ? 1 : 0;
          case 'inverted':
            return binary ? 1 - label : label === c ? 0 : 1 / Math.max(channels - 1, 1);
          default:
            return normalSample(random);
        }
      });
      let values: number[];
      if (prediction === 'random') {
        if (binary) values = [1 / (1 + Math.exp(-scores[0]))];
        else {
          const max = Math.max(...scores);
          const exps = scores.map((s) => Math.exp(s - max));
          const total = exps.reduce((a, e) => a + e, 0);
          values = exps.map((e) => e / total);
        }
      } else values = scores;
      const t = options.towardsPerfect;
      if (prediction === 'random' && t !== undefined) {
        values = values.map((v, c) => (1 - t) * v + t * (binary ? label : label === c ? 1 : 0));
      }
      values.forEach((v, c) => (probabilities[channelOffset(contract, b, c, p, channels, pixels)] = v));
    }
  }
  const predictionData = contract.prediction === 'logits' ? toLogits(probabilities, binary) : probabilities;
  const target = targetTensor(contract, labels, batch, spatial, channels);
  return {
    prediction: { data: predictionData, shape },
    target,
    targetDtype: contract.labels === 'sparse' && !contract.floatLabels ? 'int' : 'float',
  };
}

/** Logits that the matching activation maps back to (nearly) the given probabilities. */
function toLogits(probabilities: Float32Array, binary: boolean): Float32Array {
  const clip = (p: number) => Math.min(Math.max(p, 1e-4), 1 - 1e-4);
  return Float32Array.from(probabilities, (p) => (binary ? Math.log(clip(p) / (1 - clip(p))) : Math.log(clip(p))));
}

function targetTensor(
  contract: Contract,
  labels: Int32Array,
  batch: number,
  spatial: number[],
  channels: number,
): LossInputs['target'] {
  const pixels = spatial.reduce((a, b) => a * b, 1);
  if (contract.labels === 'sparse') {
    // Conventions: PyTorch (N, *spatial); Keras (N, *spatial, 1). sparseChannel overrides.
    const channel = !contract.channelless && (contract.sparseChannel ?? contract.layout === 'channels_last');
    const shape = contract.flattened
      ? [batch * pixels, ...(contract.sparseChannel ? [1] : [])]
      : !channel
        ? [batch, ...spatial]
        : contract.layout === 'channels_first'
          ? [batch, 1, ...spatial]
          : [batch, ...spatial, 1];
    return { data: Float32Array.from(labels), shape };
  }
  const binary = channels === 1;
  const data = new Float32Array(batch * pixels * channels);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < pixels; p++) {
      const label = labels[b * pixels + p];
      if (binary) data[channelOffset(contract, b, 0, p, 1, pixels)] = label > 0 ? 1 : 0;
      else data[channelOffset(contract, b, label, p, channels, pixels)] = 1;
    }
  }
  return { data, shape: layoutShape(contract, batch, channels, spatial) };
}
