// The loss along the path from a random prediction (0) to the perfect one (1): a sound loss falls
// to its minimum at 1. NaN/Inf points are marked explicitly.
import { num } from '../format';
import type { Theme } from '../theme';
import type { LossPlots } from '../types';
import { type Figure, figure } from './figure';
import { type Annotation, axis, baseLayout, draw, plotConfig } from './plotly';

export function createResponseChart(): Figure {
  return figure(
    'chart-response',
    'Loss response',
    'The loss as the prediction moves from random (0) to perfect (1), on synthetic data that follows the contract. ' +
      'A sound loss falls steadily to its minimum at 1; ' +
      'a rising curve is a sign error, a flat one a loss that does not see the prediction.',
  );
}

/** Where the minimum is, in words: the verdict the chart shows. */
export function responseSummary(response: LossPlots['response']): { ok: boolean; text: string } | undefined {
  const points = response.towardsPerfect
    .map((t, i) => ({ t, v: response.loss[i] }))
    .filter((p): p is { t: number; v: number } => p.v !== null && Number.isFinite(p.v));
  if (!points.length) return { ok: false, text: 'The loss is NaN/Inf along the whole path.' };
  const min = points.reduce((a, b) => (b.v < a.v ? b : a));
  const max = points.reduce((a, b) => (b.v > a.v ? b : a));
  const span = Math.abs(max.v - min.v);
  const nonFinite = response.loss.length - points.length;
  const nanText = nonFinite ? ` ${nonFinite} point${nonFinite > 1 ? 's are' : ' is'} NaN/Inf.` : '';
  if (span <= 1e-9 * Math.max(1, Math.abs(min.v)))
    return { ok: false, text: `Flat: the loss stays at ${num(min.v)} whatever the prediction.${nanText}` };
  const last = points[points.length - 1];
  if (last.t === 1 && Math.abs(last.v - min.v) <= 1e-6 * Math.max(1, span))
    return {
      ok: !nonFinite,
      text: `Lowest at the perfect prediction (loss ${num(min.v)}), as it should be.${nanText}`,
    };
  return {
    ok: false,
    text:
      `Lowest at ${min.t.toFixed(1)} (${num(min.v)}), ` +
      `not at the perfect prediction (${num(last.v)} at ${last.t.toFixed(1)}).${nanText}`,
  };
}

export function drawResponse(fig: Figure, response: LossPlots['response'], theme: Theme): void {
  const x = response.towardsPerfect;
  const y = response.loss.map((v) => (v !== null && Number.isFinite(v) ? v : null));
  const annotations: Annotation[] = x.flatMap((t, i) =>
    y[i] === null
      ? [
          {
            x: t,
            y: 0,
            xref: 'x',
            yref: 'paper',
            yanchor: 'bottom' as const,
            text: 'NaN/Inf',
            showarrow: false,
            font: { color: theme.error, size: theme.fontSize - 3 },
          },
        ]
      : [],
  );
  const summary = responseSummary(response);
  fig.note.hidden = !summary;
  if (summary) {
    fig.note.textContent = summary.text;
    fig.note.className = `figure-note ${summary.ok ? 'good' : 'bad'}`;
  }
  void draw(
    fig.plot,
    [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'loss',
        x,
        y,
        connectgaps: false,
        line: { color: theme.user, width: theme.userWidth - 1 },
        marker: { color: theme.user, size: 6 },
        hovertemplate: 'towards perfect %{x:.1f}<br>loss %{y:.4g}<extra></extra>',
      },
    ],
    baseLayout(theme, {
      showlegend: false,
      margin: { l: 8, r: 12, t: 6, b: 8 },
      xaxis: axis(theme, 'towards perfect (0 = random, 1 = perfect)', { range: [-0.04, 1.04], dtick: 0.2 }),
      yaxis: axis(theme, 'loss'),
      annotations,
    }),
    plotConfig('loss response'),
  );
}
