// The part of Plotly (a global from dist/plotly.min.js, loaded before this bundle) the panel uses,
// typed; and the themed layout, config and drawing helpers every chart shares.
import type { Theme } from '../theme';

export type Datum = number | string | null;

export interface Line {
  color?: string;
  width?: number;
  dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
  shape?: 'linear' | 'spline' | 'hv';
}

export interface Marker {
  color?: string | string[];
  size?: number;
  symbol?: string;
  opacity?: number;
  line?: { color?: string; width?: number };
  pattern?: { shape?: string; fgcolor?: string; bgcolor?: string; solidity?: number };
}

export interface Trace {
  type: 'scatter' | 'bar' | 'heatmap';
  name?: string;
  x?: Datum[];
  y?: Datum[];
  z?: (number | null)[][];
  mode?: 'lines' | 'markers' | 'lines+markers' | 'text' | 'lines+markers+text';
  line?: Line;
  marker?: Marker;
  width?: number;
  text?: string[] | string;
  textposition?: 'inside' | 'outside' | 'auto' | 'none' | 'top center';
  customdata?: Datum[];
  hovertemplate?: string;
  hoverinfo?: string;
  showlegend?: boolean;
  legendgroup?: string;
  legendrank?: number;
  connectgaps?: boolean;
  opacity?: number;
  colorscale?: [number, string][] | string;
  zmin?: number;
  zmax?: number;
  showscale?: boolean;
  colorbar?: {
    thickness?: number;
    len?: number;
    outlinewidth?: number;
    tickfont?: Font;
    tickvals?: number[];
    ticktext?: string[];
  };
  xgap?: number;
  ygap?: number;
  cliponaxis?: boolean;
}

export interface Font {
  family?: string;
  size?: number;
  color?: string;
}

export interface Axis {
  title?: { text: string; standoff?: number; font?: Font };
  type?: 'linear' | 'log' | 'category';
  range?: [number, number];
  autorange?: boolean | 'reversed';
  autorangeoptions?: { clipmin?: number; clipmax?: number; include?: number[] };
  rangemode?: 'normal' | 'tozero' | 'nonnegative';
  gridcolor?: string;
  zerolinecolor?: string;
  linecolor?: string;
  tickcolor?: string;
  showgrid?: boolean;
  zeroline?: boolean;
  showline?: boolean;
  showticklabels?: boolean;
  ticks?: '' | 'outside' | 'inside';
  tickformat?: string;
  tickvals?: number[];
  ticktext?: string[];
  exponentformat?: 'none' | 'e' | 'power' | 'SI' | 'B';
  scaleanchor?: string;
  scaleratio?: number;
  constrain?: 'range' | 'domain';
  fixedrange?: boolean;
  automargin?: boolean;
  visible?: boolean;
  dtick?: number;
  tickfont?: Font;
}

export interface Annotation {
  x?: Datum;
  y?: Datum;
  xref?: string;
  yref?: string;
  text: string;
  showarrow?: boolean;
  arrowcolor?: string;
  ax?: number;
  ay?: number;
  xanchor?: 'left' | 'center' | 'right';
  yanchor?: 'top' | 'middle' | 'bottom';
  font?: Font;
  bgcolor?: string;
  bordercolor?: string;
  borderpad?: number;
  yshift?: number;
  xshift?: number;
}

export interface Layout {
  font?: Font;
  paper_bgcolor?: string;
  plot_bgcolor?: string;
  margin?: { l?: number; r?: number; t?: number; b?: number; pad?: number };
  height?: number;
  xaxis?: Axis;
  yaxis?: Axis;
  showlegend?: boolean;
  legend?: {
    orientation?: 'h' | 'v';
    x?: number;
    y?: number;
    xanchor?: 'left' | 'center' | 'right';
    yanchor?: 'top' | 'middle' | 'bottom';
    font?: Font;
    bgcolor?: string;
    itemclick?: 'toggle' | 'toggleothers' | false;
    traceorder?: string;
  };
  hovermode?: 'closest' | 'x' | 'x unified' | false;
  hoverlabel?: { bgcolor?: string; bordercolor?: string; font?: Font };
  barmode?: 'group' | 'overlay' | 'stack';
  bargap?: number;
  bargroupgap?: number;
  annotations?: Annotation[];
  uirevision?: string;
  modebar?: { bgcolor?: string; color?: string; activecolor?: string; orientation?: 'h' | 'v' };
}

export interface Config {
  displaylogo: boolean;
  responsive: boolean;
  displayModeBar?: boolean | 'hover';
  showLink?: boolean;
  showSendToCloud?: boolean;
  showEditInChartStudio?: boolean;
  modeBarButtonsToRemove?: string[];
  toImageButtonOptions?: { filename?: string; format?: 'png' | 'svg' };
  staticPlot?: boolean;
  scrollZoom?: boolean;
}

export interface PlotlyApi {
  Plots: { resize(root: HTMLElement): Promise<void> | void };
  react(root: HTMLElement, data: Trace[], layout: Layout, config: Config): Promise<HTMLElement>;
  extendTraces(
    root: HTMLElement,
    update: { x: Datum[][]; y: Datum[][]; customdata?: Datum[][] },
    indices: number[],
  ): Promise<HTMLElement>;
  purge(root: HTMLElement): void;
}

declare global {
  interface Window {
    Plotly?: PlotlyApi;
  }
}

export const plotly = (): PlotlyApi | undefined => window.Plotly;

/** Modebar: zoom, pan, reset, PNG export; nothing that talks to a server. */
export function plotConfig(title: string, options: { modeBar?: boolean } = {}): Config {
  return {
    displaylogo: false,
    responsive: true,
    displayModeBar: options.modeBar === false ? false : 'hover',
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    modeBarButtonsToRemove: [
      'select2d',
      'lasso2d',
      'autoScale2d',
      'toggleSpikelines',
      'hoverCompareCartesian',
      'hoverClosestCartesian',
    ],
    toImageButtonOptions: { filename: `loss-lens-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, format: 'png' },
  };
}

export function axis(theme: Theme, title: string, extra: Axis = {}): Axis {
  return {
    title: { text: title, standoff: 6, font: { size: theme.fontSize - 1, color: theme.muted } },
    gridcolor: theme.grid,
    zerolinecolor: theme.axisLine,
    linecolor: theme.axisLine,
    tickcolor: theme.axisLine,
    showline: true,
    automargin: true,
    tickfont: { size: theme.fontSize - 2, color: theme.foreground },
    ...extra,
  };
}

/** Transparent backgrounds, the editor's font and colours. */
export function baseLayout(theme: Theme, extra: Layout = {}): Layout {
  return {
    font: { family: theme.fontFamily, size: theme.fontSize - 1, color: theme.foreground },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    margin: { l: 8, r: 8, t: 8, b: 8, pad: 0 },
    hovermode: 'closest',
    hoverlabel: {
      bgcolor: theme.hoverBackground,
      bordercolor: theme.hoverBorder,
      font: { family: theme.fontFamily, color: theme.foreground, size: theme.fontSize - 1 },
    },
    legend: {
      orientation: 'h',
      x: 0,
      y: -0.22,
      xanchor: 'left',
      yanchor: 'top',
      font: { size: theme.fontSize - 2, color: theme.foreground },
      bgcolor: 'rgba(0,0,0,0)',
    },
    modebar: { bgcolor: 'rgba(0,0,0,0)', color: theme.muted, activecolor: theme.foreground },
    ...extra,
  };
}

// Plotly's `responsive` follows the window; a chart whose container changes size on its own (a
// section appears, a neighbour is hidden) is resized when its element is.
const resized = new Set<HTMLElement>();
let resizeScheduled = false;
const observer =
  typeof ResizeObserver === 'undefined'
    ? undefined
    : new ResizeObserver((entries) => {
        for (const entry of entries) if (entry.contentRect.width > 0) resized.add(entry.target as HTMLElement);
        if (resizeScheduled) return;
        resizeScheduled = true;
        requestAnimationFrame(() => {
          resizeScheduled = false;
          const api = plotly();
          for (const element of resized)
            if (element.classList.contains('js-plotly-plot'))
              void Promise.resolve(api?.Plots.resize(element)).catch(() => undefined);
          resized.clear();
        });
      });
const observed = new WeakSet<HTMLElement>();

/** Draws (or redraws in place) a chart; a page without Plotly keeps a short message instead. */
export function draw(element: HTMLElement, data: Trace[], layout: Layout, config: Config): Promise<void> {
  const api = plotly();
  if (!api) {
    element.textContent = 'Charts are unavailable: Plotly did not load.';
    element.classList.add('chart-unavailable');
    return Promise.resolve();
  }
  if (observer && !observed.has(element)) {
    observed.add(element);
    observer.observe(element);
  }
  return api.react(element, data, layout, config).then(
    () => undefined,
    (error: unknown) => {
      console.error('Loss Lens: a chart could not be drawn', error);
    },
  );
}

export function purge(element: HTMLElement): void {
  plotly()?.purge(element);
}
