// Python values as the interpreter represents them.
// None → null, bool → boolean, int → bigint (exact, like Python), float → number, str → string.
import type { FunctionDef, Param, Expr, SourceRange } from './ast';
import type { Scope } from './scope';
import type { TensorValue } from './tensor';
import type { CallSite } from './callsite';

export type PyValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | PyList
  | PyTuple
  | PyDict
  | PySlice
  | PyEllipsis
  | PyFunction
  | BuiltinFunction
  | BoundMethod
  | PyClass
  | PyInstance
  | PyModule
  | PySuper
  | TensorValue
  | PyOpaque
  | PyIterator;

export class PyEllipsis {
  static readonly instance = new PyEllipsis();
  private constructor() {}
}
export const ELLIPSIS = PyEllipsis.instance;

export class PyList {
  constructor(public items: PyValue[]) {}
}

/** A set: a list whose items are distinct (built by `set()`, set literals and set operations only). */
export class PySet extends PyList {}

/** A tuple; `typeName` lets framework shape types (torch.Size, TensorShape) behave as tuples. */
export class PyTuple {
  constructor(
    readonly items: readonly PyValue[],
    readonly typeName: string = 'tuple',
    /** Field names of a named tuple (torch.return_types.max has values, indices). */
    readonly fields?: readonly string[],
  ) {}
}

export class PySlice {
  constructor(
    readonly start: PyValue,
    readonly stop: PyValue,
    readonly step: PyValue,
  ) {}
}

/** An enum member's identity; `mixin` is set for str/int enums, whose members compare as their value. */
export interface EnumMember {
  enumMember: true;
  name: string;
  value: PyValue;
  mixin?: 'str' | 'int';
}

export function enumMemberOf(value: PyValue): EnumMember | undefined {
  if (!(value instanceof PyInstance)) return undefined;
  const native = value.native as EnumMember | undefined;
  return native?.enumMember ? native : undefined;
}

/** The value a str/int enum member stands for in comparisons and dict keys; undefined otherwise. */
export function mixinValue(value: PyValue): PyValue | undefined {
  const member = enumMemberOf(value);
  return member?.mixin ? member.value : undefined;
}

/** Dict keyed by a canonical string of the Python key (ints and equal floats collide, as in Python). */
export class PyDict {
  readonly entries = new Map<string, [PyValue, PyValue]>();
  static keyOf(key: PyValue): string {
    const mixin = mixinValue(key);
    if (mixin !== undefined) return PyDict.keyOf(mixin);
    if (key === null) return 'None';
    if (typeof key === 'boolean') return key ? 'i1' : 'i0';
    if (typeof key === 'bigint') return `i${key}`;
    if (typeof key === 'number') return Number.isInteger(key) ? `i${key}` : `f${key}`;
    if (typeof key === 'string') return `s${key}`;
    if (key instanceof PyTuple) return `t(${key.items.map(PyDict.keyOf).join(',')})`;
    return `o${objectId(key as object)}`;
  }
  get(key: PyValue): PyValue | undefined {
    return this.entries.get(PyDict.keyOf(key))?.[1];
  }
  set(key: PyValue, value: PyValue): void {
    this.entries.set(PyDict.keyOf(key), [key, value]);
  }
  has(key: PyValue): boolean {
    return this.entries.has(PyDict.keyOf(key));
  }
  delete(key: PyValue): boolean {
    return this.entries.delete(PyDict.keyOf(key));
  }
  keys(): PyValue[] {
    return [...this.entries.values()].map(([k]) => k);
  }
  values(): PyValue[] {
    return [...this.entries.values()].map(([, v]) => v);
  }
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function objectId(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) objectIds.set(value, (id = nextObjectId++));
  return id;
}

/** Positional and keyword arguments of one call. */
export interface Args {
  positional: PyValue[];
  keywords: Map<string, PyValue>;
}

type NativeImpl = (args: Args, site: CallSite) => PyValue;

export class BuiltinFunction {
  constructor(
    readonly name: string,
    readonly impl: NativeImpl,
  ) {}
}

/** A user-defined function or lambda, with the scope it closes over. */
export class PyFunction {
  definingClass?: PyClass; // for zero-argument super()
  /** `Class.method`, `outer.<locals>.inner`: how Python's errors name the function. */
  qualname?: string;
  /** Attributes set on the function object (loss.__name__ = 'dice', Keras metric names). */
  readonly attrs = new Map<string, PyValue>();
  constructor(
    readonly name: string,
    readonly params: Param[],
    readonly defaults: Map<string, PyValue>,
    readonly body: { kind: 'block'; def: FunctionDef } | { kind: 'lambda'; expr: Expr },
    readonly closure: Scope,
    readonly range: SourceRange,
  ) {}
}

export class BoundMethod {
  constructor(
    readonly self: PyValue,
    readonly func: PyFunction | BuiltinFunction,
  ) {}
}

/**
 * A class. User classes have `attrs` from their body; built-in bases (nn.Module, keras Loss,
 * Exception) are PyClass objects whose attrs hold BuiltinFunctions.
 */
export class PyClass {
  constructor(
    readonly name: string,
    readonly bases: PyClass[],
    readonly attrs: Map<string, PyValue>,
    readonly range?: SourceRange,
    /** Module path of built-in classes, e.g. "torch.nn.Module". */
    readonly qualifiedName?: string,
  ) {}

  /** Method resolution order: depth-first, left to right, without repeats (enough for loss code). */
  mro(): PyClass[] {
    const out: PyClass[] = [];
    const visit = (cls: PyClass) => {
      if (out.includes(cls)) return;
      out.push(cls);
      cls.bases.forEach(visit);
    };
    visit(this);
    return out;
  }

  lookup(name: string): PyValue | undefined {
    for (const cls of this.mro()) if (cls.attrs.has(name)) return cls.attrs.get(name);
    return undefined;
  }

  isSubclassOf(other: PyClass): boolean {
    return this.mro().includes(other);
  }
}

export class PyInstance {
  readonly attrs = new Map<string, PyValue>();
  /** Native state for built-in types (e.g. the wrapped exception message). */
  native?: unknown;
  constructor(readonly cls: PyClass) {}
}

export class PySuper {
  constructor(
    readonly self: PyValue,
    readonly startAfter: PyClass,
  ) {}
}

export class PyModule {
  constructor(
    readonly name: string,
    readonly attrs: Map<string, PyValue>,
    /** Resolves attributes that are not in attrs (lazily built submodules, opaque members). */
    readonly fallback?: (name: string) => PyValue | undefined,
    /** For modules loaded on demand: every name `from m import *` brings in (its attrs fill lazily). */
    readonly publicNames?: () => string[],
  ) {}

  /**
   * For modules loaded on demand: runs every top-level statement not run yet, as Python runs a
   * package's __init__ before a module of the package (its side effects included).
   */
  initialise?: () => void;
}

/**
 * A value the interpreter cannot look inside (a model, an optimizer, a layer from a module that is
 * allowed but not implemented). Harmless until the loss actually uses it; then it is an
 * "unsupported" error naming what it was.
 */
export class PyOpaque {
  constructor(
    readonly description: string,
    /** Set for what the sandbox refuses (file, process, network access): why, for the error where it runs. */
    readonly refused?: string,
    /**
     * Set for values that come from an import nothing resolves (a package that is not installed, a
     * compiled extension): decorators, base classes, checks and logging built from them are
     * tolerated; the value is an error only where it reaches the computation of the loss.
     */
    readonly unresolved?: UnresolvedImport,
  ) {}
}

/** An import that neither the frameworks, the project, its extra paths nor its environment provide. */
export interface UnresolvedImport {
  module: string;
  line: number;
  file?: string;
}

/** A lazy iterator (generator expressions, zip, enumerate, map...). */
export class PyIterator {
  constructor(readonly next: () => { done: true } | { done: false; value: PyValue }) {}
}

export function typeName(value: PyValue): string {
  if (value === null) return 'NoneType';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
  }
  if (value instanceof PySet) return 'set';
  if (value instanceof PyList) return 'list';
  if (value instanceof PyTuple) return value.typeName;
  if (value instanceof PyDict) return 'dict';
  if (value instanceof PySlice) return 'slice';
  if (value instanceof PyEllipsis) return 'ellipsis';
  if (value instanceof PyFunction) return 'function';
  if (value instanceof BuiltinFunction) return 'builtin_function_or_method';
  if (value instanceof BoundMethod) return 'method';
  if (value instanceof PyClass) return 'type';
  if (value instanceof PyInstance) return value.cls.name;
  if (value instanceof PyModule) return 'module';
  if (value instanceof PySuper) return 'super';
  if (value instanceof PyIterator) return 'iterator';
  if (value instanceof PyOpaque) return value.description;
  return 'Tensor';
}
