// shape-mismatch: sparse class maps silently broadcast against C prediction channels, and shapes
// that cannot be combined at all (one-hot appended last against channels-first). Dice sums over
// the wrong axes report the same kind from wrongAxes.ts.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { callSiteOf } from '../queries/callSite';
import { labelBroadcast } from '../queries/labelBroadcast';
import type { LossSubject } from '../subject';

export const rule = defineRule({
  id: 'shape-mismatch',
  severity: 'error',
  title: 'Labels and predictions are combined with incompatible shapes',
  message: '`{op}` combines a {targetShape} label tensor with a {predictionShape} prediction{detail}',
  explanation:
    'Broadcasting silently aligns trailing axes. Sparse labels against one-hot predictions, channels-first ' +
    'against channels-last, or flattening the batch together with the classes compare the wrong elements without ' +
    'any error, and the loss optimises something else. So do a reshape (view) where a transpose was meant, which ' +
    'keeps the element order and scrambles the classes into the pixels, and a (N, 1, H, W) prediction times ' +
    '(N, H, W) masks, which broadcasts to (N, N, H, W): every image against every mask.',
  fix:
    'Make both tensors the same layout first (one_hot the labels, permute to the same channel order) and reduce ' +
    'over the spatial axes only.',
  example: {
    bug: `import torch
import torch.nn.functional as F

def dice_loss(logits, target, smooth=1.0):
    probs = torch.softmax(logits, dim=1)  # (N, C, H, W)
    onehot = F.one_hot(target, logits.shape[1]).float()  # (N, H, W, C)
    inter = (probs * onehot).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()
`,
    fixed: `import torch
import torch.nn.functional as F

def dice_loss(logits, target, smooth=1.0):
    probs = torch.softmax(logits, dim=1)
    onehot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum(dim=(2, 3))
    union = probs.sum(dim=(2, 3)) + onehot.sum(dim=(2, 3))
    return 1 - ((2 * inter + smooth) / (union + smooth)).mean()
`,
  },
});

/** A sparse class map broadcast over the prediction's class channels. */
export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  const found = labelBroadcast(subject.evaluate('random').trace, contract);
  if (!found) return [];
  const { entry, label, prediction } = found;
  return [
    makeFinding(
      rule,
      entry.range,
      {
        op: entry.op,
        targetShape: `[${label.shape.join(', ')}]`,
        predictionShape: `[${prediction.shape.join(', ')}]`,
        detail:
          `: the integer class map is broadcast over all ${classes} class channels, so every channel is ` +
          'compared with class indices, not with its own mask',
      },
      {
        fixText:
          'One-hot encode the class map first (K.one_hot / tf.one_hot / F.one_hot, then move the class axis ' +
          'to where the prediction has it) before combining it with the prediction.',
        related: callSiteOf(entry),
      },
    ),
  ];
}

/**
 * A loss that cannot run because two tensors are the same axes in a different order (one-hot
 * labels with the class axis last against a channels-first prediction): a shape-mismatch finding.
 * Other shape errors stay "could not be evaluated": the contract may just not be the right one.
 */
export function fromError(message: string, line: number | undefined): Finding<typeof rule.id> | undefined {
  const shapes = /\(([\d, ]+)\)\D+\(([\d, ]+)\)/.exec(message) ?? /\[([\d, ]+)\]\D+\[([\d, ]+)\]/.exec(message);
  if (!shapes || !/broadcast|incompatible|must match|size of tensor/i.test(message) || line === undefined)
    return undefined;
  const [a, b] = [shapes[1], shapes[2]].map((s) => s.split(',').map((d) => Number(d.trim())));
  const permuted = a.length === b.length && a.join() !== b.join() && [...a].sort().join() === [...b].sort().join();
  if (!permuted) return undefined;
  return makeFinding(
    rule,
    { line, endLine: line, column: 1, endColumn: 1 },
    {
      op: 'this operation',
      targetShape: `[${shapes[1].trim()}]`,
      predictionShape: `[${shapes[2].trim()}]`,
      detail: ` and fails: ${message}`,
    },
    { message: `labels and prediction cannot be combined here under any contract tried: ${message}` },
  );
}
