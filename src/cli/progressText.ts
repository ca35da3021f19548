// The words of a probe's progress: how far it is, and about how long it has left.

/** About how long is left, when `done` of `total` steps took `elapsedMs`; undefined before a rate is known. */
export function timeLeftMs(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || elapsedMs <= 0) return undefined;
  return ((total - done) * elapsedMs) / done;
}

/** `~12 s left`, `~3 min left`; `estimating…` before the first steps. */
export function timeLeftText(ms: number | undefined): string {
  if (ms === undefined) return 'estimating time left';
  const seconds = Math.round(ms / 1000);
  if (seconds < 1) return 'less than a second left';
  if (seconds < 90) return `~${seconds} s left`;
  return `~${Math.round(seconds / 60)} min left`;
}

/** `6.1 s`, `2 min 5 s`: how long a probe took. */
export function durationText(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `[########------------]`: `done` of `total` in `width` cells. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.round((width * done) / total)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** The whole percentage `done` of `total` is. */
export const percent = (done: number, total: number) => (total > 0 ? Math.floor((100 * done) / total) : 0);
