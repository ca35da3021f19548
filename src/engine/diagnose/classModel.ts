// What a class says about itself as a loss: the method it is called through (its own or a base's),
// and whether it is abstract (the loss method, or a method it delegates to on self, is left to
// subclasses). Works on a class whose bases are in the same file (AST only) and on a loaded class
// whose bases come from anywhere (the interpreter's PyClass): both resolve method names to defs.
import type { Expr, FunctionDef, Stmt } from '../python/ast';
import { dottedName, statementExpressions, walkExpr, walkStatements } from '../python/walk';

export type ClassStmt = Extract<Stmt, { kind: 'class' }>;

/** The methods a loss class can be called through, in the order a framework looks for them. */
export const CALL_METHODS = ['forward', 'call', '__call__'] as const;

/** A class as far as method lookup goes: `method` follows the bases (the MRO). */
export interface ClassView {
  name: string;
  method(name: string): FunctionDef | undefined;
  /** The name of the class that defines `name` (itself or a base), if any. */
  definedIn(name: string): string | undefined;
}

/** `class A(B, mod.C)` → ['B', 'mod.C']; metaclass and other keywords are left out. */
export function baseNames(stmt: ClassStmt): string[] {
  return stmt.bases.filter((b) => b.kind === 'positional').map((b) => dottedName(b.value));
}

const ownMethods = (stmt: ClassStmt): Map<string, FunctionDef> =>
  new Map(stmt.body.flatMap((s) => (s.kind === 'def' ? [[s.def.name, s.def] as const] : [])));

/** A class of the file whose bases resolve within the file (depth-first, left to right). */
export function astClassView(stmt: ClassStmt, classes: ReadonlyMap<string, ClassStmt>): ClassView {
  const mro: ClassStmt[] = [];
  const visit = (cls: ClassStmt) => {
    if (mro.includes(cls)) return;
    mro.push(cls);
    for (const base of baseNames(cls)) {
      const found = classes.get(base);
      if (found) visit(found);
    }
  };
  visit(stmt);
  const owner = (name: string) => mro.find((cls) => ownMethods(cls).has(name));
  return {
    name: stmt.name,
    method: (name) => {
      const cls = owner(name);
      return cls && ownMethods(cls).get(name);
    },
    definedIn: (name) => owner(name)?.name,
  };
}

/** The first call method a class has, its own or inherited. */
export function callMethodOf(view: ClassView): { name: string; def: FunctionDef } | undefined {
  for (const name of CALL_METHODS) {
    const def = view.method(name);
    if (def) return { name, def };
  }
  return undefined;
}

const isDocstring = (stmt: Stmt) => stmt.kind === 'expr' && stmt.value.kind === 'str';
const isEllipsis = (stmt: Stmt) =>
  stmt.kind === 'expr' && stmt.value.kind === 'const' && stmt.value.value === 'ellipsis';

function raisesNotImplemented(stmt: Stmt): boolean {
  if (stmt.kind !== 'raise' || !stmt.exc) return false;
  const exc: Expr = stmt.exc.kind === 'call' ? stmt.exc.func : stmt.exc;
  return dottedName(exc).split('.').pop() === 'NotImplementedError';
}

const decoratedAbstract = (def: FunctionDef) =>
  def.decorators.some((d) => /(^|\.)abstract(method|property)$/.test(dottedName(d.kind === 'call' ? d.func : d)));

/** A body with nothing but a docstring, `pass` or `...`: a placeholder that returns None. */
function placeholderBody(def: FunctionDef): boolean {
  return def.body.every((s) => isDocstring(s) || isEllipsis(s) || s.kind === 'pass');
}

/** Ends in `raise NotImplementedError` without returning a value on the way. */
function raisesAtEnd(def: FunctionDef): boolean {
  const last = def.body[def.body.length - 1];
  if (!last || !raisesNotImplemented(last)) return false;
  let returns = false;
  walkStatements(def.body, (stmt) => {
    if (stmt.kind === 'return' && stmt.value) returns = true;
  });
  return !returns;
}

/** Methods called on self (self.dice(...)) in a function body. */
function selfCalls(def: FunctionDef): string[] {
  const names: string[] = [];
  walkStatements(def.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if (expr.kind === 'call' && expr.func.kind === 'attribute' && dottedName(expr.func.object) === 'self')
          names.push(expr.func.attr);
      });
    }
  });
  return names;
}

/** A base class by its name (AbstractSegLoss, BaseLoss, _LossBase): its subclasses may live in other files. */
const ABSTRACT_NAME = /^_?(Abstract|Base)|Abstract|Base$/;

/**
 * Why a class cannot be called as it is: its loss method (or a method that method calls on self)
 * raises NotImplementedError, is an @abstractmethod, or is a placeholder that subclasses override.
 * `overridden(name)` says whether a subclass in the file defines `name`.
 */
export function abstractReason(view: ClassView, overridden: (name: string) => boolean): string | undefined {
  const call = callMethodOf(view);
  if (!call) return undefined;
  const verdict = (name: string, def: FunctionDef): string | undefined => {
    if (raisesAtEnd(def)) return `${name} raises NotImplementedError`;
    if (decoratedAbstract(def)) return `${name} is an abstract method`;
    // A placeholder that subclasses override: in the file, or in other files when the name says so.
    if (placeholderBody(def) && (overridden(name) || ABSTRACT_NAME.test(view.name)))
      return `${name} is a placeholder that subclasses override`;
    return undefined;
  };
  const own = verdict(call.name, call.def);
  if (own) return own;
  for (const name of selfCalls(call.def)) {
    const def = view.method(name);
    const reason = def && verdict(name, def);
    if (reason) return reason;
  }
  return undefined;
}

/** Classes of the file that derive from `name` (directly or through other classes of the file). */
export function subclassesOf(name: string, classes: ReadonlyMap<string, ClassStmt>): ClassStmt[] {
  const found: ClassStmt[] = [];
  const derives = (cls: ClassStmt, seen: Set<string>): boolean =>
    baseNames(cls).some(
      (base) =>
        base === name ||
        base.split('.').pop() === name ||
        (classes.has(base) && !seen.has(base) && derives(classes.get(base)!, new Set([...seen, base]))),
    );
  for (const cls of classes.values()) if (cls.name !== name && derives(cls, new Set())) found.push(cls);
  return found;
}

/** Whether a subclass of `name` in the file defines `method` itself. */
export function overriddenInFile(name: string, classes: ReadonlyMap<string, ClassStmt>) {
  const subclasses = subclassesOf(name, classes);
  return (method: string) => subclasses.some((cls) => ownMethods(cls).has(method));
}
