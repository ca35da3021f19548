// The exit code of `loss-lens diagnose`, from its reports (the table is in the README and --help).
import type { FileReport } from '../engine';

export const EXIT_CODES = [
  [0, 'every loss found was analysed; no finding of error severity'],
  [1, 'every loss found was analysed; some finding of error severity'],
  [
    2,
    'a file could not be read or is not valid Python 3 (its error as CPython reports it, with the line), ' +
      'a loss could not be analysed, the file given holds no loss, no file of the folder (or the paths) ' +
      'given holds one, or the command line is wrong; 2 wins over 1',
  ],
] as const;

export interface DiagnoseOutcome {
  exitCode: 0 | 1 | 2;
  /** Every file was read and parsed, and none holds a loss (or a folder holds no Python file). */
  noLoss: boolean;
}

/**
 * 2 when anything could not be analysed or nothing holds a loss (a folder's files without losses
 * are fine as long as one file has some), else 1 when a finding is an error, else 0.
 */
export function diagnoseOutcome(reports: readonly FileReport[]): DiagnoseOutcome {
  const unanalysable = reports.some((r) => r.error || r.losses.some((l) => l.error));
  const noLoss = !reports.some((r) => r.error || r.losses.length > 0);
  if (unanalysable || noLoss) return { exitCode: 2, noLoss };
  const findings = reports.flatMap((r) => [...r.findings, ...r.losses.flatMap((l) => l.findings)]);
  return { exitCode: findings.some((f) => f.severity === 'error') ? 1 : 0, noLoss };
}
