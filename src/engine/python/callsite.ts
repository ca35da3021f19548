import type { SourceRange } from './ast';
import type { Runtime } from './runtime';

/** What a native (TypeScript) function gets besides its arguments: where it was called, and the runtime. */
export interface CallSite {
  readonly range: SourceRange;
  readonly rt: Runtime;
}
