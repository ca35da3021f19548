// Every finding kind Loss Lens reports, in the order the docs list them: the rules of the static
// checks (checks/index.ts, in report order), of the sandbox check (code a loss runs) and of the training
// probe's detectors (probe/detectors/). Each rule lives with the code that reports it.
import type { Finding } from '../findings/finding';
import { PROBE_RULES } from '../probe/detect';
import { CHECK_UNITS } from './checks';
import * as sandboxRefused from './checks/sandboxRefused';

type CheckRule = (typeof CHECK_UNITS)[number]['rule'];

/** Each rule once, in the order the checks first report it. */
const checkRules: readonly CheckRule[] = [...new Set(CHECK_UNITS.map((unit) => unit.rule))];

export const RULES = [...checkRules, sandboxRefused.rule, ...PROBE_RULES];

export type RuleId = (typeof RULES)[number]['id'];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

/** A finding of one of the engine's rules: what reports carry. */
export type RuleFinding = Finding<RuleId>;
