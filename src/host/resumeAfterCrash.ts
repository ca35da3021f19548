// A diagnosis that survives its engine process dying: the losses reported before the crash stand,
// the loss that was running gets the crash as its error, and the file's other losses run in a fresh
// process (`fromLoss`). A crash outside any loss (loading the file) is the file's error.
import type { FileReport, LossReport, LossSummary } from '../engine';
import type { DiagnoseRequestOptions, DiagnoseResult, WorkerResponse } from '../protocol';

/** How one run of a request ended: the engine's answer, or its process stopping first. */
export type RunOutcome = WorkerResponse | { type: 'stopped'; reason: string; cancelled: boolean };

export interface LossListeners {
  onLossStarted?: (index: number, loss: LossSummary) => void;
  onLossDiagnosed?: (index: number, report: LossReport) => void;
  onBackend?: (backend: string) => void;
}

const crashedLoss = (loss: LossSummary, reason: string): LossReport => ({
  ...loss,
  findings: [],
  error: {
    kind: 'limit',
    message:
      `the analysis of this loss stopped the engine (${reason}); ` +
      `the file's other losses were analysed in a fresh engine`,
    line: loss.line,
  },
});

export async function diagnoseResuming(
  file: string,
  options: DiagnoseRequestOptions,
  runOnce: (fromLoss: number | undefined, listeners: LossListeners) => Promise<RunOutcome>,
  isCancelled: () => boolean,
  failure: (outcome: RunOutcome) => Error,
): Promise<DiagnoseResult> {
  const started = Date.now();
  /** Reports of the runs whose process died, the crashed losses included. */
  const earlier: LossReport[] = [];
  let fromLoss = options.fromLoss;
  let backend: string = options.backend ?? 'auto';
  for (;;) {
    const streamed: LossReport[] = [];
    let running: { index: number; loss: LossSummary } | undefined;
    const outcome = await runOnce(fromLoss, {
      onBackend: (name) => (backend = name),
      onLossStarted: (index, loss) => (running = { index, loss }),
      onLossDiagnosed: (_index, report) => {
        streamed.push(report);
        running = undefined;
      },
    });
    if (outcome.type === 'diagnosed') {
      if (!earlier.length) return outcome.result;
      const { report } = outcome.result;
      const losses = [...earlier, ...report.losses];
      return { ...outcome.result, report: { ...report, losses }, timings: { totalMs: Date.now() - started } };
    }
    if (outcome.type !== 'stopped' || outcome.cancelled || isCancelled()) throw failure(outcome);
    earlier.push(...streamed);
    if (!running) {
      const during = earlier.length ? 'after its losses' : 'while loading it';
      const error = { kind: 'limit', message: `the engine stopped ${during} (${outcome.reason})` };
      const report: FileReport = { file, losses: earlier, findings: [], notes: [], error };
      return { report, backend, timings: { totalMs: Date.now() - started } };
    }
    earlier.push(crashedLoss(running.loss, outcome.reason));
    fromLoss = running.index + 1;
  }
}
