// tf.debugging: eager assertions that check their condition now and raise InvalidArgumentError as
// TF does, check_numerics, and no-ops for the rest.
import * as tf from '@tensorflow/tfjs';
import { type InterpreterError, invalidArgumentError } from '../../errors';
import { broadcastShapes } from '../../ops/coercion';
import { toInt } from '../../protocols';
import { isFloatDtype } from '../../tensor';
import { BuiltinFunction, PyOpaque, type PyValue } from '../../values';
import { def } from '../common';
import { T, incompatibleShapes, tfOperands } from './arguments';
import { top } from './tables';

/** Reads a tensor's values for an assertion (TF evaluates eager assertions immediately). */
function assertionFailed(message: PyValue, what: string): InterpreterError {
  const prefix = typeof message === 'string' && message ? `${message}\n` : '';
  return invalidArgumentError(`${prefix}${what}`);
}

const COMPARE_ASSERTS: Record<string, [string, (x: number, y: number) => boolean]> = {
  assert_equal: ['x == y', (x, y) => x === y],
  assert_none_equal: ['x != y', (x, y) => x !== y],
  assert_greater: ['x > y', (x, y) => x > y],
  assert_greater_equal: ['x >= y', (x, y) => x >= y],
  assert_less: ['x < y', (x, y) => x < y],
  assert_less_equal: ['x <= y', (x, y) => x <= y],
};
const SIGN_ASSERTS: Record<string, [string, (x: number) => boolean]> = {
  assert_positive: ['x > 0', (x) => x > 0],
  assert_non_negative: ['x >= 0', (x) => x >= 0],
  assert_negative: ['x < 0', (x) => x < 0],
  assert_non_positive: ['x <= 0', (x) => x <= 0],
};

/**
 * tf.debugging: eager assertions check their condition and raise InvalidArgumentError as TF does;
 * check_numerics raises on NaN/Inf; everything else about debugging is a no-op.
 */
function debuggingFunction(name: string): PyValue {
  if (COMPARE_ASSERTS[name]) {
    const [what, ok] = COMPARE_ASSERTS[name];
    return def(`tf.debugging.${name}`, ['x', 'y', 'message=None', 'summarize=None', 'name=None'], (a, site) => {
      const [x, y] = tfOperands(site, 'Assert', a.x, a.y);
      const shape = broadcastShapes(x.shape, y.shape, incompatibleShapes('Assert'));
      const xs = tf.tidy(() => tf.broadcastTo(x.tensor, shape).dataSync());
      const ys = tf.tidy(() => tf.broadcastTo(y.tensor, shape).dataSync());
      const firstSix = (values: ArrayLike<number>) => Array.from(values).slice(0, 6).join(' ');
      for (let i = 0; i < xs.length; i++)
        if (!ok(Number(xs[i]), Number(ys[i])))
          throw assertionFailed(
            a.message,
            `Condition ${what} did not hold element-wise: x = [${firstSix(xs)}] y = [${firstSix(ys)}]`,
          );
      return null;
    });
  }
  if (SIGN_ASSERTS[name]) {
    const [what, ok] = SIGN_ASSERTS[name];
    return def(`tf.debugging.${name}`, ['x', 'message=None', 'summarize=None', 'name=None'], (a, site) => {
      const data = T(site, a.x).tensor.dataSync();
      for (const v of data)
        if (!ok(Number(v)))
          throw assertionFailed(
            a.message,
            `Condition ${what} did not hold element-wise: x = [${Array.from(data).slice(0, 6).join(' ')}]`,
          );
      return null;
    });
  }
  if (name === 'assert_rank') {
    return def('tf.debugging.assert_rank', ['x', 'rank', 'message=None', 'name=None'], (a, site) => {
      const x = T(site, a.x);
      if (x.rank !== toInt(a.rank, 'rank'))
        throw assertionFailed(
          a.message,
          `Tensor must have rank ${toInt(a.rank)}. Received rank ${x.rank}, shape (${x.shape.join(', ')})`,
        );
      return null;
    });
  }
  if (name === 'assert_all_finite' || name === 'check_numerics') {
    const spec = name === 'check_numerics' ? ['tensor', 'message', 'name=None'] : ['x', 'message', 'name=None'];
    return def(`tf.debugging.${name}`, spec, (a, site) => {
      const x = T(site, name === 'check_numerics' ? a.tensor : a.x);
      if (isFloatDtype(x.dtype)) {
        const data = x.tensor.dataSync();
        const bad = Array.from(data).find((v) => !Number.isFinite(v));
        if (bad !== undefined) {
          throw invalidArgumentError(
            `${typeof a.message === 'string' ? a.message : ''} : Tensor had ` +
              `${Number.isNaN(bad) ? 'NaN' : 'Inf'} values`,
          );
        }
      }
      return x;
    });
  }
  if (
    name.startsWith('assert') ||
    name === 'enable_check_numerics' ||
    name === 'disable_check_numerics' ||
    name === 'set_log_device_placement'
  ) {
    return new BuiltinFunction(`tf.debugging.${name}`, () => null);
  }
  return new PyOpaque(`tensorflow.debugging.${name}`);
}

export class DebuggingMap extends Map<string, PyValue> {
  override has(_name: string): boolean {
    return true;
  }

  override get(name: string): PyValue | undefined {
    if (!super.has(name)) super.set(name, debuggingFunction(name));
    return super.get(name);
  }
}

for (const name of ['assert_equal', 'assert_greater', 'assert_less', 'assert_rank'])
  top.set(name, debuggingFunction(name));
top.set('check_numerics', debuggingFunction('check_numerics'));
