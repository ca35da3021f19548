// keras.activations: the activation functions by name, and activations.get.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { valueError } from '../../errors';
import { activationKind, unaryKind } from '../../opKinds';
import type { PyValue } from '../../values';
import { type Bound, def } from '../common';
import { tfSoftmax, tfUnary } from '../tensorflow';
import { relu, softsign } from './math';
import { backend, call } from './tables';

export const activations = new Map<string, PyValue>();
const act = (name: string, spec: readonly string[], impl: (a: Bound, site: CallSite) => PyValue) =>
  activations.set(name, def(`keras.activations.${name}`, spec, impl));
act('softmax', ['x', 'axis=-1'], (a, site) => tfSoftmax(site, a.x, a.axis));
act('sigmoid', ['x'], (a, site) => tfUnary(site, 'sigmoid', activationKind('sigmoid'), a.x, tf.sigmoid));
act('tanh', ['x'], (a, site) => tfUnary(site, 'tanh', activationKind('tanh'), a.x, tf.tanh));
act('softplus', ['x'], (a, site) => tfUnary(site, 'softplus', activationKind('softplus'), a.x, tf.softplus));
act('softsign', ['x'], (a, site) => tfUnary(site, 'softsign', activationKind('softsign'), a.x, softsign));
act('relu', ['x', 'alpha=0.0', 'max_value=None', 'threshold=0.0'], (a, site) => relu(site, a));
act('elu', ['x', 'alpha=1.0'], (a, site) => call(site, backend.get('elu')!, [a.x, a.alpha]));
act('selu', ['x'], (a, site) => tfUnary(site, 'selu', activationKind('selu'), a.x, tf.selu));
act('exponential', ['x'], (a, site) => tfUnary(site, 'exp', unaryKind('exp'), a.x, tf.exp));
act('hard_sigmoid', ['x'], (a, site) => call(site, backend.get('hard_sigmoid')!, [a.x]));
act('swish', ['x'], (a, site) => tfUnary(site, 'swish', activationKind('silu'), a.x, (t) => tf.mul(t, tf.sigmoid(t))));
act('linear', ['x'], (a) => a.x);
act('get', ['identifier'], (a) => {
  if (a.identifier === null) return activations.get('linear')!;
  if (typeof a.identifier === 'string') {
    const found = activations.get(a.identifier);
    if (!found) throw valueError(`Unknown activation function: '${a.identifier}'.`);
    return found;
  }
  return a.identifier;
});
