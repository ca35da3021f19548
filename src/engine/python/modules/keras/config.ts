// Keras's global backend configuration (epsilon, floatx, image data format), kept per program, and
// the K.* functions that read and set it.
import type { CallSite } from '../../callsite';
import { valueError } from '../../errors';
import { KERAS_EPSILON } from '../../ops/nn';
import { repr, toFloat } from '../../protocols';
import { type LogicalDtype, isFloatDtype } from '../../tensor';
import { NULL_CONTEXT, tfDtype } from '../tensorflow';
import { K, backend } from './tables';

/**
 * K.epsilon() / K.set_epsilon() and friends: global in Keras (keras/backend_config.py), so per
 * program here — one file's set_epsilon must not leak into the next file the worker analyses.
 */
interface KerasConfig {
  epsilon: number;
  floatx: LogicalDtype;
  imageDataFormat: string;
}

export function config(site: CallSite): KerasConfig {
  let state = site.rt.programState.get('keras') as KerasConfig | undefined;
  if (!state)
    site.rt.programState.set(
      'keras',
      (state = { epsilon: KERAS_EPSILON, floatx: 'float32', imageDataFormat: 'channels_last' }),
    );
  return state;
}

export const floatx = (site: CallSite): LogicalDtype => config(site).floatx;

K('epsilon', [], (_a, site) => config(site).epsilon);
K('set_epsilon', ['value'], (a, site) => {
  config(site).epsilon = toFloat(a.value, 'epsilon');
  return null;
});
K('floatx', [], (_a, site) => config(site).floatx);
K('set_floatx', ['value'], (a, site) => {
  const dtype = tfDtype(a.value);
  if (!dtype || !isFloatDtype(dtype))
    throw valueError(`Unknown \`floatx\` value: ${repr(a.value)}. Expected one of {'float16', 'float32', 'float64'}`);
  config(site).floatx = dtype;
  return null;
});
K('image_data_format', [], (_a, site) => config(site).imageDataFormat);
K('set_image_data_format', ['data_format'], (a, site) => {
  if (a.data_format !== 'channels_last' && a.data_format !== 'channels_first')
    throw valueError(
      `Unknown \`data_format\`: ${repr(a.data_format)}. Expected one of {'channels_first', 'channels_last'}`,
    );
  config(site).imageDataFormat = String(a.data_format);
  return null;
});
K('image_dim_ordering', [], (_a, site) => (config(site).imageDataFormat === 'channels_last' ? 'tf' : 'th'));
K('backend', [], () => 'tensorflow');
K('learning_phase', [], () => 0n);
for (const name of [
  'set_learning_phase',
  'clear_session',
  'manual_variable_initialization',
  'set_session',
  'reset_uids',
])
  K(name, ['*args', '**kwargs'], () => null);
backend.set('name_scope', NULL_CONTEXT);
