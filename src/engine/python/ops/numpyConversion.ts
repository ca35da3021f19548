// A torch tensor becoming a numpy array: `.numpy()`, and the libraries that call it for you (scipy,
// cv2, numpy meeting a tensor in an operator). PyTorch refuses a tensor that requires grad; the
// diagnosis can ask instead what the user's obvious fix, `.detach().numpy()`, would give.
import * as tf from '@tensorflow/tfjs';
import type { CallSite } from '../callsite';
import { runtimeError } from '../errors';
import { ORIGIN_PREDICTION, TensorValue } from '../tensor';

export const NUMPY_ON_GRAD_MESSAGE =
  "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.";

/** The error as reports quote it (its first sentence). */
export const NUMPY_ON_GRAD_ERROR = "RuntimeError: Can't call numpy() on Tensor that requires grad";

/** PyTorch's error for `.numpy()` on a tensor that requires grad. */
export const numpyOnGradError = () => runtimeError(NUMPY_ON_GRAD_MESSAGE);

/** Whether an error message is PyTorch's refusal of `.numpy()` on a tensor that requires grad. */
export const isNumpyOnGradMessage = (message: string) => message.includes(NUMPY_ON_GRAD_MESSAGE);

/**
 * The numpy array a torch tensor gives (`op` is what the user called: numpy, convolve, an operator).
 * PyTorch 1.13 refuses a tensor that requires grad while grad mode is on (under torch.no_grad() it
 * converts it), unless the runtime reads such conversions as `.detach().numpy()`: then the
 * conversion is the op that cuts the gradient, at its line. A prediction-derived tensor leaving for
 * numpy is traced either way, so the checks see where the prediction left the tensor world (a
 * `.detach()` whose value goes there is no quick fix to remove).
 */
export function torchToNumpy(site: CallSite, x: TensorValue, op: string): TensorValue {
  const refused = x.requiresGrad && site.rt.gradEnabled;
  if (refused && !site.rt.numpyDetaches) throw numpyOnGradError();
  if (!x.requiresGrad && !(x.origin & ORIGIN_PREDICTION))
    return new TensorValue(x.tensor, x.dtype, 'numpy', x.origin, false, x.producer);
  return site.rt.apply(site, op, [x], ([t]) => tf.clone(t), {
    kind: refused
      ? { category: 'conversion', to: 'numpy', readAsDetached: true }
      : { category: 'conversion', to: 'numpy' },
    dtype: x.dtype,
    gradient: 'cut',
    flavour: 'numpy',
  });
}
