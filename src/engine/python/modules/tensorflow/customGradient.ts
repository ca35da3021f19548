// tf.custom_gradient: the decorated function returns (y, grad_fn) and the gradient of y with respect
// to the function's arguments is grad_fn(upstream): one gradient per positional argument (None: no
// gradient), as TF's eager decorator requires. The forward runs without gradient tracking; when the
// runtime asks for automatic differentiation of it (the wrong-gradient check), y is differentiated
// through the forward's ops and grad_fn is not used.
import type * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../../callsite';
import { typeError, valueError } from '../../errors';
import {
  connectBackward,
  handGradientKey,
  inputGradient,
  reachableTensors,
  recordHandGradient,
  returnOf,
  untracked,
} from '../../handGradients';
import { isTensor } from '../../protocols';
import { TensorValue } from '../../tensor';
import { type Args, BuiltinFunction, PyFunction, PyList, PyTuple, type PyValue, typeName } from '../../values';
import { TF_FLAVOUR, T } from './arguments';
import { fn, top } from './tables';

/** (y, grad_fn) from the decorated function's result. */
function splitResult(result: PyValue, name: string): { y: PyValue; gradFn: PyValue } {
  if (!(result instanceof PyTuple || result instanceof PyList) || result.items.length !== 2)
    throw typeError(`${name} decorated with tf.custom_gradient must return (y, grad_fn), got ${typeName(result)}`);
  return { y: result.items[0], gradFn: result.items[1] };
}

function customGradientCall(f: PyValue, args: Args, site: CallSite): PyValue {
  const name = f instanceof PyFunction ? f.name : 'custom_gradient';
  const call = () => site.rt.call(f, args, site.range);
  const inputs = args.positional.filter(isTensor);
  if (!site.rt.gradEnabled || !inputs.some((i) => i.requiresGrad)) return splitResult(call(), name).y;
  const key = handGradientKey(f instanceof PyFunction ? f.range : undefined, name);
  const use = recordHandGradient(site.rt, {
    key,
    style: 'custom-gradient',
    name,
    definition: f instanceof PyFunction ? f.range : site.range,
  });
  if (site.rt.autodiff(key)) return splitResult(call(), name).y;
  const { y, gradFn } = splitResult(
    untracked(site, true, () => call()),
    name,
  );
  const multiple = y instanceof PyTuple || y instanceof PyList;
  const ys = (multiple ? [...y.items] : [y]).map((v) => T(site, v));
  const backward = (upstream: tf.Tensor[]): tf.Tensor[] => {
    const dys = upstream.map((u, k) => new TensorValue(u, ys[k].dtype, TF_FLAVOUR, 0, false));
    const returned = untracked(site, false, () =>
      site.rt.call(gradFn, { positional: dys, keywords: new Map() }, site.range),
    );
    use.backward = returnOf(site.rt, gradFn) ?? (gradFn instanceof PyFunction ? gradFn.range : use.definition);
    const grads = returned instanceof PyTuple || returned instanceof PyList ? [...returned.items] : [returned];
    const count = args.positional.length;
    if (grads.length !== count)
      throw valueError(
        `custom_gradient function expected to return ${count} gradients, but returned ${grads.length} instead.`,
      );
    return args.positional.flatMap((a, i) => (isTensor(a) ? [inputGradient(grads[i], a, i, use)] : []));
  };
  // The forward's intermediates that grad_fn closes over are freed when the forward pass ends.
  const connected = connectBackward(
    site,
    name,
    'tf.custom_gradient: a hand-written gradient',
    inputs,
    ys,
    reachableTensors([gradFn]),
    backward,
  );
  return multiple ? new PyTuple(connected) : connected[0];
}

/** @tf.custom_gradient, or tf.custom_gradient(f=None) returning the decorator. */
const decorate = (f: PyValue): PyValue =>
  new BuiltinFunction(f instanceof PyFunction ? f.name : 'custom_gradient', (args, site) =>
    customGradientCall(f, args, site),
  );
fn([top], 'custom_gradient', ['f=None'], (a) =>
  a.f === null ? new BuiltinFunction('tf.custom_gradient', (args) => decorate(args.positional[0])) : decorate(a.f),
);
