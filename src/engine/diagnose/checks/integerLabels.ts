// integer-labels: the loss raises on integer class maps (TensorFlow does not mix int32 with
// float32; PyTorch's binary cross-entropies take float targets). The contract search then analyses
// it on float maps, as pipelines feed them after / 255. or astype; this note says so.
import { integerLabelDtype } from '../../contract';
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { InterpreterError } from '../../python/errors';
import { returnRange } from '../queries/returnSite';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'integer-labels',
  severity: 'info',
  title: 'The loss fails on integer label maps',
  message:
    'the loss fails on integer label maps ({dtype}): {error}; it was analysed with float maps, as a pipeline ' +
    'feeds them after / 255. or astype(float32)',
  explanation:
    'Label maps often arrive as integers (uint8 masks read from PNG files, int64 class maps). This loss raises on ' +
    "them: TensorFlow does not multiply int32 by float32, and PyTorch's binary cross-entropies take float " +
    'targets only. It runs on float maps, which is how it was analysed; whether it runs in training depends on ' +
    'the dtype the data pipeline delivers.',
  fix:
    'Cast the labels inside the loss (K.cast(y_true, "float32"), tf.cast, target.float()), or one-hot encode ' +
    'class maps before combining them with the prediction.',
  example: {
    bug: `from tensorflow.keras import backend as K

def dice_loss(y_true, y_pred, smooth=1.0):
    """y_true: integer mask (N, H, W, 1); y_pred: sigmoid probabilities (N, H, W, 1)."""
    inter = K.sum(y_true * y_pred)
    return 1 - (2 * inter + smooth) / (K.sum(y_true) + K.sum(y_pred) + smooth)
`,
    fixed: `from tensorflow.keras import backend as K

def dice_loss(y_true, y_pred, smooth=1.0):
    """y_true: integer mask (N, H, W, 1); y_pred: sigmoid probabilities (N, H, W, 1)."""
    y_true = K.cast(y_true, "float32")
    inter = K.sum(y_true * y_pred)
    return 1 - (2 * inter + smooth) / (K.sum(y_true) + K.sum(y_pred) + smooth)
`,
  },
});

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  if (!contract.floatLabels) return [];
  // A binary mask the search guessed is a float mask, as pipelines load them: no hazard to note.
  if (contract.sources.labels !== 'given' && contract.sources.labels !== 'context') return [];
  let error: InterpreterError | undefined;
  try {
    subject.evaluate('random', {}, { ...contract, floatLabels: false });
  } catch (caught) {
    if (caught instanceof InterpreterError && caught.kind === 'python') error = caught;
  }
  if (!error) return [];
  const range =
    error.range && error.range.file === undefined ? error.range : returnRange(subject.program.module, subject.loss);
  return [makeFinding(rule, range, { dtype: integerLabelDtype(contract.framework), error: error.message })];
}
