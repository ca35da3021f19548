// Index-driven ops: scatter (the one-hot idiom zeros(...).scatter_(1, target, 1)) and gather.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { InterpreterError, runtimeError, typeError } from '../../errors';
import { broadcastShapes, castTensor } from '../../ops/coercion';
import { addAt, gatherAlong, indexTensor, selectedPositions, writeAt } from '../../ops/indexing';
import { normaliseAxis } from '../../ops/reduce';
import { isTensor } from '../../protocols';
import { TensorValue, isIntDtype } from '../../tensor';
import { PyList, PySlice, PyTuple, type PyValue } from '../../values';
import { boolArg, intArg } from '../common';
import { T } from './arguments';
import { both, method } from './tables';

/**
 * scatter(dim, index, src|value): out[i][index[i][j]][k] = src[i][j][k] (for dim=1), the torch
 * one-hot idiom `zeros(...).scatter_(1, target.unsqueeze(1), 1)`; `add` sums instead (scatter_add,
 * reduce='add'). Positions are read from the index (never differentiated); values keep their gradient.
 */
function scatter(
  site: CallSite,
  x: TensorValue,
  dimArg: PyValue,
  indexArg: PyValue,
  src: PyValue,
  add = false,
  opName = 'scatter',
): TensorValue {
  const index = T(site, indexArg);
  const dim = normaliseAxis(intArg(dimArg, 'dim'), x.rank);
  if (!isIntDtype(index.dtype)) throw runtimeError(`${opName}(): Expected dtype int64 for index`);
  if (index.rank !== x.rank && index.size > 0)
    throw runtimeError('Index tensor must have the same number of dimensions as self tensor');
  if (isTensor(src) && src.rank !== index.rank && index.size > 0)
    throw runtimeError('Index tensor must have the same number of dimensions as src tensor');
  const indexData = index.tensor.dataSync();
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const indexStrides = index.shape.map((_, i) => index.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const positions = new Int32Array(index.size);
  for (let flat = 0; flat < index.size; flat++) {
    let offset = 0;
    for (let d = 0; d < index.rank; d++) {
      const coordinate = Math.floor(flat / indexStrides[d]) % index.shape[d];
      const target = d === dim ? Number(indexData[flat]) : coordinate;
      if (d !== dim && coordinate >= x.shape[d])
        throw runtimeError(
          `Size does not match at dimension ${d} expected index ${index.shape} to be smaller than self`,
        );
      if (target < 0 || target >= x.shape[d]) {
        throw runtimeError(`index ${target} is out of bounds for dimension ${d} with size ${x.shape[d]}`);
      }
      offset += target * strides[d];
    }
    positions[flat] = offset;
  }
  const source = isTensor(src) ? castTensor(site, src, x.dtype) : T(site, src);
  return site.rt.apply(
    site,
    opName,
    // The index is an input too: the result derives from it (a one-hot made from the labels is the labels').
    [x, castTensor(site, source, x.dtype), index],
    ([base, values]) => {
      // src is read at the index's coordinates (it may be larger than the index)
      const picked = isTensor(src)
        ? tf.slice(
            values,
            values.shape.map(() => 0),
            index.shape,
          )
        : tf.broadcastTo(values, index.shape);
      return add ? addAt(base, picked, positions) : writeAt(base, picked, positions);
    },
    { kind: { category: 'scatter', method: 'scatter' }, dtype: x.dtype },
  );
}
const SCATTER_SPEC = ['dim', 'index', 'src=None', '*', 'value=None', 'reduce=None'];
function scatterReduce(reduce: PyValue): boolean {
  if (reduce === null) return false;
  if (reduce === 'add') return true;
  throw new InterpreterError('unsupported', `unsupported: scatter(reduce=${String(reduce)})`);
}
both('scatter', SCATTER_SPEC, (x, a, site) =>
  scatter(site, x, a.dim, a.index, a.src ?? a.value, scatterReduce(a.reduce)),
);
method('scatter_', SCATTER_SPEC, (x, a, site) => {
  x.assignFrom(scatter(site, x, a.dim, a.index, a.src ?? a.value, scatterReduce(a.reduce), 'scatter_'));
  return x;
});
both('scatter_add', ['dim', 'index', 'src'], (x, a, site) =>
  scatter(site, x, a.dim, a.index, a.src, true, 'scatter_add'),
);
method('scatter_add_', ['dim', 'index', 'src'], (x, a, site) => {
  x.assignFrom(scatter(site, x, a.dim, a.index, a.src, true, 'scatter_add_'));
  return x;
});

/** x.index_put(indices, values, accumulate): x[indices] = values, or += with accumulate (repeats add up). */
function indexPut(site: CallSite, x: TensorValue, indices: PyValue, values: PyValue, accumulate: boolean): TensorValue {
  if (!(indices instanceof PyTuple || indices instanceof PyList))
    throw typeError("index_put(): argument 'indices' must be tuple of Tensors");
  const { positions, shape } = selectedPositions(site, x, new PyTuple(indices.items));
  const update = T(site, values);
  broadcastShapes(update.shape, shape);
  return site.rt.apply(
    site,
    'index_put',
    [x, castTensor(site, update, x.dtype)],
    ([base, upd]) => {
      const spread = tf.broadcastTo(upd, shape);
      return accumulate ? addAt(base, spread, positions) : writeAt(base, spread, positions);
    },
    { kind: { category: 'scatter', method: 'setitem' }, dtype: x.dtype },
  );
}
both('index_put', ['indices', 'values', 'accumulate=False'], (x, a, site) =>
  indexPut(site, x, a.indices, a.values, boolArg(a.accumulate)),
);
method('index_put_', ['indices', 'values', 'accumulate=False'], (x, a, site) => {
  x.assignFrom(indexPut(site, x, a.indices, a.values, boolArg(a.accumulate)));
  return x;
});
/**
 * torch.gather(x, dim, index): out[i][j][k] = x[i][index[i][j][k]][k] (dim=1). The entries are read
 * at their flat positions (the gradient goes back to them, and an inf elsewhere in x stays out: a
 * one-hot product would make it NaN); the index is an input of the op for its origin only.
 */
both('gather', ['dim', 'index', '*', 'sparse_grad=False'], (x, a, site) => {
  const index = T(site, a.index);
  const dim = normaliseAxis(intArg(a.dim, 'dim'), x.rank);
  if (!isIntDtype(index.dtype)) throw runtimeError('gather(): Expected dtype int64 for index');
  if (index.rank !== x.rank) throw runtimeError('Index tensor must have the same number of dimensions as input tensor');
  index.shape.forEach((d, i) => {
    if (i !== dim && d > x.shape[i])
      throw runtimeError(
        `Size does not match at dimension ${i} expected index [${index.shape.join(', ')}] to be smaller than ` +
          `self [${x.shape.join(', ')}] apart from dimension ${dim}`,
      );
  });
  const values = index.tensor.dataSync();
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((p, q) => p * q, 1));
  const indexStrides = index.shape.map((_, i) => index.shape.slice(i + 1).reduce((p, q) => p * q, 1));
  const positions = new Int32Array(index.size);
  for (let flat = 0; flat < index.size; flat++) {
    let offset = 0;
    for (let d = 0; d < index.rank; d++) {
      const at = d === dim ? Number(values[flat]) : Math.floor(flat / indexStrides[d]) % index.shape[d];
      if (at < 0 || at >= x.shape[d])
        throw runtimeError(`index ${at} is out of bounds for dimension ${d} with size ${x.shape[d]}`);
      offset += at * strides[d];
    }
    positions[flat] = offset;
  }
  return site.rt.apply(
    site,
    'gather',
    [x, index],
    ([t]) => tf.reshape(gatherAlong(tf.reshape(t, [-1]), positions, 0), index.shape),
    { kind: { category: 'indexing', method: 'gather' }, dtype: x.dtype },
  );
});

/** index_select(dim, index): the entries at a 1-D index along dim, as x[:, …, index] does. */
both('index_select', ['dim', 'index'], (x, a, site) => {
  const index = T(site, a.index);
  if (!isIntDtype(index.dtype)) throw runtimeError('index_select(): Expected dtype int32/int64 for index');
  if (index.rank > 1) throw runtimeError('index_select(): Index is supposed to be a vector');
  const dim = normaliseAxis(intArg(a.dim, 'dim'), x.rank);
  const leading = Array.from({ length: dim }, () => new PySlice(null, null, null));
  return indexTensor(site, x, new PyTuple([...leading, index.rank === 0 ? new PyList([index]) : index]));
});
