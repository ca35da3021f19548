// Read-only walks over the interpreter's AST, for static analysis (context hints, locating code).
import type { Expr, Module, SourceRange, Stmt } from './ast';

export function walkStatements(
  body: readonly Stmt[],
  visit: (stmt: Stmt, enclosingClass?: string, enclosingDef?: string) => void,
  enclosingClass?: string,
  enclosingDef?: string,
): void {
  for (const stmt of body) {
    visit(stmt, enclosingClass, enclosingDef);
    if (stmt.kind === 'def') walkStatements(stmt.def.body, visit, enclosingClass, stmt.def.name);
    else if (stmt.kind === 'class') walkStatements(stmt.body, visit, stmt.name, enclosingDef);
    else if (stmt.kind === 'if' || stmt.kind === 'for' || stmt.kind === 'while')
      walkStatements([...stmt.body, ...stmt.orelse], visit, enclosingClass, enclosingDef);
    else if (stmt.kind === 'with') walkStatements(stmt.body, visit, enclosingClass, enclosingDef);
    else if (stmt.kind === 'try')
      walkStatements(
        [...stmt.body, ...stmt.handlers.flatMap((h) => h.body), ...stmt.orelse, ...stmt.finalbody],
        visit,
        enclosingClass,
        enclosingDef,
      );
  }
}

/** Every expression in a statement (shallow: nested defs are visited as statements). */
export function statementExpressions(stmt: Stmt): Expr[] {
  switch (stmt.kind) {
    case 'expr':
      return [stmt.value];
    case 'assign':
      return [stmt.value, ...stmt.targets];
    case 'annassign':
      return stmt.value ? [stmt.value] : [];
    case 'augassign':
      return [stmt.value];
    case 'return':
      return stmt.value ? [stmt.value] : [];
    case 'if':
    case 'while':
      return [stmt.test];
    case 'for':
      return [stmt.iter];
    case 'with':
      return stmt.items.map((i) => i.context);
    case 'def':
      return stmt.def.decorators;
    case 'class':
      return stmt.bases.map((b) => b.value);
    default:
      return [];
  }
}

export function walkExpr(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  const children: (Expr | undefined)[] = [];
  switch (expr.kind) {
    case 'binary':
      children.push(expr.left, expr.right);
      break;
    case 'unary':
      children.push(expr.operand);
      break;
    case 'boolop':
      children.push(expr.left, expr.right);
      break;
    case 'compare':
      children.push(...expr.operands);
      break;
    case 'call':
      children.push(expr.func, ...expr.args.map((a) => a.value));
      break;
    case 'attribute':
      children.push(expr.object);
      break;
    case 'subscript':
      children.push(expr.object, ...expr.indices);
      break;
    case 'list':
    case 'tuple':
    case 'set':
      children.push(...expr.elements);
      break;
    case 'dict':
      for (const e of expr.entries) children.push(...('splat' in e ? [e.splat] : [e.key, e.value]));
      break;
    case 'ifexp':
      children.push(expr.body, expr.test, expr.orelse);
      break;
    case 'starred':
      children.push(expr.value);
      break;
    case 'lambda':
      children.push(expr.body);
      break;
    case 'comprehension':
      children.push(
        expr.body,
        expr.valueBody,
        ...expr.clauses.flatMap((c) => (c.kind === 'for' ? [c.iter] : [c.test])),
      );
      break;
    case 'walrus':
      children.push(expr.value);
      break;
  }
  for (const child of children) if (child) walkExpr(child, visit);
}

/** `a.b.c` → 'a.b.c'; anything else → ''. */
export function dottedName(expr: Expr): string {
  if (expr.kind === 'name') return expr.id;
  if (expr.kind === 'attribute') {
    const base = dottedName(expr.object);
    return base ? `${base}.${expr.attr}` : '';
  }
  return '';
}

/** The expression of a kind whose range is exactly `range` (a trace entry's), if any. */
export function expressionAt<K extends Expr['kind']>(
  module: Module,
  range: SourceRange,
  kind: K,
): Extract<Expr, { kind: K }> | undefined {
  let found: Extract<Expr, { kind: K }> | undefined;
  walkStatements(module.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (!found && expr.kind === kind && sameRange(expr.range, range)) found = expr as Extract<Expr, { kind: K }>;
      });
    }
  });
  return found;
}

export const callAt = (module: Module, range: SourceRange) => expressionAt(module, range, 'call');

export const sameRange = (a: SourceRange, b: SourceRange) =>
  a.line === b.line && a.column === b.column && a.endLine === b.endLine && a.endColumn === b.endColumn;

/** The source text of a range. */
export function textOf(source: string, range: SourceRange): string {
  const lines = source.split('\n');
  if (range.line === range.endLine) return lines[range.line - 1].slice(range.column - 1, range.endColumn - 1);
  return [
    lines[range.line - 1].slice(range.column - 1),
    ...lines.slice(range.line, range.endLine - 1),
    lines[range.endLine - 1].slice(0, range.endColumn - 1),
  ].join('\n');
}
