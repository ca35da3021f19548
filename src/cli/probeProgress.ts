// A probe's progress on stderr, so a long training run is not mistaken for a hang: on a terminal,
// one line that updates itself (a bar, the steps, the time left); elsewhere (CI logs, a pipe), a
// plain line when a probe starts, at each quarter of its steps (or every 30 s) and when it ends.
// stdout is untouched whatever the format; --quiet turns progress off.
import { durationText, percent, progressBar, timeLeftMs, timeLeftText } from './progressText';
import { visibleLine } from './terminalText';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** What a probe's progress event says (the engine's ProgressEvent also carries curves). */
export interface ProbeStep {
  step: number;
  steps: number;
}

export interface ProbeProgress {
  /** A progress event of `loss`'s probe in `file`. */
  event(file: string, loss: { entry: string }, event: ProbeStep): void;
  /** Clears the live line before anything else is written to the terminal. */
  clear(): void;
}

export interface ProgressOptions {
  quiet: boolean;
  /** TERM=dumb terminals cannot redraw a line. */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export function probeProgress(stream: ProgressStream, options: ProgressOptions): ProbeProgress | undefined {
  if (options.quiet) return undefined;
  const now = options.now ?? Date.now;
  const live = stream.isTTY === true && (options.env ?? process.env).TERM !== 'dumb';
  return live ? liveLine(stream, now) : logLines(stream, now);
}

/** When each probe started (its step 0), by file and loss: the time left comes from its own rate. */
function probeClock(now: () => number) {
  const started = new Map<string, number>();
  return (file: string, entry: string, { step, steps }: ProbeStep) => {
    const key = `${file}\u0000${entry}`;
    if (step === 0 || !started.has(key)) started.set(key, now());
    const elapsed = now() - started.get(key)!;
    return { elapsed, left: timeLeftMs(step, steps, elapsed), done: step >= steps };
  };
}

/** Redraws a line at most this often: events come every few steps, a terminal need not flicker. */
const REDRAW_MS = 100;

function liveLine(stream: ProgressStream, now: () => number): ProbeProgress {
  const clock = probeClock(now);
  let shown = false;
  let drawnAt = -Infinity;
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    event(file, loss, event) {
      const { left, done } = clock(file, loss.entry, event);
      if (done) return clear();
      if (event.step !== 0 && now() - drawnAt < REDRAW_MS) return;
      drawnAt = now();
      // The numbers first: a narrow terminal cuts the names, not the time left.
      const text =
        `${progressBar(event.step, event.steps)} ${event.step}/${event.steps} steps, ${timeLeftText(left)}: ` +
        `probe ${visibleLine(loss.entry)} in ${visibleLine(file)}`;
      // Longer than the terminal is wide, the line would wrap and \r would redraw only its last row.
      const width = (stream.columns ?? 80) - 1;
      stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    clear,
  };
}

/** Lines in a log at least this often while a probe runs, even between quarters (a long full probe). */
const HEARTBEAT_MS = 30_000;

function logLines(stream: ProgressStream, now: () => number): ProbeProgress {
  const clock = probeClock(now);
  let lastQuarter = 0;
  let lastLineAt = 0;
  const line = (file: string, entry: string, text: string) => {
    lastLineAt = now();
    stream.write(`loss-lens: probe ${visibleLine(entry)} in ${visibleLine(file)}: ${text}\n`);
  };
  return {
    event(file, loss, event) {
      const { elapsed, left, done } = clock(file, loss.entry, event);
      const quarter = Math.floor((4 * event.step) / event.steps);
      if (event.step === 0) {
        lastQuarter = 0;
        line(file, loss.entry, `${event.steps} steps`);
      } else if (done) line(file, loss.entry, `done, ${event.steps} steps in ${durationText(elapsed)}`);
      else if (quarter > lastQuarter || now() - lastLineAt >= HEARTBEAT_MS) {
        lastQuarter = Math.max(lastQuarter, quarter);
        const at = `step ${event.step}/${event.steps} (${percent(event.step, event.steps)}%)`;
        line(file, loss.entry, `${at}, ${timeLeftText(left)}`);
      }
    },
    clear: () => {},
  };
}
