// TF's dtype objects (tf.float32.is_floating, .size, .as_numpy_dtype...), tf.as_dtype and the
// tf.dtypes module.
import { typeError } from '../../errors';
import { type LogicalDtype, isFloatDtype, isIntDtype } from '../../tensor';
import { PyOpaque, type PyValue } from '../../values';
import { def, dtypeObject } from '../common';
import { TF_FLAVOUR, tfDtype } from './arguments';
import { CAST } from './select';
import { top } from './tables';

const TF_DTYPES: Record<string, LogicalDtype> = {
  float16: 'float16',
  half: 'float16',
  float32: 'float32',
  float64: 'float64',
  double: 'float64',
  bfloat16: 'float16',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  bool: 'bool',
};
export const dtypes = new Map<string, PyValue>();
for (const [name, dtype] of Object.entries(TF_DTYPES)) {
  const object = dtypeObject(TF_FLAVOUR, dtype);
  object.attrs.set('is_floating', isFloatDtype(dtype));
  object.attrs.set('is_integer', isIntDtype(dtype));
  object.attrs.set('is_bool', dtype === 'bool');
  object.attrs.set('is_unsigned', dtype === 'uint8' || dtype === 'bool');
  object.attrs.set('base_dtype', object);
  object.attrs.set(
    'size',
    BigInt({ float16: 2, float32: 4, float64: 8, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, bool: 1 }[dtype]),
  );
  object.attrs.set('as_numpy_dtype', dtypeObject('numpy', dtype));
  top.set(name, object);
  dtypes.set(name, object);
}
const asDtype = def('tf.as_dtype', ['type_value'], (a) => {
  const dtype = tfDtype(a.type_value);
  if (!dtype) throw typeError(`Cannot convert None to a TensorFlow DType.`);
  return dtypeObject(TF_FLAVOUR, dtype);
});
top.set('as_dtype', asDtype);
dtypes.set('as_dtype', asDtype);
dtypes.set('cast', CAST);
dtypes.set('DType', new PyOpaque('tensorflow.dtypes.DType'));
