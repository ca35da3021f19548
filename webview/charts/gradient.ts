// Where the gradient of the loss goes on a random prediction: per class channel, and on foreground
// vs background pixels. No gradient at all is the signature of argmax/threshold inside the loss.
import { h } from '../dom';
import { type Theme, withAlpha } from '../theme';
import type { LossPlots } from '../types';
import { type Figure, figure } from './figure';
import { axis, baseLayout, draw, plotConfig, purge } from './plotly';

export interface GradientCharts {
  element: HTMLElement;
  byClass: Figure;
  split: Figure;
  missing: HTMLElement;
}

export function createGradientCharts(): GradientCharts {
  const byClass = figure(
    'chart-gradient-class',
    'Gradient per class channel',
    'L2 norm of d(loss)/d(prediction) on each class channel. ' +
      'Every class the loss is meant to learn needs a bar; a missing bar is a class the loss ignores.',
  );
  const split = figure(
    'chart-gradient-split',
    'Gradient on foreground vs background',
    'Mean |d(loss)/d(prediction)| per pixel. ' +
      'On imbalanced data a segmentation loss should push foreground pixels at least as hard as background ones.',
  );
  const missing = h(
    'div',
    { class: 'callout callout-error', role: 'note', 'data-testid': 'no-gradient', hidden: true },
    h(
      'div',
      {},
      h('strong', {}, 'No gradient reaches the prediction. '),
      'The loss is cut from the prediction (argmax, a threshold, an integer cast, .detach()...), ' +
        'so training cannot change the model: this is the signature of a non-differentiable loss.',
    ),
  );
  const element = h(
    'div',
    { class: 'gradient-charts' },
    missing,
    h('div', { class: 'chart-grid two' }, byClass.element, split.element),
  );
  return { element, byClass, split, missing };
}

export function drawGradient(
  charts: GradientCharts,
  plots: LossPlots,
  classes: number | undefined,
  theme: Theme,
): void {
  const values = plots.gradientByClass;
  const none =
    !values || (values.every((v) => v === 0) && plots.gradientForeground === null && plots.gradientBackground === null);
  charts.missing.hidden = !none;
  charts.byClass.element.hidden = none || !values;
  const split = [plots.gradientForeground, plots.gradientBackground];
  charts.split.element.hidden = none || split.every((v) => v === null);
  if (none || !values) {
    purge(charts.byClass.plot);
    purge(charts.split.plot);
    return;
  }
  const labels = values.map((_, c) =>
    values.length === 1 || classes === 1 ? `channel ${c}` : c === 0 ? 'class 0 (background)' : `class ${c}`,
  );
  const zero = values.map((v) => v === 0);
  void draw(
    charts.byClass.plot,
    [
      {
        type: 'bar',
        name: 'gradient norm',
        x: labels,
        y: values,
        marker: {
          color: values.map((_v, c) => (c === 0 && values.length > 1 ? withAlpha(theme.muted, 0.55) : theme.accent)),
          line: { color: theme.highContrast ? theme.foreground : 'rgba(0,0,0,0)', width: theme.highContrast ? 1.5 : 0 },
        },
        text: zero.map((z) => (z ? 'no gradient' : '')),
        textposition: 'outside',
        hovertemplate: '%{x}<br>‖∇‖ %{y:.3g}<extra></extra>',
      },
    ],
    baseLayout(theme, {
      showlegend: false,
      bargap: 0.35,
      margin: { l: 8, r: 12, t: 6, b: 8 },
      xaxis: axis(theme, 'prediction channel', { type: 'category' }),
      yaxis: axis(theme, '‖d loss / d prediction‖', { rangemode: 'tozero', exponentformat: 'power' }),
    }),
    plotConfig('gradient per class'),
  );
  if (charts.split.element.hidden) return;
  void draw(
    charts.split.plot,
    [
      {
        type: 'bar',
        name: 'mean |gradient|',
        x: ['foreground', 'background'],
        y: split,
        marker: {
          color: [theme.user, withAlpha(theme.muted, 0.55)],
          line: { color: theme.highContrast ? theme.foreground : 'rgba(0,0,0,0)', width: theme.highContrast ? 1.5 : 0 },
        },
        hovertemplate: '%{x} pixels<br>mean |∇| %{y:.3g}<extra></extra>',
      },
    ],
    baseLayout(theme, {
      showlegend: false,
      bargap: 0.45,
      margin: { l: 8, r: 12, t: 6, b: 8 },
      xaxis: axis(theme, 'pixels', { type: 'category' }),
      yaxis: axis(theme, 'mean |d loss / d prediction|', { rangemode: 'tozero', exponentformat: 'power' }),
    }),
    plotConfig('gradient foreground background'),
  );
}
