// TensorFlow 1's streaming metrics (tf.metrics.mean_iou, auc, precision...): each returns
// (value, update_op) and keeps its counts in local variables that a session initialises and updates
// (`K.get_session().run(tf.local_variables_initializer())`). TensorFlow 2 runs eagerly and has none of
// them (its tf.metrics is Keras's metric classes; tf.compat.v1.metrics.* raise RuntimeError under
// eager execution), and Loss Lens runs no TF 1 session: a metric that calls one is refused with that
// reason where it calls it, and the use is a TF 1 API note. Other tf.metrics names stay opaque.
import { recordLegacyApi } from '../../legacyApi';
import { unsupported } from '../../errors';
import { BuiltinFunction, type PyValue } from '../../values';

/** The TF 1 streaming metrics whose names TF 2's tf.metrics does not have, with their TF 2 successor. */
const STREAMING: Record<string, string> = {
  mean_iou: 'tf.keras.metrics.MeanIoU',
  auc: 'tf.keras.metrics.AUC',
  precision: 'tf.keras.metrics.Precision',
  recall: 'tf.keras.metrics.Recall',
  precision_at_thresholds: 'tf.keras.metrics.Precision(thresholds=...)',
  recall_at_thresholds: 'tf.keras.metrics.Recall(thresholds=...)',
  mean_per_class_accuracy: 'tf.keras.metrics.Accuracy per class',
  true_positives: 'tf.keras.metrics.TruePositives',
  false_positives: 'tf.keras.metrics.FalsePositives',
  true_negatives: 'tf.keras.metrics.TrueNegatives',
  false_negatives: 'tf.keras.metrics.FalseNegatives',
  sensitivity_at_specificity: 'tf.keras.metrics.SensitivityAtSpecificity',
  specificity_at_sensitivity: 'tf.keras.metrics.SpecificityAtSensitivity',
};

/** `missing` of a tf.metrics namespace: the streaming metric `name`, refused when called. */
export function streamingMetric(name: string): PyValue | undefined {
  const successor = STREAMING[name];
  if (!successor) return undefined;
  return new BuiltinFunction(`tf.metrics.${name}`, (_args, site) => {
    recordLegacyApi(site, `tf.metrics.${name}`, successor);
    throw unsupported(
      `tf.metrics.${name} is a TensorFlow 1 streaming metric: it returns (value, update_op) and keeps its ` +
        'counts in local variables that a tf.Session initialises and updates; TensorFlow 2 has no such ' +
        `function (${successor} is its successor) and Loss Lens runs no TensorFlow 1 session`,
    );
  });
}
