// Which of the loss's inputs a traced tensor derives from: the prediction, the labels, or both.
import { ORIGIN_PREDICTION, ORIGIN_TARGET } from '../../python/tensor';
import type { TensorInfo } from '../../python/trace';

export const fromPrediction = (t: TensorInfo) => (t.origin & ORIGIN_PREDICTION) !== 0;
export const fromTarget = (t: TensorInfo) => (t.origin & ORIGIN_TARGET) !== 0;
export const onlyTarget = (t: TensorInfo) => fromTarget(t) && !fromPrediction(t);
export const onlyPrediction = (t: TensorInfo) => fromPrediction(t) && !fromTarget(t);
