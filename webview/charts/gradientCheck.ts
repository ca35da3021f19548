// A hand-written gradient against the gradient of its own forward pass, element by element: the
// hand-written value (y) over the automatic one (x). A correct backward puts every point on the
// diagonal; a flipped sign mirrors them, a missing normaliser tilts the cloud.
import { num } from '../format';
import type { Theme } from '../theme';
import type { GradientCheck } from '../types';
import { type Figure, figure } from './figure';
import { axis, baseLayout, draw, plotConfig } from './plotly';

export function createGradientCheckChart(): Figure {
  return figure(
    'chart-gradient-check',
    'Hand-written gradient vs automatic',
    'Each point is one element of d(loss)/d(prediction): the hand-written backward (vertical) against ' +
      'automatic differentiation of the forward pass (horizontal). A correct backward puts every point on ' +
      'the diagonal; a flipped sign mirrors the cloud, a missing normaliser tilts it.',
  );
}

/** The verdict in words, under the chart. */
export function gradientCheckSummary(check: GradientCheck): { ok: boolean; text: string } {
  const shown =
    check.index.length < check.elements ? ` (${check.index.length} of ${check.elements} elements shown)` : '';
  const where = `${check.name}, on ${check.inputCase}`;
  if (check.relErr <= 1e-2)
    return { ok: true, text: `${where}: relative error ${num(check.relErr)}, the gradients agree${shown}.` };
  return { ok: false, text: `${where}: relative error ${num(check.relErr)}${shown}.` };
}

export function drawGradientCheck(fig: Figure, check: GradientCheck, theme: Theme): void {
  const summary = gradientCheckSummary(check);
  fig.note.hidden = false;
  fig.note.textContent = summary.text;
  fig.note.className = `figure-note ${summary.ok ? 'good' : 'bad'}`;
  const values = [...check.auto, ...check.hand].filter(Number.isFinite);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const pad = (high - low) * 0.05 || 1e-6;
  const range: [number, number] = [low - pad, high + pad];
  const worstAt = check.index.indexOf(check.worst);
  void draw(
    fig.plot,
    [
      {
        type: 'scatter',
        mode: 'lines',
        name: 'hand = automatic',
        x: range,
        y: range,
        line: { color: theme.muted, width: 1, dash: 'dash' },
        hoverinfo: 'skip',
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'elements',
        x: check.auto,
        y: check.hand,
        customdata: check.index,
        marker: { color: summary.ok ? theme.accent : theme.error, size: 5, opacity: 0.7 },
        hovertemplate: 'element %{customdata}<br>automatic %{x:.3g}<br>hand-written %{y:.3g}<extra></extra>',
      },
      ...(worstAt >= 0 && !summary.ok
        ? [
            {
              type: 'scatter' as const,
              mode: 'markers' as const,
              name: 'largest difference',
              x: [check.auto[worstAt]],
              y: [check.hand[worstAt]],
              customdata: [check.worst],
              marker: { color: theme.foreground, size: 10, symbol: 'circle-open', line: { width: 2 } },
              hovertemplate: 'element %{customdata}: largest difference<extra></extra>',
            },
          ]
        : []),
    ],
    baseLayout(theme, {
      showlegend: false,
      margin: { l: 8, r: 12, t: 6, b: 8 },
      xaxis: axis(theme, 'automatic d loss / d prediction', { range, exponentformat: 'power' }),
      yaxis: axis(theme, 'hand-written d loss / d prediction', { range, exponentformat: 'power' }),
    }),
    plotConfig('gradient check'),
  );
}
