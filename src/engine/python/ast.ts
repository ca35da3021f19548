// The interpreter's own AST: plain JS objects converted once from the tree-sitter tree, because
// walking wasm-backed tree-sitter nodes on every evaluation would dominate the run time.

export interface SourceRange {
  line: number; // 1-based
  column: number; // 1-based
  endLine: number;
  endColumn: number;
  /** The project file the range is in, when it is not the file being diagnosed (an imported module). */
  file?: string;
}

export interface NodeBase {
  range: SourceRange;
}

export type Expr =
  | (NodeBase & { kind: 'name'; id: string })
  | (NodeBase & { kind: 'int'; value: bigint })
  | (NodeBase & { kind: 'float'; value: number })
  | (NodeBase & { kind: 'str'; parts: StringPart[] })
  | (NodeBase & { kind: 'const'; value: boolean | null | 'ellipsis' })
  | (NodeBase & { kind: 'binary'; op: string; left: Expr; right: Expr })
  | (NodeBase & { kind: 'unary'; op: string; operand: Expr })
  | (NodeBase & { kind: 'boolop'; op: 'and' | 'or'; left: Expr; right: Expr })
  | (NodeBase & { kind: 'compare'; operands: Expr[]; ops: string[] })
  | (NodeBase & { kind: 'call'; func: Expr; args: Argument[] })
  | (NodeBase & { kind: 'attribute'; object: Expr; attr: string })
  | (NodeBase & { kind: 'subscript'; object: Expr; indices: Expr[]; isTuple: boolean })
  | (NodeBase & { kind: 'slice'; start?: Expr; stop?: Expr; step?: Expr })
  | (NodeBase & { kind: 'list' | 'tuple' | 'set'; elements: Expr[] })
  | (NodeBase & { kind: 'starred'; value: Expr })
  | (NodeBase & { kind: 'dict'; entries: DictEntry[] })
  | (NodeBase & {
      kind: 'comprehension';
      type: 'list' | 'set' | 'dict' | 'generator';
      body: Expr;
      valueBody?: Expr;
      clauses: CompClause[];
    })
  | (NodeBase & { kind: 'lambda'; params: Param[]; body: Expr })
  | (NodeBase & { kind: 'ifexp'; body: Expr; test: Expr; orelse: Expr })
  | (NodeBase & { kind: 'walrus'; target: string; value: Expr })
  | (NodeBase & { kind: 'unsupported'; what: string });

export type StringPart = { text: string } | { expr: Expr; conversion?: string; format?: string };

export type DictEntry = { key: Expr; value: Expr } | { splat: Expr };

export type CompClause = { kind: 'for'; target: Expr; iter: Expr } | { kind: 'if'; test: Expr };

export type Argument =
  | { kind: 'positional'; value: Expr }
  | { kind: 'keyword'; name: string; value: Expr }
  | { kind: 'star'; value: Expr }
  | { kind: 'doublestar'; value: Expr };

export interface Param {
  name: string;
  /** The whole parameter as written (name, annotation, default), for edits. */
  range?: SourceRange;
  kind: 'normal' | 'varargs' | 'kwargs' | 'kwonly-marker' | 'posonly-marker';
  default?: Expr;
}

export interface FunctionDef {
  name: string;
  params: Param[];
  body: Stmt[];
  decorators: Expr[];
  range: SourceRange;
  docstring?: string;
}

export type Stmt =
  | (NodeBase & { kind: 'expr'; value: Expr })
  | (NodeBase & { kind: 'assign'; targets: Expr[]; value: Expr })
  | (NodeBase & { kind: 'annassign'; target: Expr; value?: Expr })
  | (NodeBase & { kind: 'augassign'; target: Expr; op: string; value: Expr })
  | (NodeBase & { kind: 'return'; value?: Expr })
  | (NodeBase & { kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] })
  | (NodeBase & { kind: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] })
  | (NodeBase & { kind: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[] })
  | (NodeBase & { kind: 'def'; def: FunctionDef })
  | (NodeBase & { kind: 'class'; name: string; bases: Argument[]; body: Stmt[]; decorators: Expr[] })
  | (NodeBase & { kind: 'import'; names: { module: string; alias?: string }[] })
  | (NodeBase & { kind: 'importfrom'; module: string; level: number; names: { name: string; alias?: string }[] | '*' })
  | (NodeBase & { kind: 'pass' | 'break' | 'continue' })
  | (NodeBase & { kind: 'assert'; test: Expr; msg?: Expr })
  | (NodeBase & { kind: 'raise'; exc?: Expr })
  | (NodeBase & { kind: 'global' | 'nonlocal'; names: string[] })
  | (NodeBase & { kind: 'del'; targets: Expr[] })
  | (NodeBase & { kind: 'with'; items: { context: Expr; target?: Expr }[]; body: Stmt[] })
  | (NodeBase & { kind: 'try'; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[] })
  | (NodeBase & { kind: 'print'; args: Expr[] })
  | (NodeBase & { kind: 'unsupported'; what: string });

export interface ExceptHandler {
  type?: Expr;
  name?: string;
  body: Stmt[];
  range: SourceRange;
}

export interface Module {
  body: Stmt[];
  source: string;
}
