// Verdicts from the training curves: what went wrong when the user's loss trained, judged against
// reference losses trained on the same data from the same initial model. Each detector
// (detectors/, one per rule) returns an unplaced finding with the numbers behind it, or nothing.
// A finding that is the consequence of another (no Dice gain because training diverged) is
// reported once, as its cause.
import type { UnplacedFinding } from '../findings/finding';
import * as collapseToBackground from './detectors/collapseToBackground';
import * as falsePositiveFlood from './detectors/falsePositiveFlood';
import * as metricFlat from './detectors/metricFlat';
import * as noLearning from './detectors/noLearning';
import * as trainingDiverged from './detectors/trainingDiverged';
import type { RunResult } from './types';

/** The rules only a training probe reports (static diagnosis never does), in the order the docs list them. */
export const PROBE_RULES = [
  collapseToBackground.rule,
  metricFlat.rule,
  falsePositiveFlood.rule,
  trainingDiverged.rule,
  noLearning.rule,
] as const;

export type ProbeFindingKind = (typeof PROBE_RULES)[number]['id'];
export const PROBE_FINDING_KINDS: readonly ProbeFindingKind[] = PROBE_RULES.map((r) => r.id);

/**
 * All verdicts for the user's run. `batches` is the number of training batches (loss windows
 * cover whole passes); `images` the number of evaluation images (false positives per image).
 */
export function detectFindings(
  user: RunResult,
  references: RunResult[],
  images: number,
  batches: number,
): UnplacedFinding<ProbeFindingKind>[] {
  if (user.status === 'failed' || user.stepsRun === 0) return [];
  const diverged = trainingDiverged.detect(user, batches);
  if (diverged) return [diverged];
  const stalled = noLearning.detect(user, references, batches);
  if (stalled) return [stalled];
  const findings: UnplacedFinding<ProbeFindingKind>[] = [];
  const collapse = collapseToBackground.detect(user, references);
  if (collapse) findings.push(collapse);
  else {
    const flat = metricFlat.detect(user, references, batches);
    if (flat) findings.push(flat);
  }
  const flood = falsePositiveFlood.detect(user, references, images);
  if (flood) findings.push(flood);
  return findings;
}
