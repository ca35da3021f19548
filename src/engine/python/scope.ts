import type { PyValue } from './values';

/**
 * A Python namespace. Function scopes chain to the scope they were defined in (closures); class
 * bodies are skipped by lookups from methods, as in Python.
 */
export class Scope {
  readonly vars = new Map<string, PyValue>();
  private globalNames?: Set<string>;
  private nonlocalNames?: Set<string>;
  readonly globals: Scope;
  /**
   * For a module loaded on demand: computes a global that is not bound yet (runs the statements
   * that bind it), so importing one name from a large module does not run the whole module.
   */
  missingGlobal?: (name: string) => PyValue | undefined;
  /** The __qualname__ prefix of what is defined here (`Loss`, `make.<locals>`); none at module level. */
  qualname?: string;

  constructor(
    readonly parent: Scope | undefined,
    readonly kind: 'module' | 'function' | 'class',
  ) {
    this.globals = parent ? parent.globals : this;
  }

  /** The __qualname__ of `name` defined in this scope (Python 3.10+ names functions so in its errors). */
  qualnameOf(name: string): string {
    return this.qualname ? `${this.qualname}.${name}` : name;
  }

  declareGlobal(name: string): void {
    (this.globalNames ??= new Set()).add(name);
  }

  declareNonlocal(name: string): void {
    (this.nonlocalNames ??= new Set()).add(name);
  }

  lookup(name: string): PyValue | undefined {
    if (this.globalNames?.has(name)) return this.globals.vars.get(name) ?? this.globals.missingGlobal?.(name);
    if (this.vars.has(name)) return this.vars.get(name);
    let scope = this.parent;
    while (scope) {
      if (scope.kind !== 'class' && scope.vars.has(name)) return scope.vars.get(name);
      scope = scope.parent;
    }
    return this.globals.missingGlobal?.(name);
  }

  assign(name: string, value: PyValue): void {
    this.targetFor(name).vars.set(name, value);
  }

  delete(name: string): boolean {
    return this.targetFor(name).vars.delete(name);
  }

  private targetFor(name: string): Scope {
    if (this.globalNames?.has(name)) return this.globals;
    if (this.nonlocalNames?.has(name)) {
      let scope = this.parent;
      while (scope && scope.kind !== 'module') {
        if (scope.kind === 'function' && scope.vars.has(name)) return scope;
        scope = scope.parent;
      }
    }
    return this;
  }
}
