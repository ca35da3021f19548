// Uses of framework APIs that a later release removed: TensorFlow 1 spellings (tf.log, tf.to_float,
// keep_dims=, Dimension.value, tf.cond(strict=)...). The interpreter runs them as that release did
// and records each use here, once per spelling and line, in the program's state (it outlives the
// evaluations), so the diagnosis can say so as an info note: LossProgram.legacyApiUses.
import type { CallSite } from './callsite';

export interface LegacyApiUse {
  /** The API generation the spelling belongs to. */
  api: 'tensorflow1';
  /** What the code wrote: 'tf.log', 'tf.reduce_sum(keep_dims=)', 'Dimension.value'. */
  name: string;
  /** The current spelling: 'tf.math.log', 'keepdims='. */
  replacement: string;
  /** 1-based line of the use (0 when unknown). */
  line: number;
  /** Columns of the call that uses it (1-based; 0 when unknown). */
  column: number;
  endColumn: number;
  /** The project file of the use when it is not the file diagnosed. */
  file?: string;
  /** The note as it reads: "TensorFlow 1 API: tf.log (TF 2: tf.math.log)". */
  message: string;
}

const STATE_KEY = 'legacyApiUses';

export function recordLegacyApi(site: CallSite, name: string, replacement: string): void {
  const state = site.rt.programState;
  let uses = state.get(STATE_KEY) as LegacyApiUse[] | undefined;
  if (!uses) state.set(STATE_KEY, (uses = []));
  const line = site.range?.line ?? 0;
  const file = site.range?.file;
  if (uses.some((u) => u.name === name && u.line === line && u.file === file)) return;
  uses.push({
    api: 'tensorflow1',
    name,
    replacement,
    line,
    column: site.range?.column ?? 0,
    endColumn: site.range?.line === site.range?.endLine ? (site.range?.endColumn ?? 0) : 0,
    ...(file ? { file } : {}),
    message: `TensorFlow 1 API: ${name} (TF 2: ${replacement})`,
  });
}

/** The uses recorded so far in a program's state (Runtime.programState), in the order they were met. */
export function legacyApiUses(programState: ReadonlyMap<string, unknown>): readonly LegacyApiUse[] {
  return (programState.get(STATE_KEY) as LegacyApiUse[] | undefined) ?? [];
}
