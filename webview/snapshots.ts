// Mask snapshots as small multiples: the ground truth and input intensity of the snapshot slice, and
// per run the predicted foreground probability at the chosen step (latest by default; a slider goes
// back to earlier snapshots). Equal aspect, rows top-down as in an image.
import { type Trace, axis, baseLayout, draw, plotConfig, purge } from './charts/plotly';
import { fill, h } from './dom';
import { type ProbeSeries, type RunSeries, snapshotAt, snapshotSteps } from './probeData';
import type { Theme } from './theme';
import type { SnapshotSlice } from './types';

const VIRIDIS: [number, string][] = [
  [0, '#440154'],
  [0.25, '#3b528b'],
  [0.5, '#21918c'],
  [0.75, '#5ec962'],
  [1, '#fde725'],
];

function viridisAt(t: number): string {
  for (let i = 1; i < VIRIDIS.length; i++) {
    if (t <= VIRIDIS[i][0]) {
      const [t0, c0] = VIRIDIS[i - 1];
      const [t1, c1] = VIRIDIS[i];
      const f = (t - t0) / (t1 - t0 || 1);
      const rgb = [1, 3, 5].map((k) =>
        Math.round(parseInt(c0.slice(k, k + 2), 16) * (1 - f) + parseInt(c1.slice(k, k + 2), 16) * f),
      );
      return `rgb(${rgb.join(',')})`;
    }
  }
  return VIRIDIS[VIRIDIS.length - 1][1];
}

/** Row-major values as rows (null where the array is short). */
function grid(values: number[], height: number, width: number): (number | null)[][] {
  const rows: (number | null)[][] = [];
  for (let r = 0; r < height; r++) {
    const row: (number | null)[] = [];
    for (let c = 0; c < width; c++) {
      const v = values[r * width + c];
      row.push(v === undefined || !Number.isFinite(v) ? null : v);
    }
    rows.push(row);
  }
  return rows;
}

/** The slice's size (the first progress event names the slice); a square guess only if it is unknown. */
function dimensions(slice: SnapshotSlice | null, length: number): { height: number; width: number } | undefined {
  if (slice && slice.height * slice.width === length) return { height: slice.height, width: slice.width };
  const side = Math.round(Math.sqrt(length));
  return side * side === length && side > 0 ? { height: side, width: side } : undefined;
}

interface Tile {
  element: HTMLElement;
  plot: HTMLElement;
  label: HTMLElement;
}

function tile(name: string, testid: string): Tile {
  const plot = h('div', { class: 'snapshot-plot', role: 'img', 'aria-label': name });
  const label = h('figcaption', {}, name);
  return { element: h('figure', { class: 'snapshot', 'data-testid': testid }, plot, label), plot, label };
}

function heatmap(
  z: (number | null)[][],
  colorscale: Trace['colorscale'],
  zmin: number,
  zmax: number,
  hover: string,
  theme: Theme,
): { data: Trace[]; layout: ReturnType<typeof baseLayout> } {
  const hidden = {
    showticklabels: false,
    showgrid: false,
    zeroline: false,
    ticks: '' as const,
    fixedrange: true,
    title: undefined,
  };
  return {
    data: [
      {
        type: 'heatmap',
        z,
        colorscale,
        zmin,
        zmax,
        showscale: false,
        hovertemplate: `row %{y}, col %{x}<br>${hover}<extra></extra>`,
      },
    ],
    layout: baseLayout(theme, {
      margin: { l: 0, r: 0, t: 0, b: 0 },
      xaxis: { ...axis(theme, ''), ...hidden, constrain: 'domain', showline: theme.highContrast },
      yaxis: {
        ...axis(theme, ''),
        ...hidden,
        autorange: 'reversed',
        scaleanchor: 'x',
        scaleratio: 1,
        constrain: 'domain',
        showline: theme.highContrast,
      },
    }),
  };
}

export interface Snapshots {
  element: HTMLElement;
  update(series: ProbeSeries | undefined, theme: Theme): void;
}

export function createSnapshots(): Snapshots {
  /** The chosen step; undefined follows the latest snapshot. */
  let chosen: number | undefined;
  let last: { series: ProbeSeries; theme: Theme } | undefined;
  const slider = h('input', {
    type: 'range',
    min: 0,
    max: 0,
    step: 1,
    value: 0,
    id: 'snapshot-step',
    'aria-label': 'Snapshot step',
    'data-testid': 'snapshot-slider',
  });
  const stepLabel = h('output', { for: 'snapshot-step', class: 'snapshot-step', 'data-testid': 'snapshot-step' });
  const latest = h('button', { type: 'button', class: 'link', title: 'Follow the latest snapshot' }, 'latest');
  const tiles = h('div', { class: 'snapshot-grid' });
  const element = h(
    'section',
    { class: 'snapshots', 'aria-labelledby': 'snapshots-title', 'data-testid': 'snapshots', hidden: true },
    h(
      'div',
      { class: 'figure-header' },
      h('h3', { id: 'snapshots-title' }, 'What the model segments'),
      h('div', { class: 'snapshot-controls' }, h('label', { for: 'snapshot-step' }, 'Step'), slider, stepLabel, latest),
    ),
    tiles,
    h(
      'p',
      { class: 'caption' },
      "Ground truth, the input, and each run's predicted foreground probability on the same image " +
        '(0 dark, 1 bright). A sound loss paints the lesions and little else; compare yours with the references.',
    ),
  );
  const fixed = { truth: tile('ground truth', 'snapshot-truth'), intensity: tile('input', 'snapshot-input') };
  const runTiles = new Map<string, Tile>();

  slider.addEventListener('input', () => {
    if (!last) return;
    const steps = snapshotSteps(last.series);
    const index = Number(slider.value);
    chosen = index >= steps.length - 1 ? undefined : steps[index];
    drawRuns(last.series, last.theme);
  });
  latest.addEventListener('click', () => {
    chosen = undefined;
    if (last) drawRuns(last.series, last.theme);
  });

  function drawRuns(series: ProbeSeries, theme: Theme) {
    const steps = snapshotSteps(series);
    const step = chosen ?? steps[steps.length - 1];
    slider.max = String(Math.max(0, steps.length - 1));
    slider.value = String(Math.max(0, steps.indexOf(step)));
    slider.disabled = steps.length < 2;
    stepLabel.textContent = step === undefined ? '' : `${step}${chosen === undefined ? ' (latest)' : ''}`;
    latest.hidden = chosen === undefined;
    for (const run of series.runs) {
      const t = runTiles.get(run.name);
      if (t) drawRun(t, run, step, series.slice, theme);
    }
  }

  function drawRun(t: Tile, run: RunSeries, step: number, slice: SnapshotSlice | null, theme: Theme) {
    const snapshot = snapshotAt(run, step);
    const size = snapshot && dimensions(slice, snapshot.foreground.length);
    fill(
      t.label,
      h('span', { class: run.role === 'user' ? 'run-name user' : 'run-name' }, run.name),
      snapshot
        ? h('span', { class: 'muted' }, ` · step ${snapshot.step}`)
        : h('span', { class: 'muted' }, ' · no snapshot'),
    );
    if (!snapshot || !size) {
      purge(t.plot);
      t.plot.classList.add('empty');
      return;
    }
    t.plot.classList.remove('empty');
    const { data, layout } = heatmap(
      grid(snapshot.foreground, size.height, size.width),
      VIRIDIS,
      0,
      1,
      'p(foreground) %{z:.2f}',
      theme,
    );
    void draw(t.plot, data, layout, { ...plotConfig(`snapshot ${run.name}`, { modeBar: false }) });
  }

  return {
    element,
    update(series, theme) {
      const steps = series ? snapshotSteps(series) : [];
      const slice = series?.slice ?? null;
      element.hidden = !series || (!steps.length && !slice);
      if (!series || element.hidden) {
        last = undefined;
        return;
      }
      last = { series, theme };
      if (chosen !== undefined && !steps.includes(chosen)) chosen = undefined;
      // Tiles: truth, input (when the slice is known), then one per run, in the runs' order.
      const wanted: Tile[] = [];
      if (slice) wanted.push(fixed.truth, fixed.intensity);
      for (const run of series.runs) {
        let t = runTiles.get(run.name);
        if (!t) {
          t = tile(run.name, 'snapshot-run');
          runTiles.set(run.name, t);
        }
        t.element.classList.toggle('user', run.role === 'user');
        wanted.push(t);
      }
      for (const [name, t] of runTiles) {
        if (!series.runs.some((r) => r.name === name)) {
          purge(t.plot);
          runTiles.delete(name);
        }
      }
      const current = Array.from(tiles.children);
      if (current.length !== wanted.length || current.some((c, i) => c !== wanted[i].element))
        fill(
          tiles,
          wanted.map((t) => t.element),
        );
      if (slice) {
        const classes = Math.max(1, ...slice.truth) + 1;
        const truthScale: [number, string][] = [];
        for (let k = 0; k < classes; k++) {
          const color = viridisAt(classes === 1 ? 0 : k / (classes - 1));
          truthScale.push([k / classes, color], [(k + 1) / classes, color]);
        }
        const truth = heatmap(
          grid(slice.truth, slice.height, slice.width),
          truthScale,
          -0.5,
          classes - 0.5,
          'class %{z}',
          theme,
        );
        void draw(fixed.truth.plot, truth.data, truth.layout, plotConfig('ground truth', { modeBar: false }));
        const intensities = slice.intensity.filter(Number.isFinite);
        const lo = Math.min(...intensities);
        const hi = Math.max(...intensities);
        const input = heatmap(
          grid(slice.intensity, slice.height, slice.width),
          'Greys',
          lo,
          hi > lo ? hi : lo + 1,
          'intensity %{z:.2f}',
          theme,
        );
        input.data[0].colorscale = [
          [0, '#000000'],
          [1, '#ffffff'],
        ];
        void draw(fixed.intensity.plot, input.data, input.layout, plotConfig('input', { modeBar: false }));
        fill(
          fixed.truth.label,
          'ground truth',
          h(
            'span',
            { class: 'muted' },
            slice.depth !== undefined ? ` · image ${slice.image}, depth ${slice.depth}` : ` · image ${slice.image}`,
          ),
        );
      }
      drawRuns(series, theme);
    },
  };
}
