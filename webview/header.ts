// The report's header: the loss, where it is, the backend, the verdict, and the contract it was
// diagnosed under (each field with where it came from).
import { fill, h, icon } from './dom';
import { plural } from './format';
import { type Reveal, lineLink } from './reveal';
import type { Finding, ReportMessage, ResolvedContract } from './types';

const FRAMEWORKS: Record<string, string> = { keras: 'Keras', tf: 'TensorFlow', torch: 'PyTorch', numpy: 'NumPy', theano: 'Theano' };
const SOURCES: Record<string, { label: string; title: string }> = {
  given: { label: 'set', title: 'set explicitly (settings or flags)' },
  context: { label: 'code', title: 'read from the code around the loss' },
  convention: { label: 'convention', title: "the framework's convention" },
  trial: { label: 'trial', title: 'the candidate under which the loss runs and a perfect prediction scores best' },
};

type Field = keyof Pick<ResolvedContract, 'framework' | 'argOrder' | 'layout' | 'labels' | 'prediction' | 'classes' | 'spatialDims'>;

function fieldText(contract: ResolvedContract, field: Field): string | undefined {
  switch (field) {
    case 'framework':
      return FRAMEWORKS[contract.framework] ?? contract.framework;
    case 'argOrder':
      return contract.argOrder === 'pred_true' ? 'called (pred, true)' : 'called (true, pred)';
    case 'layout':
      return contract.flattened ? 'flattened (pixels, classes)' : contract.layout === 'channels_first' ? 'channels first' : 'channels last';
    case 'labels':
      return contract.labels === 'sparse' ? 'integer labels' : 'one-hot labels';
    case 'prediction':
      return contract.prediction;
    case 'classes':
      return contract.classes === undefined ? undefined : contract.classes === 1 ? '1 channel (binary)' : `${contract.classes} classes`;
    case 'spatialDims':
      return contract.spatialDims === undefined ? undefined : `${contract.spatialDims}-D`;
  }
}

const FIELDS: Field[] = ['framework', 'argOrder', 'layout', 'labels', 'prediction', 'classes', 'spatialDims'];

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
  const parts = [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')].filter(Boolean) as string[];
  const notes = infos ? ` · ${plural(infos, 'note')}` : '';
  if (!parts.length) return { kind: 'ok', text: `no problems found${notes}` };
  return { kind: errors ? 'error' : 'warning', text: `${parts.join(' · ')}${notes}` };
}

function contractChips(contract: ResolvedContract, reveal: Reveal): HTMLElement {
  const list = h('ul', { class: 'contract', 'aria-label': 'Contract the loss was diagnosed under', 'data-testid': 'contract' });
  for (const field of FIELDS) {
    const text = fieldText(contract, field);
    if (text === undefined) continue;
    const source = contract.sources?.[field];
    const because = contract.because?.[field];
    const sourceInfo = source ? SOURCES[source] : undefined;
    const title = [sourceInfo?.title, because ? `line ${because.line}: ${because.why}` : undefined].filter(Boolean).join(' — ');
    const chip = h('li', { class: `chip source-${source ?? 'unknown'}`, title: title || null },
      h('span', { class: 'chip-value' }, text),
      sourceInfo ? h('span', { class: 'chip-source' }, sourceInfo.label) : null,
      because ? lineLink(reveal, because.line, `L${because.line}`, `line ${because.line}: ${because.why}`) : null);
    list.appendChild(chip);
  }
  list.appendChild(h('li', { class: `chip confidence confidence-${contract.confidence}`, title: "'high' when nothing rests on trial alone" }, h('span', { class: 'chip-value' }, `confidence ${contract.confidence}`)));
  return list;
}

export function renderHeader(element: HTMLElement, report: ReportMessage, reveal: Reveal): void {
  const { loss, target } = report;
  const verdict = verdictOf(loss.findings ?? [], loss.error);
  const iconName = verdict.kind === 'ok' ? 'check' : verdict.kind === 'warning' ? 'warning' : 'error';
  const role = loss.role === 'metric' ? h('span', { class: 'badge', title: 'diagnosed as a metric (maximised), not trained by the probe' }, 'metric') : null;
  fill(element,
    h('div', { class: 'title-row' },
      h('h1', { class: 'loss-name', 'data-testid': 'loss-name' }, loss.name || loss.entry),
      role,
      h('span', { class: `verdict verdict-${verdict.kind}`, 'data-testid': 'verdict', 'data-verdict': verdict.kind }, icon(iconName), verdict.text)),
    h('div', { class: 'meta' },
      h('span', { class: 'file' }, target.file),
      ':',
      lineLink(reveal, loss.line, String(loss.line), `Go to the loss (line ${loss.line})`),
      loss.entry && loss.entry !== loss.name ? h('span', { class: 'sep' }, h('code', {}, loss.entry)) : null,
      h('span', { class: 'sep', title: 'TensorFlow.js backend the engine ran on' }, `backend ${report.backend || '—'}`)),
    loss.error
      ? h('div', { class: 'callout callout-error', role: 'alert', 'data-testid': 'loss-error' },
          icon('error'),
          h('div', {},
            h('strong', {}, 'The loss could not be evaluated: '),
            loss.error.message,
            loss.error.line ? [' (', lineLink(reveal, loss.error.line), ')'] : null))
      : null,
    loss.contract ? contractChips(loss.contract, reveal) : null);
}
