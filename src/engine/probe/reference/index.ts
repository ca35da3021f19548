// The reference losses the training probes compare a user's loss against: correct, differentiable
// TF.js implementations with the semantics of the libraries they are named after, each a pure
// `(prediction, target, options) => tf.Scalar`. The options say how to read the inputs (layout,
// activation, one-hot or label-map target); see options.ts.
import { diceCrossEntropyLoss } from './diceCe';
import { softDiceLoss } from './dice';
import { focalLoss } from './focal';
import { generalizedDiceLoss } from './generalizedDice';
import { maskedDiceLoss } from './maskedDice';
import { focalTverskyLoss, tverskyLoss } from './tversky';
import { asymmetricUnifiedFocalLoss } from './unifiedFocal';

export type { Activation, Layout, ReferenceOptions, Reduction } from './options';
export { softDiceLoss, softDiceTerms, type SoftDiceOptions } from './dice';
export { maskedDiceLoss, type MaskedDiceOptions } from './maskedDice';
export { diceCrossEntropyLoss, type DiceCrossEntropyOptions } from './diceCe';
export {
  generalizedDiceLoss,
  generalizedDiceTerms,
  type GeneralizedDiceOptions,
  type GeneralizedDiceWeight,
} from './generalizedDice';
export { tverskyLoss, tverskyTerms, focalTverskyLoss, type TverskyOptions, type FocalTverskyOptions } from './tversky';
export { focalLoss, focalTerms, type FocalOptions } from './focal';
export { asymmetricUnifiedFocalLoss, type AsymmetricUnifiedFocalOptions } from './unifiedFocal';
export type { OverlapRatioOptions } from './ratio';

/** Every reference loss by name, with the library behaviour it reproduces; each keeps its own options type. */
export const REFERENCE_LOSSES = {
  softDice: { follows: 'MONAI DiceLoss (also Jaccard, squared prediction)', loss: softDiceLoss },
  maskedDice: { follows: 'MONAI MaskedDiceLoss', loss: maskedDiceLoss },
  diceCrossEntropy: { follows: 'MONAI DiceCELoss', loss: diceCrossEntropyLoss },
  generalizedDice: { follows: 'MONAI GeneralizedDiceLoss', loss: generalizedDiceLoss },
  tversky: { follows: 'MONAI TverskyLoss', loss: tverskyLoss },
  focalTversky: {
    follows: 'Abraham & Khan 2019 (per class), or smp / SegLoss (after the class mean)',
    loss: focalTverskyLoss,
  },
  focal: { follows: 'MONAI FocalLoss', loss: focalLoss },
  asymmetricUnifiedFocal: { follows: 'MONAI AsymmetricUnifiedFocalLoss', loss: asymmetricUnifiedFocalLoss },
} as const;

export type ReferenceLossName = keyof typeof REFERENCE_LOSSES;
