// Finds the loss-like callables of a file: functions named like a loss or metric or taking
// (y_true, y_pred)-style parameters, factories that return one, and nn.Module / Keras Loss subclasses.
import type { FunctionDef, Module, SourceRange, Stmt } from '../python/ast';
import { statementExpressions, walkExpr, walkStatements } from '../python/walk';

export interface DiscoveredLoss {
  /** What the user calls it. */
  name: string;
  /** The --entry expression that yields the callable. */
  entry: string;
  kind: 'function' | 'factory' | 'class';
  range: SourceRange;
  /** The callable's parameters (without self), in order. */
  params: string[];
  /**
   * 'loss' when its name, its class or the file says so; 'metric' for coefficients and scores;
   * 'unknown' when only trial can tell (a perfect prediction scoring higher means a metric).
   */
  role: 'loss' | 'metric' | 'unknown';
  /** A class count from the code itself: a default like num_classes=4. */
  classesHint?: number;
  /** A factory or class whose required arguments we cannot invent. */
  requiredArguments?: string[];
}

const LOSS_NAME = new RegExp(
  [
    'loss|dice|tversky|focal|jaccard|iou|dsc|coef|xent|entropy|bce|cce',
    'overlap|similarity|sensitivity|specificity|hausdorff|lovasz|score|metric|criterion',
  ].join('|'),
  'i',
);
/** Names that say "higher is better"; a bare dice/iou/jaccard could be either and is decided by trial. */
const METRIC_NAME = /coef|score|metric|similarity|index|accuracy/i;
const TENSOR_PARAM_NAMES = [
  'y_?true|y_?pred|y_?hat|true|pred|preds|prediction|predictions|predicted|target|targets|gt|ground_?truth',
  'label|labels|logits|output|outputs|input|inputs|y|mask|masks|probs|probas|probabilities|net_output',
  'seg|segmentation|truth|yt|yp|score|scores',
];
const TENSOR_PARAM = new RegExp(`^(${TENSOR_PARAM_NAMES.join('|')})$`, 'i');
const MODULE_BASES = /(^|\.)(Module|Loss|_Loss|_WeightedLoss|LossFunctionWrapper)$/;

function positionalNames(def: FunctionDef, dropSelf: boolean): string[] {
  const names = def.params.filter((p) => p.kind === 'normal').map((p) => p.name);
  return dropSelf && names[0] === 'self' ? names.slice(1) : names;
}

function requiredNames(def: FunctionDef): string[] {
  return def.params.filter((p) => p.kind === 'normal' && !p.default && p.name !== 'self').map((p) => p.name);
}

function looksLikeLoss(name: string, params: string[]): boolean {
  if (params.length < 2) return false;
  return LOSS_NAME.test(name) || (TENSOR_PARAM.test(params[0]) && TENSOR_PARAM.test(params[1]));
}

const roleOf = (name: string): DiscoveredLoss['role'] =>
  /loss|distance|criterion/i.test(name) ? 'loss' : METRIC_NAME.test(name) ? 'metric' : 'unknown';

const CLASS_COUNT_PARAM =
  /^(n_?classes|num_?classes|nb_?classes|number_of_classes|n_?class|classes|ncl|num_labels|n_labels)$/i;

/** num_classes=4 in a signature (the loss's own or its class's __init__). */
function classesFromDefaults(def: FunctionDef | undefined): number | undefined {
  for (const p of def?.params ?? [])
    if (CLASS_COUNT_PARAM.test(p.name) && p.default?.kind === 'int') return Number(p.default.value);
  return undefined;
}

/** The nested def or lambda a factory returns, if its body returns one. */
function returnedCallable(def: FunctionDef): { name: string; params: string[] } | undefined {
  const nested = new Map<string, FunctionDef>();
  let found: { name: string; params: string[] } | undefined;
  const visit = (body: readonly Stmt[]) => {
    for (const stmt of body) {
      if (stmt.kind === 'def') nested.set(stmt.def.name, stmt.def);
      if (stmt.kind === 'return' && stmt.value) {
        if (stmt.value.kind === 'name' && nested.has(stmt.value.id)) {
          const inner = nested.get(stmt.value.id)!;
          found ??= { name: inner.name, params: positionalNames(inner, false) };
        } else if (stmt.value.kind === 'lambda') {
          found ??= {
            name: '<lambda>',
            params: stmt.value.params.filter((p) => p.kind === 'normal').map((p) => p.name),
          };
        }
      }
      if (stmt.kind === 'if') {
        visit(stmt.body);
        visit(stmt.orelse);
      }
    }
  };
  visit(def.body);
  return found;
}

function baseNames(stmt: Extract<Stmt, { kind: 'class' }>): string[] {
  const text = (expr: { kind: string }): string => {
    const e = expr as { kind: string; id?: string; object?: { kind: string }; attr?: string };
    if (e.kind === 'name') return e.id!;
    if (e.kind === 'attribute') return `${text(e.object!)}.${e.attr}`;
    return '';
  };
  return stmt.bases.filter((b) => b.kind === 'positional').map((b) => text(b.value));
}

export function discoverLosses(module: Module): DiscoveredLoss[] {
  const found: DiscoveredLoss[] = [];
  const classes = new Map<string, Extract<Stmt, { kind: 'class' }>>();
  for (const stmt of module.body) if (stmt.kind === 'class') classes.set(stmt.name, stmt);

  const isLossClass = (stmt: Extract<Stmt, { kind: 'class' }>, seen = new Set<string>()): boolean =>
    baseNames(stmt).some(
      (base) =>
        MODULE_BASES.test(base) ||
        (classes.has(base) && !seen.has(base) && isLossClass(classes.get(base)!, new Set([...seen, base]))),
    );

  for (const stmt of module.body) {
    if (stmt.kind === 'def') {
      const { def } = stmt;
      const params = positionalNames(def, false);
      const inner = returnedCallable(def);
      if (inner && looksLikeLoss(`${def.name} ${inner.name}`, inner.params)) {
        const required = requiredNames(def);
        found.push({
          name: def.name,
          entry: `${def.name}()`,
          kind: 'factory',
          range: def.range,
          params: inner.params,
          role: roleOf(`${def.name}`),
          requiredArguments: required.length ? required : undefined,
          classesHint: classesFromDefaults(def),
        });
        continue;
      }
      // Callable as loss(a, b): any parameter after the first two has a default.
      if (looksLikeLoss(def.name, params) && requiredNames(def).length <= 2) {
        found.push({
          name: def.name,
          entry: def.name,
          kind: 'function',
          range: def.range,
          params,
          role: roleOf(def.name),
          classesHint: classesFromDefaults(def),
        });
      }
    } else if (
      stmt.kind === 'assign' &&
      stmt.value.kind === 'lambda' &&
      stmt.targets.length === 1 &&
      stmt.targets[0].kind === 'name'
    ) {
      // dice_loss = lambda y_true, y_pred: 1 - dice(y_true, y_pred)
      const name = stmt.targets[0].id;
      const params = stmt.value.params.filter((p) => p.kind === 'normal').map((p) => p.name);
      if (looksLikeLoss(name, params))
        found.push({ name, entry: name, kind: 'function', range: stmt.range, params, role: roleOf(name) });
    } else if (stmt.kind === 'class') {
      const methods = new Map(stmt.body.flatMap((s) => (s.kind === 'def' ? [[s.def.name, s.def] as const] : [])));
      const call = methods.get('forward') ?? methods.get('call') ?? methods.get('__call__');
      if (!call) continue;
      const params = positionalNames(call, true);
      if (!isLossClass(stmt) && !looksLikeLoss(stmt.name, params)) continue;
      if (
        !LOSS_NAME.test(stmt.name) &&
        !(params.length >= 2 && TENSOR_PARAM.test(params[0]) && TENSOR_PARAM.test(params[1]))
      )
        continue; // a network, not a loss
      const init = methods.get('__init__');
      const required = init ? requiredNames(init) : [];
      // A loss class (nn.Module / Keras Loss subclass) is a loss unless its name says metric.
      const role = roleOf(stmt.name) === 'metric' ? 'metric' : 'loss';
      found.push({
        name: stmt.name,
        entry: stmt.name,
        kind: 'class',
        range: stmt.range,
        params,
        role,
        requiredArguments: required.length ? required : undefined,
        classesHint: classesFromDefaults(init),
      });
    }
  }
  return found;
}

/**
 * Names of discovered losses that another discovered loss calls (dice_coef inside dice_loss): they
 * are diagnosed through their caller, not on their own.
 */
export function helperNames(module: Module, losses: readonly DiscoveredLoss[]): Set<string> {
  const names = new Set(losses.map((l) => l.name));
  const helpers = new Set<string>();
  for (const loss of losses) {
    const definition = module.body.find((s) => s.range.line === loss.range.line);
    if (!definition) continue;
    walkStatements([definition], (stmt) => {
      for (const root of statementExpressions(stmt)) {
        walkExpr(root, (expr) => {
          if (
            expr.kind === 'call' &&
            expr.func.kind === 'name' &&
            names.has(expr.func.id) &&
            expr.func.id !== loss.name
          )
            helpers.add(expr.func.id);
        });
      }
    });
  }
  return helpers;
}
