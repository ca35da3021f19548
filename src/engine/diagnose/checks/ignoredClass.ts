// ignored-class: a multi-class loss whose value does not change when the prediction gets one
// foreground class completely wrong. Background exclusion is deliberate and not reported.
import { type Finding, makeFinding } from '../../findings/finding';
import { defineRule } from '../../findings/rule';
import { textOf } from '../../python/walk';
import { predictionAxes } from '../queries/axes';
import { callSiteOf } from '../queries/callSite';
import { type ClassReadSite, classReads } from '../queries/classReads';
import { returnRange } from '../queries/returnSite';
import type { LossSubject } from '../subject';
import { labelMap } from '../synthetic';

export const rule = defineRule({
  id: 'ignored-class',
  severity: 'warning',
  title: 'A class channel has no influence on the loss',
  message: 'class channel {channel} of {classes} does not influence the loss (gradient {gradient})',
  explanation:
    'The loss never reads some class channel (a hard-coded index, a slice that stops early, a loop over range(C ' +
    '- 1)). That class is never trained; if this is not a deliberate background exclusion, its predictions stay ' +
    'random.',
  fix:
    'Loop over all classes (range(num_classes)) or slice with `[..., 1:]` only when excluding background on ' +
    'purpose.',
  example: {
    bug: `from keras import backend as K

def dice_loss(y_true, y_pred, num_classes=4, smooth=1e-5):
    dice = 0.0
    for c in range(1, num_classes - 1):  # stops one class early: the last class is never trained
        inter = K.sum(y_true[..., c] * y_pred[..., c])
        dice += (2 * inter + smooth) / (K.sum(y_true[..., c]) + K.sum(y_pred[..., c]) + smooth)
    return 1 - dice / (num_classes - 2)
`,
    fixed: `from keras import backend as K

def dice_loss(y_true, y_pred, num_classes=4, smooth=1e-5):
    dice = 0.0
    for c in range(1, num_classes):
        inter = K.sum(y_true[..., c] * y_pred[..., c])
        dice += (2 * inter + smooth) / (K.sum(y_true[..., c]) + K.sum(y_pred[..., c]) + smooth)
    return 1 - dice / (num_classes - 1)
`,
  },
});

/**
 * Foreground channels the gradient never reaches although it reaches others: the loss never reads
 * them (a loop that stops early). A softmax inside the loss spreads the gradient over every channel;
 * the perfect-but-one probe covers that case.
 */
function unreadChannels(subject: LossSubject): number[] {
  const evaluation = subject.evaluate('random');
  const { gradient, gradientShape } = evaluation;
  const axes = predictionAxes(subject.contract);
  if (!gradient || gradientShape.length !== axes.rank) return [];
  const channels = gradientShape[axes.classAxis];
  const inner = gradientShape.slice(axes.classAxis + 1).reduce((a, b) => a * b, 1);
  const sums = new Array<number>(channels).fill(0);
  for (let i = 0; i < gradient.length; i++) sums[Math.floor(i / inner) % channels] += Math.abs(gradient[i]);
  if (!sums.some((v) => v > 0)) return [];
  return sums.flatMap((v, c) => (c > 0 && v === 0 ? [c] : []));
}

/**
 * The subscript that makes the channels unread: one that reads the same channel on every run of a
 * loop (a constant index), else the one whose runs cover other channels but not these (the loop
 * that stops early), else the only one there is.
 */
function culprit(subject: LossSubject, ignored: number[]): { site: ClassReadSite; constant: boolean } | undefined {
  const sites = classReads(subject.evaluate('random').trace, subject.contract).filter(
    (site) => !site.channels.some((c) => ignored.includes(c)),
  );
  const constant = sites.find((site) => site.channels.length > 1 && new Set(site.channels).size === 1);
  if (constant) return { site: constant, constant: true };
  const loops = sites.filter((site) => new Set(site.channels).size > 1);
  if (loops.length === 1) return { site: loops[0], constant: false };
  if (!loops.length && sites.length === 1) return { site: sites[0], constant: sites[0].channels.length > 1 };
  return undefined;
}

export function check(subject: LossSubject): Finding<typeof rule.id>[] {
  // A metric is not trained: one that scores some classes (an 'enhancing tumour' Dice) does so on purpose.
  if (subject.loss.role === 'metric') return [];
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  // Needs a known class count: a loss written for 2 classes looks like it ignores the third one.
  if (classes < 2 || (contract.sources.classes !== 'given' && contract.sources.classes !== 'context')) return [];
  const perfect = subject.evaluate('perfect').value;
  if (!Number.isFinite(perfect)) return [];
  const random = subject.evaluate('random').value;
  const spread = Math.max(Math.abs(random - perfect), 1e-6);
  const unread = unreadChannels(subject);
  const found = new Set<number>(unread);
  const unchanged = new Set<number>();
  // A class the synthetic labels do not hold cannot be predicted wrong (many classes, small images).
  const present = new Set(labelMap(contract).labels);
  for (let c = 1; c < classes; c++) {
    if (!present.has(c)) continue;
    const wrong = subject.evaluate('perfect-but-one', { wrongClass: c }).value;
    if (Number.isFinite(wrong) && Math.abs(wrong - perfect) <= 1e-6 * spread) unchanged.add(c);
  }
  for (const c of unchanged) found.add(c);
  const ignored = [...found].sort((a, b) => a - b);
  if (!ignored.length) return [];
  const several = ignored.length > 1;
  const evidence = ignored.every((c) => unchanged.has(c))
    ? `predicting ${several ? 'them' : 'it'} completely wrong leaves the loss at ${perfect.toPrecision(4)}`
    : `the loss never reads ${several ? 'them' : 'it'} (no gradient reaches ${several ? 'them' : 'it'})`;
  const summary =
    `class channel${several ? 's' : ''} ${ignored.join(', ')} of ${classes} do${several ? '' : 'es'} not ` +
    `influence the loss: ${evidence}`;
  const blamed = culprit(subject, ignored);
  const { source } = subject.program;
  const readBy = (site: ClassReadSite) =>
    site.entry.at ? `\`${site.entry.op}\`` : `\`${textOf(source, site.entry.range).replace(/\s+/g, ' ')}\``;
  const why = !blamed
    ? ''
    : blamed.constant
      ? `; ${readBy(blamed.site)} reads channel ${blamed.site.channels[0]} on each of its ` +
        `${blamed.site.channels.length} runs (a constant index inside the class loop)`
      : `; ${readBy(blamed.site)} reads channel${new Set(blamed.site.channels).size > 1 ? 's' : ''} ` +
        `${[...new Set(blamed.site.channels)].sort((a, b) => a - b).join(', ')} only`;
  return [
    makeFinding(
      rule,
      blamed?.site.entry.range ?? returnRange(subject.program.module, subject.loss),
      {
        channel: ignored.join(', '),
        classes,
        gradient: unread.length ? 'none reaches it' : 'no change when that class is predicted completely wrong',
        lossPerfect: perfect,
        ...(blamed ? { channelsRead: [...new Set(blamed.site.channels)] } : {}),
      },
      { message: `${summary}${why}`, related: blamed ? callSiteOf(blamed.site.entry) : undefined },
    ),
  ];
}
