// The per-class weights the loss computes (generalized Dice, weighted CE), on a batch where every
// class is present and on one where a class is absent; log scale, NaN/Inf weights marked.
import { num } from '../format';
import type { Theme } from '../theme';
import type { ClassWeights } from '../types';
import { type Figure, figure } from './figure';
import { type Annotation, type Trace, axis, baseLayout, draw, plotConfig } from './plotly';

const OFFSET = 0.2;
const BAR = 0.38;

export function createClassWeightsChart(): Figure {
  return figure(
    'chart-class-weights',
    'Class weights',
    'The weight the loss gives each class, log scale. ' +
      'With every class present the weights should stay within a few orders of magnitude; ' +
      'a class missing from the batch must not get an enormous or Inf/NaN weight, or it drowns the others.',
  );
}

export function drawClassWeights(fig: Figure, weights: ClassWeights, theme: Theme): void {
  const classes = Math.max(weights.allPresent.length, weights.oneAbsent?.length ?? 0);
  const index = [...Array(classes).keys()];
  const annotations: Annotation[] = [];
  const series: { name: string; values: (number | null)[]; offset: number; color: string }[] = [
    {
      name: 'all classes present',
      values: weights.allPresent,
      offset: weights.oneAbsent ? -OFFSET : 0,
      color: theme.accent,
    },
  ];
  if (weights.oneAbsent) {
    series.push({
      name: weights.absentClass !== null ? `class ${weights.absentClass} absent` : 'one class absent',
      values: weights.oneAbsent,
      offset: OFFSET,
      color: theme.user,
    });
  }
  const traces: Trace[] = series.map((s) => {
    const x: number[] = [];
    const y: (number | null)[] = [];
    const text: string[] = [];
    index.forEach((c) => {
      const v = s.values[c];
      x.push(c + s.offset);
      const drawable = v !== null && v !== undefined && Number.isFinite(v) && v > 0;
      y.push(drawable ? v : null);
      text.push(v === null || v === undefined ? 'Inf/NaN' : num(v));
      if (v === null || (v !== undefined && !Number.isFinite(v))) {
        annotations.push({
          x: c + s.offset,
          y: 0,
          xref: 'x',
          yref: 'paper',
          yanchor: 'bottom',
          text: '<b>Inf/NaN</b>',
          showarrow: false,
          font: { color: theme.error, size: theme.fontSize - 2 },
          bgcolor: theme.background,
          bordercolor: theme.error,
          borderpad: 2,
        });
      } else if (v === 0) {
        annotations.push({
          x: c + s.offset,
          y: 0,
          xref: 'x',
          yref: 'paper',
          yanchor: 'bottom',
          text: '0',
          showarrow: false,
          font: { color: theme.muted, size: theme.fontSize - 2 },
        });
      }
    });
    return {
      type: 'bar',
      name: s.name,
      x,
      y,
      width: BAR,
      customdata: text,
      marker: {
        color: s.color,
        line: { color: theme.highContrast ? theme.foreground : 'rgba(0,0,0,0)', width: theme.highContrast ? 1.5 : 0 },
      },
      hovertemplate: `${s.name}<br>class %{x:.0f}: %{customdata}<extra></extra>`,
    };
  });
  if (weights.absentClass !== null && weights.oneAbsent) {
    annotations.push({
      x: weights.absentClass + OFFSET,
      y: 1,
      xref: 'x',
      yref: 'paper',
      yanchor: 'bottom',
      text: 'absent',
      showarrow: false,
      font: { color: theme.muted, size: theme.fontSize - 3 },
    });
  }
  void draw(
    fig.plot,
    traces,
    baseLayout(theme, {
      showlegend: true,
      barmode: 'overlay',
      margin: { l: 8, r: 12, t: 16, b: 8 },
      legend: {
        orientation: 'h',
        x: 0,
        y: 1.02,
        xanchor: 'left',
        yanchor: 'bottom',
        font: { size: theme.fontSize - 2, color: theme.foreground },
        bgcolor: 'rgba(0,0,0,0)',
      },
      xaxis: axis(theme, 'class', {
        tickvals: index,
        ticktext: index.map((c) => (c === 0 ? '0 (background)' : String(c))),
        range: [-0.6, classes - 0.4],
        zeroline: false,
      }),
      yaxis: axis(theme, 'weight (log)', { type: 'log', exponentformat: 'power', dtick: 1 }),
      annotations,
    }),
    plotConfig('class weights'),
  );
}
