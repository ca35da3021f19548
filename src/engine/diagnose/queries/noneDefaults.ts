// Constructors that take their configuration as `params=None` and then read it unguarded
// (`self.beta = params['focaldiceloss_beta']`, PyMIC): the None default only fails later, so the
// parameter is required in practice. A read under a test of the parameter (`if params is None:`,
// `params.get(...) if params else 1`), or after the code replaces it (`params = {}`), leaves it optional.
import type { Expr, FunctionDef, Stmt } from '../../python/ast';
import { statementExpressions, walkExpr, walkStatements } from '../../python/walk';

const mentions = (expr: Expr, name: string) => {
  let found = false;
  walkExpr(expr, (e) => (found ||= e.kind === 'name' && e.id === name));
  return found;
};

const directRead = (e: Expr, name: string) =>
  (e.kind === 'subscript' && e.object.kind === 'name' && e.object.id === name) ||
  (e.kind === 'call' &&
    e.func.kind === 'attribute' &&
    e.func.object.kind === 'name' &&
    e.func.object.id === name &&
    e.func.attr === 'get');

/** Whether an expression reads `name` by key outside a branch of a conditional that tests it. */
function readsUnguarded(expr: Expr, name: string): boolean {
  const guarded = new Set<Expr>();
  walkExpr(expr, (e) => {
    const branches =
      e.kind === 'ifexp' && mentions(e.test, name)
        ? [e.body, e.orelse]
        : e.kind === 'boolop' && mentions(e.left, name)
          ? [e.right]
          : [];
    for (const branch of branches) walkExpr(branch, (inner) => guarded.add(inner));
  });
  let read = false;
  walkExpr(expr, (e) => (read ||= directRead(e, name) && !guarded.has(e)));
  return read;
}

function statementsRead(body: readonly Stmt[], name: string): boolean {
  for (const stmt of body) {
    if ((stmt.kind === 'if' || stmt.kind === 'while') && mentions(stmt.test, name)) continue;
    if (stmt.kind === 'try' || stmt.kind === 'def' || stmt.kind === 'class') continue;
    if (statementExpressions(stmt).some((e) => readsUnguarded(e, name))) return true;
    if (stmt.kind === 'if' || stmt.kind === 'for' || stmt.kind === 'while')
      if (statementsRead([...stmt.body, ...stmt.orelse], name)) return true;
    if (stmt.kind === 'with' && statementsRead(stmt.body, name)) return true;
  }
  return false;
}

/** Whether the function gives the parameter another value (`if params is None: params = {}`). */
function reassigned(body: readonly Stmt[], name: string): boolean {
  let found = false;
  walkStatements(body, (stmt) => {
    if (stmt.kind === 'assign') found ||= stmt.targets.some((t) => t.kind === 'name' && t.id === name);
  });
  return found;
}

/** Parameters defaulting to None that the function reads by key without testing or replacing them first. */
export function requiredNoneDefaults(def: FunctionDef): string[] {
  return def.params
    .filter((p) => p.kind === 'normal' && p.default?.kind === 'const' && p.default.value === null)
    .map((p) => p.name)
    .filter((name) => !reassigned(def.body, name) && statementsRead(def.body, name));
}
