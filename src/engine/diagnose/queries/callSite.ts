// For an op inside a helper function: the line in the loss that called the helper; for an op
// written in another project file, that file and line.
import type { Finding } from '../../findings/finding';
import type { TraceEntry } from '../../python/trace';

/** The first call on the stack is the loss itself (the engine's call), the second the first call the loss made. */
export function callSiteOf(entry: TraceEntry | undefined): Finding['related'] {
  if (!entry) return undefined;
  const related: NonNullable<Finding['related']> = [];
  if (entry.at?.file !== undefined) related.push({ line: entry.at.line, file: entry.at.file, message: 'written here' });
  const call = entry.callStack[1];
  if (call && call.file === undefined)
    related.push({ line: call.line, message: 'the loss reaches it through this call' });
  return related.length ? related : undefined;
}
