// scipy, the part loss code uses: scipy.ndimage.distance_transform_edt (also under its deprecated
// scipy.ndimage.morphology path), which boundary and Hausdorff losses apply to labels, and
// scipy.ndimage.convolve/correlate (also under scipy.ndimage.filters), which Hausdorff-erosion
// losses apply to squared errors.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { torchToNumpy } from '../../ops/numpyConversion';
import { runtimeError, unsupported } from '../../errors';
import { isTensor, toFloat, truthy } from '../../protocols';
import type { TensorValue } from '../../tensor';
import { PyList, PyTuple, type PyValue } from '../../values';
import { def } from '../common';
import { N } from '../numpy/arguments';
import { registerModule } from '../registry';
import { featureDistances, featureTransform } from './featureTransform';
import { FILTER_SPEC, ndFilter } from './filters';

const isTorch = (value: PyValue): value is TensorValue => isTensor(value) && value.flavour === 'torch';

/** scipy's _normalize_sequence: one spacing for every axis, or one per axis. */
function samplingOf(value: PyValue, rank: number): number[] | undefined {
  if (value === null) return undefined;
  if (value instanceof PyList || value instanceof PyTuple || isTensor(value)) {
    const items = isTensor(value) ? Array.from(value.tensor.dataSync(), Number) : value.items.map((v) => toFloat(v));
    if (items.length !== rank) throw runtimeError('sequence argument must have length equal to input rank');
    return items;
  }
  return Array(rank).fill(toFloat(value, 'sampling'));
}

/**
 * distance_transform_edt(input, sampling=None, return_distances=True, return_indices=False): the
 * exact Euclidean distance of every non-zero element to the nearest zero element (float64), and
 * the coordinates of that element (int32, one array per axis, stacked first).
 */
function distanceTransformEdt(site: CallSite, a: Record<string, PyValue>): PyValue {
  if (a.distances !== null || a.indices !== null)
    throw unsupported('distance_transform_edt(distances=..., indices=...)');
  const [withDistances, withIndices] = [truthy(a.return_distances), truthy(a.return_indices)];
  if (!withDistances && !withIndices)
    throw runtimeError('at least one of return_distances/return_indices must be True');
  const input = N(site, isTorch(a.input) ? torchToNumpy(site, a.input, 'distance_transform_edt') : a.input);
  const shape = input.rank === 0 ? [1] : input.shape;
  const sampling = samplingOf(a.sampling, shape.length);
  const foreground = input.tensor.dataSync();
  const features = featureTransform(foreground, shape, sampling);
  const kind = { category: 'other', reason: 'distance transform of a mask' } as const;
  const results: TensorValue[] = [];
  if (withDistances) {
    const distances = featureDistances(features, shape, sampling);
    results.push(
      site.rt.apply(site, 'distance_transform_edt', [input], () => tf.tensor(Float32Array.from(distances), shape), {
        kind,
        dtype: 'float64',
        gradient: 'cut',
      }),
    );
  }
  if (withIndices) {
    results.push(
      site.rt.apply(
        site,
        'distance_transform_edt_indices',
        [input],
        () => tf.tensor(features, [shape.length, ...shape], 'int32'),
        {
          kind,
          dtype: 'int32',
          gradient: 'cut',
        },
      ),
    );
  }
  return results.length === 1 ? results[0] : new PyTuple(results);
}

const EDT_SPEC = [
  'input',
  'sampling=None',
  'return_distances=True',
  'return_indices=False',
  'distances=None',
  'indices=None',
];
const distance = (): [string, PyValue][] => [
  [
    'distance_transform_edt',
    def('scipy.ndimage.distance_transform_edt', EDT_SPEC, (a, site) => distanceTransformEdt(site, a)),
  ],
];
const filters = (): [string, PyValue][] => [
  ['convolve', def('scipy.ndimage.convolve', FILTER_SPEC, (a, site) => ndFilter(site, a, true))],
  ['correlate', def('scipy.ndimage.correlate', FILTER_SPEC, (a, site) => ndFilter(site, a, false))],
];

registerModule('scipy', () => new Map());
registerModule('scipy.ndimage', () => new Map([...distance(), ...filters()]));
registerModule('scipy.ndimage.morphology', () => new Map(distance()));
registerModule('scipy.ndimage.filters', () => new Map(filters()));
