// The models a probe trains. `free-logits`: the prediction's logits are themselves the trained
// variable (one per training batch): fast, and it isolates what the loss's gradient does to each
// voxel. `tiny-unet`: a few thousand parameters, one down/up level, built from the custom conv2d so
// it trains on every backend; it adds what a network adds (shared weights, generalisation to the
// held-out batch). Both start from weights drawn once from a seed, so every loss trains the same
// initial model.
import * as tf from '@tensorflow/tfjs';
import type { Contract } from '../contract';
import { seededRandom } from '../random';
import { trainableConv2d } from './conv';
import type { ProbeBatch, ProbeDataset } from './data';
import { flushSubnormalGradients } from './subnormal';

export type ModelKind = 'free-logits' | 'tiny-unet';
export const MODEL_KINDS: readonly ModelKind[] = ['free-logits', 'tiny-unet'];

/** Initial weights as plain arrays: instantiated once per loss, so all runs start identical. */
export interface ModelWeights {
  kind: ModelKind;
  tensors: { name: string; shape: number[]; values: Float32Array }[];
}

export interface ProbeModel {
  kind: ModelKind;
  variables: tf.Variable[];
  parameters: number;
  /** Raw logits, channels-last (N, *spatial, C), for a batch of the dataset. */
  logits(batch: ProbeBatch): tf.Tensor;
  /**
   * Where the metrics are measured: the held-out batch for a network; the training batches for
   * free logits, which have no input to generalise from (their question is whether the loss's
   * gradient moves each voxel the right way).
   */
  evaluationBatches(data: ProbeDataset): ProbeBatch[];
  dispose(): void;
}

/** The batches a model of this kind is evaluated on (see ProbeModel.evaluationBatches). */
export const evaluationBatches = (kind: ModelKind, data: ProbeDataset): ProbeBatch[] =>
  kind === 'free-logits' ? data.train : [data.heldOut];

function gaussianArray(random: () => number, size: number, std: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = Math.max(random(), 1e-12);
    values[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  return values;
}

/** Free-logit noise: small, so the initial prediction is close to uniform over the classes. */
const FREE_LOGIT_STD = 0.5;

/** The tiny U-Net's layers: name, kernel size, input and output channels (the head's output is the class count). */
const UNET_FILTERS = 8;
const unetLayers = (channels: number): [string, number, number, number][] => [
  ['enc1', 3, 1, UNET_FILTERS],
  ['enc2', 3, UNET_FILTERS, UNET_FILTERS],
  ['mid1', 3, UNET_FILTERS, 2 * UNET_FILTERS],
  ['mid2', 3, 2 * UNET_FILTERS, 2 * UNET_FILTERS],
  ['dec1', 3, 3 * UNET_FILTERS, UNET_FILTERS],
  ['head', 1, UNET_FILTERS, channels],
];

export function initialWeights(kind: ModelKind, data: ProbeDataset, seed = 1): ModelWeights {
  const random = seededRandom(seed * 7919 + 17);
  if (kind === 'free-logits') {
    return {
      kind,
      tensors: data.train.map((batch) => {
        const shape = [batch.count, ...data.spatial, data.channels];
        return {
          name: `logits${batch.index}`,
          shape,
          values: gaussianArray(
            random,
            shape.reduce((a, b) => a * b, 1),
            FREE_LOGIT_STD,
          ),
        };
      }),
    };
  }
  if (data.spatial.length !== 2) throw new Error('tiny-unet is 2-D only: 3-D probes use free logits');
  if (data.spatial.some((d) => d % 2 !== 0)) throw new Error(`tiny-unet needs even image sizes, got [${data.spatial}]`);
  const tensors: ModelWeights['tensors'] = [];
  for (const [name, k, cin, cout] of unetLayers(data.channels)) {
    // He initialisation for the ReLU layers.
    tensors.push({
      name: `${name}/w`,
      shape: [k, k, cin, cout],
      values: gaussianArray(random, k * k * cin * cout, Math.sqrt(2 / (k * k * cin))),
    });
    tensors.push({ name: `${name}/b`, shape: [cout], values: new Float32Array(cout) });
  }
  return { kind, tensors };
}

/** (N, H, W, C) → (N, H/2, W/2, C), max over 2×2 windows, by reshape: no pooling kernel needed. */
function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.max(tf.reshape(x, [n, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D;
}

/**
 * Nearest ×2 upsampling by reshape + broadcast (the cpu backend's ResizeNearestNeighborGrad is wrong
 * for batch > 1). The broadcast is a multiplication by ones: tf.broadcastTo's gradient (Tile's) is
 * not implemented for rank 6, a broadcasting multiply's (a sum) is.
 */
function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const spread = tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1]));
  return tf.reshape(spread, [n, 2 * h, 2 * w, c]) as tf.Tensor4D;
}

let modelCount = 0;

function toVariables(weights: ModelWeights): Map<string, tf.Variable> {
  // Unique names: TF.js keys optimizer state by variable name, and several runs coexist.
  const id = modelCount++;
  // In a tidy: the initial-value tensor is released, the variable (never tidied) stays.
  return new Map(
    weights.tensors.map((t) => [
      t.name,
      tf.tidy(() => tf.variable(tf.tensor(t.values, t.shape, 'float32'), true, `probe${id}/${t.name}`)),
    ]),
  );
}

export function instantiate(weights: ModelWeights): ProbeModel {
  const variables = toVariables(weights);
  const list = [...variables.values()];
  const parameters = list.reduce((acc, v) => acc + v.size, 0);
  const dispose = () => list.forEach((v) => v.dispose());
  if (weights.kind === 'free-logits') {
    return {
      kind: 'free-logits',
      variables: list,
      parameters,
      logits(batch) {
        const logits = variables.get(`logits${batch.index}`);
        if (!logits) throw new Error('free logits exist for the training batches only');
        return logits;
      },
      evaluationBatches: (data) => evaluationBatches('free-logits', data),
      dispose,
    };
  }
  const weight = (name: string) => variables.get(name)! as tf.Tensor as tf.Tensor4D;
  const layer = (x: tf.Tensor4D, name: string, relu = true): tf.Tensor4D => {
    const y = tf.add(trainableConv2d(x, weight(`${name}/w`)), variables.get(`${name}/b`)!) as tf.Tensor4D;
    return relu ? tf.relu(y) : y;
  };
  return {
    kind: 'tiny-unet',
    variables: list,
    parameters,
    logits(batch) {
      const encoded = layer(layer(batch.images as tf.Tensor4D, 'enc1'), 'enc2');
      const middle = layer(layer(maxPool2(encoded), 'mid1'), 'mid2');
      const decoded = layer(tf.concat([upsample2(middle), encoded], 3) as tf.Tensor4D, 'dec1');
      return layer(decoded, 'head', false);
    },
    evaluationBatches: (data) => evaluationBatches('tiny-unet', data),
    dispose,
  };
}

/** Moves the class axis from last to position 1: (N, *spatial, C) → (N, C, *spatial). */
const channelsFirst = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];

/**
 * The model output as the loss receives it: raw logits, or probabilities (softmax over the class
 * axis, sigmoid for one channel), in the contract's layout. Gradients are flushed of subnormals at
 * the logits, before anything flows back into the model.
 */
export function contractPrediction(logits: tf.Tensor, contract: Contract): tf.Tensor {
  const flushed = flushSubnormalGradients(logits);
  const channels = logits.shape[logits.rank - 1];
  const activated =
    contract.prediction === 'logits' ? flushed : channels === 1 ? tf.sigmoid(flushed) : tf.softmax(flushed, -1);
  return contract.layout === 'channels_first' ? tf.transpose(activated, channelsFirst(activated.rank)) : activated;
}
