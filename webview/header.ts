// The report's header: the loss, where it is, the backend, the verdict, and the contract it was
// diagnosed under (each field with where it came from, its value named as the contract schema does).
import { CONTRACT_FIELDS, contractFieldText } from '../src/protocol';
import { fill, h, icon } from './dom';
import { plural } from './format';
import { type Reveal, lineLink } from './reveal';
import type { Finding, ReportMessage, ResolvedContract } from './types';

const SOURCES: Record<string, { label: string; title: string }> = {
  given: { label: 'set', title: 'set explicitly (settings or flags)' },
  context: { label: 'code', title: 'read from the code around the loss' },
  convention: { label: 'convention', title: "the framework's convention" },
  trial: { label: 'trial', title: 'the candidate under which the loss runs and a perfect prediction scores best' },
};

export interface Verdict {
  kind: 'error' | 'warning' | 'ok' | 'failed';
  text: string;
}

export function verdictOf(findings: Finding[], error?: { message: string }): Verdict {
  if (error) return { kind: 'failed', text: 'could not evaluate' };
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  const parts = [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')].filter(
    Boolean,
  ) as string[];
  const notes = infos ? ` · ${plural(infos, 'note')}` : '';
  if (!parts.length) return { kind: 'ok', text: `no problems found${notes}` };
  return { kind: errors ? 'error' : 'warning', text: `${parts.join(' · ')}${notes}` };
}

function contractChips(contract: ResolvedContract, reveal: Reveal): HTMLElement {
  const list = h('ul', {
    class: 'contract',
    'aria-label': 'Contract the loss was diagnosed under',
    'data-testid': 'contract',
  });
  for (const { key } of CONTRACT_FIELDS) {
    const text = contractFieldText(contract, key);
    if (text === undefined) continue;
    const source = contract.sources?.[key];
    const because = contract.because?.[key];
    const sourceInfo = source ? SOURCES[source] : undefined;
    const title = [sourceInfo?.title, because ? `line ${because.line}: ${because.why}` : undefined]
      .filter(Boolean)
      .join(' — ');
    const chip = h(
      'li',
      { class: `chip source-${source ?? 'unknown'}`, title: title || null },
      h('span', { class: 'chip-value' }, text),
      sourceInfo ? h('span', { class: 'chip-source' }, sourceInfo.label) : null,
      because ? lineLink(reveal, because.line, `L${because.line}`, `line ${because.line}: ${because.why}`) : null,
    );
    list.appendChild(chip);
  }
  list.appendChild(
    h(
      'li',
      { class: `chip confidence confidence-${contract.confidence}`, title: "'high' when nothing rests on trial alone" },
      h('span', { class: 'chip-value' }, `confidence ${contract.confidence}`),
    ),
  );
  return list;
}

export function renderHeader(element: HTMLElement, report: ReportMessage, reveal: Reveal): void {
  const { loss, target } = report;
  const verdict = verdictOf(loss.findings ?? [], loss.error);
  const iconName = verdict.kind === 'ok' ? 'check' : verdict.kind === 'warning' ? 'warning' : 'error';
  const role =
    loss.role === 'metric'
      ? h('span', { class: 'badge', title: 'diagnosed as a metric (maximised), not trained by the probe' }, 'metric')
      : null;
  const backend = `backend ${report.backend || '—'}`;
  fill(
    element,
    h(
      'div',
      { class: 'title-row' },
      h('h1', { class: 'loss-name', 'data-testid': 'loss-name' }, loss.name || loss.entry),
      role,
      h(
        'span',
        { class: `verdict verdict-${verdict.kind}`, 'data-testid': 'verdict', 'data-verdict': verdict.kind },
        icon(iconName),
        verdict.text,
      ),
    ),
    h(
      'div',
      { class: 'meta' },
      h('span', { class: 'file' }, target.file),
      ':',
      lineLink(reveal, loss.line, String(loss.line), `Go to the loss (line ${loss.line})`),
      loss.entry && loss.entry !== loss.name ? h('span', { class: 'sep' }, h('code', {}, loss.entry)) : null,
      h('span', { class: 'sep', title: 'TensorFlow.js backend the engine ran on' }, backend),
    ),
    loss.error
      ? h(
          'div',
          { class: 'callout callout-error', role: 'alert', 'data-testid': 'loss-error' },
          icon('error'),
          h(
            'div',
            {},
            h('strong', {}, 'The loss could not be evaluated: '),
            loss.error.message,
            loss.error.line ? [' (', lineLink(reveal, loss.error.line), ')'] : null,
          ),
        )
      : null,
    loss.contract ? contractChips(loss.contract, reveal) : null,
  );
}
