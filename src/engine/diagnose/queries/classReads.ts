// Where the loss reads single class channels of its prediction (y_pred[..., c], probs[:, 1]): each
// subscript site, the channels it picked each time it ran. A loop that stops early or indexes a
// constant channel shows here, at the line that does it.
import type { Contract } from '../../contract';
import type { SourceRange } from '../../python/ast';
import type { TraceEntry } from '../../python/trace';
import { axisProvenance } from './axisProvenance';
import { fromPrediction } from './origin';

export interface ClassReadSite {
  /** The first entry of the site (its range, op and call stack). */
  entry: TraceEntry;
  /** The channel each run picked, in order. */
  channels: number[];
}

const key = (r: SourceRange) => `${r.file ?? ''}:${r.line}:${r.column}:${r.endLine}:${r.endColumn}`;

/** Subscripts of prediction-derived tensors that pick one class channel by an integer, grouped by site. */
export function classReads(trace: readonly TraceEntry[], contract: Contract): ClassReadSite[] {
  const { inputs } = axisProvenance(trace, contract);
  const sites = new Map<string, ClassReadSite>();
  for (const entry of trace) {
    const { kind } = entry;
    if (kind.category !== 'indexing' || !kind.picks?.length || !entry.inputs[0] || !fromPrediction(entry.inputs[0]))
      continue;
    const dims = inputs[entry.index]?.[0];
    if (!dims) continue;
    const pick = kind.picks.find((p) => dims[p.axis]?.length === 1 && dims[p.axis]![0].axis === 'class');
    if (!pick || dims[pick.axis]![0].part) continue;
    const site = sites.get(key(entry.range)) ?? { entry, channels: [] };
    site.channels.push(pick.index);
    sites.set(key(entry.range), site);
  }
  return [...sites.values()];
}
