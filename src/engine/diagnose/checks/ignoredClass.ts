// ignored-class: a multi-class loss whose value does not change when the prediction gets one
// foreground class completely wrong. Background exclusion is deliberate and not reported.
import { type Finding, makeFinding } from '../findings';
import type { LossSubject } from '../subject';
import { returnRange } from './signError';

export function checkIgnoredClass(subject: LossSubject): Finding[] {
  const { contract } = subject;
  const classes = contract.classes ?? 2;
  // Needs a known class count: a loss written for 2 classes looks like it ignores the third one.
  if (classes < 2 || (contract.sources.classes !== 'given' && contract.sources.classes !== 'context')) return [];
  const perfect = subject.evaluate('perfect').value;
  if (!Number.isFinite(perfect)) return [];
  const random = subject.evaluate('random').value;
  const spread = Math.max(Math.abs(random - perfect), 1e-6);
  const ignored: number[] = [];
  for (let c = 1; c < classes; c++) {
    const wrong = subject.evaluate('perfect-but-one', { wrongClass: c }).value;
    if (Number.isFinite(wrong) && Math.abs(wrong - perfect) <= 1e-6 * spread) ignored.push(c);
  }
  if (!ignored.length) return [];
  return [makeFinding('ignored-class', returnRange(subject), {
    channel: ignored.join(', '),
    classes,
    gradient: 'no change when that class is predicted completely wrong',
    lossPerfect: perfect,
  }, { message: `class channel${ignored.length > 1 ? 's' : ''} ${ignored.join(', ')} of ${classes} do${ignored.length > 1 ? '' : 'es'} not influence the loss: predicting ${ignored.length > 1 ? 'them' : 'it'} completely wrong leaves the loss at ${perfect.toPrecision(4)}` })];
}
