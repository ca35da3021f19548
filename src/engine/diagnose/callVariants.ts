// A loss its project calls in more than one configuration (dice_loss(..., multiclass=False) for one
// output channel, multiclass=True with softmax for several): the first configuration is the loss's
// diagnosis; each other one is diagnosed too, and what only it shows is added, saying which call.
import type { Finding } from '../findings/finding';
import type { CallVariant, ContextHints } from './hints';
import type { RuleId } from './rules';

/** At most this many configurations besides the first are diagnosed (each costs a static diagnosis). */
export const MAX_CALL_VARIANTS = 2;

/** The hints as that call site alone would give them for `name`. */
export function hintsForVariant(hints: ContextHints, name: string, variant: CallVariant): ContextHints {
  const callKeywords = new Map(hints.callKeywords).set(name, variant.keywords);
  const callPrediction = new Map(hints.callPrediction);
  if (variant.prediction) callPrediction.set(name, variant.prediction);
  else callPrediction.delete(name);
  const callOrder = new Map(hints.callOrder);
  if (variant.order) callOrder.set(name, variant.order);
  return { ...hints, callKeywords, callPrediction, callOrder, callVariants: new Map() };
}

const keywordsOf = (variant: CallVariant) => variant.keywords.value.map((k) => `${k.name}=${k.value}`).join(', ');

/** How a finding names the configuration it holds for: `multiclass=True at train.py:107`. */
export function variantLabel(variant: CallVariant): string {
  const { file, line } = variant.keywords;
  return `${keywordsOf(variant)} at ${file ? `${file}:${line}` : `line ${line}`}`;
}

/**
 * The findings of a configuration that the first one does not have (same rule at the same line),
 * each saying the call it holds for and pointing at it.
 */
export function variantOnlyFindings(
  first: readonly Finding<RuleId>[],
  variant: CallVariant,
  found: readonly Finding<RuleId>[],
): Finding<RuleId>[] {
  const label = variantLabel(variant);
  const site = { line: variant.keywords.line, ...(variant.keywords.file ? { file: variant.keywords.file } : {}) };
  return found
    .filter((f) => !first.some((g) => g.kind === f.kind && g.line === f.line))
    .map((f) => ({
      ...f,
      message: `${f.message} (when called with ${label})`,
      evidence: { ...f.evidence, callConfiguration: label },
      related: [...(f.related ?? []), { ...site, message: `called with ${keywordsOf(variant)} here` }],
    }));
}
