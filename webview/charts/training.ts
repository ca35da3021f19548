// The probe's training curves: loss per step (relative to each run's first value, or raw), hard
// foreground Dice per evaluation, and predicted vs true foreground fraction. The user's run is
// drawn thick in its own colour, the references thin. Live: points are appended with extendTraces.
import { fill, h } from '../dom';
import { num, percent } from '../format';
import type { ProbeSeries, RunSeries } from '../probeData';
import type { Theme } from '../theme';
import { LiveChart, figure } from './figure';
import { type Datum, type Trace, axis, baseLayout, plotConfig } from './plotly';

export type LossScale = 'relative' | 'raw';

/** Predicted fractions of 0 cannot sit on a log axis: they are drawn here (hover says 0). */
const FRACTION_FLOOR = 1e-5;

export function runColor(theme: Theme, series: ProbeSeries, run: RunSeries): string {
  if (run.role === 'user') return theme.user;
  const references = series.runs.filter((r) => r.role !== 'user');
  return theme.references[references.indexOf(run) % theme.references.length];
}

const width = (theme: Theme, run: RunSeries) => (run.role === 'user' ? theme.userWidth : theme.referenceWidth);

/** The first finite loss: what 'relative' divides by (or subtracts, when it is not positive). */
function baseOf(loss: (number | null)[]): number | undefined {
  for (const v of loss) if (v !== null && Number.isFinite(v)) return v;
  return undefined;
}

function relative(value: number, base: number | undefined): number {
  if (base === undefined) return 1;
  return base > 1e-12 ? value / base : 1 + (value - base);
}

function lossTraces(series: ProbeSeries, theme: Theme, scale: LossScale): Trace[] {
  const traces: Trace[] = [];
  for (const run of series.runs) {
    const base = baseOf(run.loss);
    const x: Datum[] = [];
    const y: Datum[] = [];
    const raw: Datum[] = [];
    const bad: { x: Datum[]; y: Datum[]; c: Datum[] } = { x: [], y: [], c: [] };
    let lastY: number | undefined;
    run.loss.forEach((value, i) => {
      const step = i + 1;
      x.push(step);
      if (value === null || !Number.isFinite(value)) {
        y.push(null);
        raw.push(null);
        bad.x.push(step);
        bad.y.push(lastY ?? (scale === 'relative' ? 1 : (base ?? 0)));
        bad.c.push('NaN/Inf');
      } else {
        const shown = scale === 'relative' ? relative(value, base) : value;
        y.push(shown);
        raw.push(value);
        lastY = shown;
      }
    });
    const color = runColor(theme, series, run);
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: run.name,
      x,
      y,
      customdata: raw,
      connectgaps: true,
      line: { color, width: width(theme, run), shape: 'linear' },
      opacity: run.role === 'user' ? 1 : 0.85,
      hovertemplate:
        `<b>${escapeHover(run.name)}</b><br>step %{x}<br>loss %{customdata:.4g}` +
        `${scale === 'relative' ? '<br>relative %{y:.3f}' : ''}<extra></extra>`,
    });
    if (bad.x.length) {
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: `${run.name}: NaN/Inf`,
        x: bad.x,
        y: bad.y,
        customdata: bad.c,
        showlegend: false,
        marker: { color: theme.error, symbol: 'x-thin-open', size: 7, line: { color: theme.error, width: 1.5 } },
        hovertemplate: `<b>${escapeHover(run.name)}</b><br>step %{x}: loss NaN/Inf<extra></extra>`,
      });
    }
  }
  return traces;
}

function diceTraces(series: ProbeSeries, theme: Theme): Trace[] {
  return series.runs.map((run) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: run.name,
    x: run.evaluations.map((e) => e.step),
    y: run.evaluations.map((e) => (Number.isFinite(e.foregroundDice) ? e.foregroundDice : null)),
    customdata: run.evaluations.map((e) =>
      e.lesions
        ? `${e.lesions.truePositives}/${e.lesions.trueLesions} lesions found, ${e.lesions.falsePositives} false`
        : '',
    ),
    line: { color: runColor(theme, series, run), width: width(theme, run) },
    marker: { size: run.role === 'user' ? 6 : 4, color: runColor(theme, series, run) },
    hovertemplate:
      `<b>${escapeHover(run.name)}</b><br>step %{x}<br>foreground Dice %{y:.3f}<br>` + '%{customdata}<extra></extra>',
  }));
}

function fractionTraces(series: ProbeSeries, theme: Theme): Trace[] {
  const traces: Trace[] = series.runs.map((run) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: run.name,
    x: run.evaluations.map((e) => e.step),
    y: run.evaluations.map((e) => Math.max(FRACTION_FLOOR, e.predictedForeground)),
    customdata: run.evaluations.map((e) => percent(e.predictedForeground, 2)),
    line: { color: runColor(theme, series, run), width: width(theme, run) },
    marker: { size: run.role === 'user' ? 6 : 4, color: runColor(theme, series, run) },
    hovertemplate: `<b>${escapeHover(run.name)}</b><br>step %{x}<br>predicted foreground %{customdata}<extra></extra>`,
  }));
  const reference =
    series.runs.find((r) => r.role === 'user' && r.evaluations.length) ?? series.runs.find((r) => r.evaluations.length);
  const evaluations = reference?.evaluations ?? [];
  // The true fraction spans the whole x range (it does not change), so later points extend it.
  traces.push({
    type: 'scatter',
    mode: 'lines',
    name: 'true foreground',
    x: evaluations.map((e) => e.step),
    y: evaluations.map((e) => Math.max(FRACTION_FLOOR, e.trueForeground)),
    customdata: evaluations.map((e) => percent(e.trueForeground, 2)),
    line: { color: theme.truth, width: theme.highContrast ? 2.5 : 1.5, dash: 'dash' },
    hovertemplate: 'true foreground %{customdata}<extra></extra>',
  });
  return traces;
}

const RELATIVE_LOSS_CAPTION =
  'Each curve is divided by its first value (1 = where it started) so losses on different scales compare; ' +
  'hover for the raw loss. Your loss should fall like the references; a flat curve learns nothing, ' +
  'red × marks NaN/Inf steps.';
const RAW_LOSS_CAPTION =
  'Raw loss values: the losses have different scales, so compare shapes, not heights. Red × marks NaN/Inf steps.';

const escapeHover = (text: string) =>
  text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c);

export interface TrainingCharts {
  element: HTMLElement;
  /** Draws the series; `extend` when only points were appended since the last call. */
  update(series: ProbeSeries, theme: Theme, extend: boolean): void;
}

export function createTrainingCharts(): TrainingCharts {
  let scale: LossScale = 'relative';
  let last: { series: ProbeSeries; theme: Theme } | undefined;
  const loss = figure('chart-loss', 'Loss per step', RELATIVE_LOSS_CAPTION);
  const dice = figure(
    'chart-dice',
    'Foreground Dice',
    'Hard Dice of the foreground classes on the evaluation images. ' +
      'A sound loss climbs towards 1 like the references; staying near 0 means it does not segment.',
  );
  const fraction = figure(
    'chart-fraction',
    'Predicted foreground fraction',
    'Share of pixels predicted as foreground, log scale; the dashed line is the true share. ' +
      'Converging on it is right; falling to the floor is a collapse to background, ' +
      'staying high a false-positive flood.',
  );
  const scaleButtons = (['relative', 'raw'] as LossScale[]).map((s) => {
    const b = h(
      'button',
      { type: 'button', class: 'segment', 'aria-pressed': s === scale ? 'true' : 'false', 'data-scale': s },
      s === 'relative' ? 'Relative' : 'Raw',
    );
    b.addEventListener('click', () => {
      scale = s;
      for (const other of scaleButtons) other.setAttribute('aria-pressed', other === b ? 'true' : 'false');
      loss.caption.textContent = s === 'relative' ? RELATIVE_LOSS_CAPTION : RAW_LOSS_CAPTION;
      if (last) drawLoss(last.series, last.theme, false);
    });
    return b;
  });
  loss.header.appendChild(h('div', { class: 'segmented', role: 'group', 'aria-label': 'Loss scale' }, scaleButtons));

  const legend = h('ul', { class: 'run-legend', 'aria-label': 'Runs', 'data-testid': 'run-legend' });
  const charts = {
    loss: new LiveChart(loss.plot),
    dice: new LiveChart(dice.plot),
    fraction: new LiveChart(fraction.plot),
  };
  const element = h(
    'div',
    { class: 'training' },
    legend,
    h('div', { class: 'chart-grid three' }, loss.element, dice.element, fraction.element),
  );

  const xRange = (series: ProbeSeries): [number, number] => [
    0,
    Math.max(series.steps, series.step, ...series.runs.map((r) => r.loss.length), 1),
  ];
  const keyOf = (series: ProbeSeries, theme: Theme, traces: Trace[], extra = '') =>
    [
      theme.kind,
      theme.user,
      theme.foreground,
      xRange(series).join(':'),
      traces.map((t) => t.name).join('|'),
      extra,
    ].join('#');

  function drawLoss(series: ProbeSeries, theme: Theme, extend: boolean) {
    const traces = lossTraces(series, theme, scale);
    const layout = baseLayout(theme, {
      showlegend: false,
      margin: { l: 8, r: 12, t: 6, b: 8 },
      xaxis: axis(theme, 'step', { range: xRange(series) }),
      yaxis: axis(
        theme,
        scale === 'relative' ? 'loss ÷ first value' : 'loss',
        scale === 'relative'
          ? { autorangeoptions: { clipmax: 3, clipmin: -2, include: [0, 1] } }
          : { rangemode: 'normal' },
      ),
      uirevision: `loss-${scale}`,
    });
    void charts.loss.show(traces, layout, plotConfig('loss per step'), keyOf(series, theme, traces, scale), extend);
  }

  function drawLegend(series: ProbeSeries, theme: Theme) {
    fill(
      legend,
      series.runs.map((run) => {
        const final = run.evaluations[run.evaluations.length - 1];
        return h(
          'li',
          { class: run.role === 'user' ? 'run user' : 'run', title: run.error ?? null },
          h('span', { class: 'swatch', 'data-color': runColor(theme, series, run) }),
          h('span', { class: 'run-name' }, run.name),
          run.role === 'user' ? h('span', { class: 'badge' }, 'yours') : null,
          run.status !== 'trained' ? h('span', { class: `badge status-${run.status}` }, run.status) : null,
          final
            ? h(
                'span',
                { class: 'run-value', title: `foreground Dice at step ${final.step}` },
                `Dice ${num(final.foregroundDice, 3)}`,
              )
            : null,
        );
      }),
    );
    // Colours come from the theme, set through the CSSOM (no inline style attributes in markup).
    legend
      .querySelectorAll<HTMLElement>('.swatch')
      .forEach((s) => s.style.setProperty('--swatch', s.dataset.color ?? ''));
  }

  return {
    element,
    update(series, theme, extend) {
      last = { series, theme };
      drawLegend(series, theme);
      drawLoss(series, theme, extend);
      const diceTracesNow = diceTraces(series, theme);
      void charts.dice.show(
        diceTracesNow,
        baseLayout(theme, {
          showlegend: false,
          margin: { l: 8, r: 12, t: 6, b: 8 },
          xaxis: axis(theme, 'step', { range: xRange(series) }),
          yaxis: axis(theme, 'foreground Dice', { range: [-0.03, 1.03] }),
          uirevision: 'dice',
        }),
        plotConfig('foreground dice'),
        keyOf(series, theme, diceTracesNow),
        extend,
      );
      const fractionTracesNow = fractionTraces(series, theme);
      void charts.fraction.show(
        fractionTracesNow,
        baseLayout(theme, {
          showlegend: false,
          margin: { l: 8, r: 12, t: 6, b: 8 },
          xaxis: axis(theme, 'step', { range: xRange(series) }),
          yaxis: axis(theme, 'fraction of pixels (log)', { type: 'log', exponentformat: 'power', dtick: 1 }),
          uirevision: 'fraction',
        }),
        plotConfig('foreground fraction'),
        keyOf(series, theme, fractionTracesNow),
        extend,
      );
    },
  };
}
