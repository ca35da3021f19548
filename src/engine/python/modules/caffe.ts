// A small model of pycaffe for Python layers (`class DiceLossLayer(caffe.Layer)`): Blob (data and
// diff as float32 numpy arrays, reshape, count, num, channels, height, width, shape) and Layer. As a
// loss, a layer is called like Caffe's net calls it: bottom[0] holds the prediction, bottom[1] the
// labels, setup, reshape and forward run, and the loss is top[0].data. Its gradient is the layer's
// backward: top[0].diff holds the upstream gradient (the loss weight), propagate_down is
// [True, False], and bottom[0].diff is the prediction's gradient (nothing written: no gradient). When
// the runtime asks for automatic differentiation (the wrong-gradient check), top[0].data is
// differentiated through the forward's numpy ops and backward is not used.
import * as tf from '@tensorflow/tfjs';
import { getAttribute } from '../attributes';
import { OBJECT_CLASS } from '../builtins';
import type { CallSite } from '../callsite';
import { typeError } from '../errors';
import {
  connectBackward,
  handGradientKey,
  inputGradient,
  reachableTensors,
  recordHandGradient,
  untracked,
} from '../handGradients';
import { castTensor } from '../ops/coercion';
import { isTensor, toShape } from '../protocols';
import { TensorValue } from '../tensor';
import { BuiltinFunction, PyClass, PyFunction, PyInstance, PyList, PyTuple, type PyValue } from '../values';
import { def } from './common';
import { registerModule } from './registry';

const FLAVOUR = 'numpy' as const;

/** Sets a blob's arrays and the attributes read from its shape. */
function setArrays(blob: PyInstance, data: TensorValue, diff: TensorValue): void {
  const shape = data.shape;
  blob.attrs.set('data', data);
  blob.attrs.set('diff', diff);
  blob.attrs.set('shape', new PyTuple(shape.map(BigInt)));
  blob.attrs.set('count', BigInt(data.size));
  ['num', 'channels', 'height', 'width'].forEach((name, axis) => blob.attrs.set(name, BigInt(shape[axis] ?? 1)));
}

const zeros = (site: CallSite, shape: number[]) =>
  site.rt.constant(tf.zeros(shape, 'float32'), undefined, 'float32', FLAVOUR);

const BLOB_CLASS = new PyClass(
  'Blob',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      'reshape',
      def('Blob.reshape', ['self', '*shape'], (a, site) => {
        const items = (a.shape as PyTuple).items;
        const shape = items.length === 1 && !(typeof items[0] === 'bigint') ? toShape(items[0]) : toShape(a.shape);
        setArrays(a.self as PyInstance, zeros(site, shape), zeros(site, shape));
        return null;
      }),
    ],
  ]),
  undefined,
  'caffe._caffe.Blob',
);

/** A blob holding `data` (float32, as Caffe's blobs are) and a zero diff. */
function blobOf(site: CallSite, data: TensorValue): PyInstance {
  const blob = new PyInstance(BLOB_CLASS);
  const asFloat = castTensor(site, data, 'float32', 'Blob');
  setArrays(blob, asFloat, zeros(site, asFloat.shape));
  return blob;
}

const method = (layer: PyInstance, name: string, site: CallSite): PyValue | undefined => {
  try {
    return getAttribute(layer, name, site);
  } catch {
    return undefined;
  }
};

/** Runs the layer's setup, reshape and forward on the blobs; the loss is top[0].data. */
function forwardPass(site: CallSite, layer: PyInstance, bottom: PyList, top: PyList): TensorValue {
  for (const name of ['setup', 'reshape', 'forward']) {
    const fn = method(layer, name, site);
    if (fn !== undefined) site.rt.call(fn, { positional: [bottom, top], keywords: new Map() }, site.range);
  }
  const data = (top.items[0] as PyInstance).attrs.get('data') ?? null;
  if (!isTensor(data)) throw typeError(`${layer.cls.name}.forward left top[0].data without an array`);
  return data;
}

/** layer(prediction, labels): the loss as the net computes it, differentiated by the layer's backward. */
function callLayer(site: CallSite, layer: PyInstance, prediction: PyValue, labels: PyValue): PyValue {
  if (!isTensor(prediction) || !isTensor(labels)) throw typeError('a Caffe loss layer takes two arrays');
  const bottom = new PyList([blobOf(site, prediction), blobOf(site, labels)]);
  const top = new PyList([new PyInstance(BLOB_CLASS)]);
  setArrays(top.items[0] as PyInstance, zeros(site, []), zeros(site, []));
  const name = layer.cls.name;
  const differentiated = site.rt.gradEnabled && prediction.requiresGrad;
  const key = handGradientKey(layer.cls.range, name);
  if (!differentiated || site.rt.autodiff(key)) {
    if (differentiated) recordHandGradient(site.rt, useOf(key, name, layer, site));
    return forwardPass(site, layer, bottom, top);
  }
  const use = recordHandGradient(site.rt, useOf(key, name, layer, site));
  const loss = untracked(site, true, () => forwardPass(site, layer, bottom, top));
  const inputs = [prediction, labels];
  const backward = (upstream: tf.Tensor[]): tf.Tensor[] => {
    const topBlob = top.items[0] as PyInstance;
    topBlob.attrs.set('diff', new TensorValue(upstream[0], 'float32', FLAVOUR, 0, false));
    const blobs = bottom.items as PyInstance[];
    const initial = blobs.map((b, i) => {
      const diff = zeros(site, inputs[i].shape);
      b.attrs.set('diff', diff);
      return diff.tensor;
    });
    const fn = getAttribute(layer, 'backward', site);
    const written = untracked(site, false, () => {
      const traced = site.rt.trace.entries.length;
      const propagate = new PyList([true, false]);
      site.rt.call(fn, { positional: [top, propagate, bottom], keywords: new Map() }, site.range);
      const diff = blobs[0].attrs.get('diff') ?? null;
      if (!isTensor(diff) || diff.tensor === initial[0]) return null;
      // Where bottom[0].diff got its value: the assignment (`bottom[0].diff[...] = grad`).
      const producer = diff.producer >= traced ? site.rt.trace.entries[diff.producer] : undefined;
      use.backward = producer?.range ?? (fn instanceof PyFunction ? fn.range : use.definition);
      return diff;
    });
    if (written === null) use.backward ??= fn instanceof PyFunction ? fn.range : use.definition;
    return [inputGradient(written, prediction, 0, use), tf.zeros(labels.shape)];
  };
  const kept = reachableTensors([layer, bottom, top]);
  const [connected] = connectBackward(
    site,
    `${name}.backward`,
    'Caffe Python layer: a hand-written backward',
    inputs,
    [loss],
    kept,
    backward,
  );
  return connected;
}

function useOf(key: string, name: string, layer: PyInstance, site: CallSite) {
  return { key, style: 'caffe-layer' as const, name, definition: layer.cls.range ?? site.range };
}

const LAYER_CLASS = new PyClass(
  'Layer',
  [OBJECT_CLASS],
  new Map<string, PyValue>([
    [
      '__init__',
      def('Layer.__init__', ['self', '*args', '**kwargs'], (a) => {
        const layer = a.self as PyInstance;
        layer.attrs.set('param_str', '');
        layer.attrs.set('phase', 0n);
        return null;
      }),
    ],
    [
      '__call__',
      def('Layer.__call__', ['self', 'prediction', 'labels'], (a, site) =>
        callLayer(site, a.self as PyInstance, a.prediction, a.labels),
      ),
    ],
  ]),
  undefined,
  'caffe.Layer',
);

registerModule(
  'caffe',
  () =>
    new Map<string, PyValue>([
      ['Layer', LAYER_CLASS],
      ['TRAIN', 0n],
      ['TEST', 1n],
      ['set_mode_cpu', new BuiltinFunction('caffe.set_mode_cpu', () => null)],
      ['set_mode_gpu', new BuiltinFunction('caffe.set_mode_gpu', () => null)],
      ['set_device', new BuiltinFunction('caffe.set_device', () => null)],
    ]),
);
