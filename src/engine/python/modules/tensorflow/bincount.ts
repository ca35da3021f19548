// tf.math.bincount (and TF 1's tf.bincount): occurrences of each non-negative integer of `arr`, over
// the whole flattened tensor (axis 0) or per row of a matrix (axis -1), at least `minlength` and at
// most `maxlength` bins (larger values are left out), summed weights or 0/1 (binary_output) instead
// of counts. TensorFlow registers no gradient for DenseBincount: the weights' gradient stops here.
import * as tf from '@tensorflow/tfjs';
import { invalidArgumentError, valueError } from '../../errors';
import { countBins } from '../../ops/bincount';
import { castTensor } from '../../ops/coercion';
import { toInt, truthy } from '../../protocols';
import { type LogicalDtype, isIntDtype, storageDtype } from '../../tensor';
import { T, tfDtype } from './arguments';
import { fn, math } from './tables';

const BIN_DTYPES: LogicalDtype[] = ['int32', 'int64', 'float32', 'float64'];
const TF_TYPE_NAMES: Partial<Record<LogicalDtype, string>> = { float32: 'float', float64: 'double', float16: 'half' };

fn(
  [math],
  'bincount',
  [
    'arr',
    'weights=None',
    'minlength=None',
    'maxlength=None',
    'dtype=None',
    'name=None',
    'axis=None',
    'binary_output=False',
  ],
  (a, site) => {
    let x = T(site, a.arr);
    const weights = a.weights === null ? null : T(site, a.weights);
    const binary = truthy(a.binary_output);
    if (weights && binary)
      throw valueError('Arguments `binary_output` and `weights` are mutually exclusive. Please specify only one.');
    if (!isIntDtype(x.dtype)) x = castTensor(site, x, 'int32');
    if (x.dtype !== 'int32' && x.dtype !== 'int64')
      throw invalidArgumentError(
        `Value for attr 'Tidx' of ${x.dtype} is not in the list of allowed values: int32, int64`,
      );
    const axis = a.axis === null ? 0 : toInt(a.axis, 'axis');
    if (axis !== 0 && axis !== -1)
      throw valueError(`Unsupported value for argument axis=${axis}. Only 0 and -1 are currently supported.`);
    if (axis === -1 && x.rank > 2)
      throw invalidArgumentError(`Shape must be at most rank 2 but is rank ${x.rank} [Op:DenseBincount]`);
    const dtype = weights ? weights.dtype : (tfDtype(a.dtype) ?? 'int32');
    if (!BIN_DTYPES.includes(dtype)) {
      throw invalidArgumentError(
        `Value for attr 'T' of ${TF_TYPE_NAMES[dtype] ?? dtype} is not in the list of allowed values: ` +
          'int32, int64, float, double',
      );
    }
    if (weights && weights.shape.join(',') !== x.shape.join(',')) {
      throw invalidArgumentError(
        '`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case it acts as all weights ' +
          `equal to 1. Received [${weights.shape.join(',')}] [Op:DenseBincount]`,
      );
    }
    const values = Array.from(x.tensor.dataSync() as ArrayLike<number>, Number);
    if (values.some((v) => v < 0)) throw invalidArgumentError('Input arr must be non-negative! [Op:DenseBincount]');
    let length = values.length ? Math.max(...values) + 1 : 0;
    if (a.minlength !== null) length = Math.max(toInt(a.minlength, 'minlength'), length);
    if (a.maxlength !== null) length = Math.min(toInt(a.maxlength, 'maxlength'), length);
    length = Math.max(length, 0);
    const rows = axis === -1 && x.rank === 2 ? x.shape[0] : 1;
    const shape = axis === -1 && x.rank === 2 ? [rows, length] : [length];
    site.rt.guard.checkTensorElements(shape, 'bincount');
    const weightValues = weights ? Array.from(weights.tensor.dataSync() as ArrayLike<number>, Number) : undefined;
    const perRow = values.length / Math.max(rows, 1);
    const counts = new Float64Array(rows * length);
    for (let row = 0; row < rows; row++) {
      const [from, to] = [row * perRow, (row + 1) * perRow];
      counts.set(countBins(values.slice(from, to), length, weightValues?.slice(from, to), binary), row * length);
    }
    const inputs = weights ? [x, weights] : [x];
    return site.rt.apply(site, 'bincount', inputs, () => tf.tensor(Array.from(counts), shape, storageDtype(dtype)), {
      kind: { category: 'bincount', weighted: weights !== null },
      dtype,
      gradient: 'cut',
    });
  },
  'tf.math.bincount',
);
