// The probe's outcome per loss: lesion counts (TP / FP / FN), final foreground Dice, predicted vs
// true foreground, status and time; with what the probe trained on, its notes and its verdicts.
import { fill, h, icon } from './dom';
import { duration, num, percent, plural } from './format';
import { type ProbeSeries, latestEvaluation } from './probeData';
import type { Reveal } from './reveal';
import type { Finding, LossProbe, ProbeState } from './types';

const STATUS_TEXT: Record<string, string> = {
  trained: 'trained',
  'no-gradient': 'no gradient',
  failed: 'failed',
  cancelled: 'cancelled',
};

export interface ProbeOutcome {
  element: HTMLElement;
  update(input: {
    series?: ProbeSeries;
    probe?: LossProbe;
    probeState: ProbeState;
    findings: Finding[];
    reveal: Reveal;
  }): void;
}

function metaLine(probe: LossProbe): string {
  const d = probe.dataset;
  const model = probe.model.kind === 'tiny-unet' ? 'tiny U-Net' : 'free logits';
  return [
    `${probe.level} probe`,
    `${model} (${num(probe.model.parameters)} parameters, learning rate ${num(probe.model.learningRate)})`,
    `${d.name} ${d.spatial.join('×')}, ${plural(d.trainImages, 'image')}, ` +
      `foreground ${percent(d.foregroundFraction)}${d.emptyImages ? `, ${d.emptyImages} empty` : ''}`,
    `${probe.stepsRun}/${probe.steps} steps`,
    probe.backend,
    duration(probe.timings?.totalMs),
  ].join(' · ');
}

export function createProbeOutcome(): ProbeOutcome {
  const meta = h('p', { class: 'probe-meta', 'data-testid': 'probe-meta' });
  const table = h('table', { class: 'lesion-table', 'data-testid': 'lesion-table' });
  const tableNote = h('p', { class: 'caption' });
  const verdicts = h('ul', { class: 'probe-verdicts', 'aria-label': 'Probe verdicts' });
  const notes = h('ul', { class: 'probe-notes', 'aria-label': 'Probe notes' });
  const element = h(
    'section',
    { class: 'probe-outcome', 'aria-labelledby': 'outcome-title', hidden: true },
    h('h3', { id: 'outcome-title' }, 'Outcome per loss'),
    meta,
    h('div', { class: 'table-scroll' }, table),
    tableNote,
    verdicts,
    notes,
  );

  return {
    element,
    update({ series, probe, probeState, findings, reveal }) {
      // Shown once the probe has ended: complete (from the report) or stopped (the last evaluation).
      const ended = probeState !== 'running' && !!series?.runs.length;
      element.hidden = !ended;
      if (!ended || !series) return;
      meta.hidden = !probe;
      if (probe) meta.textContent = metaLine(probe);
      // Lesion counts next to the loss's name: in a narrow panel they stay in view, the rest scrolls.
      const head = h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Loss'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col', class: 'num', title: 'hard foreground Dice at the last evaluation' }, 'Dice'),
          h('th', { scope: 'col', class: 'num', title: 'true lesions found' }, 'TP'),
          h('th', { scope: 'col', class: 'num', title: 'predicted lesions that match no true lesion' }, 'FP'),
          h('th', { scope: 'col', class: 'num', title: 'true lesions missed' }, 'FN'),
          h(
            'th',
            { scope: 'col', class: 'num', title: 'predicted vs true share of foreground pixels' },
            'Foreground pred / true',
          ),
          h(
            'th',
            { scope: 'col', class: 'num', title: 'true and predicted lesions (connected components)' },
            'Lesions true / pred',
          ),
          h('th', { scope: 'col', class: 'num' }, 'Time'),
        ),
      );
      const body = h(
        'tbody',
        {},
        series.runs.map((run) => {
          const e = latestEvaluation(run);
          const l = e?.lesions;
          const ratio = e && e.trueForeground > 0 ? e.predictedForeground / e.trueForeground : undefined;
          const fractionClass = ratio === undefined ? '' : ratio < 0.1 ? 'bad' : ratio > 3 ? 'warn' : '';
          return h(
            'tr',
            { class: run.role === 'user' ? 'user' : null, 'data-testid': 'lesion-row', 'data-run': run.name },
            h('th', { scope: 'row' }, run.name, run.role === 'user' ? h('span', { class: 'badge' }, 'yours') : null),
            h(
              'td',
              { class: `status status-${run.status}` },
              STATUS_TEXT[run.status] ?? run.status,
              run.error ? h('div', { class: 'run-error' }, run.error) : null,
            ),
            h('td', { class: 'num' }, e ? num(e.foregroundDice, 3) : '—'),
            h('td', { class: 'num' }, l ? num(l.truePositives) : '—'),
            h(
              'td',
              { class: `num ${l && l.falsePositives > 2 * Math.max(1, l.trueLesions) ? 'warn' : ''}` },
              l ? num(l.falsePositives) : '—',
            ),
            h('td', { class: `num ${l && l.falseNegatives > 0 ? 'warn' : ''}` }, l ? num(l.falseNegatives) : '—'),
            h(
              'td',
              { class: `num ${fractionClass}` },
              e ? `${percent(e.predictedForeground, 2)} / ${percent(e.trueForeground, 2)}` : '—',
            ),
            h('td', { class: 'num' }, l ? `${num(l.trueLesions)} / ${num(l.predictedLesions)}` : '—'),
            h('td', { class: 'num' }, duration(run.timeMs)),
          );
        }),
      );
      fill(table, h('caption', { class: 'visually-hidden' }, 'Outcome of each loss after training'), head, body);
      const steps = series.runs[0] ? latestEvaluation(series.runs[0])?.step : undefined;
      tableNote.textContent =
        series.source === 'live'
          ? `The probe stopped early: values at the last evaluation${steps !== undefined ? ` (step ${steps})` : ''}.`
          : 'Lesions are connected components matched by overlap. ' +
            'A sound loss finds the true lesions with few false positives, like the references.';

      const probeFindings = findings.filter((f) => probe?.findings?.some((p) => p.kind === f.kind));
      fill(
        verdicts,
        (probe?.findings ?? []).map((p) => {
          const at = probeFindings.find((f) => f.kind === p.kind);
          const item = h(
            'li',
            { class: `verdict-item severity-${p.severity}` },
            icon(p.severity === 'info' ? 'info' : p.severity),
            h('strong', {}, p.title),
            ' ',
            p.message,
          );
          if (at) {
            const go = h(
              'button',
              { type: 'button', class: 'link', title: `Go to line ${at.line}` },
              `line ${at.line}`,
            );
            go.addEventListener('click', () =>
              reveal({
                type: 'reveal',
                line: at.line,
                column: at.column,
                endLine: at.endLine,
                endColumn: at.endColumn,
              }),
            );
            item.append(' ', go);
          }
          return item;
        }),
      );
      verdicts.hidden = !probe?.findings?.length;
      fill(
        notes,
        (probe?.notes ?? []).map((n) => h('li', {}, n.replace('--probe full', 'the full probe'))),
        (probe?.references ?? []).length
          ? h('li', {}, 'References: ', probe!.references.map((r) => `${r.name} (${r.follows})`).join('; '), '.')
          : null,
      );
      notes.hidden = !notes.childElementCount;
    },
  };
}
