// Losses that take their inputs in one dict (PyMIC's `forward(self, loss_input_dict)` reading
// `loss_input_dict['prediction']` and `.get('pixel_weight', None)`; `batch['pred']`, `outputs['seg']`):
// the string keys a function reads from such a parameter, also inside the helpers it hands the dict
// to, and what the code does with each value: the names it goes by, an activation, an integer cast,
// the slot of a built-in loss. That is what tells the prediction's key from the labels'. Read, never run.
import type { Expr, FunctionDef, SourceRange, Stmt } from '../../python/ast';
import { dottedName, statementExpressions, walkExpr, walkStatements } from '../../python/walk';

export interface KeyRead {
  key: string;
  /** Read with `[...]` (or `.pop(key)`) where no `'key' in d` test guards it: the call fails without it. */
  required: boolean;
  /** Where it is first read. */
  range: SourceRange;
  /** Names its value goes by: variables bound to it, parameters of the helpers it is passed to. */
  names: string[];
  /** The code applies softmax / sigmoid to it: logits of a prediction. */
  activated: boolean;
  /** The code casts it to integers or one-hot encodes it: class labels. */
  integer: boolean;
  /** The slot of a built-in loss it fills (`F.cross_entropy(input, target)`). */
  slot?: 'prediction' | 'labels';
}

export interface MappingReads {
  keys: Map<string, KeyRead>;
  /** The dict handed whole to code this reading cannot follow (`self.base_loss(d)`): it may read more there. */
  handedOn?: { range: SourceRange; to: string };
}

/** A function the dict is handed to, and how the functions it calls resolve in turn. */
export interface Callee {
  def: FunctionDef;
  /** Called as a method: its first parameter is the instance. */
  bound: boolean;
  resolve: Resolver;
}

/** The function a call's callee denotes (a module function, a method of self, a base's via super()). */
export type Resolver = (func: Expr) => Callee | undefined;

/** How deep helpers are followed: the loss's own method, its helpers and theirs. */
const MAX_DEPTH = 3;

const ACTIVATION_CALL = /^(softmax|log_softmax|sigmoid|logsigmoid)$|activat/i;
const ACTIVATION_LAYER = /(^|\.)(Softmax|LogSoftmax|Sigmoid|Softmax2d)$/;
const INTEGER_DTYPE = /long|int64|int32|LongTensor|IntTensor/;
/** Built-in losses called as (input, target): PyTorch's functional ones. */
const INPUT_TARGET_LOSS = /(^|\.)(cross_entropy|nll_loss|binary_cross_entropy|binary_cross_entropy_with_logits)$/;
/** Calls that look at the dict without reading its entries. */
const HARMLESS = /^(isinstance|len|print|type|hasattr|str|repr|id|bool)$|(^|\.)(debug|info|warning|warn|format)$/;

/** The text of a plain string literal. */
export function literalText(expr: Expr | undefined): string | undefined {
  if (expr?.kind !== 'str' || !expr.parts.every((p) => 'text' in p)) return undefined;
  return expr.parts.map((p) => ('text' in p ? p.text : '')).join('');
}

const positionalNames = (def: FunctionDef, bound: boolean) => {
  const names = def.params.filter((p) => p.kind === 'normal').map((p) => p.name);
  return bound ? names.slice(1) : names;
};

/** Whether a function reads one of its parameters as a dict with string keys (its own body only). */
export function readsAsMapping(def: FunctionDef, param: string): boolean {
  return mappingReads(def, param, () => undefined).keys.size > 0;
}

/** The keys `def` reads from its parameter `param`, through the helpers `resolve` finds. */
export function mappingReads(def: FunctionDef, param: string, resolve: Resolver): MappingReads {
  const reads: MappingReads = { keys: new Map() };
  readFrame({ def, bound: false, resolve }, param, reads, MAX_DEPTH);
  return reads;
}

function readFrame(callee: Callee, param: string, reads: MappingReads, depth: number): void {
  const { def, resolve } = callee;
  const aliases = new Set([param]);
  const isMapping = (e: Expr) => e.kind === 'name' && aliases.has(e.id);
  /** `d['k']`, `d.get('k', ...)`, `d.pop('k')`: the key, and whether the call fails without it. */
  const keyRead = (e: Expr): { key: string; required: boolean } | undefined => {
    if (e.kind === 'subscript' && isMapping(e.object) && e.indices.length === 1) {
      const key = literalText(e.indices[0]);
      return key === undefined ? undefined : { key, required: true };
    }
    if (e.kind !== 'call' || e.func.kind !== 'attribute' || !isMapping(e.func.object)) return undefined;
    if (e.func.attr !== 'get' && e.func.attr !== 'pop') return undefined;
    const [first] = e.args;
    const key = first?.kind === 'positional' ? literalText(first.value) : undefined;
    return key === undefined ? undefined : { key, required: e.func.attr === 'pop' && e.args.length === 1 };
  };
  const statements: Stmt[] = [];
  walkStatements(def.body, (stmt) => statements.push(stmt));
  // `d = loss_input_dict`, and the keys it tests before reading them (`if 'weight' in d:`): optional.
  const tested = new Set<string>();
  const bound = new Map<string, string>();
  for (const stmt of statements) {
    if (stmt.kind === 'assign' && stmt.targets.length === 1 && stmt.targets[0].kind === 'name' && isMapping(stmt.value))
      aliases.add(stmt.targets[0].id);
  }
  const written = new Set<Expr>();
  for (const stmt of statements) {
    for (const root of statementExpressions(stmt))
      walkExpr(root, (e) => {
        if (e.kind !== 'compare' || e.operands.length !== 2 || !['in', 'not in'].includes(e.ops[0])) return;
        const key = literalText(e.operands[0]);
        if (key !== undefined && isMapping(e.operands[1])) tested.add(key);
      });
    if (stmt.kind !== 'assign') continue;
    // What the loss stores in the dict itself is no input (DeepSupervision rewrites 'prediction' per scale).
    stmt.targets.forEach((t) => walkExpr(t, (e) => e.kind === 'subscript' && isMapping(e.object) && written.add(e)));
    const pairs: [Expr, Expr][] =
      stmt.targets.length === 1 && stmt.targets[0].kind === 'tuple' && stmt.value.kind === 'tuple'
        ? stmt.targets[0].elements.map((t, i) => [t, (stmt.value as { elements: Expr[] }).elements[i]])
        : stmt.targets.map((t) => [t, stmt.value]);
    for (const [target, value] of pairs) {
      const read = value && keyRead(value);
      const name = target.kind === 'name' ? target.id : target.kind === 'attribute' ? target.attr : undefined;
      if (read && name) bound.set(name, read.key);
    }
  }
  const record = (key: string, range: SourceRange, required: boolean) => {
    const known = reads.keys.get(key);
    if (known) known.required ||= required;
    else reads.keys.set(key, { key, required, range, names: [], activated: false, integer: false });
    return reads.keys.get(key)!;
  };
  /** The key an expression's value comes from: a read, or a name bound to one (`self.pred` too). */
  const keyOf = (e: Expr): string | undefined => {
    for (let at: Expr | undefined = e; at;) {
      const read = keyRead(at);
      if (read) return read.key;
      if (at.kind === 'name') return bound.get(at.id);
      if (at.kind === 'attribute' && at.object.kind === 'name' && at.object.id === 'self') return bound.get(at.attr);
      // Through methods and indexing of the value: `predict.permute(0, 2, 3, 1)`, `pred[:, 1:]`.
      at =
        at.kind === 'attribute' || at.kind === 'subscript'
          ? at.object
          : at.kind === 'call' && at.func.kind === 'attribute'
            ? at.func.object
            : undefined;
    }
    return undefined;
  };
  const mark = (e: Expr | undefined, change: (read: KeyRead) => void) => {
    const key = e && keyOf(e);
    const read = key === undefined ? undefined : reads.keys.get(key);
    if (read) change(read);
  };
  const calls: Extract<Expr, { kind: 'call' }>[] = [];
  for (const stmt of statements)
    for (const root of statementExpressions(stmt))
      walkExpr(root, (e) => {
        const read = written.has(e) ? undefined : keyRead(e);
        if (read) record(read.key, e.range, read.required && !tested.has(read.key));
        if (e.kind === 'call') calls.push(e);
      });
  for (const [name, key] of bound) {
    const read = reads.keys.get(key);
    if (read && !read.names.includes(name)) read.names.push(name);
  }
  for (const call of calls) {
    const { func } = call;
    const args = call.args.filter((a) => a.kind === 'positional').map((a) => a.value);
    const callee = dottedName(func);
    const last = func.kind === 'attribute' ? func.attr : callee;
    // `F.softmax(pred)` activates its argument; `pred.softmax(1)` the value it is a method of.
    const onValue = func.kind === 'attribute' && keyOf(func.object) !== undefined ? func.object : undefined;
    if (ACTIVATION_CALL.test(last)) mark(onValue ?? args[0], activate);
    if (func.kind === 'call' && ACTIVATION_LAYER.test(dottedName(func.func))) mark(args[0], activate);
    if (last === 'long' || last === 'int') mark(onValue, integer);
    if ((last === 'to' || last === 'type') && args[0] && INTEGER_DTYPE.test(dottedName(args[0])))
      mark(onValue, integer);
    if (/(^|\.)one_hot$/.test(callee)) mark(args[0], integer);
    if (INPUT_TARGET_LOSS.test(callee)) {
      mark(args[0], (r) => (r.slot ??= 'prediction'));
      mark(args[1], (r) => (r.slot ??= 'labels'));
    }
    followCall(call, isMapping, keyOf, resolve, reads, depth);
  }
}

const activate = (read: KeyRead) => {
  read.activated = true;
};
const integer = (read: KeyRead) => {
  read.integer = true;
};

/**
 * A call that hands on the dict (`self.compute(d)`, `helper(**d)`) or values read from it
 * (`self.dice(pred, gt)`): the helper's reads join the loss's, its parameter names name the values.
 */
function followCall(
  call: Extract<Expr, { kind: 'call' }>,
  isMapping: (e: Expr) => boolean,
  keyOf: (e: Expr) => string | undefined,
  resolve: Resolver,
  reads: MappingReads,
  depth: number,
): void {
  const passesMapping = call.args.some((a) => isMapping(a.value));
  const passesKeys = call.args.some((a) => a.kind === 'positional' && keyOf(a.value) !== undefined);
  if (!passesMapping && !passesKeys) return;
  const callee = depth > 0 ? resolve(call.func) : undefined;
  if (!callee) {
    const to = dottedName(call.func);
    if (passesMapping && !HARMLESS.test(to)) reads.handedOn ??= { range: call.range, to: to || 'a call' };
    return;
  }
  const params = positionalNames(callee.def, callee.bound);
  call.args.forEach((arg, i) => {
    if (arg.kind === 'doublestar' && isMapping(arg.value)) {
      // `helper(**d)`: the helper's parameters are the keys, required where they have no default.
      for (const p of callee.def.params.slice(callee.bound ? 1 : 0))
        if (p.kind === 'normal') {
          const known = reads.keys.get(p.name);
          if (known) known.required ||= !p.default;
          else
            reads.keys.set(p.name, {
              key: p.name,
              required: !p.default,
              range: call.range,
              names: [p.name],
              activated: false,
              integer: false,
            });
        }
      return;
    }
    const name = arg.kind === 'keyword' ? arg.name : arg.kind === 'positional' ? params[i] : undefined;
    if (!name) return;
    if (isMapping(arg.value)) readFrame(callee, name, reads, depth - 1);
    else {
      const key = keyOf(arg.value);
      const read = key === undefined ? undefined : reads.keys.get(key);
      if (read && !read.names.includes(name)) read.names.push(name);
    }
  });
}
