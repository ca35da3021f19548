// The plain-JSON finding every check and probe detector produces, built from its rule. Static
// checks place a finding on the offending expression; a training probe judges curves, not lines,
// so its findings are unplaced until the diagnosis puts them on the loss's return line.
import type { SourceRange } from '../python/ast';
import type { Rule, Severity } from './rule';
import { fillTemplate } from './template';

export type EvidenceValue = number | string | boolean | null | number[] | string[];

export interface CodeEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

/** `Kind` is the rule's id: reports carry findings of the engine's rules (`RuleId`). */
export interface Finding<Kind extends string = string> {
  kind: Kind;
  severity: Severity;
  line: number;
  endLine: number;
  column?: number;
  endColumn?: number;
  message: string;
  evidence: Record<string, EvidenceValue>;
  explanation: string;
  fix: { text: string; edit?: CodeEdit };
  /** Other places that matter (the helper's call site in the loss; `file`: in another project file). */
  related?: { line: number; file?: string; message: string }[];
}

/**
 * A finding before it has a place in the source, as a training probe's report lists it: the same
 * fields but the lines, with the loss it judged and the rule's title, and the fix as text.
 */
export type UnplacedFinding<Kind extends string = string> = Pick<
  Finding<Kind>,
  'kind' | 'severity' | 'message' | 'evidence' | 'explanation'
> & {
  loss: string;
  title: string;
  fix: string;
};

export interface FindingOptions {
  severity?: Severity;
  message?: string;
  edit?: CodeEdit;
  related?: Finding['related'];
  fixText?: string;
}

export function makeFinding<Kind extends string>(
  rule: Rule<Kind>,
  range: SourceRange,
  evidence: Record<string, EvidenceValue>,
  options: FindingOptions = {},
): Finding<Kind> {
  return {
    kind: rule.id,
    severity: options.severity ?? rule.severity,
    line: range.line,
    endLine: range.endLine,
    column: range.column,
    endColumn: range.endColumn,
    message: options.message ?? fillTemplate(rule.message, evidence),
    evidence,
    explanation: rule.explanation,
    fix: { text: options.fixText ?? fillTemplate(rule.fix, evidence), ...(options.edit ? { edit: options.edit } : {}) },
    ...(options.related?.length ? { related: options.related } : {}),
  };
}

export function makeUnplacedFinding<Kind extends string>(
  rule: Rule<Kind>,
  loss: string,
  evidence: Record<string, EvidenceValue>,
): UnplacedFinding<Kind> {
  return {
    kind: rule.id,
    severity: rule.severity,
    loss,
    title: rule.title,
    message: fillTemplate(rule.message, evidence),
    evidence,
    explanation: rule.explanation,
    fix: fillTemplate(rule.fix, evidence),
  };
}

/** An unplaced finding on the given lines, as static checks report theirs. */
export function placeFinding<Kind extends string>(finding: UnplacedFinding<Kind>, range: SourceRange): Finding<Kind> {
  return {
    kind: finding.kind,
    severity: finding.severity,
    line: range.line,
    endLine: range.endLine,
    column: range.column,
    endColumn: range.endColumn,
    message: finding.message,
    evidence: finding.evidence,
    explanation: finding.explanation,
    fix: { text: finding.fix },
  };
}
