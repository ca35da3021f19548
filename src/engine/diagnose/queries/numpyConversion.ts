// Where the prediction leaves the tensor world for numpy: `.numpy()` on a tensor that requires grad
// (PyTorch refuses it; the diagnosis read it as `.detach().numpy()`), and the gradient stops whose
// value goes on to numpy.
import { isRefusedNumpyConversion } from '../../python/opKinds';
import type { TraceEntry } from '../../python/trace';
import { valueAncestors } from './gradient';

/** The `.numpy()` conversions PyTorch refuses, one per place in the source (a loop repeats them). */
export function refusedNumpyConversions(trace: readonly TraceEntry[]): TraceEntry[] {
  const seen = new Set<string>();
  return trace.filter((entry) => {
    const { line, column, endLine, endColumn, file } = entry.range;
    const place = `${file ?? ''}:${line}:${column}:${endLine}:${endColumn}`;
    if (!isRefusedNumpyConversion(entry.kind) || seen.has(place)) return false;
    seen.add(place);
    return true;
  });
}

/** The conversion to numpy that `entry`'s value reaches, if any (`pred.detach().cpu().numpy()`). */
export function numpyConversionAfter(trace: readonly TraceEntry[], entry: TraceEntry): TraceEntry | undefined {
  return trace.find(
    (e) =>
      e.index > entry.index &&
      e.kind.category === 'conversion' &&
      e.kind.to === 'numpy' &&
      valueAncestors(trace, e.index).has(entry.index),
  );
}
