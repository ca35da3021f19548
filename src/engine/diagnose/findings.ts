// The plain-JSON finding every check produces, built from the rules table.
import type { SourceRange } from '../python/ast';
import type { TraceEntry } from '../python/trace';
import { type RuleId, type Severity, fillTemplate, ruleFor } from './rules';

export type EvidenceValue = number | string | boolean | null | number[] | string[];

export interface CodeEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

export interface Finding {
  kind: RuleId;
  severity: Severity;
  line: number;
  endLine: number;
  column?: number;
  endColumn?: number;
  message: string;
  evidence: Record<string, EvidenceValue>;
  explanation: string;
  fix: { text: string; edit?: CodeEdit };
  /** Other places that matter (e.g. the helper's call site in the loss). */
  related?: { line: number; message: string }[];
}

export function makeFinding(kind: RuleId, range: SourceRange, evidence: Record<string, EvidenceValue>, extra: { severity?: Severity; message?: string; edit?: CodeEdit; related?: Finding['related']; fixText?: string } = {}): Finding {
  const rule = ruleFor(kind);
  return {
    kind,
    severity: extra.severity ?? rule.severity,
    line: range.line,
    endLine: range.endLine,
    column: range.column,
    endColumn: range.endColumn,
    message: extra.message ?? fillTemplate(rule.message, evidence),
    evidence,
    explanation: rule.explanation,
    fix: { text: extra.fixText ?? fillTemplate(rule.fix, evidence), ...(extra.edit ? { edit: extra.edit } : {}) },
    ...(extra.related?.length ? { related: extra.related } : {}),
  };
}

/**
 * For an op inside a helper function: the line in the loss that called the helper. The first call
 * on the stack is the loss itself (the engine's call), the second the first call the loss made.
 */
export function callSiteOf(entry: TraceEntry | undefined): Finding['related'] {
  if (!entry || entry.callStack.length < 2) return undefined;
  return [{ line: entry.callStack[1].line, message: 'the loss reaches it through this call' }];
}
