// Index-driven ops: scatter (the one-hot idiom zeros(...).scatter_(1, target, 1)) and gather.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { runtimeError } from '../../errors';
import { castTensor } from '../../ops/coercion';
import { oneHot } from '../../ops/nn';
import { normaliseAxis } from '../../ops/reduce';
import { isTensor } from '../../protocols';
import { TensorValue } from '../../tensor';
import type { PyValue } from '../../values';
import { intArg } from '../common';
import { T } from './arguments';
import { both, method } from './tables';

/**
 * scatter(dim, index, src|value): out[i][index[i][j]][k] = src[i][j][k] (for dim=1), the torch
 * one-hot idiom `zeros(...).scatter_(1, target.unsqueeze(1), 1)`. Positions are read from the
 * index (never differentiated); values keep their gradient.
 */
function scatter(site: CallSite, x: TensorValue, dimArg: PyValue, indexArg: PyValue, src: PyValue): TensorValue {
  const index = T(site, indexArg);
  const dim = normaliseAxis(intArg(dimArg, 'dim'), x.rank);
  if (index.rank !== x.rank) throw runtimeError('Index tensor must have the same number of dimensions as self tensor');
  const indexData = index.tensor.dataSync();
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const indexStrides = index.shape.map((_, i) => index.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const positions = new Int32Array(index.size);
  for (let flat = 0; flat < index.size; flat++) {
    let offset = 0;
    for (let d = 0; d < index.rank; d++) {
      const coordinate = Math.floor(flat / indexStrides[d]) % index.shape[d];
      const target = d === dim ? Number(indexData[flat]) : coordinate;
      if (target < 0 || target >= x.shape[d]) {
        throw runtimeError(`index ${target} is out of bounds for dimension ${d} with size ${x.shape[d]}`);
      }
      offset += target * strides[d];
    }
    positions[flat] = offset;
  }
  const source = isTensor(src) ? castTensor(site, src, x.dtype) : T(site, src);
  const mask = new Uint8Array(x.size);
  positions.forEach((p) => (mask[p] = 1));
  return site.rt.apply(
    site,
    'scatter',
    [x, castTensor(site, source, x.dtype)],
    ([base, values]) => {
      // src is read at the index's coordinates (it may be larger than the index)
      const picked = isTensor(src)
        ? tf.slice(
            values,
            values.shape.map(() => 0),
            index.shape,
          )
        : tf.broadcastTo(values, index.shape);
      const scattered = tf.scatterND(tf.tensor2d(positions, [positions.length, 1], 'int32'), tf.reshape(picked, [-1]), [
        x.size,
      ]);
      return tf.where(tf.tensor(mask, x.shape, 'bool'), tf.reshape(scattered, x.shape), base);
    },
    { kind: { category: 'scatter', method: 'scatter' }, dtype: x.dtype },
  );
}
both('scatter', ['dim', 'index', 'src=None', '*', 'value=None', 'reduce=None'], (x, a, site) =>
  scatter(site, x, a.dim, a.index, a.src ?? a.value),
);
method('scatter_', ['dim', 'index', 'src=None', '*', 'value=None', 'reduce=None'], (x, a, site) => {
  x.assignFrom(scatter(site, x, a.dim, a.index, a.src ?? a.value));
  return x;
});
both('gather', ['dim', 'index', '*', 'sparse_grad=False'], (x, a, site) => {
  // torch.gather(x, dim, index): out[i][j][k] = x[i][index[i][j][k]][k] (dim=1), via a one-hot contraction
  const index = T(site, a.index);
  const dim = normaliseAxis(intArg(a.dim, 'dim'), x.rank);
  const hot = oneHot(site, index, x.shape[dim], x.dtype, 'gather_index');
  if (index.rank !== x.rank) throw runtimeError('Index tensor must have the same number of dimensions as input tensor');
  return site.rt.apply(
    site,
    'gather',
    [x, hot],
    ([values, oh]) => {
      const sizes = index.shape.map((d, i) => (i === dim ? x.shape[dim] : d));
      const sliced = tf.slice(
        values,
        sizes.map(() => 0),
        sizes,
      );
      const perm = [...sizes.keys()].filter((i) => i !== dim).concat([dim]);
      const classesLast = tf.expandDims(tf.transpose(sliced, perm), dim); // broadcasts against the one-hot index
      return tf.sum(tf.mul(classesLast, oh), -1);
    },
    { kind: { category: 'indexing', method: 'gather' }, dtype: x.dtype },
  );
});
