// Every finding kind Loss Lens reports, as data: id, default severity, message template, explanation
// and fix. Checks fill the template from their evidence; the docs and the package.json settings are
// checked against this table by a test.

export type Severity = 'error' | 'warning' | 'info';

export interface Rule {
  id: string;
  severity: Severity;
  title: string;
  /** One line; `{name}` placeholders are filled from the finding's evidence. */
  message: string;
  explanation: string;
  fix: string;
}

export const RULES = [
  {
    id: 'non-differentiable',
    severity: 'error',
    title: 'The gradient does not reach the prediction',
    message: '`{op}` cuts the gradient: d(loss)/d(prediction) is {gradient}',
    explanation:
      'argmax, round, thresholds (`>`), integer/boolean casts, `.detach()`, `.numpy()` and `.item()` have no useful gradient. When the prediction passes through one on its way to the loss, the optimiser receives zeros (or nothing) and the network never learns from this term.',
    fix: 'Use the soft probabilities in the loss (softmax/sigmoid outputs); keep argmax/round/thresholds for metrics computed outside the loss.',
  },
  {
    id: 'double-activation',
    severity: 'error',
    title: 'Activation applied to outputs that are already activated',
    message: '`{op}` is applied to a prediction that is already {domain}: a perfect prediction still scores {perfectLoss}',
    explanation:
      'The model already ends in a sigmoid/softmax, so the loss receives probabilities. Squashing them again maps 0 and 1 to about 0.27 and 0.73 (sigmoid) or flattens the class distribution (softmax): the minimum of the loss is unreachable and gradients shrink.',
    fix: 'Remove the activation from the loss, or remove it from the model and treat the model output as logits.',
  },
  {
    id: 'activation-mismatch',
    severity: 'warning',
    title: 'Activation does not match the label structure',
    message: '{detail}',
    explanation:
      'Mutually exclusive classes (one label per pixel) need a softmax over the class axis; a sigmoid treats each class independently, so several classes can claim the same pixel. A softmax over a spatial or batch axis normalises the wrong thing.',
    fix: 'Apply softmax over the class axis ({classAxis}) for exclusive classes; keep sigmoid for independent (multi-label) channels.',
  },
  {
    id: 'absent-class-explosion',
    severity: 'error',
    title: 'Class weights explode when a class is absent',
    message: 'inverse-volume weight for an absent class is {weightRatio}× the largest present one; loss {lossAbsent} vs {lossPresent}',
    explanation:
      'Generalized Dice weights each class by 1/count (or 1/count²). When a class does not occur in a batch its count is 0, and even with a small epsilon the weight becomes enormous: that class dominates the loss and its gradient, and the network collapses to predicting background (or the loss turns into NaN/Inf).',
    fix: 'Guard the weights: set the weight of absent classes to 0 (or to the largest finite weight), or add a reasonable smoothing term to the counts.',
  },
  {
    id: 'shape-mismatch',
    severity: 'error',
    title: 'Labels and predictions are combined with incompatible shapes',
    message: '`{op}` combines a {targetShape} label tensor with a {predictionShape} prediction{detail}',
    explanation:
      'Broadcasting silently aligns trailing axes. Sparse labels against one-hot predictions, channels-first against channels-last, or flattening the batch together with the classes compare the wrong elements without any error, and the loss optimises something else.',
    fix: 'Make both tensors the same layout first (one_hot the labels, permute to the same channel order) and reduce over the spatial axes only.',
  },
  {
    id: 'sign-error',
    severity: 'error',
    title: 'The loss rises as the prediction improves',
    message: 'the loss goes from {lossRandom} (random) to {lossPerfect} (perfect prediction): minimising it makes predictions worse',
    explanation:
      'A loss must be lowest for a perfect prediction. Returning the Dice coefficient itself (instead of 1 - Dice), or a negated loss, makes the optimiser move away from the labels.',
    fix: 'Return 1 - dice (or -log(dice)) instead of the coefficient.',
  },
  {
    id: 'nan-on-empty',
    severity: 'error',
    title: 'NaN when target and prediction are both empty',
    message: 'the loss is {value} for an empty target and an empty prediction (0/0)',
    explanation:
      'Patches without any lesion are common. Without a smoothing term the Dice ratio becomes 0/0 there, and one NaN poisons every weight of the network at the next step.',
    fix: 'Add a smoothing term to numerator and denominator: (2·|A∩B| + s) / (|A| + |B| + s), with s around 1 (or 1e-5 for the numerator and denominator alike).',
  },
  {
    id: 'ignored-class',
    severity: 'warning',
    title: 'A class channel has no influence on the loss',
    message: 'class channel {channel} of {classes} does not influence the loss (gradient {gradient})',
    explanation:
      'The loss never reads some class channel (a hard-coded index, a slice that stops early, a loop over range(C - 1)). That class is never trained; if this is not a deliberate background exclusion, its predictions stay random.',
    fix: 'Loop over all classes (range(num_classes)) or slice with `[..., 1:]` only when excluding background on purpose.',
  },
  {
    id: 'argument-order',
    severity: 'error',
    title: 'Arguments in the wrong order for the framework',
    message: 'the signature ({params}) suggests {suggested}, but {framework} calls losses as {expected}',
    explanation:
      'Keras calls loss(y_true, y_pred); PyTorch criteria are called as loss(input, target). With the order swapped, the loss treats the labels as the prediction: the gradient flows to the wrong tensor and asymmetric terms (clipping, log, class weights) act on the labels.',
    fix: 'Swap the parameters so they match the order the framework uses.',
  },
  {
    id: 'batch-pooled-dice',
    severity: 'info',
    title: 'Dice pooled over the whole batch',
    message: 'the Dice sums run over the batch axis too: one score for the whole batch',
    explanation:
      'Summing intersections over the batch before dividing computes one Dice for all images together. Large lesions dominate and images with small lesions barely count; per-image Dice averaged over the batch treats them alike. Both are used deliberately; pick one knowingly.',
    fix: 'Reduce over the spatial axes only (and the class axis if intended), then average over the batch.',
  },
  {
    id: 'classes-pooled',
    severity: 'info',
    title: 'All classes pooled into one Dice',
    message: 'the Dice sums run over the class axis: classes are pooled into one score',
    explanation:
      'Summing over the class axis before dividing lets the largest class (usually background) decide the score; small structures barely affect it.',
    fix: 'Compute Dice per class (keep the class axis), then average over classes.',
  },
  {
    id: 'background-included',
    severity: 'info',
    title: 'Background included in a mean Dice on imbalanced data',
    message: 'the mean Dice includes the background channel, which is near 1 on imbalanced data',
    explanation:
      'With about 1% foreground the background Dice is close to 1 from the first step; averaging it in halves the signal from the structures you care about.',
    fix: 'Exclude the background channel from the mean (e.g. `dice[:, 1:].mean()`) or weight the classes.',
  },
  {
    id: 'sandbox-refused',
    severity: 'warning',
    title: 'Code that Loss Lens never runs',
    message: '{detail}',
    explanation:
      'Loss Lens interprets the tensor subset of Python in a sandbox: it never opens files, starts processes, opens connections or evaluates dynamic code. Code that does is reported here and not executed; losses that do not depend on it are still analysed.',
    fix: 'Keep file and process access out of the loss function.',
  },
  // Training probes: verdicts from training the loss next to reference losses (src/engine/probe/detect.ts).
  {
    id: 'collapse-to-background',
    severity: 'error',
    title: 'Training collapses to background',
    message: 'trained with this loss, the model predicts {what} on {predictedPercent}% of voxels (truth {truePercent}%) from step {step}, while {reference} reaches Dice {referenceDice}',
    explanation:
      'On imbalanced data a loss can be lowered by predicting background everywhere. When its gradient favours the majority class (exploding weights for absent classes, sums dominated by background, a wrong reduction, or a per-image Dice with background where every class an image lacks scores 1 for predicting nothing), the foreground probability is pushed to zero and does not recover. A reference loss trained on the same data from the same initial model does find the lesions, so the data is learnable and the loss makes the difference.',
    fix: 'Compute Dice per class over the spatial axes with a smoothing term; give absent classes the largest finite weight instead of 1/count²; when classes are often missing from images, pool the Dice over the batch without the background channel (nnU-Net\'s batch Dice); add cross-entropy when the foreground is tiny.',
  },
  {
    id: 'metric-flat',
    severity: 'warning',
    title: 'The loss falls but the Dice does not rise',
    message: 'the loss falls by {lossDropPercent}% ({lossStart} → {lossEnd}) while the Dice stays at {diceEnd} (from {diceStart}){comparison}',
    explanation:
      'The optimiser is reducing something other than the overlap the metric measures: a term that shrinks by smoothing or emptying the prediction (background in the mean, classes pooled, a wrong axis), or one that trivial outputs minimise. The training curve looks healthy while the segmentation does not improve: the classic "loss decreases but Dice stays constant".',
    fix: 'Compute the loss on the channels the metric scores, per class and over the spatial axes only, and compare it with a plain soft Dice on the same data.',
  },
  {
    id: 'false-positive-flood',
    severity: 'warning',
    title: 'Many false-positive lesions',
    message: 'trained with this loss, the model predicts {falsePositives} false-positive lesions on {images} images, against {referenceFalsePositives} with {reference}',
    explanation:
      'Losses that punish false negatives far more than false positives (Tversky with a large beta, large foreground weights, recall-only terms) or that barely notice small scattered predictions produce many spurious specks. Voxel Dice hides them because each is small; lesion-level counts, as clinical evaluation uses, do not.',
    fix: 'Balance the false-positive and false-negative terms (Tversky alpha = beta = 0.5, moderate class weights), add cross-entropy or a boundary term, and drop components below a minimum size when post-processing.',
  },
  {
    id: 'training-diverged',
    severity: 'error',
    title: 'Training diverges',
    message: '{detail}',
    explanation:
      'A NaN or infinite loss or gradient (0/0 on empty patches, log(0), exploding class weights) poisons every weight at the next update, after which the network only outputs NaN; an exploding loss means the updates grow without bound. The probe skips non-finite updates to keep measuring; a real training run does not.',
    fix: 'Smooth every ratio, clip probabilities before a log (e.g. to [1e-7, 1 - 1e-7]), guard class weights of absent classes, and check the loss on an empty patch.',
  },
  {
    id: 'no-learning',
    severity: 'error',
    title: 'The model does not learn',
    message: 'in {steps} steps neither the loss ({lossStart} → {lossEnd}) nor the Dice ({diceStart} → {diceEnd}) moves{detail}',
    explanation:
      'The loss gives the optimiser nothing to follow: no gradient path to the prediction (argmax, thresholds, integer casts, .detach(), numpy conversions), a gradient that is zero everywhere, or one too small to change anything. The model stays where it started.',
    fix: 'Keep every operation between the prediction and the loss differentiable: use the soft probabilities, not argmax/round/thresholded masks, and never detach or convert the prediction.',
  },
] as const satisfies readonly Rule[];

export type RuleId = (typeof RULES)[number]['id'];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

const byId = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

export function ruleFor(id: RuleId): Rule {
  return byId.get(id)!;
}

/** Fills `{name}` placeholders from evidence values (numbers rounded for reading). */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) return match;
    if (typeof value === 'number') return formatNumber(value);
    if (Array.isArray(value)) return `[${value.join(', ')}]`;
    return String(value);
  });
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
