// Diagnoses every loss in a file (or one --entry): discovery, contract, checks. Plain JSON out.
import { type Contract, type Framework, type ResolvedContract, frameworkFromImports } from '../contract';
import type { Finding } from '../findings/finding';
import type { ProgressEvent } from '../probe/types';
import { LossProgram, type ProjectContext } from '../program';
import type { Module } from '../python/ast';
import { InterpreterError } from '../python/errors';
import type { Limits } from '../python/limits';
import type { PyValue } from '../python/values';
import { CHECK_UNITS } from './checks';
import * as sandboxRefused from './checks/sandboxRefused';
import * as shapeMismatch from './checks/shapeMismatch';
import { resolveContract } from './contractSearch';
import { type DiscoveredLoss, discoverLosses, helperNames } from './discover';
import { type ContextHints, collectHints } from './hints';
import { type LossPlots, lossPlots } from './plots';
import { type LossProbe, type ProbeBudget, type ProbeSetting, probeLoss } from './probeLoss';
import type { RuleId } from './rules';
import { LossSubject } from './subject';
import { syntheticInputs } from './synthetic';

export interface DiagnoseOptions {
  entry?: string;
  contract?: Partial<Contract>;
  limits?: Partial<Limits>;
  /** The project the file belongs to: its imports of project modules resolve (see project/). */
  project?: ProjectContext;
  isCancelled?: () => boolean;
  /** Train each loss (role 'loss', evaluated without error) next to reference losses. Default 'none'. */
  probe?: ProbeSetting;
  /** Progress of a loss's probe, every few steps (live curves). */
  onProbeProgress?: (loss: { entry: string; name: string }, event: ProgressEvent) => void;
  /** Compute the report's plot data (loss response, gradient per class): the editor's report asks for it. */
  plots?: boolean;
  /** Overrides of the probe level's budget (tests, CI). */
  probeBudget?: ProbeBudget;
}

export interface LossReport {
  entry: string;
  name: string;
  kind: DiscoveredLoss['kind'];
  role: DiscoveredLoss['role'];
  line: number;
  endLine: number;
  contract?: ResolvedContract;
  findings: Finding<RuleId>[];
  /** `file`: the error is in another project file the loss imports (`line` is there). */
  error?: { kind: string; message: string; line?: number; file?: string };
  /** The training probe (--probe quick|full): curves, final metrics, references, findings, timings. */
  probe?: LossProbe;
  /** Why the probe could not run (the static diagnosis stands). */
  probeError?: string;
  /** Numbers for the report's plots (loss response, gradient per class). */
  plots?: LossPlots;
}

export interface FileReport {
  file: string;
  losses: LossReport[];
  /** File-level findings (sandbox refusals) and notes on skipped module-level statements. */
  findings: Finding<RuleId>[];
  notes: { line: number; message: string }[];
  error?: { kind: string; message: string; line?: number };
}

/** The checks, in the order their findings are listed. */
const CHECKS: ((subject: LossSubject) => Finding<RuleId>[])[] = CHECK_UNITS.map((unit) => unit.check);

/**
 * A callable whose name does not say loss or metric: the file decides (compile(loss=...),
 * metrics=[...], a training loop), else the direction of its value (a metric rises as the
 * prediction improves).
 */
function resolveRole(
  loss: DiscoveredLoss,
  hints: ContextHints,
  program: LossProgram,
  callable: PyValue,
  contract: Contract,
): 'loss' | 'metric' {
  // The file's own use beats the name: a coefficient passed to compile(loss=...) is minimised.
  if (hints.compiledLosses.has(loss.name) || hints.callOrder.has(loss.name)) return 'loss';
  if (loss.role !== 'unknown') return loss.role;
  if (hints.metrics.has(loss.name)) return 'metric';
  const value = (kind: 'random' | 'perfect') =>
    program.evaluate(callable, syntheticInputs(contract, kind), {
      framework: contract.framework,
      argOrder: contract.argOrder,
      valueOnly: true,
    }).value;
  return value('perfect') > value('random') ? 'metric' : 'loss';
}

/**
 * Findings that are consequences of another one are reported once, as their cause: NaN on an
 * empty patch from exploding class weights; sign and ignored-class verdicts measured with labels
 * that are misaligned with the prediction.
 */
function withoutConsequences(findings: Finding<RuleId>[]): Finding<RuleId>[] {
  const explosions = new Set(findings.filter((f) => f.kind === 'absent-class-explosion').map((f) => f.line));
  const misaligned = findings.some((f) => f.kind === 'shape-mismatch');
  return findings.filter(
    (f) =>
      !(f.kind === 'nan-on-empty' && explosions.has(f.line)) &&
      !(misaligned && (f.kind === 'sign-error' || f.kind === 'ignored-class')),
  );
}

/**
 * A probe shows the consequence; a static finding, when there is one, is the likely cause: each
 * probe finding points back at the static errors (related information), as the report should.
 */
function linkedToCauses(probeFindings: Finding<RuleId>[], staticFindings: Finding<RuleId>[]): Finding<RuleId>[] {
  const causes = staticFindings.filter((f) => f.severity === 'error');
  if (!causes.length) return probeFindings;
  return probeFindings.map((f) => ({
    ...f,
    related: [
      ...(f.related ?? []),
      ...causes.map((c) => ({ line: c.line, message: `likely cause: ${c.kind} — ${c.message}` })),
    ],
  }));
}

/** Helpers called by another loss are diagnosed through it, unless the file uses them itself. */
function withoutHelpers(module: Module, discovered: DiscoveredLoss[], hints: ContextHints): DiscoveredLoss[] {
  const helpers = helperNames(module, discovered);
  const usedDirectly = (name: string) =>
    hints.compiledLosses.has(name) || hints.metrics.has(name) || hints.callOrder.has(name);
  return discovered.filter((d) => !helpers.has(d.name) || usedDirectly(d.name));
}

/** The losses `diagnose` reports on for a file (what CodeLens shows): discovery without helpers. */
export function diagnosableLosses(module: Module): DiscoveredLoss[] {
  const discovered = discoverLosses(module);
  return withoutHelpers(module, discovered, collectHints(module, new Set(discovered.map((d) => d.name))));
}

/** --entry: a discovered loss by entry or name, else the expression itself (a factory call...). */
function entryTarget(entry: string, discovered: DiscoveredLoss[]): DiscoveredLoss {
  const known = discovered.find((d) => d.entry === entry || d.name === entry);
  if (known) return { ...known, entry, requiredArguments: entry === known.entry ? known.requiredArguments : undefined };
  const base = discovered.find((d) => entry.startsWith(`${d.name}(`) || entry.startsWith(`${d.name}.`));
  if (base) return { ...base, entry, requiredArguments: undefined };
  return {
    name: entry,
    entry,
    kind: 'function',
    range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    params: [],
    role: 'unknown',
  };
}

const errorJson = (error: unknown) =>
  error instanceof InterpreterError
    ? {
        kind: error.kind,
        message: error.message,
        line: error.line,
        ...(error.range?.file === undefined ? {} : { file: error.range.file }),
      }
    : { kind: 'internal', message: error instanceof Error ? error.message : String(error) };

/** The loss could not be analysed; refused code it ran into is also a finding at its line. */
function failed(report: LossReport, error: unknown): void {
  report.error = errorJson(error);
  const refused = error instanceof InterpreterError ? sandboxRefused.fromError(error) : undefined;
  if (refused) report.findings.push(refused);
}

export async function diagnoseSource(file: string, source: string, options: DiagnoseOptions = {}): Promise<FileReport> {
  let program: LossProgram;
  try {
    program = await LossProgram.load(source, options.limits, options.project);
  } catch (error) {
    return { file, losses: [], findings: [], notes: [], error: errorJson(error) };
  }
  try {
    const findings = sandboxRefused.check(program.loadNotes);
    const notes = program.loadNotes
      .filter((n) => n.kind === 'skipped')
      .map((n) => ({ line: n.range.line, message: n.message }));
    const framework: Framework | undefined =
      options.contract?.framework ?? frameworkFromImports(program.module) ?? program.projectFramework;
    const discovered = discoverLosses(program.module);
    const hints = collectHints(program.module, new Set(discovered.map((d) => d.name)));
    const targets: DiscoveredLoss[] = options.entry
      ? [entryTarget(options.entry, discovered)]
      : withoutHelpers(program.module, discovered, hints);
    const losses: LossReport[] = [];
    for (const loss of targets) {
      if (options.isCancelled?.()) throw new InterpreterError('cancelled', 'cancelled');
      losses.push(await diagnoseLoss(program, loss, framework, hints, options));
    }
    return { file, losses, findings, notes };
  } catch (error) {
    // An internal error outside any one loss (discovery, hints) is this file's, never the caller's run's.
    if (error instanceof InterpreterError && error.kind === 'cancelled') throw error;
    return { file, losses: [], findings: [], notes: [], error: errorJson(error) };
  } finally {
    program.dispose();
  }
}

async function diagnoseLoss(
  program: LossProgram,
  loss: DiscoveredLoss,
  framework: Framework | undefined,
  hints: ContextHints,
  options: DiagnoseOptions,
): Promise<LossReport> {
  const report: LossReport = {
    entry: loss.entry,
    name: loss.name,
    kind: loss.kind,
    role: loss.role,
    line: loss.range.line,
    endLine: loss.range.endLine,
    findings: [],
  };
  if (loss.requiredArguments) {
    const required = loss.requiredArguments;
    const exampleCall = `${loss.name}(${required.map((a) => `${a}=...`).join(', ')})`;
    report.error = {
      kind: 'unsupported',
      message:
        `${loss.name} needs arguments (${required.join(', ')}): ` +
        `pass --entry with a call, e.g. --entry "${exampleCall}"`,
      line: loss.range.line,
    };
    return report;
  }
  if (!framework) {
    report.error = { kind: 'unsupported', message: 'cannot tell the framework from the imports: pass --framework' };
    return report;
  }
  try {
    const callable = program.resolveEntry(loss.entry, options.limits);
    const { contract, error } = resolveContract(
      program,
      loss,
      callable,
      framework,
      options.contract ?? {},
      hints,
      options.isCancelled,
    );
    report.contract = contract;
    if (error) {
      const mismatch = error.kind === 'python' ? shapeMismatch.fromError(error.message, error.line) : undefined;
      if (mismatch) report.findings.push(mismatch);
      else failed(report, error);
      return report;
    }
    const resolved = { ...loss, role: resolveRole(loss, hints, program, callable, contract) };
    report.role = resolved.role;
    const subject = new LossSubject(program, resolved, callable, contract, options.isCancelled);
    for (const check of CHECKS) report.findings.push(...check(subject));
    report.findings = withoutConsequences(report.findings);
    if (options.plots) report.plots = lossPlots(subject);
    if (options.probe && options.probe !== 'none' && resolved.role === 'loss') {
      try {
        const { probe, findings } = await probeLoss({
          program,
          module: program.module,
          loss,
          callable,
          contract,
          level: options.probe,
          budget: options.probeBudget,
          limits: options.limits,
          isCancelled: options.isCancelled,
          onProgress:
            options.onProbeProgress &&
            ((event) => options.onProbeProgress?.({ entry: loss.entry, name: loss.name }, event)),
        });
        report.probe = probe;
        report.findings.push(...linkedToCauses(findings, report.findings));
      } catch (error) {
        if (error instanceof InterpreterError && error.kind === 'cancelled') throw error;
        report.probeError = error instanceof Error ? error.message : String(error);
      }
    }
  } catch (error) {
    if (error instanceof InterpreterError && error.kind === 'cancelled') throw error;
    failed(report, error);
  }
  return report;
}
