// Finds the loss-like callables of a file: functions named like a loss or metric or taking
// (y_true, y_pred)-style parameters, factories that return one, nn.Module / Keras Loss subclasses
// (their call method their own or a base's of the same file; abstract bases left out), and the
// loss methods of plain classes (`SegmentationLosses().dice_loss`). AST only: nothing runs.
import type { Expr, FunctionDef, Module, SourceRange, Stmt } from '../python/ast';
import { dottedName, statementExpressions, textOf, walkExpr, walkStatements } from '../python/walk';
import type { DictInput } from './dictKeys';
import { readsAsMapping } from './queries/dictReads';
import { requiredNoneDefaults } from './queries/noneDefaults';
import {
  type ClassStmt,
  type ClassView,
  abstractReason,
  astClassView,
  baseNames,
  callMethodOf,
  overriddenInFile,
} from './classModel';

export interface DiscoveredLoss {
  /** What the user calls it (`Class.method` for a method of a plain class). */
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
  /** A factory or class whose required arguments we cannot invent (constructor keys read from **kwargs too). */
  requiredArguments?: string[];
  /** For a method of a plain class: the class, which the entry instantiates (`Class().method`). */
  owner?: string;
  /** A loss class whose call method is inherited: the class that defines it. */
  inheritedFrom?: string;
  /** Required tensor parameters after the prediction and the labels (a weight map, distance maps). */
  extraParams?: string[];
  /** A Caffe Python layer (forward/backward on blobs): called with bottom = [prediction, labels]. */
  caffeLayer?: true;
  /** Set by the diagnosis for a loss that takes its inputs in one dict: the keys it is called with. */
  dictInput?: DictInput;
}

const LOSS_NAME = new RegExp(
  [
    'loss|dice|tversky|focal|jaccard|iou|dsc|gdl|coef|xent|entropy|bce|cce',
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
  return dropSelf && (names[0] === 'self' || names[0] === 'cls') ? names.slice(1) : names;
}

function requiredNames(def: FunctionDef): string[] {
  return def.params
    .filter((p) => p.kind === 'normal' && !p.default && p.name !== 'self' && p.name !== 'cls')
    .map((p) => p.name);
}

/** Keys an __init__ reads from its **kwargs without a default (`kwargs["idc"]`): required in practice. */
function requiredKwargsKeys(def: FunctionDef): string[] {
  const kwargs = def.params.find((p) => p.kind === 'kwargs')?.name;
  if (!kwargs) return [];
  const keys: string[] = [];
  /** Keys the code tests for first (`if 'key' in kwargs:`): optional. */
  const tested = new Set<string>();
  const literal = (e: Expr) =>
    e.kind === 'str' && e.parts.every((p) => 'text' in p)
      ? e.parts.map((p) => ('text' in p ? p.text : '')).join('')
      : undefined;
  const isKwargs = (e: Expr) =>
    dottedName(e) === kwargs || (e.kind === 'call' && dottedName(e.func) === `${kwargs}.keys`);
  walkStatements(def.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (expr.kind === 'compare' && expr.operands.length === 2 && expr.ops[0] === 'in') {
          const key = literal(expr.operands[0]);
          if (key !== undefined && isKwargs(expr.operands[1])) tested.add(key);
        }
        if (expr.kind !== 'subscript' || dottedName(expr.object) !== kwargs || expr.indices.length !== 1) return;
        const text = literal(expr.indices[0]);
        if (text !== undefined && !keys.includes(text)) keys.push(text);
      });
    }
  });
  return keys.filter((key) => !tested.has(key));
}

/**
 * What a constructor needs: its required parameters, those defaulting to None that it reads by key
 * unguarded (`params=None`, then `params['beta']`), then the **kwargs keys it reads unconditionally.
 */
function constructorArguments(init: FunctionDef | undefined): string[] | undefined {
  if (!init) return undefined;
  const required = [...requiredNames(init), ...requiredNoneDefaults(init), ...requiredKwargsKeys(init)];
  return required.length ? required : undefined;
}

const FACTORY_NAME = /^(get|build|create|make|init|setup|load)_/i;
const CONFIG_PARAM = /^(config|configs|cfg|conf|opt|opts|options|args|params|hparams|settings|hyper_?params)$/i;

/**
 * Named like a loss with (prediction, labels)-style parameters, or named like a loss and taking one
 * dict it reads by key (`def seg_loss(batch)` reading `batch['pred']`; see dictInput.ts).
 */
function looksLikeLoss(name: string, params: string[], def?: FunctionDef): boolean {
  // get_loss_criterion(config) reads a configuration to build a loss: a factory, not a loss of a batch.
  if (params.length === 1 && def)
    return (
      LOSS_NAME.test(name) &&
      !FACTORY_NAME.test(name) &&
      !CONFIG_PARAM.test(params[0]) &&
      readsAsMapping(def, params[0])
    );
  if (params.length < 2) return false;
  return LOSS_NAME.test(name) || (TENSOR_PARAM.test(params[0]) && TENSOR_PARAM.test(params[1]));
}

const roleOf = (name: string): DiscoveredLoss['role'] =>
  /loss|distance|criterion/i.test(name) ? 'loss' : METRIC_NAME.test(name) ? 'metric' : 'unknown';

const CLASS_COUNT_PARAM = new RegExp(
  '^(n_?classes|num_?classes|nb_?classes|number_of_classes|n_?class|num_?class|class_?num|classes|ncl' +
    '|num_labels|n_labels)$',
  'i',
);

/** Whether a constructor parameter stands for the class count (n_classes=4 → the contract's classes). */
export const isClassCountParam = (name: string) => CLASS_COUNT_PARAM.test(name);

/** Per-class weights a constructor spells out (`torch.FloatTensor([0.84, 0.92, …])`, 19 of them): the class count. */
function classesFromWeightLiteral(init: FunctionDef | undefined): number | undefined {
  let found: number | undefined;
  walkStatements(init?.body ?? [], (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (found !== undefined || expr.kind !== 'call' || expr.args.length !== 1) return;
        if (!/(^|\.)(FloatTensor|Tensor|tensor|as_tensor|array|constant)$/.test(dottedName(expr.func))) return;
        const [arg] = expr.args;
        const list = arg.kind === 'positional' ? arg.value : undefined;
        if (list?.kind !== 'list' || list.elements.length < 3) return;
        if (list.elements.every((e) => e.kind === 'float' || e.kind === 'int')) found = list.elements.length;
      });
    }
  });
  return found;
}

/** num_classes=4 in a signature (the loss's own or its class's __init__). */
function classesFromDefaults(def: FunctionDef | undefined): number | undefined {
  for (const p of def?.params ?? [])
    if (CLASS_COUNT_PARAM.test(p.name) && p.default?.kind === 'int') return Number(p.default.value);
  return undefined;
}

/**
 * A third tensor a loss takes besides the prediction and the labels, by its parameter's name:
 * per-pixel weights (ones are neutral) or per-class distance maps of the labels.
 */
export function extraTensorKind(param: string): 'weights' | 'distance' | undefined {
  // A choice of weighting ('square', 'simple': NiftyNet's type_weight) is a string, not a tensor.
  if (/type|mode|kind|method|scheme/i.test(param)) return undefined;
  if (/dist|sdf|(^|_)dt(_|$)|level_?set|boundary|(^|_)bounds?(_|$)/i.test(param)) return 'distance';
  if (/weight|(^|_)w(_|$)|w_?map/i.test(param)) return 'weights';
  return undefined;
}

/** The values a function returns (`return x`), blocks included, nested functions and classes not. */
function returnedValues(def: FunctionDef): Expr[] {
  const values: Expr[] = [];
  const visit = (body: readonly Stmt[]) => {
    for (const stmt of body) {
      if (stmt.kind === 'return' && stmt.value) values.push(stmt.value);
      else if (stmt.kind === 'if' || stmt.kind === 'for' || stmt.kind === 'while')
        visit([...stmt.body, ...stmt.orelse]);
      else if (stmt.kind === 'with') visit(stmt.body);
      else if (stmt.kind === 'try')
        visit([...stmt.body, ...stmt.handlers.flatMap((h) => h.body), ...stmt.orelse, ...stmt.finalbody]);
    }
  };
  visit(def.body);
  return values;
}

/** @tf.custom_gradient: the function returns (value, grad_fn) and is called for its value. */
const isCustomGradient = (def: FunctionDef) =>
  def.decorators.some((d) => /(^|\.)custom_gradient$/.test(dottedName(d.kind === 'call' ? d.func : d)));

/** A helper that hands back several values (`return scores, one_hot`): not a loss, whatever its parameters. */
function returnsTuples(def: FunctionDef): boolean {
  if (isCustomGradient(def)) return false;
  const isTuple = (e: Expr): boolean =>
    e.kind === 'tuple' || (e.kind === 'ifexp' && isTuple(e.body) && isTuple(e.orelse));
  const values = returnedValues(def);
  return values.length > 0 && values.every(isTuple);
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

/** Bases that make a class a loss or a model: nn.Module, Keras' Loss, PyTorch's _Loss... */
export const isModuleBase = (base: string) => MODULE_BASES.test(base);

/** torch.autograd.Function subclasses hold a hand-written gradient: their callers are the losses. */
const AUTOGRAD_FUNCTION = /(^|\.)(autograd\.Function|Function|InplaceFunction)$/;
export const isAutogradFunction = (bases: readonly string[]) => bases.some((b) => AUTOGRAD_FUNCTION.test(b));

/** Whether the file imports `Layer` from caffe (`from caffe import Layer`). */
const importsCaffeLayer = (module: Module) =>
  module.body.some(
    (s) =>
      s.kind === 'importfrom' && s.module === 'caffe' && s.names !== '*' && s.names.some((n) => n.name === 'Layer'),
  );

/**
 * A Caffe Python layer that is a loss: forward(self, bottom, top) and backward(self, top,
 * propagate_down, bottom), named like a loss or giving a one-element top (`top[0].reshape(1)`).
 * It is called as the net calls it, with bottom[0] the prediction and bottom[1] the labels.
 */
function caffeLoss(stmt: ClassStmt, view: ClassView, source: string): DiscoveredLoss | undefined {
  if (!view.method('forward') || !view.method('backward')) return undefined;
  const reshape = view.method('reshape');
  const scalarTop = reshape !== undefined && /top\[0\]\.reshape\(\s*1\s*\)/.test(textOf(source, reshape.range));
  if (!LOSS_NAME.test(stmt.name) && !scalarTop) return undefined;
  return {
    name: stmt.name,
    entry: stmt.name,
    kind: 'class',
    range: stmt.range,
    params: ['prediction', 'labels'],
    role: 'loss',
    caffeLayer: true,
  };
}

const isStatic = (def: FunctionDef) => def.decorators.some((d) => dottedName(d) === 'staticmethod');

/**
 * A class called through `method`: a loss unless it looks like a network (neither named like a loss
 * nor taking (prediction, target)-style parameters). `moduleBase` says whether a base makes it an
 * nn.Module / Keras Loss. Required parameters after the first two are recorded: the diagnosis
 * supplies the tensors it can (weights, distance maps) and says what it cannot.
 */
export function lossClass(
  name: string,
  view: ClassView,
  moduleBase: boolean,
  range: SourceRange,
): DiscoveredLoss | undefined {
  const call = callMethodOf(view);
  if (!call) return undefined;
  return lossClassCalledAs(name, view, moduleBase, range, {
    name: call.name,
    params: positionalNames(call.def, !isStatic(call.def)),
    extraParams: requiredNames(call.def).slice(2),
    def: call.def,
  });
}

/**
 * A loss class given how it is called: its Python call method's parameters (and the method itself,
 * when written in Python), or (Keras' LossFunctionWrapper, whose call is the engine's) the
 * framework's (y_true, y_pred).
 */
export function lossClassCalledAs(
  name: string,
  view: ClassView,
  moduleBase: boolean,
  range: SourceRange,
  call: { name: string; params: string[]; extraParams: string[]; def?: FunctionDef },
): DiscoveredLoss | undefined {
  const { params, extraParams } = call;
  if (!moduleBase && !looksLikeLoss(name, params, call.def)) return undefined;
  if (!LOSS_NAME.test(name) && !(params.length >= 2 && TENSOR_PARAM.test(params[0]) && TENSOR_PARAM.test(params[1])))
    return undefined; // a network, not a loss
  const init = view.method('__init__');
  // A loss class is a loss unless its name says metric.
  const role = roleOf(name) === 'metric' ? 'metric' : 'loss';
  const inherited = view.definedIn(call.name);
  return {
    name,
    entry: name,
    kind: 'class',
    range,
    params,
    role,
    requiredArguments: constructorArguments(init),
    classesHint: classesFromDefaults(init) ?? classesFromWeightLiteral(init),
    ...(inherited && inherited !== name ? { inheritedFrom: inherited } : {}),
    ...(extraParams.length ? { extraParams } : {}),
  };
}

/** Loss methods of a class that is not itself a loss: `Class().method` (`Class.method` when static). */
function lossMethods(stmt: ClassStmt, view: ClassView): DiscoveredLoss[] {
  const found: DiscoveredLoss[] = [];
  const requiredArguments = constructorArguments(view.method('__init__'));
  for (const member of stmt.body) {
    if (member.kind !== 'def' || member.def.name.startsWith('_')) continue;
    const { def } = member;
    const static_ = isStatic(def);
    if (def.decorators.some((d) => ['classmethod', 'property'].includes(dottedName(d)))) continue;
    const params = positionalNames(def, !static_);
    if (!looksLikeLoss(def.name, params, def) || requiredNames(def).length > 2 || returnsTuples(def)) continue;
    const name = `${stmt.name}.${def.name}`;
    found.push({
      name,
      entry: static_ ? name : `${stmt.name}().${def.name}`,
      kind: 'function',
      range: def.range,
      params,
      role: roleOf(def.name),
      owner: stmt.name,
      ...(!static_ && requiredArguments ? { requiredArguments } : {}),
      classesHint: classesFromDefaults(def) ?? classesFromDefaults(view.method('__init__')),
    });
  }
  return found;
}

export function discoverLosses(module: Module): DiscoveredLoss[] {
  const found: DiscoveredLoss[] = [];
  const classes = new Map<string, ClassStmt>();
  for (const stmt of module.body) if (stmt.kind === 'class') classes.set(stmt.name, stmt);

  const hasModuleBase = (stmt: ClassStmt, seen = new Set<string>()): boolean =>
    baseNames(stmt).some(
      (base) =>
        MODULE_BASES.test(base) ||
        (classes.has(base) && !seen.has(base) && hasModuleBase(classes.get(base)!, new Set([...seen, base]))),
    );
  const caffeBase = importsCaffeLayer(module) ? /^(caffe\.)?Layer$/ : /^caffe\.Layer$/;
  const caffeLayer = (stmt: ClassStmt, seen = new Set<string>()): boolean =>
    baseNames(stmt).some(
      (base) =>
        caffeBase.test(base) ||
        (classes.has(base) && !seen.has(base) && caffeLayer(classes.get(base)!, new Set([...seen, base]))),
    );
  const autograd = (stmt: ClassStmt, seen = new Set<string>()): boolean =>
    isAutogradFunction(baseNames(stmt)) ||
    baseNames(stmt).some(
      (base) => classes.has(base) && !seen.has(base) && autograd(classes.get(base)!, new Set([...seen, base])),
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
      // Callable as loss(a, b): any parameter after the first two has a default, is a tensor we
      // can supply (a weight map, distance maps) or the class count (the prediction's channels).
      const extraParams = requiredNames(def).slice(2);
      const supplied = extraParams.every((p) => extraTensorKind(p) !== undefined || isClassCountParam(p));
      if (looksLikeLoss(def.name, params, def) && supplied && !returnsTuples(def)) {
        found.push({
          name: def.name,
          entry: def.name,
          kind: 'function',
          range: def.range,
          params,
          role: roleOf(def.name),
          classesHint: classesFromDefaults(def),
          ...(extraParams.length ? { extraParams } : {}),
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
      if (autograd(stmt)) continue; // its caller (an nn.Module) is the loss
      const view = astClassView(stmt, classes);
      if (caffeLayer(stmt)) {
        const layer = caffeLoss(stmt, view, module.source);
        if (layer) found.push(layer);
        continue;
      }
      if (!callMethodOf(view)) {
        // Not callable itself, unless a base from another file makes it so (see inherited.ts).
        if (!baseNames(stmt).some((b) => !classes.has(b) && !/^(object|ABC|abc\.ABC)$/.test(b))) {
          found.push(...lossMethods(stmt, view));
        }
        continue;
      }
      if (abstractReason(view, overriddenInFile(stmt.name, classes))) continue;
      const loss = lossClass(stmt.name, view, hasModuleBase(stmt), stmt.range);
      if (loss) found.push(loss);
    }
  }
  found.push(...combinedInstances(module, found));
  return found;
}

/**
 * Module-level losses combined from instances of the file's loss classes with + and *
 * (`cce_dice_loss = cce + dice` after `dice = DiceLoss()`): callable objects the project compiles.
 */
function combinedInstances(module: Module, losses: readonly DiscoveredLoss[]): DiscoveredLoss[] {
  const classes = new Map(losses.filter((l) => l.kind === 'class').map((l) => [l.name, l]));
  const instances = new Map<string, DiscoveredLoss>();
  const found: DiscoveredLoss[] = [];
  /** The loss class a leaf of the combination stands for; undefined for numbers. */
  const leaves = (expr: Expr): DiscoveredLoss[] | undefined => {
    if (expr.kind === 'int' || expr.kind === 'float') return [];
    if (expr.kind === 'name') return instances.has(expr.id) ? [instances.get(expr.id)!] : undefined;
    if (expr.kind === 'call' && expr.func.kind === 'name' && classes.has(expr.func.id))
      return [classes.get(expr.func.id)!];
    if (expr.kind === 'binary' && ['+', '-', '*'].includes(expr.op)) {
      const [left, right] = [leaves(expr.left), leaves(expr.right)];
      return left && right ? [...left, ...right] : undefined;
    }
    return undefined;
  };
  for (const stmt of module.body) {
    if (stmt.kind !== 'assign' || stmt.targets.length !== 1 || stmt.targets[0].kind !== 'name') continue;
    const name = stmt.targets[0].id;
    const value = stmt.value;
    if (value.kind === 'call' && value.func.kind === 'name' && classes.has(value.func.id)) {
      instances.set(name, classes.get(value.func.id)!);
      continue;
    }
    if (value.kind !== 'binary' || !LOSS_NAME.test(name)) continue;
    const parts = leaves(value);
    if (!parts?.length) continue;
    found.push({ name, entry: name, kind: 'function', range: stmt.range, params: parts[0].params, role: roleOf(name) });
  }
  return found;
}

/**
 * Names of discovered losses that another discovered loss calls (dice_coef inside dice_loss,
 * self.dice_coefficient inside a sibling method): they are diagnosed through their caller, not
 * on their own.
 */
export function helperNames(module: Module, losses: readonly DiscoveredLoss[]): Set<string> {
  const names = new Set(losses.map((l) => l.name));
  const helpers = new Set<string>();
  for (const loss of losses) {
    const definition = definitionOf(module, loss);
    if (!definition) continue;
    walkStatements([definition], (stmt, enclosingClass) => {
      for (const root of statementExpressions(stmt)) {
        walkExpr(root, (expr) => {
          if (expr.kind !== 'call') return;
          const called = calledLoss(expr.func, loss.owner ?? enclosingClass);
          if (called && names.has(called) && called !== loss.name) helpers.add(called);
        });
      }
    });
  }
  return helpers;
}

/** `f(...)` → f; `self.m(...)` inside class C → C.m; `C.m(...)` → C.m. */
function calledLoss(func: Expr, enclosingClass: string | undefined): string | undefined {
  if (func.kind === 'name') return func.id;
  if (func.kind !== 'attribute') return undefined;
  const object = dottedName(func.object);
  if (object === 'self' || object === 'cls') return enclosingClass ? `${enclosingClass}.${func.attr}` : undefined;
  return object ? `${object}.${func.attr}` : undefined;
}

/** The statement that defines a discovered loss: a top-level def/class/assignment, or a method's def. */
export function definitionOf(module: Module, loss: DiscoveredLoss): Stmt | undefined {
  if (loss.owner) {
    const cls = module.body.find((s): s is ClassStmt => s.kind === 'class' && s.name === loss.owner);
    return cls?.body.find((s) => s.kind === 'def' && s.range.line === loss.range.line);
  }
  return module.body.find((s) => s.range.line === loss.range.line);
}
