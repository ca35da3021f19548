// Keras 2 on TensorFlow 2: keras.backend (K.*), keras.losses (functions, loss classes, the Loss
// base class users subclass, Reduction), keras.activations, keras.metrics' loss aliases and
// keras.utils, registered under every import path loss code uses (keras, tensorflow.keras,
// tensorflow.python.keras, tf_keras). Each K.* function follows keras/backend.py as shipped with
// TF 2.x: it delegates to the tf.* op Keras calls, so TF's dtype and gradient rules apply.
// This file registers the modules; each area fills the tables in its own file (imported here in
// table order).
import './config';
import './conversion';
import './reduce';
import './math';
import './shape';
import './crossentropy';
import './losses';
import './lossClasses';
import './activations';
import './utils';
import { registerModule } from '../registry';
import { NamespaceMap } from '../tensorflow';
import { streamingMetric } from '../tensorflow/streamingMetrics';
import { activations } from './activations';
import { losses, metrics } from './losses';
import { backend } from './tables';
import { utils } from './utils';

const PREFIXES = [
  'keras',
  'tensorflow.keras',
  'tf_keras',
  'tensorflow.python.keras',
  'tensorflow.compat.v1.keras',
  'tensorflow.compat.v2.keras',
];
for (const prefix of PREFIXES) {
  registerModule(prefix, () => new NamespaceMap(prefix, [['__version__', '2.15.0']]));
  registerModule(`${prefix}.backend`, () => backend);
  registerModule(`${prefix}.losses`, () => losses);
  registerModule(`${prefix}.activations`, () => activations);
  registerModule(`${prefix}.metrics`, () => new NamespaceMap(`${prefix}.metrics`, metrics));
  registerModule(`${prefix}.utils`, () => new NamespaceMap(`${prefix}.utils`, utils));
}
// TF 2's tf.losses and tf.metrics are tf.keras.losses and tf.keras.metrics; TF 1's streaming
// metrics (tf.metrics.mean_iou) are refused with their reason (tensorflow/streamingMetrics.ts).
registerModule('tensorflow.losses', () => losses);
registerModule('tensorflow.metrics', () => new NamespaceMap('tensorflow.metrics', metrics, streamingMetric));
