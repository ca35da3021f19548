// A rule: one kind of finding, as data. Each rule is defined next to the code that reports it (a
// check in diagnose/checks/, a detector in probe/detectors/); the docs, the README's table and the
// severity setting are generated from them (scripts/generate.mjs).

export type Severity = 'error' | 'warning' | 'info';

/** A few lines of Python showing the bug, and the same code fixed (as ruff documents its rules). */
export interface RuleExample {
  bug: string;
  fixed: string;
}

export interface Rule<Id extends string = string> {
  id: Id;
  severity: Severity;
  title: string;
  /** One line; `{name}` placeholders are filled from the finding's evidence. */
  message: string;
  explanation: string;
  fix: string;
  example: RuleExample;
}

/** A rule whose id keeps its literal type, so the rules table knows every finding kind. */
export function defineRule<const Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}
