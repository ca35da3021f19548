// Diagnoses every loss in a file (or one --entry): discovery, construction, contract, checks.
// Plain JSON out.
import { relative } from 'node:path';
import { type Contract, type Framework, type ResolvedContract, frameworkFromImports } from '../contract';
import { ContractError, checkedContract } from '../contractInput';
import type { Finding } from '../findings/finding';
import type { ProgressEvent } from '../probe/types';
import { type ArgumentBinding, LossProgram, type ProjectContext } from '../program';
import type { Module } from '../python/ast';
import { InterpreterError } from '../python/errors';
import { Budget } from '../python/budget';
import { DEFAULT_LIMITS, type Limits } from '../python/limits';
import type { LegacyApiUse } from '../python/legacyApi';
import type { PyValue } from '../python/values';
import { FileReadError } from '../project/regularFile';
import { checkSourceSize } from '../project/sourceFile';
import { CHECK_UNITS } from './checks';
import { classHookNotes } from './classHooks';
import * as sandboxRefused from './checks/sandboxRefused';
import * as numpyOnGradTensor from './checks/numpyOnGradTensor';
import * as shapeMismatch from './checks/shapeMismatch';
import { type CallableFor, type ContractResolution, type SearchClues, resolveContract } from './contractSearch';
import { type ArgumentSource, type Construction, constructions, entryFor } from './construct';
import { type DiscoveredLoss, discoverLosses, extraTensorKind, helperNames, isClassCountParam } from './discover';
import { dictCall, withDictCall } from './dictInput';
import { inheritedDoc } from './inheritedDoc';
import { extraTensor } from './extraTensors';
import { type ContextHints, type HintedLoss, collectHints, inFile, mergeHints } from './hints';
import { inheritedLosses, inheritedMethodRange } from './inherited';
import { NO_PROJECT_USES, type ProjectFile, type ProjectUses, packageFramework, projectUses } from './projectUses';
import { type LossPlots, lossPlots } from './plots';
import { type LossProbe, type ProbeBudget, type ProbeSetting, probeLoss } from './probeLoss';
import type { RuleId } from './rules';
import { twoClassCode } from './queries/twoClasses';
import { GuessCheck } from './guesses';
import { LossSubject } from './subject';
import { syntheticInputs } from './synthetic';
import { lossFunction } from './queries/definition';
import { numpyEvaluation } from './queries/numpyEvaluation';
import { readsInjectedBackend } from './queries/injectedBackend';
import { type ForeignHead, predictionHeads } from './queries/predictionHeads';
import {
  type BindingVariant,
  type ExtraArgument,
  bindingVariants,
  foreignHeadError,
  preferred,
} from './bindingVariants';
import { MAX_CALL_VARIANTS, hintsForVariant, variantOnlyFindings } from './callVariants';

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
  /** Analyse the losses from this index on (0-based): a host resuming after a loss that crashed its engine. */
  fromLoss?: number;
  /** Each loss as its analysis begins and ends (`index` counts all the file's losses), for hosts that stream. */
  onLossStarted?: (index: number, loss: LossSummary) => void;
  onLossDiagnosed?: (index: number, report: LossReport) => void;
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
  /**
   * Where the arguments the loss was built and called with came from (a call site, a docstring's
   * example, the contract's class count, a tensor the diagnosis made): a note, not a finding.
   */
  constructedFrom?: ArgumentSource[];
}

/** Which loss a report is about, before its analysis. */
export type LossSummary = Pick<LossReport, 'entry' | 'name' | 'kind' | 'role' | 'line' | 'endLine'>;

export interface FileNote {
  /**
   * not-executed: module-level code the sandbox refused (a loss that ran it has a sandbox-refused
   * finding); ignored-construct: class machinery the interpreter does not run (a metaclass,
   * `__init_subclass__`).
   */
  kind: 'skipped-statement' | 'legacy-api' | 'not-executed' | 'ignored-construct';
  line: number;
  /** The code the note is about on that line (1-based columns), when known. */
  column?: number;
  endColumn?: number;
  /** Another project file the note is in (an imported module); absent for the file diagnosed. */
  file?: string;
  message: string;
}

export interface FileReport {
  file: string;
  losses: LossReport[];
  /** File-level findings (none today: refused module-level code is a `not-executed` note). */
  findings: Finding<RuleId>[];
  /** Notes that are not findings: module-level statements skipped, framework API a later release removed. */
  notes: FileNote[];
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
  // The project's own use beats the name: a coefficient passed to compile(loss=...) or whose value
  // is backpropagated is minimised (being called, as an evaluation calls a metric, is not enough).
  if (hints.compiledLosses.has(loss.name) || hints.minimised.has(loss.name)) return 'loss';
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
 * that are misaligned with the prediction; a sigmoid on exclusive classes that is itself a second
 * activation of a softmax's probabilities (after a per-class sigmoid, both are wrong).
 */
function withoutConsequences(findings: Finding<RuleId>[], afterSoftmax: boolean): Finding<RuleId>[] {
  const linesOf = (kind: RuleId) => new Set(findings.filter((f) => f.kind === kind).map((f) => f.line));
  const explosions = linesOf('absent-class-explosion');
  const doubled = afterSoftmax ? linesOf('double-activation') : new Set<number>();
  const misaligned = findings.some((f) => f.kind === 'shape-mismatch');
  return findings.filter(
    (f) =>
      !(f.kind === 'nan-on-empty' && explosions.has(f.line)) &&
      !(f.kind === 'activation-mismatch' && doubled.has(f.line)) &&
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

/**
 * Helpers called by another loss (a coefficient, a shape helper) are diagnosed through it, unless
 * the project uses them itself or their name says they are losses of their own (dice_loss inside
 * bce_dice_loss).
 */
function withoutHelpers(module: Module, discovered: DiscoveredLoss[], hints: ContextHints): DiscoveredLoss[] {
  const helpers = helperNames(module, discovered);
  const usedDirectly = (name: string) =>
    hints.compiledLosses.has(name) || hints.metrics.has(name) || hints.callOrder.has(name);
  return discovered.filter((d) => !helpers.has(d.name) || d.role === 'loss' || usedDirectly(d.name));
}

const hinted = (losses: readonly DiscoveredLoss[]): HintedLoss[] =>
  losses.map(({ name, kind, params, owner }) => ({ name, kind, params, owner }));

/** The losses `diagnose` reports on for a file (what CodeLens shows): discovery without helpers. */
export function diagnosableLosses(module: Module): DiscoveredLoss[] {
  const discovered = discoverLosses(module);
  return withoutHelpers(module, discovered, collectHints(module, hinted(discovered)));
}

/** Names a project file would use to refer to the file's losses (classes, functions, a method's class). */
const namesUsedElsewhere = (losses: readonly DiscoveredLoss[]) => [...new Set(losses.map((l) => l.owner ?? l.name))];

/** What the rest of the project says: its files that use the losses, and the modules those import. */
async function projectContext(
  file: string,
  module: Module,
  discovered: readonly DiscoveredLoss[],
  project: ProjectContext | undefined,
): Promise<{ hints: ContextHints; uses: ProjectUses; root?: string }> {
  const own = collectHints(module, hinted(discovered));
  if (!project || !discovered.length) return { hints: own, uses: NO_PROJECT_USES };
  const uses = await projectUses(project, file, namesUsedElsewhere(discovered));
  const { root } = project.layout;
  const hintsOf = (f: ProjectFile) => inFile(collectHints(f.module, hinted(discovered)), relative(root, f.path));
  const consumers = uses.consumers.map(hintsOf);
  // A model the consumers import says what the loss receives only where they hand its output to
  // the loss as it is (compile(loss=...), criterion(model(x), y)); a trainer may pass the logits.
  const fed = consumers.some((h) => h.compiledLosses.size || h.modelFed.size);
  // Models of either dimensionality often share a file: a 3-D layer there is a clue for the search
  // (volumeClue), not the contract's dimensionality. How those modules prepare labels for their own
  // losses (a sibling module a package's __init__ re-exports) says nothing of this loss's labels.
  const related = uses.related
    .map(hintsOf)
    .map((h) => ({ ...h, spatialDims: undefined, labels: undefined, ...(fed ? {} : { finalActivation: undefined }) }));
  return { hints: mergeHints(own, ...consumers, ...related), uses, root };
}

/** Where the code says the data are volumes: a 3-D layer in the project, 5-D einsum subscripts. */
function volumeClue(module: Module, uses: ProjectUses, root: string | undefined): SearchClues['volumetric'] {
  const einsum = /einsum\(\s*["'](\w{5})\b/.exec(module.source);
  if (einsum) {
    const line = module.source.slice(0, einsum.index).split('\n').length;
    return { line, why: `einsum subscripts '${einsum[1]}' index 5-D tensors` };
  }
  const axes = /\(\s*2\s*,\s*3\s*,\s*4\s*\)/.exec(module.source);
  if (axes) {
    const line = module.source.slice(0, axes.index).split('\n').length;
    return { line, why: 'axes (2, 3, 4) are the spatial axes of (N, C, D, H, W) volumes' };
  }
  const layer = uses.volumetric;
  if (!layer) return undefined;
  return { line: layer.line, why: layer.why, file: root ? relative(root, layer.file) : layer.file };
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
    : error instanceof ContractError || error instanceof FileReadError
      ? { kind: error.kind, message: error.message }
      : { kind: 'internal', message: error instanceof Error ? error.message : String(error) };

/** The loss could not be analysed; refused code it ran into is also a finding at its line. */
function failed(report: LossReport, error: unknown): void {
  report.error = errorJson(error);
  const refused = error instanceof InterpreterError ? sandboxRefused.fromError(error) : undefined;
  if (refused) report.findings.push(refused);
}

export async function diagnoseSource(file: string, source: string, options: DiagnoseOptions = {}): Promise<FileReport> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const budgets = { file: new Budget(limits.maxFileDiagnosisMs, "this file's diagnosis"), limits };
  let program: LossProgram;
  try {
    // Whoever calls (the CLI, a worker message) may pass any value: a bad field never reaches the loss.
    options = { ...options, contract: checkedContract(options.contract) };
    checkSourceSize(source, file);
    const control = { isCancelled: options.isCancelled, budgets: [budgets.file] };
    program = await LossProgram.load(source, options.limits, options.project, control);
  } catch (error) {
    if (error instanceof InterpreterError && error.kind === 'cancelled') throw error;
    return { file, losses: [], findings: [], notes: [], error: errorJson(error) };
  }
  try {
    // Refused module-level code is no finding: only what a loss runs is (issue: a training script's
    // logging or file setup is not the loss's business). It is noted where it is, in whichever file.
    const findings: Finding<RuleId>[] = [];
    const notes: FileNote[] = program.loadNotes.map((n) => ({
      kind: n.kind === 'sandbox' ? 'not-executed' : 'skipped-statement',
      line: n.range.line,
      ...(n.range.file === undefined ? {} : { file: n.range.file }),
      message: n.kind === 'sandbox' ? sandboxRefused.notExecuted(n.message) : n.message,
    }));
    notes.push(...classHookNotes(program.module));
    const discovered = discoverLosses(program.module);
    // Classes whose call method a base from another module gives: the loaded program knows them.
    discovered.push(...inheritedLosses(program.module, program.globals, discovered));
    const context = await projectContext(file, program.module, discovered, options.project);
    const framework: Framework | undefined =
      options.contract?.framework ??
      frameworkFromImports(program.module) ??
      program.projectFramework ??
      (await inheritedFramework(program, discovered, options.project)) ??
      (options.project && (await packageFramework(options.project, file))) ??
      injectedBackendFramework(program.module, discovered);
    const targets: DiscoveredLoss[] = options.entry
      ? [entryTarget(options.entry, discovered)]
      : withoutHelpers(program.module, discovered, context.hints);
    const losses: LossReport[] = [];
    for (const [index, loss] of targets.entries()) {
      if (index < (options.fromLoss ?? 0)) continue;
      if (options.isCancelled?.()) throw new InterpreterError('cancelled', 'cancelled');
      options.onLossStarted?.(index, lossSummary(loss));
      const report = await diagnoseLoss(program, loss, framework, context, options, budgets);
      options.onLossDiagnosed?.(index, report);
      losses.push(report);
    }
    // Recorded while the losses ran: only the spellings their code reached.
    const byPlace = (a: LegacyApiUse, b: LegacyApiUse) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line;
    for (const use of [...program.legacyApiUses].sort(byPlace)) {
      const columns = use.column && use.endColumn ? { column: use.column, endColumn: use.endColumn } : {};
      const file = use.file ? { file: use.file } : {};
      notes.push({ kind: 'legacy-api', line: use.line, ...columns, ...file, message: use.message });
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

/** A file that imports no framework itself: the one of the module its loss classes inherit from. */
async function inheritedFramework(
  program: LossProgram,
  discovered: readonly DiscoveredLoss[],
  project: ProjectContext | undefined,
): Promise<Framework | undefined> {
  if (!project) return undefined;
  for (const loss of discovered) {
    const file = inheritedMethodRange(program.globals, loss)?.file;
    const text = file && project.host.readText(file);
    if (!text) continue;
    try {
      const framework = frameworkFromImports(await LossProgram.parse(text));
      if (framework) return framework;
    } catch {
      // an unparsable base says nothing
    }
  }
  return undefined;
}

interface FileContext {
  hints: ContextHints;
  uses: ProjectUses;
  root?: string;
}

/** Code written against an injected backend and importing no framework: Keras (segmentation_models). */
function injectedBackendFramework(module: Module, discovered: DiscoveredLoss[]): Framework | undefined {
  const injected = discovered.some((loss) => {
    const def = lossFunction(module, loss);
    return def !== undefined && readsInjectedBackend(def);
  });
  return injected ? 'keras' : undefined;
}

/** A verdict on a loss built partly from defaults (arguments the code sets at run time) is a warning at most. */
function restingOnGuess(finding: Finding<RuleId>, guessed: ArgumentSource[]): Finding<RuleId> {
  if (finding.severity !== 'error') return finding;
  const defaults = guessed.filter((g) => !g.guess).map((g) => g.arg);
  const guesses = guessed.flatMap((g) => (g.guess ? [g.guess] : []));
  const note =
    (defaults.length ? ` (the loss was built with defaults for what ${defaults.join(', ')} sets at run time)` : '') +
    (guesses.length ? ` (this rests on a guess: ${guesses.join(', ')})` : '');
  return { ...finding, severity: 'warning', message: `${finding.message}${note}` };
}

/** The "needs arguments" report: what the loss needs and the --entry that would give it. */
function needsArguments(loss: DiscoveredLoss, required: string[]) {
  const exampleCall = `${loss.owner ?? loss.name}(${required.map((a) => `${a}=...`).join(', ')})`;
  const method = loss.owner ? loss.name.slice(loss.owner.length) : '';
  return {
    kind: 'unsupported',
    message:
      `${loss.name} needs arguments (${required.join(', ')}): ` +
      `pass --entry with a call, e.g. --entry "${exampleCall}${method}"`,
    line: loss.range.line,
  };
}

/**
 * How the loss is called besides (prediction, target): keywords its call sites pass, tensors it
 * takes after the labels, its prediction as a tuple of heads. One variant per way the code leaves
 * open, preferred first; `missing` names a parameter the diagnosis cannot supply, `foreign` a head
 * whose shape nothing gives.
 */
function argumentBinding(
  module: Module,
  loss: DiscoveredLoss,
  hints: ContextHints,
): { variants: BindingVariant[]; missing?: string; foreign?: ForeignHead } {
  const notes: ArgumentSource[] = [];
  const modules: NonNullable<ArgumentBinding['modules']> = [];
  const def = lossFunction(module, loss);
  if (def && readsInjectedBackend(def)) {
    modules.push({ name: 'backend', module: 'keras.backend' });
    const why = 'the loss reads the backend its package injects; called with the Keras backend, as that package does';
    notes.push({ arg: 'backend', value: 'keras.backend', line: def.range.line, why });
  }
  // boundary-loss's SurfaceLoss(probs, dist_maps): the parameter in the labels' place names distance maps.
  const distanceLabels = loss.params.slice(0, 2).find((p) => extraTensorKind(p) === 'distance');
  const labelsAs: ArgumentBinding['labelsAs'] = distanceLabels
    ? (prediction, target) => extraTensor('distance', prediction, target)
    : undefined;
  if (distanceLabels) {
    const why = `${distanceLabels}: signed distance maps of the labels per class (negative inside), in their place`;
    notes.push({ arg: distanceLabels, value: 'distance', line: loss.range.line, why });
  }
  const heads = predictionHeads(def);
  if (heads?.foreign) return { variants: [], foreign: heads.foreign };
  const extras: ExtraArgument[] = [];
  for (const param of loss.extraParams ?? []) {
    const kind = isClassCountParam(param) ? 'classes' : extraTensorKind(param);
    if (!kind) return { variants: [], missing: param };
    extras.push({ param, kind });
  }
  const site = hints.callKeywords.get(loss.name);
  const keywords = site?.value ?? [];
  const after = keywords.map(({ name, value }) => ({
    arg: name,
    value,
    line: site!.line,
    ...(site!.file ? { file: site!.file } : {}),
    why: site!.why,
  }));
  const common = { binding: { keywords, modules, labelsAs }, before: notes, after };
  const lines = { def: def?.range.line ?? loss.range.line, loss: loss.range.line };
  return { variants: bindingVariants(common, extras, heads?.counts, lines) };
}

const lossSummary = (loss: DiscoveredLoss): LossSummary => ({
  entry: loss.entry,
  name: loss.name,
  kind: loss.kind,
  role: loss.role,
  line: loss.range.line,
  endLine: loss.range.endLine,
});

/** The file's diagnosis budget, and the limits each loss's own budget comes from. */
interface DiagnosisBudgets {
  file: Budget;
  limits: Limits;
}

/**
 * Diagnoses one loss within its own budget and what is left of the file's: every evaluation stops
 * at their deadlines, and a loss past either is an analysis failure (the next loss still runs).
 */
async function diagnoseLoss(
  program: LossProgram,
  loss: DiscoveredLoss,
  framework: Framework | undefined,
  context: FileContext,
  options: DiagnoseOptions,
  budgets: DiagnosisBudgets,
): Promise<LossReport> {
  const own = new Budget(budgets.limits.maxLossDiagnosisMs, "this loss's diagnosis");
  program.budgets = [budgets.file, own];
  // An evaluation helper the project runs on numpy arrays is numpy code, whatever the file imports.
  if (!options.contract?.framework && numpyEvaluation(program.module, loss, context.hints)) framework = 'numpy';
  try {
    const within = { file: budgets.file, own };
    const report = await diagnoseLossWithin(program, loss, framework, context, options, within);
    // --entry names one configuration; without it, each other one the project calls is diagnosed too.
    const configured = options.entry ? undefined : context.hints.callVariants.get(loss.name);
    const variants = (configured ?? []).slice(0, MAX_CALL_VARIANTS);
    for (const variant of variants) {
      if (within.file.expired || within.own.expired) break;
      const hints = hintsForVariant(context.hints, loss.name, variant);
      const static_ = { ...options, probe: undefined, plots: false };
      const other = await diagnoseLossWithin(program, loss, framework, { ...context, hints }, static_, within);
      // The first configuration did not analyse, this one did: it is the loss's diagnosis (probe and all).
      if (report.error && !other.error)
        return options.probe || options.plots
          ? await diagnoseLossWithin(program, loss, framework, { ...context, hints }, options, within)
          : other;
      if (!other.error) report.findings.push(...variantOnlyFindings(report.findings, variant, other.findings));
    }
    return report;
  } finally {
    program.budgets = [];
    program.numpyDetaches = false;
  }
}

async function diagnoseLossWithin(
  program: LossProgram,
  loss: DiscoveredLoss,
  framework: Framework | undefined,
  context: FileContext,
  options: DiagnoseOptions,
  budgets: { file: Budget; own: Budget },
): Promise<LossReport> {
  const both = [budgets.file, budgets.own];
  const { hints } = context;
  const report: LossReport = { ...lossSummary(loss), findings: [] };
  const spent = both.find((budget) => budget.expired);
  if (spent) {
    failed(report, spent.error());
    return report;
  }
  let builds: (Construction | undefined)[] = [undefined];
  if (loss.requiredArguments) {
    const found = await constructions(loss, program.module, program.globals, context.uses, context.root);
    if (!found.length) {
      report.error = needsArguments(loss, loss.requiredArguments);
      return report;
    }
    builds = found;
  }
  // The callable: a class is instantiated first (with the arguments found, if it needed any).
  const built = builds[0] ? entryFor(builds[0], 3) : loss.kind === 'class' ? `${loss.entry}()` : loss.entry;
  const dict = dictCall(program, loss, built, context.root);
  if (dict && 'error' in dict) {
    report.error = dict.error;
    return report;
  }
  if (dict) loss = dict.loss;
  const bound = argumentBinding(program.module, loss, hints);
  const { missing, foreign } = bound;
  // A loss taking one dict gets it in every way it is called.
  const variants = bound.variants.map((variant) => withDictCall(variant, dict));
  if (foreign) {
    report.error = foreignHeadError(loss, foreign);
    return report;
  }
  if (missing) {
    report.error = {
      kind: 'unsupported',
      message:
        `${loss.name} needs arguments (${missing}): it takes '${missing}' after the prediction and the labels, ` +
        'and nothing in the project says what to pass: pass --entry with a lambda that supplies it, e.g. ' +
        `--entry "lambda a, b: ${built}(a, b, ${missing}=...)"`,
      line: loss.range.line,
    };
    return report;
  }
  if (!framework) {
    report.error = { kind: 'unsupported', message: 'cannot tell the framework from the imports: pass --framework' };
    return report;
  }
  try {
    const clues = {
      volumetric: volumeClue(program.module, context.uses, context.root),
      twoClasses: twoClassCode(program.module, loss),
      inheritedDoc: inheritedDoc(program, loss, context.root),
    };
    type Chosen = {
      build?: Construction;
      notes: ArgumentSource[];
      resolution: ContractResolution;
      callableFor: CallableFor;
    };
    // Each way to build the loss, each way to call it: the first under which it works.
    const choose = (): Chosen => {
      let chosen: Chosen | undefined;
      search: for (const build of builds) {
        for (const { binding, notes } of variants) {
          const callableFor = callableMaker(program, loss, build, binding, options);
          const facts = { classes: build?.classes };
          const resolution = resolveContract(
            program,
            loss,
            callableFor,
            framework,
            options.contract ?? {},
            hints,
            options.isCancelled,
            facts,
            clues,
          );
          if (!chosen || preferred(chosen.resolution, resolution)) chosen = { build, notes, resolution, callableFor };
          if (resolution.worked) break search;
        }
      }
      return chosen!;
    };
    let chosen = choose();
    // PyTorch refuses .numpy() on the prediction (training crashes there): ask what the fix its error
    // suggests, .detach(), would give; numpy-on-grad-tensor or non-differentiable report the line.
    if (numpyOnGradTensor.refusedByPyTorch(chosen.resolution.error)) {
      program.numpyDetaches = true;
      const detached = choose();
      if (!detached.resolution.error) chosen = detached;
      else program.numpyDetaches = false;
    }
    const { build, notes, resolution, callableFor } = chosen;
    const { contract, error } = resolution;
    report.contract = contract;
    if (build) report.entry = build.perClassCount ? entryFor(build, contract.classes ?? 2) : build.entry;
    const constructedFrom = [...(build?.constructedFrom ?? []), ...notes].map((note) =>
      note.value === '{classes}' ? { ...note, value: String(contract.classes ?? 2) } : note,
    );
    if (constructedFrom.length) report.constructedFrom = constructedFrom;
    if (error) {
      const mismatch = error.kind === 'python' ? shapeMismatch.fromError(error.message, error.line) : undefined;
      if (mismatch) report.findings.push(mismatch);
      else failed(report, error);
      return report;
    }
    const callable = callableFor(contract);
    const resolved = { ...loss, role: resolveRole(loss, hints, program, callable, contract) };
    report.role = resolved.role;
    const subject = new LossSubject(program, resolved, callable, contract, options.isCancelled);
    // An error that holds only under a guessed contract field is a warning that names the guess.
    const guesses = new GuessCheck(program, resolved, callable, subject, options.isCancelled);
    for (const check of CHECKS) {
      try {
        report.findings.push(...check(subject).map((f) => guesses.review(f, check)));
      } catch (error) {
        // A probing input the loss refuses (its own assert on an empty mask): that check has nothing
        // to say; the loss was analysed under its contract and the other checks stand.
        if (!(error instanceof InterpreterError) || error.kind !== 'python') throw error;
      }
    }
    // Checks that ran out of budget found nothing: that is no verdict, the loss was not fully analysed.
    both.forEach((budget) => budget.check());
    const afterSoftmax = contract.prediction === 'probabilities' && hints.finalActivation?.value === 'softmax';
    report.findings = withoutConsequences(report.findings, afterSoftmax);
    const guessed = constructedFrom.filter((source) => source.guessed);
    if (guessed.length) report.findings = report.findings.map((finding) => restingOnGuess(finding, guessed));
    if (options.plots) report.plots = lossPlots(subject);
    both.forEach((budget) => budget.check());
    const level = options.probe;
    if (level && level !== 'none' && resolved.role === 'loss') {
      // The probe has its own budget (steps, and the wall time of each step's evaluation): its time
      // does not count against the file's static diagnosis.
      program.budgets = [];
      try {
        const { probe, findings } = await budgets.file.excluding(() =>
          probeLoss({
            program,
            module: program.module,
            loss,
            callable,
            contract,
            level,
            budget: options.probeBudget,
            limits: options.limits,
            isCancelled: options.isCancelled,
            onProgress:
              options.onProbeProgress &&
              ((event) => options.onProbeProgress?.({ entry: loss.entry, name: loss.name }, event)),
          }),
        );
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

/**
 * The loss's callable under a contract: its entry (built with the contract's class count where the
 * constructor takes one), called with the keywords and tensors the binding adds. Built once per
 * class count.
 */
function callableMaker(
  program: LossProgram,
  loss: DiscoveredLoss,
  build: Construction | undefined,
  binding: ArgumentBinding | undefined,
  options: DiagnoseOptions,
): CallableFor {
  const made = new Map<string, PyValue>();
  return (contract: Contract) => {
    const entry = build ? entryFor(build, contract.classes ?? 2) : loss.entry;
    let callable = made.get(entry);
    if (!callable) {
      callable = program.resolveEntry(entry, options.limits);
      if (binding) callable = program.withArguments(callable, binding);
      made.set(entry, callable);
    }
    return callable;
  };
}
