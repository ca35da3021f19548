// Evaluates the interpreter's AST: statements, expressions, calls, classes and closures. Tensor
// semantics live in ops/ and the module tables; this file is plain Python.
import { makeSet } from './sets';
import type {
  Argument,
  CompClause,
  ExceptHandler,
  Expr,
  FunctionDef,
  Module,
  Param,
  SourceRange,
  Stmt,
  StringPart,
} from './ast';
import { getAttribute, setAttribute, deleteAttribute } from './attributes';
import { BUILTINS, exceptionClass, isExceptionClass, makeException, OBJECT_CLASS } from './builtins';
import type { CallSite } from './callsite';
import {
  InterpreterError,
  assertionError,
  moduleNotFoundError,
  nameError,
  pyError,
  runtimeError,
  stackExhausted,
  typeError,
  unsupported,
  valueError,
} from './errors';
import { formatValue } from './formatSpec';
import { getItem, setItem, deleteItem } from './items';
import { type ModuleIdentity, type StatementRunner, demandModule, namesBoundBy } from './demandModule';
import type { ModuleImporter } from './moduleImporter';
import { finishEnumClass, isEnumClass } from './modules/enumModule';
import { importModule, importFrom, isBuiltinRoot, modelModule } from './modules/registry';
import { binary, compare, unary } from './operators';
import { iterate, opaqueError, repr, str, truthy } from './protocols';
import type { Runtime } from './runtime';
import { Scope } from './scope';
import {
  type Args,
  BoundMethod,
  BuiltinFunction,
  ELLIPSIS,
  PyClass,
  PyDict,
  PyFunction,
  PyInstance,
  PyIterator,
  PyList,
  PyModule,
  PyOpaque,
  PySlice,
  PySuper,
  PyTuple,
  type PyValue,
  typeName,
} from './values';

type Completion =
  undefined | { type: 'return'; value: PyValue; range: SourceRange } | { type: 'break' } | { type: 'continue' };

const BREAK: Completion = { type: 'break' };
const CONTINUE: Completion = { type: 'continue' };

/** A note about a module-level statement that was not executed (the rest of the file still loads). */
export interface LoadNote {
  kind: 'skipped' | 'sandbox';
  message: string;
  range: SourceRange;
}

export class Interpreter {
  readonly globals = new Scope(undefined, 'module');
  readonly loadNotes: LoadNote[] = [];
  private depth = 0;
  /** While loading a module, unknown things become opaque instead of failing the whole file. */
  private lenient = false;
  /** How many enclosing `try` blocks catch ImportError (their imports may fail as Python's do). */
  private importGuards = 0;
  /** Finds the project's own modules; without one, every non-framework import is unresolved. */
  importer?: ModuleImporter;
  /** Called after a statement of an imported module ran: its tensors must outlive the evaluation. */
  keepModuleState?: (globals: Scope) => void;

  /** Program-wide framework state (Keras configuration), kept across runtimes. */
  private readonly programState = new Map<string, unknown>();

  constructor(
    readonly module: Module,
    public rt: Runtime,
  ) {
    this.attach(rt);
  }

  /** Rebinds to a fresh runtime (one per evaluation: new trace, new limits clock). */
  attach(rt: Runtime): void {
    this.rt = rt;
    rt.caller = (fn, args, range) => this.call(fn, args, range);
    rt.importer = (name, range) => this.importDotted(name, range, true);
    rt.programState = this.programState;
  }

  site(range: SourceRange): CallSite {
    return { range, rt: this.rt };
  }

  /**
   * Runs the module's top level. Definitions, imports and constants always load; a statement that
   * fails (model construction, data loading, an unsupported call) is skipped with a note and the
   * names it would have bound become opaque.
   */
  load(): void {
    this.lenient = true;
    this.globals.vars.set('__name__', 'loss_lens_module');
    try {
      for (const stmt of this.module.body) {
        try {
          this.exec(stmt, this.globals);
        } catch (error) {
          if (!(error instanceof InterpreterError) || error.kind === 'limit' || error.kind === 'cancelled') throw error;
          this.loadNotes.push({
            kind: error.kind === 'sandbox' ? 'sandbox' : 'skipped',
            message: error.message,
            range: error.range ?? stmt.range,
          });
          for (const name of boundNames(stmt))
            this.globals.assign(name, new PyOpaque(`'${name}' (its definition was skipped: ${error.message})`));
        }
      }
    } finally {
      this.lenient = false;
    }
  }

  // ---------------------------------------------------------------- statements

  execBlock(body: readonly Stmt[], scope: Scope): Completion {
    for (const stmt of body) {
      const completion = this.exec(stmt, scope);
      if (completion) return completion;
    }
    return undefined;
  }

  exec(stmt: Stmt, scope: Scope): Completion {
    this.rt.guard.tick();
    try {
      return this.execInner(stmt, scope);
    } catch (error) {
      throw error instanceof InterpreterError ? error.at(stmt.range) : (stackExhausted(error)?.at(stmt.range) ?? error);
    }
  }

  private execInner(stmt: Stmt, scope: Scope): Completion {
    switch (stmt.kind) {
      case 'expr':
        this.eval(stmt.value, scope);
        return undefined;
      case 'assign': {
        const value = this.eval(stmt.value, scope);
        for (const target of stmt.targets) this.assign(target, value, scope);
        return undefined;
      }
      case 'annassign':
        if (stmt.value) this.assign(stmt.target, this.eval(stmt.value, scope), scope);
        return undefined;
      case 'augassign': {
        const current = this.eval(stmt.target, scope);
        const value = this.eval(stmt.value, scope);
        let result: PyValue;
        if (stmt.op === '+' && current instanceof PyList) {
          const more = [...iterate(value, this.site(stmt.range))]; // list += iterable mutates in place
          this.rt.guard.growCollection('a list', current.items.length + more.length, more.length);
          current.items.push(...more);
          result = current;
        } else {
          result = binary(stmt.op, current, value, this.site(stmt.range));
        }
        this.assign(stmt.target, result, scope);
        return undefined;
      }
      case 'return':
        return { type: 'return', value: stmt.value ? this.eval(stmt.value, scope) : null, range: stmt.range };
      case 'if':
        return truthy(this.eval(stmt.test, scope))
          ? this.execBlock(stmt.body, scope)
          : this.execBlock(stmt.orelse, scope);
      case 'for': {
        const iterable = this.eval(stmt.iter, scope);
        for (const item of iterate(iterable, this.site(stmt.iter.range))) {
          this.rt.guard.loopIteration();
          this.assign(stmt.target, item, scope);
          const completion = this.execBlock(stmt.body, scope);
          if (completion === BREAK || completion?.type === 'break') return undefined;
          if (completion?.type === 'return') return completion;
        }
        return this.execBlock(stmt.orelse, scope);
      }
      case 'while': {
        while (truthy(this.eval(stmt.test, scope))) {
          this.rt.guard.loopIteration();
          const completion = this.execBlock(stmt.body, scope);
          if (completion?.type === 'break') return undefined;
          if (completion?.type === 'return') return completion;
        }
        return this.execBlock(stmt.orelse, scope);
      }
      case 'def': {
        let fn: PyValue = this.makeFunction(stmt.def, scope);
        for (const decorator of [...stmt.def.decorators].reverse()) fn = this.decorate(decorator, fn, scope);
        scope.assign(stmt.def.name, fn);
        return undefined;
      }
      case 'class':
        scope.assign(stmt.name, this.makeClass(stmt, scope));
        return undefined;
      case 'import':
        for (const { module, alias } of stmt.names) {
          const imported = this.importDotted(module, stmt.range);
          if (alias) scope.assign(alias, imported.leaf);
          else scope.assign(module.split('.')[0], imported.root);
        }
        return undefined;
      case 'importfrom':
        this.importNames(stmt, scope);
        return undefined;
      case 'pass':
        return undefined;
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'assert': {
        const test = this.eval(stmt.test, scope);
        if (isUnresolved(test)) return undefined; // a check built from an unresolved import: not ours to run
        if (!truthy(test)) {
          const message = stmt.msg ? str(this.eval(stmt.msg, scope)) : '';
          throw assertionError(message, stmt.range);
        }
        return undefined;
      }
      case 'raise':
        throw this.raise(stmt.exc ? this.eval(stmt.exc, scope) : null, stmt.range);
      case 'global':
        stmt.names.forEach((n) => scope.declareGlobal(n));
        return undefined;
      case 'nonlocal':
        stmt.names.forEach((n) => scope.declareNonlocal(n));
        return undefined;
      case 'del':
        for (const target of stmt.targets) this.delete(target, scope);
        return undefined;
      case 'with':
        return this.execWith(stmt.items, stmt.body, scope);
      case 'try':
        return this.execTry(stmt, scope);
      case 'print':
        for (const arg of stmt.args) this.eval(arg, scope); // evaluated for errors, output ignored
        return undefined;
      case 'unsupported':
        throw unsupported(stmt.what, stmt.range);
    }
  }

  // ---------------------------------------------------------------- imports

  /**
   * `import a.b.c`: the root (bound without an alias) and the leaf (bound to the alias). Framework
   * modules come from the tables; everything else from the project (its files, extra paths and
   * environment), and what nothing provides is an unresolved value that degrades.
   */
  private importDotted(dotted: string, range: SourceRange, dynamic = false): { root: PyValue; leaf: PyValue } {
    const rootName = dotted.split('.')[0];
    if (isBuiltinRoot(rootName)) return importModule(dotted, range);
    const missing = (name: string) => this.unresolved(name, name, range, dynamic);
    const root = this.importer?.find(rootName, range) ?? modelOf(rootName, range) ?? missing(rootName);
    if (dotted === rootName) return { root, leaf: root };
    return { root, leaf: this.importer?.find(dotted, range) ?? missing(dotted) };
  }

  /**
   * What nothing provides. Inside `try: … except ImportError:` (or any handler that catches it), and
   * for `__import__`/importlib, Python's ModuleNotFoundError, so the code's own fallback runs;
   * elsewhere a value that degrades (decorators, bases, checks tolerated).
   */
  private unresolved(name: string, module: string, range: SourceRange, dynamic = false): PyValue {
    if (dynamic || this.importGuards > 0) throw moduleNotFoundError(`No module named '${module}'`, range);
    return unresolvedImport(name, module, range);
  }

  /** `from m import a, b` / `from .m import *`, relative to the importing module's package. */
  private importNames(stmt: Extract<Stmt, { kind: 'importfrom' }>, scope: Scope): void {
    const absolute = stmt.level > 0 ? relativeModule(stmt, scope) : stmt.module;
    const builtin = absolute !== undefined && isBuiltinRoot(absolute.split('.')[0]);
    const module =
      absolute === undefined || builtin
        ? undefined
        : (this.importer?.find(absolute, stmt.range) ?? modelOf(absolute, stmt.range));
    const member = (name: string): PyValue => {
      if (absolute === undefined) return this.unresolved(name, `${'.'.repeat(stmt.level)}${stmt.module}`, stmt.range);
      if (builtin) return importFrom(absolute, name, stmt.range);
      const value = module && moduleMember(module, name);
      const submodule = value === undefined ? this.importer?.find(`${absolute}.${name}`, stmt.range) : undefined;
      return value ?? submodule ?? this.unresolved(name, absolute, stmt.range);
    };
    if (stmt.names === '*') {
      if (builtin) {
        const all = importModule(absolute, stmt.range).leaf;
        if (all instanceof PyModule)
          for (const [name, value] of all.attrs) if (!name.startsWith('_')) scope.assign(name, value);
      } else if (module) {
        const names = module.publicNames?.() ?? [...module.attrs.keys()].filter((n) => !n.startsWith('_'));
        for (const name of names) scope.assign(name, member(name));
      }
      return;
    }
    for (const { name, alias } of stmt.names) {
      const value = member(name);
      scope.assign(alias ?? name, value);
    }
  }

  /** The module being diagnosed: its package, so that its relative imports resolve. */
  setPackage(pkg: string): void {
    this.globals.vars.set('__package__', pkg);
  }

  /** A project module parsed from its file, loaded on demand (see demandModule.ts). */
  loadOnDemand(ast: Module, identity: ModuleIdentity, submodule: (name: string) => PyValue | undefined): PyModule {
    return demandModule(ast, identity, this.runModuleStatement, submodule);
  }

  /** One top-level statement of an imported module, run as a module load runs them (leniently). */
  private readonly runModuleStatement: StatementRunner = (stmt, globals) => {
    const wasLenient = this.lenient;
    this.lenient = true;
    try {
      this.exec(stmt, globals);
      this.keepModuleState?.(globals);
    } catch (error) {
      if (!(error instanceof InterpreterError) || error.kind === 'limit' || error.kind === 'cancelled') throw error;
      for (const name of namesBoundBy(stmt))
        if (!globals.vars.has(name))
          globals.assign(name, new PyOpaque(`'${name}' (its definition was skipped: ${error.message})`));
    } finally {
      this.lenient = wasLenient;
    }
  };

  private execWith(items: { context: Expr; target?: Expr }[], body: Stmt[], scope: Scope): Completion {
    const exits: (() => void)[] = [];
    let endsEvaluation = false;
    try {
      for (const item of items) {
        const context = this.eval(item.context, scope);
        // Python looks __enter__ up on the type: a class itself (`with torch.no_grad:`) has none.
        if (context instanceof PyClass)
          throw typeError("'type' object does not support the context manager protocol", item.context.range);
        const enter = this.optionalAttribute(context, '__enter__', item.context.range);
        const entered = enter ? this.call(enter, { positional: [], keywords: new Map() }, item.context.range) : context;
        const exit = this.optionalAttribute(context, '__exit__', item.context.range);
        if (exit)
          exits.push(() =>
            this.call(exit, { positional: [null, null, null], keywords: new Map() }, item.context.range),
          );
        if (item.target) this.assign(item.target, entered, scope);
      }
      return this.execBlock(body, scope);
    } catch (error) {
      // As for finally: the code's __exit__ does not run for limits, cancellation and sandbox refusals.
      endsEvaluation = !(error instanceof InterpreterError) || error.kind !== 'python';
      throw error;
    } finally {
      if (!endsEvaluation) for (const exit of exits.reverse()) exit();
    }
  }

  private execTry(stmt: Extract<Stmt, { kind: 'try' }>, scope: Scope): Completion {
    let completion: Completion;
    try {
      completion = this.execTryBody(stmt, scope);
    } catch (error) {
      // Limits, cancellation and sandbox refusals end the evaluation: the code's `finally` does not
      // run for them (a `return` there would discard them; a call there would hit the limit again).
      if (!(error instanceof InterpreterError) || error.kind !== 'python') throw error;
      const final = this.execBlock(stmt.finalbody, scope);
      if (final) return final;
      throw error;
    }
    return this.execBlock(stmt.finalbody, scope) ?? completion;
  }

  /** The try block, its handlers and its else block (the finally block is execTry's). */
  private execTryBody(stmt: Extract<Stmt, { kind: 'try' }>, scope: Scope): Completion {
    let completion: Completion;
    const guardsImports = stmt.handlers.some(catchesImportError);
    try {
      if (guardsImports) this.importGuards++;
      try {
        completion = this.execBlock(stmt.body, scope);
      } finally {
        if (guardsImports) this.importGuards--;
      }
    } catch (error) {
      // Only Python-level exceptions are catchable; limits, sandbox refusals and unsupported
      // constructs always end the evaluation.
      if (!(error instanceof InterpreterError) || error.kind !== 'python') throw error;
      const handler = stmt.handlers.find(
        (h) => !h.type || this.handlerMatches(this.eval(h.type, scope), error.pyType ?? 'Exception'),
      );
      if (!handler) throw error;
      if (handler.name)
        scope.assign(
          handler.name,
          makeException(exceptionClass(error.pyType ?? 'Exception'), error.message.replace(/^\w+: /, '')),
        );
      return this.execBlock(handler.body, scope);
    }
    return completion ?? this.execBlock(stmt.orelse, scope);
  }

  private handlerMatches(type: PyValue, pyType: string): boolean {
    if (type instanceof PyTuple) return type.items.some((t) => this.handlerMatches(t, pyType));
    if (type instanceof PyClass) return exceptionClass(pyType).isSubclassOf(type);
    return false;
  }

  private raise(value: PyValue, range: SourceRange): InterpreterError {
    if (value instanceof PyClass && isExceptionClass(value))
      value = this.call(value, { positional: [], keywords: new Map() }, range);
    if (value instanceof PyInstance && isExceptionClass(value.cls)) {
      const message = str(value);
      return pyError(value.cls.name, message || undefined, range);
    }
    if (value === null) return runtimeError('No active exception to reraise', range);
    return typeError('exceptions must derive from BaseException', range);
  }

  // ---------------------------------------------------------------- assignment

  assign(target: Expr, value: PyValue, scope: Scope): void {
    switch (target.kind) {
      case 'name':
        scope.assign(target.id, value);
        return;
      case 'tuple':
      case 'list':
        this.unpack(target.elements, value, scope, target.range);
        return;
      case 'attribute':
        setAttribute(this.eval(target.object, scope), target.attr, value, this.site(target.range));
        return;
      case 'subscript':
        setItem(this.eval(target.object, scope), this.subscriptIndex(target, scope), value, this.site(target.range));
        return;
      case 'starred':
        throw typeError('starred assignment target must be in a list or tuple', target.range);
      default:
        throw new InterpreterError('syntax', `cannot assign to ${target.kind}`, target.range);
    }
  }

  private unpack(targets: Expr[], value: PyValue, scope: Scope, range: SourceRange): void {
    const items = [...iterate(value, this.site(range))];
    const starIndex = targets.findIndex((t) => t.kind === 'starred');
    if (starIndex < 0) {
      if (items.length !== targets.length) {
        const problem = items.length > targets.length ? 'too many values to unpack' : 'not enough values to unpack';
        throw valueError(`${problem} (expected ${targets.length}, got ${items.length})`, range);
      }
      targets.forEach((t, i) => this.assign(t, items[i], scope));
      return;
    }
    const after = targets.length - starIndex - 1;
    if (items.length < targets.length - 1) throw valueError(`not enough values to unpack`, range);
    targets.slice(0, starIndex).forEach((t, i) => this.assign(t, items[i], scope));
    const star = targets[starIndex] as Extract<Expr, { kind: 'starred' }>;
    this.assign(star.value, new PyList(items.slice(starIndex, items.length - after)), scope);
    targets.slice(starIndex + 1).forEach((t, i) => this.assign(t, items[items.length - after + i], scope));
  }

  private delete(target: Expr, scope: Scope): void {
    if (target.kind === 'name') {
      if (!scope.delete(target.id)) throw nameError(`name '${target.id}' is not defined`, target.range);
    } else if (target.kind === 'subscript') {
      deleteItem(this.eval(target.object, scope), this.subscriptIndex(target, scope), this.site(target.range));
    } else if (target.kind === 'attribute') {
      deleteAttribute(this.eval(target.object, scope), target.attr, this.site(target.range));
    } else if (target.kind === 'tuple' || target.kind === 'list') {
      target.elements.forEach((t) => this.delete(t, scope));
    } else {
      throw new InterpreterError('syntax', `cannot delete ${target.kind}`, target.range);
    }
  }

  // ---------------------------------------------------------------- expressions

  eval(expr: Expr, scope: Scope): PyValue {
    try {
      return this.evalInner(expr, scope);
    } catch (error) {
      throw error instanceof InterpreterError ? error.at(expr.range) : (stackExhausted(error)?.at(expr.range) ?? error);
    }
  }

  private evalInner(expr: Expr, scope: Scope): PyValue {
    switch (expr.kind) {
      case 'name': {
        const value = scope.lookup(expr.id);
        if (value !== undefined) return value;
        const builtin = BUILTINS.get(expr.id);
        if (builtin !== undefined) return builtin;
        throw nameError(`name '${expr.id}' is not defined`, expr.range);
      }
      case 'int':
        return expr.value;
      case 'float':
        return expr.value;
      case 'const':
        return expr.value === 'ellipsis' ? ELLIPSIS : expr.value;
      case 'str':
        return this.evalString(expr.parts, scope, expr.range);
      case 'binary':
        return binary(expr.op, this.eval(expr.left, scope), this.eval(expr.right, scope), this.site(expr.range));
      case 'unary': {
        const operand = this.eval(expr.operand, scope);
        if (expr.op === 'not') return !truthy(operand);
        return unary(expr.op, operand, this.site(expr.range));
      }
      case 'boolop': {
        const left = this.eval(expr.left, scope);
        if (expr.op === 'and') return truthy(left) ? this.eval(expr.right, scope) : left;
        return truthy(left) ? left : this.eval(expr.right, scope);
      }
      case 'compare': {
        let left = this.eval(expr.operands[0], scope);
        let result: PyValue = true;
        for (let i = 0; i < expr.ops.length; i++) {
          const right = this.eval(expr.operands[i + 1], scope);
          result = compare(expr.ops[i], left, right, this.site(expr.range));
          if (expr.ops.length > 1 && !truthy(result)) return result;
          left = right;
        }
        return result;
      }
      case 'call':
        return this.evalCall(expr, scope);
      case 'attribute': {
        const object = this.eval(expr.object, scope);
        return this.getAttr(object, expr.attr, expr.range);
      }
      case 'subscript':
        return getItem(this.eval(expr.object, scope), this.subscriptIndex(expr, scope), this.site(expr.range));
      case 'slice':
        return new PySlice(
          expr.start ? this.eval(expr.start, scope) : null,
          expr.stop ? this.eval(expr.stop, scope) : null,
          expr.step ? this.eval(expr.step, scope) : null,
        );
      case 'list':
        return new PyList(this.evalElements(expr.elements, scope, 'a list'));
      case 'tuple':
        return new PyTuple(this.evalElements(expr.elements, scope, 'a tuple'));
      case 'set':
        return makeSet(this.evalElements(expr.elements, scope, 'a set'), { range: expr.range, rt: this.rt });
      case 'starred':
        throw typeError("can't use starred expression here", expr.range);
      case 'dict': {
        const dict = new PyDict();
        for (const entry of expr.entries) {
          if ('splat' in entry) {
            const other = this.eval(entry.splat, scope);
            if (!(other instanceof PyDict))
              throw typeError(`'${typeName(other)}' object is not a mapping`, entry.splat.range);
            this.rt.guard.growCollection('a dict', dict.entries.size + other.entries.size, other.entries.size);
            for (const [k, v] of other.entries.values()) dict.set(k, v);
          } else {
            dict.set(this.eval(entry.key, scope), this.eval(entry.value, scope));
          }
        }
        return dict;
      }
      case 'comprehension':
        return this.evalComprehension(expr, scope);
      case 'lambda':
        return new PyFunction(
          '<lambda>',
          expr.params,
          this.evalDefaults(expr.params, scope),
          { kind: 'lambda', expr: expr.body },
          scope,
          expr.range,
        );
      case 'ifexp':
        return truthy(this.eval(expr.test, scope)) ? this.eval(expr.body, scope) : this.eval(expr.orelse, scope);
      case 'walrus': {
        const value = this.eval(expr.value, scope);
        scope.assign(expr.target, value);
        return value;
      }
      case 'unsupported':
        throw unsupported(expr.what, expr.range);
    }
  }

  /** The items of a display (`what`: "a tuple"); unpacked iterables are checked before they are added. */
  private evalElements(elements: Expr[], scope: Scope, what: string): PyValue[] {
    const out: PyValue[] = [];
    for (const element of elements) {
      if (element.kind === 'starred') {
        const more = [...iterate(this.eval(element.value, scope), this.site(element.range))];
        this.rt.guard.growCollection(what, out.length + more.length, more.length);
        out.push(...more);
      } else out.push(this.eval(element, scope));
    }
    return out;
  }

  private evalString(parts: StringPart[], scope: Scope, range: SourceRange): string {
    let out = '';
    for (const part of parts) {
      if ('text' in part) {
        out += part.text;
        continue;
      }
      let value = this.eval(part.expr, scope);
      if (part.conversion === 'r') value = repr(value);
      else if (part.conversion === 's') value = str(value);
      out += formatValue(value, part.format ?? '', range);
    }
    return out;
  }

  private subscriptIndex(expr: Extract<Expr, { kind: 'subscript' }>, scope: Scope): PyValue {
    const values = expr.indices.map((i) => this.eval(i, scope));
    return expr.isTuple ? new PyTuple(values) : values[0];
  }

  private evalComprehension(expr: Extract<Expr, { kind: 'comprehension' }>, outer: Scope): PyValue {
    // Comprehensions get their own scope, as in Python 3 (the loop variable does not leak).
    const scope = new Scope(outer, 'function');
    const results: PyValue[] = [];
    const dict = expr.type === 'dict' ? new PyDict() : undefined;
    const run = (clauses: CompClause[], index: number): void => {
      if (index === clauses.length) {
        if (dict) dict.set(this.eval(expr.body, scope), this.eval(expr.valueBody!, scope));
        else results.push(this.eval(expr.body, scope));
        const what = dict ? 'a dict' : expr.type === 'set' ? 'a set' : 'a list';
        this.rt.guard.growCollection(what, dict ? dict.entries.size : results.length, 1);
        return;
      }
      const clause = clauses[index];
      if (clause.kind === 'if') {
        if (truthy(this.eval(clause.test, scope))) run(clauses, index + 1);
        return;
      }
      for (const item of iterate(this.eval(clause.iter, scope), this.site(clause.iter.range))) {
        this.rt.guard.loopIteration();
        this.assign(clause.target, item, scope);
        run(clauses, index + 1);
      }
    };
    run(expr.clauses, 0);
    if (dict) return dict;
    if (expr.type === 'generator') {
      let i = 0;
      return new PyIterator(() => (i < results.length ? { done: false, value: results[i++] } : { done: true }));
    }
    return new PyList(results);
  }

  getAttr(object: PyValue, name: string, range: SourceRange): PyValue {
    if (object instanceof PyOpaque && (this.lenient || object.unresolved) && !object.refused)
      return new PyOpaque(`${object.description}.${name}`, undefined, object.unresolved);
    return getAttribute(object, name, this.site(range));
  }

  private optionalAttribute(object: PyValue, name: string, range: SourceRange): PyValue | undefined {
    try {
      return this.getAttr(object, name, range);
    } catch (error) {
      if (error instanceof InterpreterError && (error.pyType === 'AttributeError' || error.kind === 'unsupported'))
        return undefined;
      throw error;
    }
  }

  // ---------------------------------------------------------------- calls

  private evalCall(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): PyValue {
    const fn = this.eval(expr.func, scope);
    const args = this.evalArguments(expr.args, scope);
    if (fn === BUILTINS.get('super')) {
      if (args.positional.length === 2 && args.positional[0] instanceof PyClass)
        return new PySuper(args.positional[1], args.positional[0]);
      return this.makeSuper(scope, expr.range);
    }
    return this.call(fn, args, expr.range);
  }

  evalArguments(argList: Argument[], scope: Scope): Args {
    const positional: PyValue[] = [];
    const keywords = new Map<string, PyValue>();
    for (const arg of argList) {
      switch (arg.kind) {
        case 'positional':
          positional.push(this.eval(arg.value, scope));
          break;
        case 'keyword':
          if (keywords.has(arg.name))
            throw new InterpreterError('syntax', `keyword argument repeated: ${arg.name}`, arg.value.range);
          keywords.set(arg.name, this.eval(arg.value, scope));
          break;
        case 'star':
          positional.push(...iterate(this.eval(arg.value, scope), this.site(arg.value.range)));
          break;
        case 'doublestar': {
          const mapping = this.eval(arg.value, scope);
          if (!(mapping instanceof PyDict))
            throw typeError(`argument after ** must be a mapping, not ${typeName(mapping)}`, arg.value.range);
          for (const [k, v] of mapping.entries.values()) keywords.set(String(k), v);
          break;
        }
      }
    }
    return { positional, keywords };
  }

  call(fn: PyValue, args: Args, range: SourceRange): PyValue {
    if (fn instanceof BuiltinFunction) {
      try {
        return fn.impl(args, this.site(range));
      } catch (error) {
        throw error instanceof InterpreterError ? error.at(range) : error;
      }
    }
    if (fn instanceof PyFunction) return this.callFunction(fn, args, range);
    if (fn instanceof BoundMethod)
      return this.call(fn.func, { positional: [fn.self, ...args.positional], keywords: args.keywords }, range);
    if (fn instanceof PyClass) return this.instantiate(fn, args, range);
    if (fn instanceof PyInstance) {
      const callMethod = fn.cls.lookup('__call__');
      if (callMethod === undefined) throw typeError(`'${fn.cls.name}' object is not callable`, range);
      return this.call(new BoundMethod(fn, callMethod as PyFunction | BuiltinFunction), args, range);
    }
    if (fn instanceof PyOpaque) {
      if ((this.lenient || fn.unresolved) && !fn.refused)
        return new PyOpaque(`the result of calling ${fn.description}`, undefined, fn.unresolved);
      throw opaqueError(fn).at(range);
    }
    throw typeError(`'${typeName(fn)}' object is not callable`, range);
  }

  private instantiate(cls: PyClass, args: Args, range: SourceRange): PyValue {
    const factory = cls.lookup('__new__');
    if (factory instanceof BuiltinFunction)
      return this.call(factory, { positional: [cls, ...args.positional], keywords: args.keywords }, range);
    const instance = new PyInstance(cls);
    const init = cls.lookup('__init__');
    if (init !== undefined) {
      const result = this.call(new BoundMethod(instance, init as PyFunction | BuiltinFunction), args, range);
      if (result !== null) throw typeError('__init__() should return None', range);
    } else if (args.positional.length || args.keywords.size) {
      throw typeError(`${cls.name}() takes no arguments`, range);
    }
    return instance;
  }

  private callFunction(fn: PyFunction, args: Args, range: SourceRange): PyValue {
    if (++this.depth > this.rt.guard.limits.maxRecursionDepth) {
      this.depth--;
      throw new InterpreterError(
        'limit',
        `limit: maximum recursion depth ${this.rt.guard.limits.maxRecursionDepth} exceeded`,
        range,
      );
    }
    this.rt.callStack.push(range);
    try {
      this.rt.guard.tick(); // a lambda's body is no statement: calls count too (sorted(key=lambda …) of many items)
      const scope = new Scope(fn.closure, 'function');
      scope.qualname = `${fn.qualname ?? fn.name}.<locals>`;
      this.bindParameters(fn, args, scope, range);
      if (fn.definingClass) scope.vars.set('__class__', fn.definingClass);
      if (fn.body.kind === 'lambda') return this.eval(fn.body.expr, scope);
      const completion = this.execBlock(fn.body.def.body, scope);
      if (completion?.type !== 'return') return null;
      this.rt.lastReturn = { fn, range: completion.range };
      return completion.value;
    } finally {
      this.depth--;
      this.rt.callStack.pop();
    }
  }

  private bindParameters(fn: PyFunction, args: Args, scope: Scope, range: SourceRange): void {
    const positional = [...args.positional];
    const keywords = new Map(args.keywords);
    let keywordOnly = false;
    let kwargsName: string | undefined;
    const missing: string[] = [];
    const missingKeywordOnly: string[] = [];
    for (const param of fn.params) {
      if (param.kind === 'posonly-marker') continue;
      if (param.kind === 'kwonly-marker') {
        keywordOnly = true;
        continue;
      }
      if (param.kind === 'varargs') {
        scope.vars.set(param.name, new PyTuple(positional.splice(0)));
        keywordOnly = true;
        continue;
      }
      if (param.kind === 'kwargs') {
        kwargsName = param.name;
        continue;
      }
      if (!keywordOnly && positional.length) {
        if (keywords.has(param.name))
          throw typeError(`${fn.qualname ?? fn.name}() got multiple values for argument '${param.name}'`, range);
        scope.vars.set(param.name, positional.shift()!);
      } else if (keywords.has(param.name)) {
        scope.vars.set(param.name, keywords.get(param.name)!);
        keywords.delete(param.name);
      } else if (fn.defaults.has(param.name)) {
        scope.vars.set(param.name, fn.defaults.get(param.name)!);
      } else {
        (keywordOnly ? missingKeywordOnly : missing).push(param.name);
      }
    }
    // CPython's order: too many positional arguments, an unexpected keyword, then what is missing.
    if (positional.length) throw typeError(tooManyPositional(fn, args.positional.length), range);
    if (kwargsName) {
      const dict = new PyDict();
      for (const [k, v] of keywords) dict.set(k, v);
      scope.vars.set(kwargsName, dict);
    } else if (keywords.size) {
      throw typeError(
        `${fn.qualname ?? fn.name}() got an unexpected keyword argument '${keywords.keys().next().value}'`,
        range,
      );
    }
    if (missing.length) throw typeError(missingArguments(fn, missing, 'positional'), range);
    if (missingKeywordOnly.length) throw typeError(missingArguments(fn, missingKeywordOnly, 'keyword-only'), range);
  }

  private evalDefaults(params: Param[], scope: Scope): Map<string, PyValue> {
    const defaults = new Map<string, PyValue>();
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default, scope));
    return defaults;
  }

  makeFunction(def: FunctionDef, scope: Scope): PyFunction {
    const fn = new PyFunction(
      def.name,
      def.params,
      this.evalDefaults(def.params, scope),
      { kind: 'block', def },
      scope,
      def.range,
    );
    fn.qualname = scope.qualnameOf(def.name);
    return fn;
  }

  private makeClass(stmt: Extract<Stmt, { kind: 'class' }>, scope: Scope): PyClass {
    const args = this.evalArguments(stmt.bases, scope);
    const bases: PyClass[] = [];
    let unresolvedBase = false;
    let mixin: 'str' | 'int' | undefined;
    for (const base of args.positional) {
      if (base instanceof PyClass) bases.push(base);
      else if (isUnresolved(base)) unresolvedBase = true;
      else if (base === BUILTINS.get('str') || base === BUILTINS.get('int'))
        mixin ??= (base as BuiltinFunction).name as 'str' | 'int';
      else if (base instanceof PyOpaque) throw opaqueError(base).at(stmt.range);
      else throw typeError(`class base must be a class, not ${typeName(base)}`, stmt.range);
    }
    // A base from an uninstalled package (mmengine's BaseModule…): a class with forward() is a
    // torch module; otherwise the base only contributed what the class does not use.
    const definesForward = stmt.body.some((s) => s.kind === 'def' && s.def.name === 'forward');
    if (unresolvedBase && definesForward && !bases.length) {
      const module = importFrom('torch.nn', 'Module', stmt.range);
      if (module instanceof PyClass) bases.push(module);
    }
    if (!bases.length) bases.push(OBJECT_CLASS);
    const body = new Scope(scope, 'class');
    body.qualname = scope.qualnameOf(stmt.name);
    const completion = this.execBlock(stmt.body, body);
    if (completion) throw new InterpreterError('syntax', `'${completion.type}' outside function`, stmt.range);
    const cls = new PyClass(stmt.name, bases, body.vars, stmt.range);
    if (isEnumClass(cls)) finishEnumClass(cls, mixin);
    for (const value of body.vars.values()) {
      const fn =
        value instanceof PyFunction
          ? value
          : value instanceof PyInstance && value.native instanceof PyFunction
            ? value.native
            : undefined;
      if (fn) fn.definingClass = cls;
    }
    let result: PyValue = cls;
    for (const decorator of [...stmt.decorators].reverse()) result = this.decorate(decorator, result, scope);
    if (!(result instanceof PyClass)) throw unsupported('class decorators that do not return the class', stmt.range);
    return result;
  }

  /**
   * Applies a decorator. One from an unresolved import (a registry's register_module(), amp's
   * custom_fwd) leaves the function or class as it is: what such decorators return is the object.
   */
  private decorate(decorator: Expr, target: PyValue, scope: Scope): PyValue {
    const fn = this.eval(decorator, scope);
    if (isUnresolved(fn)) return target;
    const result = this.call(fn, { positional: [target], keywords: new Map() }, decorator.range);
    return isUnresolved(result) ? target : result;
  }

  /** super() inside a method: the proxy that looks up attributes after the defining class. */
  makeSuper(scope: Scope, range: SourceRange): PySuper {
    const cls = scope.lookup('__class__');
    if (!(cls instanceof PyClass)) throw runtimeError('super(): no arguments outside a method', range);
    return new PySuper(firstArgument(scope), cls);
  }
}

function firstArgument(scope: Scope): PyValue {
  const first = scope.vars.values().next();
  return first.done ? null : first.value;
}

/** Names a statement binds at module level (for opaque placeholders when it fails). */
function boundNames(stmt: Stmt): string[] {
  const fromTarget = (t: Expr): string[] => {
    if (t.kind === 'name') return [t.id];
    if (t.kind === 'tuple' || t.kind === 'list') return t.elements.flatMap(fromTarget);
    if (t.kind === 'starred') return fromTarget(t.value);
    return [];
  };
  switch (stmt.kind) {
    case 'assign':
      return stmt.targets.flatMap(fromTarget);
    case 'annassign':
    case 'augassign':
      return fromTarget(stmt.target);
    case 'def':
      return [stmt.def.name];
    case 'class':
      return [stmt.name];
    case 'import':
      return stmt.names.map((n) => n.alias ?? n.module.split('.')[0]);
    case 'importfrom':
      return stmt.names === '*' ? [] : stmt.names.map((n) => n.alias ?? n.name);
    case 'for':
      return fromTarget(stmt.target);
    default:
      return [];
  }
}

/** A value from an import nothing provides: tolerated until it reaches the loss's computation. */
function unresolvedImport(name: string, module: string, range: SourceRange): PyOpaque {
  return new PyOpaque(name === module ? `module ${module}` : `${module}.${name}`, undefined, {
    module,
    line: range.line,
    ...(range.file === undefined ? {} : { file: range.file }),
  });
}

/**
 * The model of a library nothing on the project's paths provides (cv2): its other names are what the
 * unresolved import would have bound (`module cv2.imread`, from the import's line).
 */
function modelOf(module: string, range: SourceRange): PyModule | undefined {
  const unresolved = unresolvedImport(module, module, range);
  return modelModule(
    module,
    (attr) => new PyOpaque(`${unresolved.description}.${attr}`, undefined, unresolved.unresolved),
  );
}

/** A module's attribute, computed on demand for project modules; undefined when it has none. */
function moduleMember(module: PyModule, name: string): PyValue | undefined {
  return module.attrs.has(name) ? module.attrs.get(name) : module.fallback?.(name);
}

/**
 * CPython's words for required arguments a call leaves out:
 * `f() missing 2 required positional arguments: 'a' and 'b'`.
 */
function missingArguments(fn: PyFunction, names: string[], kind: 'positional' | 'keyword-only'): string {
  const quoted = names.map((n) => `'${n}'`);
  const list =
    quoted.length === 1
      ? quoted[0]
      : quoted.length === 2
        ? `${quoted[0]} and ${quoted[1]}`
        : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
  const count = `${names.length} required ${kind} argument${names.length === 1 ? '' : 's'}`;
  return `${fn.qualname ?? fn.name}() missing ${count}: ${list}`;
}

/** CPython's words for a call with more positional arguments than the function takes. */
function tooManyPositional(fn: PyFunction, given: number): string {
  const end = fn.params.findIndex((p) => p.kind === 'kwonly-marker' || p.kind === 'varargs');
  const positional = (end < 0 ? fn.params : fn.params.slice(0, end)).filter((p) => p.kind === 'normal');
  const most = positional.length;
  const least = positional.filter((p) => !fn.defaults.has(p.name)).length;
  const takes =
    least === most
      ? `${most} positional argument${most === 1 ? '' : 's'}`
      : `from ${least} to ${most} positional arguments`;
  return `${fn.qualname ?? fn.name}() takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`;
}

/** The absolute name of `from ..pkg import x`; undefined outside a package (Python raises ImportError). */
function relativeModule(stmt: Extract<Stmt, { kind: 'importfrom' }>, scope: Scope): string | undefined {
  const pkg = scope.globals.vars.get('__package__');
  if (typeof pkg !== 'string' || pkg === '') return undefined;
  const parts = pkg.split('.');
  if (stmt.level - 1 >= parts.length) return undefined;
  const base = parts.slice(0, parts.length - (stmt.level - 1)).join('.');
  return stmt.module ? `${base}.${stmt.module}` : base;
}

const isUnresolved = (value: PyValue): value is PyOpaque => value instanceof PyOpaque && value.unresolved !== undefined;

const IMPORT_ERROR_CATCHERS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);

/** Whether an except clause catches ImportError (bare, by name, or in a tuple of names). */
function catchesImportError(handler: ExceptHandler): boolean {
  const type = handler.type;
  if (!type) return true;
  const names = type.kind === 'tuple' ? type.elements : [type];
  return names.some((t) => {
    const name = t.kind === 'name' ? t.id : t.kind === 'attribute' ? t.attr : undefined;
    return name !== undefined && IMPORT_ERROR_CATCHERS.has(name);
  });
}
