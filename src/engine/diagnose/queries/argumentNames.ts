// What a signature's parameter names say about the order of the prediction and the labels.
import type { ArgOrder } from '../../contract';

const PREDICTION = new RegExp(
  '^(y_?pred|pred|preds|prediction|predictions|predicted|output|outputs|logits|probs|probas|probabilities|' +
    'input|inputs|y_?hat|net_output|scores?)$',
  'i',
);
const TARGET = /^(y_?true|true|target|targets|gt|ground_?truth|labels?|masks?|truth|y|seg|segmentation)$/i;

/** The order a signature's parameter names suggest, if they say anything. */
export function orderFromNames(params: readonly string[]): ArgOrder | undefined {
  const [first, second] = params;
  if (first === undefined || second === undefined) return undefined;
  if (TARGET.test(first) && PREDICTION.test(second)) return 'true_pred';
  if (PREDICTION.test(first) && TARGET.test(second)) return 'pred_true';
  return undefined;
}
