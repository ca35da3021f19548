// Builds a loss whose constructor (or factory) has required arguments from what the code says: a
// call site anywhere in the project (`DiceLoss(n_classes=args.num_classes)` with an argparse
// default, `DiceCELoss({'smooth': 1e-5}, {})`, `compile(loss=tversky_loss(alpha=0.3, beta=0.7))`),
// a configuration literal (`('DiceLoss', {'idc': [1, 2]})`), an example in the docstring, the
// contract's class count for n_classes-style parameters, the values the class's own checks allow
// for a mode. Nothing is invented: an argument nothing gives leaves the loss "needs arguments".
import { relative } from 'node:path';
import { frameworkFromImports } from '../contract';
import type { Argument, Expr, FunctionDef, Module, Stmt } from '../python/ast';
import { PyList, PyTuple, type PyValue } from '../python/values';
import { dottedName, statementExpressions, textOf, walkExpr, walkStatements } from '../python/walk';
import { LossProgram } from '../program';
import { insideBlocks, mainBlocks, rejectedKeys } from './callSiteFit';
import { type ClassStmt, astClassView } from './classModel';
import { type DiscoveredLoss, isClassCountParam } from './discover';
import type { Evidence } from './hints';
import type { ProjectFile, ProjectUses } from './projectUses';
import { type ExprContext, assignedExpression, contextAt, staticValue, stringOf } from './staticValue';

/** Where one constructor argument came from (a finding-free note on the loss). */
export interface ArgumentSource {
  arg: string;
  value: string;
  line: number;
  /** The project file, relative to the root, when not the diagnosed file. */
  file?: string;
  why: string;
  /** Part of the value is not in the code (entries of a dict the code fills at run time): defaults stand in. */
  guessed?: boolean;
  /** For a guessed value, what the guess is, as a finding resting on it names it (else the defaults). */
  guess?: string;
}

/** How to build a loss's callable. */
export interface Construction {
  /** The --entry expression; `{classes}` stands for the contract's class count where the code leaves it open. */
  entry: string;
  constructedFrom: ArgumentSource[];
  /** A class count the arguments fix (n_classes=4 at a call site). */
  classes?: Evidence<number>;
  /** Whether the entry depends on the contract's class count. */
  perClassCount: boolean;
}

export const CLASS_COUNT_SLOT = '{classes}';

/** The entry for a class count: `{classes}` replaced. */
export const entryFor = (construction: Construction, classes: number) =>
  construction.entry.split(CLASS_COUNT_SLOT).join(String(classes));

interface Signature {
  /** The module that defines the loss. */
  module: Module;
  /** Parameters after self, in order, with whether they have a default. */
  params: { name: string; required: boolean }[];
  /** Keys read from **kwargs that are required. */
  kwargsKeys: string[];
  hasKwargs: boolean;
  def?: FunctionDef;
}

interface Given {
  /** Argument name → its value as Python source. */
  values: Map<string, { text: string; source: ArgumentSource }>;
  /** The names in the order the source passes them. */
  order: string[];
  /** Names the source passes by keyword. */
  keywords: Set<string>;
}

const classesOf = (module: Module) =>
  new Map(module.body.flatMap((s) => (s.kind === 'class' ? [[s.name, s] as const] : [])));

function signatureOf(module: Module, loss: DiscoveredLoss): Signature | undefined {
  const holder = loss.owner ?? loss.name;
  const definition = module.body.find(
    (s) => (s.kind === 'class' || s.kind === 'def') && (s.kind === 'class' ? s.name : s.def.name) === holder,
  );
  let def: FunctionDef | undefined;
  if (definition?.kind === 'def') def = definition.def;
  if (definition?.kind === 'class') def = astClassView(definition, classesOf(module)).method('__init__');
  if (!def) return undefined;
  const params = def.params
    .filter((p) => p.kind === 'normal' && p.name !== 'self' && p.name !== 'cls')
    .map((p) => ({ name: p.name, required: !p.default }));
  const required = new Set(loss.requiredArguments ?? []);
  const kwargsKeys = [...required].filter((r) => !params.some((p) => p.name === r));
  return { module, params, kwargsKeys, hasKwargs: def.params.some((p) => p.kind === 'kwargs'), def };
}

/** The arguments a call passes, bound to the signature's names; undefined for *args / **kwargs splats. */
function bind(
  args: readonly Argument[],
  signature: Signature,
): { bound: Map<string, Expr>; keywords: Set<string> } | undefined {
  const bound = new Map<string, Expr>();
  const keywords = new Set<string>();
  let index = 0;
  for (const arg of args) {
    if (arg.kind === 'positional') {
      const param = signature.params[index++];
      if (!param) return undefined;
      bound.set(param.name, arg.value);
    } else if (arg.kind === 'keyword') {
      if (!signature.params.some((p) => p.name === arg.name) && !signature.hasKwargs) return undefined;
      bound.set(arg.name, arg.value);
      keywords.add(arg.name);
    } else if (arg.kind === 'doublestar' && arg.value.kind === 'dict') {
      for (const entry of arg.value.entries) {
        if ('splat' in entry) return undefined;
        const key = stringOf(entry.key);
        if (key === undefined) return undefined;
        bound.set(key, entry.value);
        keywords.add(key);
      }
    } else return undefined;
  }
  return { bound, keywords };
}

const isRequired = (signature: Signature, name: string) =>
  signature.kwargsKeys.includes(name) || signature.params.some((p) => p.name === name && p.required);

interface Candidate {
  given: Given;
  line: number;
  file?: string;
  why: string;
}

/** Call sites of the class or factory in a file: `Name(...)`, `module.Name(...)`. */
function callSites(
  file: { module: Module; path?: string },
  holder: string,
  skip?: Stmt,
): Extract<Expr, { kind: 'call' }>[] {
  const calls: Extract<Expr, { kind: 'call' }>[] = [];
  walkStatements(file.module.body, (stmt) => {
    if (skip && stmt.range.line >= skip.range.line && stmt.range.endLine <= skip.range.endLine) return;
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (expr.kind === 'call' && dottedName(expr.func).split('.').pop() === holder) calls.push(expr);
      });
    }
  });
  return calls;
}

/** `Loss(*args)` / `Loss(**kw)` with `args = (0.25, 2.0)` / `kw = {...}` assigned before: the literal's items. */
function spreadLiterals(args: readonly Argument[], context: ExprContext): Argument[] {
  return args.flatMap((arg): Argument[] => {
    if ((arg.kind !== 'star' && arg.kind !== 'doublestar') || arg.value.kind !== 'name') return [arg];
    const literal = assignedExpression(arg.value.id, context);
    if (arg.kind === 'star' && (literal?.kind === 'tuple' || literal?.kind === 'list'))
      return literal.elements.map((value) => ({ kind: 'positional', value }) as Argument);
    if (arg.kind === 'doublestar' && literal?.kind === 'dict') return [{ ...arg, value: literal }];
    return [arg];
  });
}

/** What one call site gives, each argument resolved statically; undefined when a required one is not. */
function fromCall(
  call: Extract<Expr, { kind: 'call' }>,
  module: Module,
  signature: Signature,
  file: string | undefined,
): Given | undefined {
  const context = contextAt(module, call.range);
  const binding = bind(spreadLiterals(call.args, context), signature);
  if (!binding) return undefined;
  const { bound, keywords } = binding;
  if (spreadsRejectedKeys(signature, bound)) return undefined;
  const values: Given['values'] = new Map();
  for (const [name, expr] of bound) {
    const value = staticValue(expr, context);
    if (!value) {
      // A dict of options filled partly at run time (nnU-Net's {'batch_dice': self.…, 'smooth': 1e-5}):
      // the entries the code states, the callee's defaults for the others, and the loss says so.
      const partial = expr.kind === 'dict' ? partialDict(expr, context) : undefined;
      if (partial) {
        const why = `${name}=${partial.text} from the call (${partial.dropped.join(', ')} set at run time: defaults)`;
        const source = { arg: name, value: partial.text, line: call.range.line, file, why, guessed: true };
        values.set(name, { text: partial.text, source });
        continue;
      }
      if (isClassCountParam(name)) {
        // CustomDice(opts.output_nc, class_ids=[0, 2]): a class count read at run time is the contract's.
        const written = textOf(module.source, expr.range);
        const why = `${name}=${written} at the call, set at run time: the contract's class count`;
        const source = { arg: name, value: CLASS_COUNT_SLOT, line: call.range.line, file, why };
        values.set(name, { text: CLASS_COUNT_SLOT, source });
        continue;
      }
      if (isRequired(signature, name)) return undefined;
      continue; // an optional argument we cannot read keeps its default
    }
    const written = textOf(module.source, expr.range);
    const why =
      value.via && written !== value.text
        ? `${name}=${written} at the call, ${value.via.why} (line ${value.via.line})`
        : `${name}=${value.text} at the call`;
    values.set(name, { text: value.text, source: { arg: name, value: value.text, line: call.range.line, file, why } });
  }
  return { values, order: [...bound.keys()], keywords };
}

/** Whether a dict literal passed for a parameter holds a key the callee it is spread into does not take. */
function spreadsRejectedKeys(signature: Signature, bound: ReadonlyMap<string, Expr>): boolean {
  for (const [name, expr] of bound) {
    if (expr.kind !== 'dict') continue;
    const keys = expr.entries.flatMap((e) => ('splat' in e ? [] : (stringOf(e.key) ?? [])));
    if (rejectedKeys(signature.module, signature.def, name, keys).length) return true;
  }
  return false;
}

/** The entries of a dict literal that are static; undefined when none is (or a ** splat hides some). */
function partialDict(
  expr: Extract<Expr, { kind: 'dict' }>,
  context: ExprContext,
): { text: string; dropped: string[] } | undefined {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const entry of expr.entries) {
    if ('splat' in entry) return undefined;
    const key = staticValue(entry.key, context);
    if (!key) return undefined;
    const value = staticValue(entry.value, context);
    if (value) kept.push(`${key.text}: ${value.text}`);
    else dropped.push(key.text);
  }
  return dropped.length && kept.length ? { text: `{${kept.join(', ')}}`, dropped } : undefined;
}

/** The `(name, {kwargs})` tuples or lists in an expression that configure `holder`. */
function configCandidates(expr: Expr, source: string, holder: string, line: number, fileName?: string): Candidate[] {
  const found: Candidate[] = [];
  walkExpr(expr, (e) => {
    if ((e.kind !== 'tuple' && e.kind !== 'list') || e.elements.length < 2) return;
    const [name, kwargs] = e.elements;
    if (stringOf(name) !== holder || kwargs.kind !== 'dict') return;
    const values: Given['values'] = new Map();
    for (const entry of kwargs.entries) {
      if ('splat' in entry) return;
      const key = stringOf(entry.key);
      if (key === undefined) return;
      const text = textOf(source, entry.value.range);
      const why = `${key}=${text} in a configuration of ${holder}`;
      values.set(key, { text, source: { arg: key, value: text, line, file: fileName, why } });
    }
    const given = { values, order: [...values.keys()], keywords: new Set(values.keys()) };
    found.push({ given, line, file: fileName, why: 'configuration' });
  });
  return found;
}

/** The configurations of `holder` in a piece of text that may hold Python literals (a string, a Makefile). */
async function configsInText(text: string, holder: string, firstLine: number, fileName?: string) {
  const found: Candidate[] = [];
  const pattern = new RegExp(`[([]\\s*['"]${holder}['"]\\s*,`, 'g');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const literal = balancedCall(text, match.index);
    if (!literal) continue;
    const line = firstLine + text.slice(0, match.index).split('\n').length - 1;
    try {
      const parsed = await LossProgram.parse(literal);
      const stmt = parsed.body[0];
      if (parsed.body.length === 1 && stmt.kind === 'expr')
        found.push(...configCandidates(stmt.value, parsed.source, holder, line, fileName));
    } catch {
      // not Python
    }
  }
  return found;
}

/** `('DiceLoss', {'idc': [1, 2]})` in code or inside a string literal (an argparse default, a config). */
async function fromConfigLiterals(file: { module: Module; path?: string }, holder: string, fileName?: string) {
  const found: Candidate[] = [];
  const strings: { text: string; line: number }[] = [];
  walkStatements(file.module.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      found.push(...configCandidates(root, file.module.source, holder, root.range.line, fileName));
      walkExpr(root, (e) => {
        const text = e.kind === 'str' ? stringOf(e) : undefined;
        if (text && text.includes(holder)) strings.push({ text, line: e.range.line });
      });
    }
  });
  for (const { text, line } of strings) found.push(...(await configsInText(text, holder, line, fileName)));
  return found;
}

/** `Name(alpha=0.5, beta=0.5)` in an example of the class's, the __init__'s or the module's docstring. */
async function fromDocstrings(
  module: Module,
  holder: string,
  signature: Signature,
  globals: ReadonlyMap<string, PyValue>,
) {
  const docs: { text: string; line: number }[] = [];
  const definition = module.body.find((s): s is ClassStmt => s.kind === 'class' && s.name === holder);
  const first = definition?.body[0];
  if (first?.kind === 'expr' && first.value.kind === 'str')
    docs.push({ text: stringOf(first.value) ?? '', line: first.range.line });
  if (signature.def?.docstring) docs.push({ text: signature.def.docstring, line: signature.def.range.line });
  const moduleDoc = module.body[0];
  if (moduleDoc?.kind === 'expr' && moduleDoc.value.kind === 'str')
    docs.push({ text: stringOf(moduleDoc.value) ?? '', line: moduleDoc.range.line });
  const found: Candidate[] = [];
  for (const doc of docs) {
    const pattern = new RegExp(`\\b${holder}\\(`, 'g');
    for (let match = pattern.exec(doc.text); match; match = pattern.exec(doc.text)) {
      const call = balancedCall(doc.text, match.index);
      if (!call) continue;
      try {
        const parsed = await LossProgram.parse(call);
        const stmt = parsed.body[0];
        if (parsed.body.length !== 1 || stmt.kind !== 'expr' || stmt.value.kind !== 'call') continue;
        const binding = bind(stmt.value.args, signature);
        if (!binding) continue;
        const { bound, keywords } = binding;
        const values: Given['values'] = new Map();
        const line = doc.line + doc.text.slice(0, match.index).split('\n').length - 1;
        for (const [name, expr] of bound) {
          const value =
            staticValue(expr, { module: parsed, at: 1 }) ??
            (expr.kind === 'name' ? await exampleArray(doc.text.slice(0, match.index), expr.id, globals) : undefined);
          if (!value) continue;
          const why = `${name}=${value.text} in the docstring's example ${call}`;
          values.set(name, { text: value.text, source: { arg: name, value: value.text, line, why } });
        }
        found.push({ given: { values, order: [...bound.keys()], keywords }, line, why: 'docstring' });
      } catch {
        // prose, not code
      }
    }
  }
  return found;
}

const ARRAY_MAKERS = /^(array|asarray|tensor|as_tensor|Tensor|FloatTensor|constant)$/;

/**
 * `dist_mat = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)` earlier in a docstring's example:
 * an array built from a literal, with names the loss's module has (np, torch) and literal arguments.
 */
async function exampleArray(before: string, name: string, globals: ReadonlyMap<string, PyValue>) {
  const assignment = new RegExp(`^\\s*(?:>>>\\s*)?${name}\\s*=\\s*(\\S.*)$`, 'gm');
  const right = [...before.matchAll(assignment)].pop()?.[1];
  if (!right) return undefined;
  try {
    const parsed = await LossProgram.parse(right);
    const stmt = parsed.body[0];
    if (parsed.body.length !== 1 || stmt.kind !== 'expr' || stmt.value.kind !== 'call') return undefined;
    const { func, args } = stmt.value;
    const callee = dottedName(func).split('.');
    if (!globals.has(callee[0]) || !ARRAY_MAKERS.test(callee.at(-1)!)) return undefined;
    const known = (e: Expr) =>
      staticValue(e, { module: parsed, at: 1 }) !== undefined ||
      (e.kind === 'attribute' && globals.has(dottedName(e).split('.')[0]));
    if (!args.every((a) => (a.kind === 'positional' || a.kind === 'keyword') && known(a.value))) return undefined;
    return { text: right.trim() };
  } catch {
    return undefined;
  }
}

/** The text of the call starting at `start` (up to its closing parenthesis), on one logical line. */
function balancedCall(text: string, start: number): string | undefined {
  let depth = 0;
  for (let i = start; i < text.length && i < start + 400; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1).replace(/\n\s*(\.\.\.|>>>)?/g, ' ');
    }
  }
  return undefined;
}

/** The strings a constructor's own checks allow for a parameter: `if mode not in MODES`, `assert mode in {...}`. */
function allowedStrings(def: FunctionDef | undefined, param: string, globals: ReadonlyMap<string, PyValue>): string[] {
  if (!def) return [];
  const found: string[] = [];
  const add = (value: PyValue | undefined) => {
    if (typeof value === 'string' && !found.includes(value)) found.push(value);
    if (value instanceof PyList || value instanceof PyTuple) value.items.forEach(add);
  };
  const valuesOf = (expr: Expr) => {
    if (expr.kind === 'name') add(globals.get(expr.id));
    else if (expr.kind === 'str') add(stringOf(expr));
    else if (expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'set') expr.elements.forEach(valuesOf);
  };
  walkStatements(def.body, (stmt) => {
    const roots = stmt.kind === 'assert' ? [stmt.test] : statementExpressions(stmt);
    for (const root of roots) {
      walkExpr(root, (expr) => {
        if (expr.kind !== 'compare' || expr.operands.length !== 2) return;
        const [left, right] = expr.operands;
        if (left.kind !== 'name' || left.id !== param) return;
        if (['in', 'not in', '==', '!='].includes(expr.ops[0])) valuesOf(right);
      });
    }
  });
  return found;
}

/** Whether a parameter is used only as keyword arguments spread into calls (`Inner(**inner_kwargs)`). */
function spreadOnly(def: FunctionDef | undefined, param: string): boolean {
  if (!def) return false;
  let uses = 0;
  let spreads = 0;
  walkStatements(def.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (expr.kind === 'name' && expr.id === param) uses++;
        if (expr.kind !== 'call') return;
        for (const arg of expr.args) if (arg.kind === 'doublestar' && isName(arg.value, param)) spreads++;
      });
    }
  });
  return spreads > 0 && spreads === uses;
}

const isName = (expr: Expr, id: string) => expr.kind === 'name' && expr.id === id;

/** The most ways to build a loss tried: each that fails costs a whole contract search. */
const MAX_BUILDS = 3;

/**
 * The ways to build a loss with required arguments, best first: each is complete (every required
 * argument has a value) or the list is empty. Call sites in the diagnosed file and the files that
 * import it come first, then configurations, then docstring examples; then, for parameters that
 * only a class count or a checked mode fills, the contract's class count and each allowed mode.
 */
export async function constructions(
  loss: DiscoveredLoss,
  module: Module,
  globals: ReadonlyMap<string, PyValue>,
  uses: ProjectUses,
  root: string | undefined,
): Promise<Construction[]> {
  const signature = signatureOf(module, loss);
  const required = loss.requiredArguments ?? [];
  if (!signature || !required.length) return [];
  const holder = loss.owner ?? loss.name;
  const fileName = (f: ProjectFile) => (root ? relative(root, f.path) : f.path);
  const definition = module.body.find(
    (s) => (s.kind === 'class' && s.name === holder) || (s.kind === 'def' && s.def.name === holder),
  );
  const candidates: Candidate[] = [];
  /** Call sites in `if __name__ == "__main__":` demos: after every other source (they are often stale). */
  const demos: Candidate[] = [];
  const files = [
    { module, path: undefined as string | undefined },
    ...[...uses.consumers, ...uses.mentions].map((f) => ({ module: f.module, path: fileName(f) })),
  ];
  for (const file of files) {
    const blocks = mainBlocks(file.module);
    for (const call of callSites(file, holder, file.path === undefined ? definition : undefined)) {
      const given = fromCall(call, file.module, signature, file.path);
      const line = call.range.line;
      if (given)
        (insideBlocks(blocks, line) ? demos : candidates).push({ given, line, file: file.path, why: 'call site' });
    }
  }
  for (const file of files) candidates.push(...(await fromConfigLiterals(file, holder, file.path)));
  for (const config of uses.configs ?? [])
    candidates.push(...(await configsInText(config.text, holder, 1, root ? relative(root, config.path) : config.path)));
  candidates.push(...(await fromDocstrings(module, holder, signature, globals)), ...demos);

  // Every complete way, best first (the diagnosis takes the first under which the loss runs).
  const results: Construction[] = [];
  const complete = (values: Given['values']) => required.every((r) => values.has(r));
  for (const candidate of candidates) {
    if (!complete(candidate.given.values)) continue;
    const built = build(loss, holder, signature, candidate.given);
    if (!results.some((r) => r.entry === built.entry)) results.push(built);
    if (results.length === MAX_BUILDS) break;
  }
  if (results.length) return results;
  // Nothing gives every argument: fill class counts from the contract and modes from the checks.
  const nothing: Given = { values: new Map(), order: [], keywords: new Set() };
  const best = candidates.find((c) => c.given.values.size) ?? { given: nothing };
  const open = required.filter((r) => !best.given.values.has(r));
  const spread = open.filter((r) => !isClassCountParam(r) && spreadOnly(signature.def, r));
  // How per-sample losses are aggregated scales the value, no verdict: the framework's default.
  const reduction = open.includes('reduction') ? defaultReduction(module, loss) : undefined;
  const fillable = (r: string) =>
    isClassCountParam(r) ||
    spread.includes(r) ||
    (r === 'reduction' && reduction !== undefined) ||
    allowedStrings(signature.def, r, globals).length > 0;
  if (!open.every(fillable)) return [];
  const modeParams = open.filter((r) => !isClassCountParam(r) && !spread.includes(r) && r !== 'reduction');
  const modeChoices = modeParams.map((r) => allowedStrings(signature.def, r, globals).slice(0, 4));
  const combinations = modeChoices.reduce<string[][]>(
    (acc, choices) => acc.flatMap((a) => choices.map((c) => [...a, c])),
    [[]],
  );
  for (const combination of combinations) {
    const values = new Map(best.given.values);
    for (const r of open) {
      if (spread.includes(r)) {
        const why = `${r}: only spread into calls (**${r}): an empty dict, their defaults stand in`;
        const line = signature.def?.range.line ?? loss.range.line;
        values.set(r, { text: '{}', source: { arg: r, value: '{}', line, why, guessed: true } });
        continue;
      }
      if (r === 'reduction' && reduction) {
        const why = `reduction=${reduction.text}: ${reduction.why}`;
        const line = signature.def?.range.line ?? loss.range.line;
        values.set(r, { text: reduction.text, source: { arg: r, value: reduction.text, line, why } });
        continue;
      }
      const modeIndex = modeParams.indexOf(r);
      const text = modeIndex >= 0 ? JSON.stringify(combination[modeIndex]) : CLASS_COUNT_SLOT;
      const why =
        modeIndex >= 0
          ? `${r}=${text}: one of the values ${holder} checks ${r} against`
          : `${r}: the contract's class count`;
      values.set(r, { text, source: { arg: r, value: text, line: signature.def?.range.line ?? loss.range.line, why } });
    }
    const keywords = new Set([...best.given.keywords, ...open]);
    results.push(build(loss, holder, signature, { values, order: [...best.given.order, ...open], keywords }));
  }
  return results;
}

/** A C×C literal given as a distance (cost) matrix between classes (Wasserstein Dice): C classes. */
function classDistanceMatrix(given: Given): { count: number; source: ArgumentSource } | undefined {
  for (const [name, value] of given.values) {
    if (!/matrix|dist|cost/i.test(name)) continue;
    const literal = /\[\s*\[[\d\s.,eE+\-[\]]*\]\s*\]/.exec(value.text)?.[0];
    try {
      const rows: unknown = literal && JSON.parse(literal.replace(/(\d)\.(?!\d)/g, '$1.0'));
      const square =
        Array.isArray(rows) && rows.length > 1 && rows.every((r) => Array.isArray(r) && r.length === rows.length);
      if (square) return { count: rows.length, source: value.source };
    } catch {
      // not a plain numeric literal
    }
  }
  return undefined;
}

/** The reduction a loss's framework applies by default: Keras' 'auto', PyTorch's 'mean'. */
function defaultReduction(module: Module, loss: DiscoveredLoss): { text: string; why: string } | undefined {
  const framework = frameworkFromImports(module);
  if (loss.inheritedFrom === 'LossFunctionWrapper' || framework === 'keras' || framework === 'tf')
    return { text: "'auto'", why: "Keras' default (the batch mean); the reduction scales the loss, no verdict" };
  if (framework === 'torch')
    return { text: "'mean'", why: "PyTorch's default; the reduction scales the loss, no verdict" };
  return undefined;
}

function build(loss: DiscoveredLoss, holder: string, signature: Signature, given: Given): Construction {
  // As the source passes them: positional arguments in the signature's order, then keywords.
  const positional = signature.params
    .filter((p) => given.values.has(p.name) && !given.keywords.has(p.name))
    .map((p) => given.values.get(p.name)!.text);
  const keywords = given.order
    .filter((name) => given.keywords.has(name) && given.values.has(name))
    .map((name) => `${name}=${given.values.get(name)!.text}`);
  const call = `${holder}(${[...positional, ...keywords].join(', ')})`;
  const method = loss.owner ? `.${loss.name.slice(loss.owner.length + 1)}` : '';
  const constructedFrom = [...given.values.values()].map((v) => v.source);
  const classParam = [...given.values.entries()].find(([name, v]) => isClassCountParam(name) && /^\d+$/.test(v.text));
  const fromCount = classParam && { count: Number(classParam[1].text), source: classParam[1].source };
  const counted = fromCount ?? classDistanceMatrix(given);
  const classes = counted && {
    value: counted.count,
    line: counted.source.line,
    why: counted.source.why,
    ...(counted.source.file ? { file: counted.source.file } : {}),
  };
  return {
    entry: `${call}${method}`,
    constructedFrom,
    classes,
    perClassCount: call.includes(CLASS_COUNT_SLOT),
  };
}
