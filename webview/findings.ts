// The findings list: one card per finding (static checks and training-probe verdicts), its title
// a button that reveals the offending expression; the numbers that prove it, why it matters, the fix.
import { fill, h, icon } from './dom';
import { NULL_EVIDENCE, evidenceValue, words } from './format';
import { type Reveal, lineLink } from './reveal';
import type { Finding, RuleId, Severity } from './types';

/** Findings the training probe produces (the rest come from the static checks). */
export const PROBE_KINDS: ReadonlySet<RuleId> = new Set<RuleId>([
  'collapse-to-background',
  'metric-flat',
  'false-positive-flood',
  'training-diverged',
  'no-learning',
]);

const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function evidenceList(evidence: Finding['evidence']): HTMLElement | null {
  const entries = Object.entries(evidence ?? {}).filter(([key]) => key !== 'detail');
  if (!entries.length) return null;
  return h(
    'dl',
    { class: 'evidence', 'aria-label': 'Evidence' },
    entries.map(([key, value]) =>
      h(
        'div',
        { class: 'evidence-item' },
        h('dt', {}, words(key)),
        h(
          'dd',
          {
            class: value === null ? 'nonfinite' : null,
            title:
              value === null || (Array.isArray(value) && (value as unknown[]).includes(null))
                ? `— : ${NULL_EVIDENCE}`
                : null,
          },
          evidenceValue(value),
        ),
      ),
    ),
  );
}

function findingCard(finding: Finding, reveal: Reveal): HTMLElement {
  const severity = finding.severity;
  const probe = PROBE_KINDS.has(finding.kind);
  const location =
    finding.endLine && finding.endLine !== finding.line
      ? `lines ${finding.line}–${finding.endLine}`
      : `line ${finding.line}`;
  const go = () =>
    reveal({
      type: 'reveal',
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
    });
  const title = h(
    'button',
    { type: 'button', class: 'finding-title', 'data-testid': 'finding-reveal', title: `Go to ${location}` },
    icon(severity === 'info' ? 'info' : severity, SEVERITY_LABEL[severity]),
    h('span', { class: 'finding-message' }, finding.message),
    h('span', { class: 'finding-where' }, location),
  );
  title.addEventListener('click', go);
  const related = (finding.related ?? []).map((r) => h('li', {}, lineLink(reveal, r.line), ' ', r.message));
  return h(
    'li',
    {
      class: `finding severity-${severity}`,
      'data-testid': 'finding',
      'data-kind': finding.kind,
      'data-line': finding.line,
      'data-severity': severity,
    },
    title,
    h(
      'div',
      { class: 'finding-body' },
      h(
        'div',
        { class: 'finding-tags' },
        h('code', { class: 'kind' }, finding.kind),
        probe
          ? h(
              'span',
              { class: 'badge badge-probe', title: 'found by training the loss next to reference losses' },
              'training probe',
            )
          : null,
        finding.fix?.edit
          ? h(
              'span',
              { class: 'badge badge-fix', title: 'the editor offers this fix as a quick fix (lightbulb) on the line' },
              'quick fix',
            )
          : null,
      ),
      evidenceList(finding.evidence),
      finding.fix?.text ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), finding.fix.text) : null,
      finding.explanation
        ? h('details', { class: 'explanation' }, h('summary', {}, 'Why it matters'), h('p', {}, finding.explanation))
        : null,
      related.length ? h('ul', { class: 'related', 'aria-label': 'Related locations' }, related) : null,
    ),
  );
}

export function renderFindings(list: HTMLElement, findings: Finding[], reveal: Reveal, evaluated = true): void {
  const sorted = [...findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.line - b.line,
  );
  if (!sorted.length) {
    fill(
      list,
      evaluated
        ? h(
            'li',
            { class: 'finding-none', 'data-testid': 'no-findings' },
            icon('check'),
            'No problems found in this loss.',
          )
        : h(
            'li',
            { class: 'finding-none muted', 'data-testid': 'no-findings' },
            'No findings: the checks need a loss that evaluates.',
          ),
    );
    return;
  }
  fill(
    list,
    sorted.map((f) => findingCard(f, reveal)),
  );
}
