// The value an argument expression has where a project calls a loss, as Python source, read from the
// code without running it: literals, containers of them, names assigned earlier in the function or
// the module, parameter defaults, `self.x` set in the class, `args.x` from an argparse default.
// Anything else (a call's result, a loaded config) has no static value: undefined.
import type { Expr, FunctionDef, Module, SourceRange, Stmt } from '../python/ast';
import { dottedName, statementExpressions, textOf, walkExpr, walkStatements } from '../python/walk';

/** Where an expression is: its module, and the function and class around it. */
export interface ExprContext {
  module: Module;
  /** The function the expression is in (its assignments before `at`, its parameters' defaults). */
  def?: FunctionDef;
  /** The class the function belongs to (for self.x). */
  cls?: Extract<Stmt, { kind: 'class' }>;
  /** The line of the expression: assignments after it do not count. */
  at: number;
}

export interface StaticValue {
  /** Python source of the value. */
  text: string;
  /** Where a name's value came from, when the expression was not a literal itself. */
  via?: { line: number; why: string };
}

const MAX_DEPTH = 6;
const BUILTIN_CONVERSIONS = new Set(['dict', 'list', 'tuple', 'set', 'float', 'int', 'str', 'bool', 'frozenset']);

/** The assignments to `name` in a body, in order, not entering nested functions or classes. */
function assignmentsTo(body: readonly Stmt[], name: string, before: number): Expr[] {
  const found: Expr[] = [];
  const visit = (statements: readonly Stmt[]) => {
    for (const stmt of statements) {
      if (stmt.range.line >= before) return;
      if (stmt.kind === 'assign' && stmt.targets.some((t) => t.kind === 'name' && t.id === name))
        found.push(stmt.value);
      if (stmt.kind === 'annassign' && stmt.target.kind === 'name' && stmt.target.id === name && stmt.value)
        found.push(stmt.value);
      if (stmt.kind === 'if' || stmt.kind === 'for' || stmt.kind === 'while') visit([...stmt.body, ...stmt.orelse]);
      else if (stmt.kind === 'with') visit(stmt.body);
      else if (stmt.kind === 'try') visit([...stmt.body, ...stmt.orelse, ...stmt.finalbody]);
    }
  };
  visit(body);
  return found;
}

/** `self.name = value` anywhere in a class's methods. */
function selfAssignment(
  cls: Extract<Stmt, { kind: 'class' }>,
  name: string,
): { value: Expr; def: FunctionDef } | undefined {
  for (const member of cls.body) {
    if (member.kind !== 'def') continue;
    let found: Expr | undefined;
    walkStatements(member.def.body, (stmt) => {
      if (stmt.kind !== 'assign' || found) return;
      if (stmt.targets.some((t) => t.kind === 'attribute' && dottedName(t) === `self.${name}`)) found = stmt.value;
    });
    if (found) return { value: found, def: member.def };
  }
  return undefined;
}

/** `alpha = 0.5` in the class body: what `self.alpha` reads when no method assigns it. */
function classAttribute(
  cls: Extract<Stmt, { kind: 'class' }>,
  name: string,
  context: ExprContext,
  depth: number,
): StaticValue | undefined {
  const assigned = cls.body.find(
    (s): s is Extract<Stmt, { kind: 'assign' }> =>
      s.kind === 'assign' && s.targets.some((t) => t.kind === 'name' && t.id === name),
  );
  if (!assigned) return undefined;
  const value = staticValue(assigned.value, { module: context.module, at: assigned.range.line }, depth + 1);
  return (
    value && { text: value.text, via: value.via ?? { line: assigned.range.line, why: `${name} = ... in the class` } }
  );
}

/** `parser.add_argument("--num_classes", ..., default=4)` anywhere in the module: the default. */
function argparseDefault(module: Module, option: string): { value: Expr; line: number } | undefined {
  let found: { value: Expr; line: number } | undefined;
  walkStatements(module.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (found || expr.kind !== 'call' || dottedName(expr.func).split('.').pop() !== 'add_argument') return;
        const flags = expr.args.flatMap((a) =>
          a.kind === 'positional' && a.value.kind === 'str' ? [stringOf(a.value) ?? ''] : [],
        );
        const dest = expr.args.find((a) => a.kind === 'keyword' && a.name === 'dest');
        const destName =
          dest && dest.kind === 'keyword' && dest.value.kind === 'str' ? stringOf(dest.value) : undefined;
        const names = destName ? [destName] : flags.map((f) => f.replace(/^-+/, '').replace(/-/g, '_'));
        if (!names.includes(option)) return;
        const value = expr.args.find((a) => a.kind === 'keyword' && a.name === 'default');
        if (value && value.kind === 'keyword') found = { value: value.value, line: expr.range.line };
      });
    }
  });
  return found;
}

export function stringOf(expr: Expr): string | undefined {
  return expr.kind === 'str' && expr.parts.every((p) => 'text' in p)
    ? expr.parts.map((p) => ('text' in p ? p.text : '')).join('')
    : undefined;
}

/** The def and class that enclose a line of a module (the innermost def). */
export function contextAt(module: Module, range: SourceRange): ExprContext {
  let def: FunctionDef | undefined;
  let cls: Extract<Stmt, { kind: 'class' }> | undefined;
  const inside = (r: SourceRange) => r.line <= range.line && range.endLine <= r.endLine;
  const visit = (body: readonly Stmt[]) => {
    for (const stmt of body) {
      if (!inside(stmt.range)) continue;
      if (stmt.kind === 'class') {
        cls = stmt;
        visit(stmt.body);
      } else if (stmt.kind === 'def') {
        def = stmt.def;
        visit(stmt.def.body);
      } else if (stmt.kind === 'if' || stmt.kind === 'for' || stmt.kind === 'while')
        visit([...stmt.body, ...stmt.orelse]);
      else if (stmt.kind === 'with') visit(stmt.body);
      else if (stmt.kind === 'try') visit([...stmt.body, ...stmt.handlers.flatMap((h) => h.body), ...stmt.orelse]);
    }
  };
  visit(module.body);
  return { module, def, cls, at: range.line };
}

/** The static value of `expr` in its context, as Python source; undefined when the code does not say. */
export function staticValue(expr: Expr, context: ExprContext, depth = 0): StaticValue | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const { module } = context;
  const sub = (e: Expr, c: ExprContext = context) => staticValue(e, c, depth + 1);
  switch (expr.kind) {
    case 'int':
    case 'float':
    case 'const':
      return { text: textOf(module.source, expr.range) };
    case 'str':
      return stringOf(expr) === undefined ? undefined : { text: textOf(module.source, expr.range) };
    case 'unary': {
      const operand = sub(expr.operand);
      return operand && { text: `${expr.op === 'not' ? 'not ' : expr.op}${operand.text}`, via: operand.via };
    }
    case 'binary': {
      const [left, right] = [sub(expr.left), sub(expr.right)];
      return left && right
        ? { text: `(${left.text} ${expr.op} ${right.text})`, via: left.via ?? right.via }
        : undefined;
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const items = expr.elements.map((e) => sub(e));
      if (items.some((i) => !i) || (expr.kind === 'set' && !items.length)) return undefined;
      const inner = items.map((i) => i!.text).join(', ');
      const text =
        expr.kind === 'list'
          ? `[${inner}]`
          : expr.kind === 'set'
            ? `{${inner}}`
            : `(${inner}${items.length === 1 ? ',' : ''})`;
      return { text, via: items.find((i) => i!.via)?.via };
    }
    case 'dict': {
      const parts: string[] = [];
      let via: StaticValue['via'];
      for (const entry of expr.entries) {
        if ('splat' in entry) return undefined;
        const [key, value] = [sub(entry.key), sub(entry.value)];
        if (!key || !value) return undefined;
        parts.push(`${key.text}: ${value.text}`);
        via ??= value.via;
      }
      return { text: `{${parts.join(', ')}}`, via };
    }
    case 'call': {
      const callee = dottedName(expr.func);
      if (!BUILTIN_CONVERSIONS.has(callee)) return undefined;
      const args: string[] = [];
      for (const a of expr.args) {
        if (a.kind === 'star' || a.kind === 'doublestar') return undefined;
        const value = sub(a.value);
        if (!value) return undefined;
        args.push(a.kind === 'keyword' ? `${a.name}=${value.text}` : value.text);
      }
      return { text: `${callee}(${args.join(', ')})` };
    }
    case 'name':
      return nameValue(expr.id, context, depth);
    case 'attribute':
      return attributeValue(expr, context, depth);
    default:
      return undefined;
  }
}

/** The expression last assigned to a local or global name before the context's line, when there is one. */
export function assignedExpression(name: string, context: ExprContext): Expr | undefined {
  const local = context.def && assignmentsTo(context.def.body, name, context.at).pop();
  return local ?? assignmentsTo(context.module.body, name, Infinity).pop();
}

function nameValue(name: string, context: ExprContext, depth: number): StaticValue | undefined {
  const { module, def, at } = context;
  if (def) {
    const local = assignmentsTo(def.body, name, at).pop();
    if (local) {
      const value = staticValue(local, context, depth + 1);
      return value && { text: value.text, via: value.via ?? { line: local.range.line, why: `${name} = ...` } };
    }
    const param = def.params.find((p) => p.name === name);
    if (param) {
      if (!param.default) return undefined;
      const value = staticValue(param.default, { module, at: def.range.line }, depth + 1);
      return value && { text: value.text, via: value.via ?? { line: def.range.line, why: `${name} defaults to it` } };
    }
  }
  const global = assignmentsTo(module.body, name, Infinity).pop();
  if (!global) return undefined;
  const value = staticValue(global, { module, at: global.range.line }, depth + 1);
  return value && { text: value.text, via: value.via ?? { line: global.range.line, why: `${name} = ...` } };
}

// Keras' tf.keras.losses.Reduction.SUM_OVER_BATCH_SIZE, MONAI's LossReduction.MEAN: string enums
// whose values are their members' names in lower case.
const REDUCTION_MEMBER = /(^|\.)(Loss)?Reduction\.(AUTO|NONE|SUM|MEAN|SUM_OVER_BATCH_SIZE)$/;

function attributeValue(expr: Extract<Expr, { kind: 'attribute' }>, context: ExprContext, depth: number) {
  const { module, cls } = context;
  const object = dottedName(expr.object);
  const reduction = REDUCTION_MEMBER.exec(dottedName(expr));
  if (reduction) return { text: `'${reduction[3].toLowerCase()}'` };
  if (object === 'self' && cls) {
    const assigned = selfAssignment(cls, expr.attr);
    if (!assigned) return classAttribute(cls, expr.attr, context, depth);
    const value = staticValue(
      assigned.value,
      { module, cls, def: assigned.def, at: assigned.value.range.line },
      depth + 1,
    );
    return (
      value && { text: value.text, via: value.via ?? { line: assigned.value.range.line, why: `self.${expr.attr}` } }
    );
  }
  // args.num_classes, opt.n_classes, cfg.alpha: an argparse option's default.
  if (expr.object.kind === 'name') {
    const option = argparseDefault(module, expr.attr);
    if (!option) return undefined;
    const value = staticValue(option.value, { module, at: option.line }, depth + 1);
    return value && { text: value.text, via: { line: option.line, why: `--${expr.attr} defaults to ${value.text}` } };
  }
  return undefined;
}
