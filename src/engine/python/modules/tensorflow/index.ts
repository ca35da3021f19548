// TensorFlow 2 (eager): tensorflow, tf.math, tf.nn, tf.linalg, tf.dtypes, tf.debugging, tf.image and the
// tf.Tensor attributes, with TF's semantics: axis/keepdims, no implicit dtype promotion between
// tensors, integer reduce_mean, int64 argmax, one_hot → float32 on a new last axis, and TF's
// registered gradients (Round/Floor/Ceil, ArgMax, comparisons, non-float casts and StopGradient
// carry none; Sign's is zero; SoftmaxCrossEntropyWithLogits uses its kernel gradient).
// This file registers the modules; each area fills the tables in its own file (imported here in
// table order). modules/keras/ builds Keras's backend and losses on the functions exported here.
import './reduce';
import './math';
import './select';
import './linalg';
import './shape';
import './indexing';
import './creation';
import './nn';
import './eager';
import './dtypes';
import './tensor';
import './debugging';
import './sort';
import './sparse';
import './bincount';
import './customGradient';
import { registerModule } from '../registry';
import { DebuggingMap } from './debugging';
import { sparse } from './sparse';
import { dtypes } from './dtypes';
import { image } from './image';
import { NamespaceMap, TF1_ALIASES, compatV1, tf1Missing } from './namespace';
import { linalg, math, nn, top } from './tables';
import { streamingMetric } from './streamingMetrics';

// TF 1 top-level spellings are tf.math only in TF 2: `tf.log` resolves through tf1Missing (TF 1 API).
for (const name of Object.keys(TF1_ALIASES)) top.delete(name);
registerModule('tensorflow', () => new NamespaceMap('tensorflow', top, tf1Missing));
registerModule('tensorflow.math', () => math);
registerModule('tensorflow.nn', () => nn);
registerModule('tensorflow.linalg', () => linalg);
registerModule('tensorflow.dtypes', () => dtypes);
registerModule('tensorflow.debugging', () => new DebuggingMap());
registerModule('tensorflow.sparse', () => sparse);
registerModule('tensorflow.image', () => new NamespaceMap('tensorflow.image', image));
registerModule('tensorflow.compat', () => new NamespaceMap('tensorflow.compat', []));
registerModule('tensorflow.compat.v1', () => new NamespaceMap('tensorflow.compat.v1', compatV1()));
registerModule('tensorflow.compat.v2', () => new NamespaceMap('tensorflow.compat.v2', top));
registerModule(
  'tensorflow.compat.v1.metrics',
  () => new NamespaceMap('tensorflow.compat.v1.metrics', [], streamingMetric),
);
registerModule('tensorflow.compat.v1.math', () => math);
registerModule('tensorflow.compat.v1.nn', () => nn);
registerModule('tensorflow.compat.v1.image', () => new NamespaceMap('tensorflow.compat.v1.image', image));
registerModule('tensorflow.compat.v2.math', () => math);
registerModule('tensorflow.compat.v2.nn', () => nn);

/** The function tables, for modules/keras/ (K.* delegates to tf.* exactly as Keras's backend does). */
export const TF_TABLES = { top, math, nn, linalg };

export { TF_FLAVOUR, T, convertTo, noKernel, tfDtype } from './arguments';
export { divideNoNan, tfArith, tfCompare, tfMinMax, tfUnary } from './math';
export { clipByValue, stopGradient, tfCast, tfWhere } from './select';
export { tfArgReduce, tfReduce } from './reduce';
export { l2Normalize } from './linalg';
export { tfConcat, tfExpandDims, tfReshape, tfShape, tfSqueeze, tfStack, tfTranspose } from './shape';
export { tfOneHot } from './indexing';
export { onesLike, tfConstant, variableOf } from './creation';
export { sigmoidCrossEntropy, softmaxCrossEntropy, sparseSoftmaxCrossEntropy, tfSoftmax } from './nn';
export { NULL_CONTEXT } from './eager';
export { NamespaceMap } from './namespace';
