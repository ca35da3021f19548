// A chart's frame in the page: a <figure> with its title, the Plotly container and a caption saying
// what to look for. Charts keep what they drew so a live update can extend traces in place.
import { h } from '../dom';
import { type Config, type Layout, type Trace, draw, plotly } from './plotly';

export interface Figure {
  element: HTMLElement;
  header: HTMLElement;
  plot: HTMLElement;
  caption: HTMLElement;
  /** A note under the chart (or instead of it): e.g. "no gradient reaches the prediction". */
  note: HTMLElement;
}

export function figure(
  id: string,
  title: string,
  caption: string,
  options: { wide?: boolean; compact?: boolean } = {},
): Figure {
  const titleId = `${id}-title`;
  const header = h('div', { class: 'figure-header' }, h('h3', { id: titleId }, title));
  const plot = h('div', {
    class: options.compact ? 'plot compact' : 'plot',
    id,
    'data-testid': id,
    role: 'img',
    'aria-labelledby': titleId,
  });
  const note = h('div', { class: 'figure-note', hidden: true });
  const captionElement = h('figcaption', {}, caption);
  const element = h(
    'figure',
    { class: options.wide ? 'chart wide' : 'chart', 'aria-labelledby': titleId },
    header,
    plot,
    note,
    captionElement,
  );
  return { element, header, plot, caption: captionElement, note };
}

/**
 * Draws a chart, extending the traces already on screen when only points were appended (same
 * structure `key`, every trace at least as long as before); otherwise redraws it.
 */
export class LiveChart {
  private key = '';
  private lengths: number[] = [];
  private drawing: Promise<void> = Promise.resolve();

  constructor(readonly element: HTMLElement) {}

  /** Number of points on screen (all traces): the UI test reads it from data-points. */
  get points(): number {
    return this.lengths.reduce((a, b) => a + b, 0);
  }

  show(traces: Trace[], layout: Layout, config: Config, key: string, allowExtend: boolean): Promise<void> {
    const lengths = traces.map((t) => t.x?.length ?? 0);
    const api = plotly();
    const extend =
      allowExtend &&
      !!api &&
      key === this.key &&
      lengths.length === this.lengths.length &&
      lengths.every((n, i) => n >= this.lengths[i]);
    const previous = this.lengths;
    this.key = key;
    this.lengths = lengths;
    const run = async () => {
      if (extend && api) {
        const indices: number[] = [];
        const update = { x: [] as Trace['x'][], y: [] as Trace['y'][], customdata: [] as Trace['customdata'][] };
        traces.forEach((t, i) => {
          if (lengths[i] === previous[i]) return;
          indices.push(i);
          update.x.push((t.x ?? []).slice(previous[i]));
          update.y.push((t.y ?? []).slice(previous[i]));
          update.customdata.push((t.customdata ?? []).slice(previous[i]));
        });
        if (indices.length) {
          await api
            .extendTraces(
              this.element,
              update as {
                x: NonNullable<Trace['x']>[];
                y: NonNullable<Trace['y']>[];
                customdata: NonNullable<Trace['customdata']>[];
              },
              indices,
            )
            .catch((error: unknown) => {
              console.error('Loss Lens: could not extend a chart', error);
              return draw(this.element, traces, layout, config);
            });
        }
      } else {
        await draw(this.element, traces, layout, config);
      }
      this.element.dataset.points = String(this.points);
    };
    this.drawing = this.drawing.then(run, run);
    return this.drawing;
  }

  reset(): void {
    this.key = '';
    this.lengths = [];
  }
}
