// Every finding kind Loss Lens reports, in the order the docs list them: the rules of the static
// checks (checks/), of the file-level sandbox check and of the training probe's detectors
// (probe/detectors/). Each rule lives with the code that reports it; this is only the table.
import * as absentClassExplosion from './checks/absentClassExplosion';
import * as activationMismatch from './checks/activationMismatch';
import * as argumentOrder from './checks/argumentOrder';
import * as backgroundIncluded from './checks/backgroundIncluded';
import * as batchPooledDice from './checks/batchPooledDice';
import * as classesPooled from './checks/classesPooled';
import * as doubleActivation from './checks/doubleActivation';
import * as ignoredClass from './checks/ignoredClass';
import * as nanOnEmpty from './checks/nanOnEmpty';
import * as nonDifferentiable from './checks/nonDifferentiable';
import * as sandboxRefused from './checks/sandboxRefused';
import * as shapeMismatch from './checks/shapeMismatch';
import * as signError from './checks/signError';
import { PROBE_RULES } from '../probe/detect';
import type { Finding } from '../findings/finding';

export const RULES = [
  nonDifferentiable.rule,
  doubleActivation.rule,
  activationMismatch.rule,
  absentClassExplosion.rule,
  shapeMismatch.rule,
  signError.rule,
  nanOnEmpty.rule,
  ignoredClass.rule,
  argumentOrder.rule,
  batchPooledDice.rule,
  classesPooled.rule,
  backgroundIncluded.rule,
  sandboxRefused.rule,
  ...PROBE_RULES,
] as const;

export type RuleId = (typeof RULES)[number]['id'];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

/** A finding of one of the engine's rules: what reports carry. */
export type RuleFinding = Finding<RuleId>;
