// theano.tensor.extra_ops.to_one_hot (extra_ops' cumsum, squeeze and repeat are registered with their
// theano.tensor twins).
import * as tf from '@tensorflow/tfjs';
import { indexError, typeError } from '../../errors';
import { isFloatDtype } from '../../tensor';
import { def, intArg } from '../common';
import { FLOATX, TT, ZERO, dtypeArg } from './arguments';
import { extraOps } from './tables';
import { oneHotAnyDepth } from '../../ops/oneHotAnyDepth';

extraOps.set(
  'to_one_hot',
  def('to_one_hot', ['y', 'nb_class', 'dtype=None'], (a, site) => {
    const y = TT(site, a.y);
    if (y.rank !== 1) throw typeError(`to_one_hot: y must be a vector, got a ${y.rank}-d tensor`);
    if (isFloatDtype(y.dtype)) throw typeError('to_one_hot: y must be an integer tensor');
    const classes = intArg(a.nb_class, 'nb_class');
    site.rt.guard.checkTensorElements([y.shape[0], classes], 'to_one_hot');
    const indices = Int32Array.from(y.tensor.dataSync(), (v) => {
      if (v < -classes || v >= classes) throw indexError(`index ${v} is out of bounds for axis 1 with size ${classes}`);
      return v < 0 ? v + classes : v;
    });
    return site.rt.apply(site, 'to_one_hot', [y], () => oneHotAnyDepth(tf.tensor1d(indices, 'int32'), classes), {
      kind: { category: 'one_hot', depth: classes, axis: 1 },
      dtype: dtypeArg(a.dtype) ?? FLOATX,
      gradient: ZERO,
    });
  }),
);
