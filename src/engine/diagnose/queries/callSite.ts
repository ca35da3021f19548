// For an op inside a helper function: the line in the loss that called the helper.
import type { Finding } from '../../findings/finding';
import type { TraceEntry } from '../../python/trace';

/** The first call on the stack is the loss itself (the engine's call), the second the first call the loss made. */
export function callSiteOf(entry: TraceEntry | undefined): Finding['related'] {
  if (!entry || entry.callStack.length < 2) return undefined;
  return [{ line: entry.callStack[1].line, message: 'the loss reaches it through this call' }];
}
