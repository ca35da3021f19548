// Runs the engine for a document: static diagnoses on the main engine worker (fast, one at a time)
// and training probes on a second worker, so a probe never delays the squiggles of a save. Results
// land in the ResultStore only when the document has not changed meanwhile.
import * as vscode from 'vscode';
import type { FileReport, LossReport, ProbeLevel, ProgressEvent } from '../engine';
import { type EngineClient, EngineError } from '../host/engineClient';
import type { ResultStore } from './results';
import { SettingProblemReporter } from './settingProblems';
import { projectRequest } from './projectRequest';
import { readSettings } from './settings';

/** What `lossLens.diagnose` returns (tests and other extensions can use it). */
export interface DiagnoseCommandResult {
  file: string;
  backend?: string;
  report?: FileReport;
  error?: string;
}

export interface DiagnoseRequest {
  entry?: string;
  /** No notification (run on save, report refreshes): errors go to the output channel only. */
  quiet?: boolean;
  /** Compute the report's plot data too. */
  plots?: boolean;
}

export interface ProbeRequest {
  entry: string;
  level: ProbeLevel;
  token: vscode.CancellationToken;
  onProgress: (event: ProgressEvent) => void;
  /** Progress in the status bar instead of a notification (automatic reruns after a save). */
  quiet?: boolean;
}

export const UNTRUSTED_MESSAGE =
  'Loss Lens interprets losses and trains probes only in trusted workspaces: ' +
  'trust this folder to diagnose (CodeLens discovery works meanwhile).';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : what.endsWith('s') ? 'es' : 's'}`;

export class Diagnoser {
  private readonly settingProblems: SettingProblemReporter;

  constructor(
    private readonly engine: EngineClient,
    private readonly probeEngine: EngineClient,
    private readonly results: ResultStore,
    private readonly log: (line: string) => void,
  ) {
    this.settingProblems = new SettingProblemReporter(log);
  }

  /** Static diagnosis of one loss or the whole file, with a cancellable notification unless quiet. */
  async diagnose(document: vscode.TextDocument, request: DiagnoseRequest = {}): Promise<DiagnoseCommandResult> {
    const { entry, quiet = false, plots = false } = request;
    const file = vscode.workspace.asRelativePath(document.uri);
    if (!vscode.workspace.isTrusted) {
      if (!quiet) void vscode.window.showInformationMessage(UNTRUSTED_MESSAGE);
      return { file, error: UNTRUSTED_MESSAGE };
    }
    const settings = readSettings(document.uri);
    this.settingProblems.report(settings.contractProblems);
    const version = document.version;
    const source = document.getText();
    const project = await projectRequest(document);
    const run = async (
      token?: vscode.CancellationToken,
      progress?: vscode.Progress<{ message?: string }>,
    ): Promise<DiagnoseCommandResult> => {
      const started = Date.now();
      this.log(`diagnosing ${file}${entry ? ` (${entry})` : ''}`);
      try {
        const { report, backend } = await this.engine.diagnose(
          file,
          source,
          { entry, contract: settings.contract, backend: settings.backend, plots, project },
          token,
          { onProgress: (message) => progress?.report({ message }) },
        );
        const findingCount = report.losses.reduce((n, l) => n + l.findings.length, 0) + report.findings.length;
        this.log(
          `${file}: ${count(report.losses.length, 'loss')}, ${count(findingCount, 'finding')}, ` +
            `backend ${backend}, ${Date.now() - started} ms`,
        );
        for (const loss of report.losses) this.log(`  ${loss.entry} (line ${loss.line}): ${describe(loss)}`);
        if (report.error) this.log(`  cannot analyse: ${report.error.message}`);
        if (document.version === version) this.results.record(document, report, backend, entry === undefined);
        return { file, backend, report };
      } catch (error) {
        const message = error instanceof EngineError && error.cancelled ? 'cancelled' : (error as Error).message;
        this.log(`${file}: ${message}`);
        if (!quiet && message !== 'cancelled') void vscode.window.showWarningMessage(`Loss Lens: ${message}`);
        return { file, error: message };
      }
    };
    if (quiet) return run();
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Loss Lens: diagnosing ${entry ?? file}`,
        cancellable: true,
      },
      (progress, token) => run(token, progress),
    );
  }

  /**
   * Trains one loss next to the reference losses (on the probe worker), streaming its steps. The
   * result carries the whole LossReport again: static findings, plots, the probe and its findings.
   */
  async probe(
    document: vscode.TextDocument,
    request: ProbeRequest,
  ): Promise<DiagnoseCommandResult & { cancelled?: boolean }> {
    const { entry, level, token } = request;
    const file = vscode.workspace.asRelativePath(document.uri);
    if (!vscode.workspace.isTrusted) return { file, error: UNTRUSTED_MESSAGE };
    const settings = readSettings(document.uri);
    this.settingProblems.report(settings.contractProblems);
    const version = document.version;
    const started = Date.now();
    const project = await projectRequest(document);
    this.log(`probe (${level}) of ${entry} in ${file}`);
    const location = request.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
    return vscode.window.withProgress(
      { location, title: `Loss Lens: training ${entry} (${level} probe)`, cancellable: !request.quiet },
      async (progress, notificationToken) => {
        const cancel = new vscode.CancellationTokenSource();
        const listeners = [
          token.onCancellationRequested(() => cancel.cancel()),
          notificationToken.onCancellationRequested(() => cancel.cancel()),
        ];
        if (token.isCancellationRequested) cancel.cancel();
        let lastStep = 0;
        try {
          const { report, backend } = await this.probeEngine.diagnose(
            file,
            document.getText(),
            { entry, contract: settings.contract, backend: settings.backend, probe: level, plots: true, project },
            cancel.token,
            {
              onProbeProgress: (_loss, event) => {
                progress.report({
                  message: `step ${event.step}/${event.steps}`,
                  increment: ((event.step - lastStep) / event.steps) * 100,
                });
                lastStep = event.step;
                request.onProgress(event);
              },
            },
          );
          const loss = report.losses.find((l) => l.entry === entry);
          this.log(`probe of ${entry}: ${probeOutcome(loss)}, backend ${backend}, ${Date.now() - started} ms in all`);
          if (document.version === version) this.results.record(document, report, backend, false);
          return { file, backend, report };
        } catch (error) {
          const cancelled = error instanceof EngineError && error.cancelled;
          this.log(`probe of ${entry}: ${cancelled ? 'cancelled' : (error as Error).message}`);
          return { file, error: cancelled ? 'cancelled' : (error as Error).message, cancelled };
        } finally {
          for (const l of listeners) l.dispose();
          cancel.dispose();
        }
      },
    );
  }
}

/** A probe's run as the log tells it: steps, time and training findings, or why there is none. */
function probeOutcome(loss: LossReport | undefined): string {
  if (!loss?.probe) return loss?.probeError ?? loss?.error?.message ?? 'no result';
  const seconds = (loss.probe.timings.totalMs / 1000).toFixed(1);
  const findings = loss.probe.findings.map((f) => f.kind).join(', ') || 'no training problem';
  return `${loss.probe.stepsRun} steps, ${seconds} s, ${findings}`;
}

function describe(loss: LossReport): string {
  if (loss.error) return `could not evaluate: ${loss.error.message}`;
  return loss.findings.map((f) => `${f.kind}@${f.line}`).join(', ') || 'no problems found';
}
