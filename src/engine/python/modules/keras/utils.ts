// keras.utils: register_keras_serializable, the custom-object scope and to_categorical.
import * as tf from '@tensorflow/tfjs';
import { indexError } from '../../errors';
import { toInt } from '../../protocols';
import { BuiltinFunction, PyDict, type PyValue } from '../../values';
import { def } from '../common';
import { perAnalysis } from '../registry';
import { NULL_CONTEXT, convertTo, tfDtype } from '../tensorflow';

export const utils = new Map<string, PyValue>();
const identityDecorator = new BuiltinFunction(
  'keras.utils.register_keras_serializable.decorator',
  (args) => args.positional[0] ?? null,
);
utils.set(
  'register_keras_serializable',
  def('keras.utils.register_keras_serializable', ["package='Custom'", 'name=None'], () => identityDecorator),
);
utils.set(
  'get_custom_objects',
  // A registry the file fills (get_custom_objects().update(...)): its own, for each analysis.
  def('keras.utils.get_custom_objects', [], () => perAnalysis('keras.custom_objects', () => new PyDict())),
);
utils.set('custom_object_scope', NULL_CONTEXT);
utils.set('CustomObjectScope', NULL_CONTEXT);
utils.set(
  'to_categorical',
  def('keras.utils.to_categorical', ['y', 'num_classes=None', "dtype='float32'"], (a, site) => {
    const y = convertTo(site, a.y, undefined);
    const labels = Array.from(y.tensor.dataSync(), (v) => Math.trunc(Number(v)));
    let shape = y.shape;
    if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
    const classes =
      a.num_classes === null || a.num_classes === 0n
        ? Math.max(-1, ...labels) + 1
        : toInt(a.num_classes, 'num_classes');
    site.rt.guard.checkTensorElements([labels.length, classes], 'to_categorical');
    const data = new Float32Array(labels.length * classes);
    labels.forEach((label, i) => {
      if (label >= classes || label < -classes) {
        throw indexError(`index ${label} is out of bounds for axis 1 with size ${classes}`);
      }
      data[i * classes + (label < 0 ? label + classes : label)] = 1;
    });
    const dtype = tfDtype(a.dtype) ?? 'float32';
    return site.rt.constant(tf.tensor(data, [...shape, classes], 'float32'), undefined, dtype, 'numpy');
  }),
);
