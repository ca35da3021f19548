// Which call sites of a loss's constructor are worth building it from. A script's
// `if __name__ == "__main__":` demo is often stale (nnU-Net's modular UNet builds its loss with a
// soft_dice_kwargs key SoftDiceLoss lost long ago), so call sites in the code the project runs come
// first; and a dict of options the constructor spreads into a class of the same file
// (`SoftDiceLoss(**soft_dice_kwargs)`) must hold only keywords that class takes, or Python raises
// TypeError before the loss ever runs.
import type { Expr, FunctionDef, Module, Stmt } from '../python/ast';
import { dottedName, statementExpressions, walkExpr, walkStatements } from '../python/walk';
import { astClassView, type ClassStmt } from './classModel';
import { stringOf } from './staticValue';

/** `__name__ == "__main__"` (either side). */
function isMainTest(test: Expr): boolean {
  if (test.kind !== 'compare' || test.operands.length !== 2 || test.ops[0] !== '==') return false;
  const [a, b] = test.operands;
  const main = (e: Expr) => stringOf(e) === '__main__';
  const name = (e: Expr) => e.kind === 'name' && e.id === '__name__';
  return (name(a) && main(b)) || (main(a) && name(b));
}

/** The line ranges of a module's top-level `if __name__ == "__main__":` blocks. */
export function mainBlocks(module: Module): { line: number; endLine: number }[] {
  return module.body
    .filter((s): s is Extract<Stmt, { kind: 'if' }> => s.kind === 'if' && isMainTest(s.test))
    .map((s) => ({ line: s.range.line, endLine: s.range.endLine }));
}

/** Whether a line is inside one of the blocks. */
export const insideBlocks = (blocks: readonly { line: number; endLine: number }[], line: number) =>
  blocks.some((b) => line >= b.line && line <= b.endLine);

/** The keywords a class (its __init__) or function of the module takes; `open` with **kwargs. */
function keywordsTaken(module: Module, name: string): { names: Set<string>; open: boolean } | undefined {
  const classes = new Map(module.body.flatMap((s) => (s.kind === 'class' ? [[s.name, s] as const] : [])));
  let def: FunctionDef | undefined;
  const cls = classes.get(name);
  if (cls) def = astClassView(cls, classes as ReadonlyMap<string, ClassStmt>).method('__init__');
  else {
    const stmt = module.body.find((s) => s.kind === 'def' && s.def.name === name);
    def = stmt?.kind === 'def' ? stmt.def : undefined;
  }
  if (!def) return undefined;
  const names = new Set(def.params.filter((p) => p.kind === 'normal').map((p) => p.name));
  return { names, open: def.params.some((p) => p.kind === 'kwargs') };
}

/**
 * The keys of a dict argument `param` that a callee it is spread into (`Callee(**param)`, a class
 * or function of the same file without **kwargs) does not take; empty when all fit or nothing is known.
 */
export function rejectedKeys(module: Module, def: FunctionDef | undefined, param: string, keys: string[]): string[] {
  if (!def) return [];
  const rejected = new Set<string>();
  walkStatements(def.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (expr.kind !== 'call') return;
        const spread = expr.args.some(
          (a) => a.kind === 'doublestar' && a.value.kind === 'name' && a.value.id === param,
        );
        if (!spread) return;
        const taken = keywordsTaken(module, dottedName(expr.func));
        if (!taken || taken.open) return;
        for (const key of keys) if (!taken.names.has(key)) rejected.add(key);
      });
    }
  });
  return [...rejected];
}
