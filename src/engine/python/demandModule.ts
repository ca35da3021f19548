// A project module loaded on demand: nothing of it runs at import. A name is computed the first
// time it is looked up (an import of it, an attribute of the module, a global of one of its
// functions) by running only the top-level statements that bind it. Importing one enum from a large
// package module therefore runs one class statement, not the package; module-level training code
// that binds nothing a loss uses never runs.
import type { Module, Stmt } from './ast';
import { Scope } from './scope';
import { PyList, PyModule, PyTuple, type PyValue } from './values';

export interface ModuleIdentity {
  /** Absolute dotted name (`pkg.sub.mod`). */
  name: string;
  /** The package relative imports start from (`pkg.sub`; the name itself for a package's __init__). */
  package: string;
  file?: string;
}

/** Runs one top-level statement of a module in its global scope (leniently, as a module load does). */
export type StatementRunner = (stmt: Stmt, globals: Scope) => void;

/** Names a top-level statement binds, compound statements included (if/try/with/for at module level). */
export function namesBoundBy(stmt: Stmt): string[] {
  switch (stmt.kind) {
    case 'assign':
      return stmt.targets.flatMap(targetNames);
    case 'annassign':
    case 'augassign':
      return targetNames(stmt.target);
    case 'def':
      return [stmt.def.name];
    case 'class':
      return [stmt.name];
    case 'import':
      return stmt.names.map((n) => n.alias ?? n.module.split('.')[0]);
    case 'importfrom':
      return stmt.names === '*' ? [] : stmt.names.map((n) => n.alias ?? n.name);
    case 'if':
    case 'while':
      return [...stmt.body, ...stmt.orelse].flatMap(namesBoundBy);
    case 'for':
      return [...targetNames(stmt.target), ...[...stmt.body, ...stmt.orelse].flatMap(namesBoundBy)];
    case 'with':
      return stmt.body.flatMap(namesBoundBy);
    case 'try':
      return [...stmt.body, ...stmt.handlers.flatMap((h) => h.body), ...stmt.orelse, ...stmt.finalbody].flatMap(
        namesBoundBy,
      );
    default:
      return [];
  }
}

function targetNames(target: Extract<Stmt, { kind: 'assign' }>['value']): string[] {
  if (target.kind === 'name') return [target.id];
  if (target.kind === 'tuple' || target.kind === 'list') return target.elements.flatMap(targetNames);
  if (target.kind === 'starred') return targetNames(target.value);
  return [];
}

/**
 * The module as a PyModule whose attributes are its global scope, computed on demand.
 * `submodule` finds `name.attr` when no statement binds `attr` (import pkg, then pkg.sub).
 */
export function demandModule(
  ast: Module,
  identity: ModuleIdentity,
  run: StatementRunner,
  submodule: (name: string) => PyValue | undefined,
): PyModule {
  const globals = new Scope(undefined, 'module');
  globals.vars.set('__name__', identity.name);
  globals.vars.set('__package__', identity.package);
  if (identity.file !== undefined) globals.vars.set('__file__', identity.file);
  const binders = new Map<string, Stmt[]>();
  const starImports: Stmt[] = [];
  for (const stmt of ast.body) {
    if (stmt.kind === 'importfrom' && stmt.names === '*') starImports.push(stmt);
    for (const name of namesBoundBy(stmt)) binders.set(name, [...(binders.get(name) ?? []), stmt]);
  }
  const executed = new Set<Stmt>();
  const computing = new Set<string>();
  const runOnce = (stmt: Stmt) => {
    if (executed.has(stmt)) return;
    executed.add(stmt);
    run(stmt, globals);
  };
  const compute = (name: string): PyValue | undefined => {
    if (computing.has(name)) return undefined; // a cycle: Python would see the name unbound too
    computing.add(name);
    try {
      for (const stmt of binders.get(name) ?? []) runOnce(stmt);
      if (!globals.vars.has(name)) starImports.forEach(runOnce);
      return globals.vars.get(name);
    } finally {
      computing.delete(name);
    }
  };
  globals.missingGlobal = compute;
  const publicNames = () => {
    const declared = compute('__all__');
    if (declared instanceof PyList || declared instanceof PyTuple) return declared.items.map(String);
    return [...binders.keys()].filter((name) => !name.startsWith('_'));
  };
  const module = new PyModule(identity.name, globals.vars, (name) => compute(name) ?? submodule(name), publicNames);
  module.initialise = () => ast.body.forEach(runOnce);
  return module;
}
