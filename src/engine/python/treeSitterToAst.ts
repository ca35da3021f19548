// Converts a tree-sitter-python tree into the interpreter's AST. Unknown syntax becomes an
// `unsupported` node that fails only if it is evaluated, so one exotic statement elsewhere in a file
// does not stop the loss in it from being analysed.
import type { Node } from 'web-tree-sitter';
import type {
  Argument,
  CompClause,
  DictEntry,
  Expr,
  ExceptHandler,
  FunctionDef,
  Module,
  Param,
  SourceRange,
  Stmt,
  StringPart,
} from './ast';
import { InterpreterError } from './errors';
import type { VagueProblem } from './syntax/cpython';
import { RECURSION_IN_COMPILER, tooDeeplyNested } from './syntax/nestingDepth';

/** The file of the module being converted (conversion is synchronous), or undefined for the diagnosed file. */
let convertingFile: string | undefined;

export function rangeOf(node: Node): SourceRange {
  const range: SourceRange = {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
  if (convertingFile !== undefined) range.file = convertingFile;
  return range;
}

/**
 * tree-sitter's first ERROR or MISSING node, as a syntax problem with its line: CPython's own checks
 * (syntax/cpython.ts) say more where they can.
 */
export function findSyntaxError(root: Node): VagueProblem | undefined {
  if (!root.hasError) return undefined;
  const at = (node: Node) => ({
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    end: { line: node.endPosition.row + 1, column: node.endPosition.column + 1 },
  });
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.isMissing) {
      const message = node.type === ':' ? "expected ':'" : `invalid syntax (missing "${node.type}")`;
      return { type: 'SyntaxError', message, ...at(node) };
    }
    // A root that is one ERROR node: tree-sitter gave up on the whole file (deep nesting), placing nothing.
    if (node.isError && node !== root) {
      const snippet = node.text.split('\n')[0].slice(0, 40);
      return { type: 'SyntaxError', message: `invalid syntax near "${snippet}"`, ...at(node) };
    }
    const children = node.children.filter((c): c is Node => c !== null && (c.hasError || c.isError || c.isMissing));
    // An error in no visible child (a hidden MISSING node): somewhere in the innermost node that has it.
    if (!children.length) return { type: 'SyntaxError', message: 'invalid syntax', ...at(node), unlocated: true };
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

export function convertModule(root: Node, source: string, file?: string): Module {
  convertingFile = file;
  try {
    const module = { body: convertBlockChildren(root), source };
    const deep = tooDeeplyNested(module);
    if (deep) throw new InterpreterError('syntax', RECURSION_IN_COMPILER, deep, 'RecursionError');
    return module;
  } finally {
    convertingFile = undefined;
  }
}

// Extras (comments, backslash continuations) can sit between any two children: they are not syntax.
const named = (node: Node): Node[] => node.namedChildren.filter((c): c is Node => c !== null && !c.isExtra);
const field = (node: Node, name: string): Node | null => node.childForFieldName(name);
const must = (node: Node, name: string): Node => {
  const child = field(node, name);
  if (!child) throw new InterpreterError('syntax', `syntax error: ${node.type} without ${name}`, rangeOf(node));
  return child;
};

function convertBlockChildren(node: Node): Stmt[] {
  const out: Stmt[] = [];
  for (const child of named(node)) out.push(...convertStatementAt(child));
  return out;
}

/** A statement whose expressions nest deep enough to exhaust the converter's stack: far past what CPython compiles. */
function convertStatementAt(node: Node): Stmt[] {
  try {
    return convertStmt(node);
  } catch (error) {
    if (!(error instanceof RangeError && /call stack/.test(error.message))) throw error;
    throw new InterpreterError('syntax', RECURSION_IN_COMPILER, rangeOf(node), 'RecursionError');
  }
}

function convertBlock(node: Node | null): Stmt[] {
  return node ? convertBlockChildren(node) : [];
}

function convertStmt(node: Node): Stmt[] {
  const range = rangeOf(node);
  switch (node.type) {
    case 'expression_statement': {
      const children = named(node);
      if (children.length === 1) {
        const only = children[0];
        if (only.type === 'assignment') return [convertAssignment(only)];
        if (only.type === 'augmented_assignment') {
          const opText = must(only, 'operator').text;
          return [
            {
              kind: 'augassign',
              range,
              target: convertExpr(must(only, 'left')),
              op: opText.slice(0, -1),
              value: convertExpr(must(only, 'right')),
            },
          ];
        }
        return [{ kind: 'expr', range, value: convertExpr(only) }];
      }
      return [{ kind: 'expr', range, value: { kind: 'tuple', range, elements: children.map(convertExpr) } }];
    }
    case 'return_statement': {
      const children = named(node);
      if (children.length === 0) return [{ kind: 'return', range }];
      return [{ kind: 'return', range, value: convertExpr(children[0]) }];
    }
    case 'if_statement': {
      const alternatives = node.childrenForFieldName('alternative').filter((c): c is Node => c !== null);
      let orelse: Stmt[] = [];
      for (let i = alternatives.length - 1; i >= 0; i--) {
        const alt = alternatives[i];
        if (alt.type === 'else_clause') orelse = convertBlock(field(alt, 'body'));
        else
          orelse = [
            {
              kind: 'if',
              range: rangeOf(alt),
              test: convertExpr(must(alt, 'condition')),
              body: convertBlock(field(alt, 'consequence')),
              orelse,
            },
          ];
      }
      return [
        {
          kind: 'if',
          range,
          test: convertExpr(must(node, 'condition')),
          body: convertBlock(field(node, 'consequence')),
          orelse,
        },
      ];
    }
    case 'for_statement': {
      if (node.children.some((c) => c?.type === 'async')) return [{ kind: 'unsupported', range, what: 'async for' }];
      const alt = field(node, 'alternative');
      return [
        {
          kind: 'for',
          range,
          target: convertExpr(must(node, 'left')),
          iter: convertExpr(must(node, 'right')),
          body: convertBlock(field(node, 'body')),
          orelse: alt ? convertBlock(field(alt, 'body')) : [],
        },
      ];
    }
    case 'while_statement': {
      const alt = field(node, 'alternative');
      return [
        {
          kind: 'while',
          range,
          test: convertExpr(must(node, 'condition')),
          body: convertBlock(field(node, 'body')),
          orelse: alt ? convertBlock(field(alt, 'body')) : [],
        },
      ];
    }
    case 'function_definition':
      return [{ kind: 'def', range, def: convertFunction(node, []) }];
    case 'class_definition':
      return [convertClass(node, [])];
    case 'decorated_definition': {
      const decorators = named(node)
        .filter((c) => c.type === 'decorator')
        .map((d) => convertExpr(named(d)[0]));
      const definition = must(node, 'definition');
      if (definition.type === 'function_definition')
        return [{ kind: 'def', range, def: convertFunction(definition, decorators) }];
      if (definition.type === 'class_definition') return [convertClass(definition, decorators)];
      return [{ kind: 'unsupported', range, what: `decorated ${definition.type}` }];
    }
    case 'import_statement':
      return [
        {
          kind: 'import',
          range,
          names: node
            .childrenForFieldName('name')
            .filter((c): c is Node => c !== null)
            .map((n) =>
              n.type === 'aliased_import'
                ? { module: must(n, 'name').text, alias: must(n, 'alias').text }
                : { module: n.text },
            ),
        },
      ];
    case 'import_from_statement': {
      const moduleNode = must(node, 'module_name');
      let level = 0;
      let module = moduleNode.text;
      if (moduleNode.type === 'relative_import') {
        level = (moduleNode.text.match(/^\.+/) ?? [''])[0].length;
        module = moduleNode.text.slice(level);
      }
      if (named(node).some((c) => c.type === 'wildcard_import'))
        return [{ kind: 'importfrom', range, module, level, names: '*' }];
      const names = node
        .childrenForFieldName('name')
        .filter((c): c is Node => c !== null)
        .map((n) =>
          n.type === 'aliased_import' ? { name: must(n, 'name').text, alias: must(n, 'alias').text } : { name: n.text },
        );
      return [{ kind: 'importfrom', range, module, level, names }];
    }
    case 'future_import_statement':
      return [{ kind: 'pass', range }];
    case 'pass_statement':
      return [{ kind: 'pass', range }];
    case 'break_statement':
      return [{ kind: 'break', range }];
    case 'continue_statement':
      return [{ kind: 'continue', range }];
    case 'assert_statement': {
      const children = named(node);
      return [
        {
          kind: 'assert',
          range,
          test: convertExpr(children[0]),
          msg: children[1] ? convertExpr(children[1]) : undefined,
        },
      ];
    }
    case 'raise_statement': {
      const children = named(node);
      return [{ kind: 'raise', range, exc: children[0] ? convertExpr(children[0]) : undefined }];
    }
    case 'global_statement':
    case 'nonlocal_statement':
      return [
        {
          kind: node.type === 'global_statement' ? 'global' : 'nonlocal',
          range,
          names: named(node).map((n) => n.text),
        },
      ];
    case 'delete_statement': {
      const target = named(node)[0];
      const targets = target.type === 'expression_list' ? named(target).map(convertExpr) : [convertExpr(target)];
      return [{ kind: 'del', range, targets }];
    }
    case 'with_statement': {
      const clause = named(node).find((c) => c.type === 'with_clause');
      const items = clause
        ? named(clause).map((item) => {
            const value = must(item, 'value');
            if (value.type === 'as_pattern') {
              const target = named(must(value, 'alias'))[0];
              return { context: convertExpr(named(value)[0]), target: target ? convertExpr(target) : undefined };
            }
            return { context: convertExpr(value) };
          })
        : [];
      return [{ kind: 'with', range, items, body: convertBlock(field(node, 'body')) }];
    }
    case 'try_statement': {
      const handlers: ExceptHandler[] = [];
      let orelse: Stmt[] = [];
      let finalbody: Stmt[] = [];
      for (const child of named(node)) {
        if (child.type === 'except_clause') {
          const parts = named(child);
          const block = parts.find((p) => p.type === 'block');
          const head = parts.find((p) => p.type !== 'block');
          let type: Expr | undefined;
          let name: string | undefined;
          if (head?.type === 'as_pattern') {
            type = convertExpr(named(head)[0]);
            name = named(must(head, 'alias'))[0]?.text;
          } else if (head) {
            type = convertExpr(head);
          }
          handlers.push({ type, name, body: convertBlock(block ?? null), range: rangeOf(child) });
        } else if (child.type === 'else_clause') {
          orelse = convertBlock(field(child, 'body'));
        } else if (child.type === 'finally_clause') {
          finalbody = convertBlock(named(child).find((p) => p.type === 'block') ?? null);
        } else if (child.type === 'except_group_clause') {
          return [{ kind: 'unsupported', range, what: 'except*' }];
        }
      }
      return [{ kind: 'try', range, body: convertBlock(field(node, 'body')), handlers, orelse, finalbody }];
    }
    case 'print_statement':
      return [{ kind: 'print', range, args: named(node).map(convertExpr) }];
    case 'block':
      return convertBlockChildren(node);
    default:
      return [{ kind: 'unsupported', range, what: `${node.type.replace(/_/g, ' ')}` }];
  }
}

function convertAssignment(node: Node): Stmt {
  const range = rangeOf(node);
  const targets: Expr[] = [convertTarget(must(node, 'left'))];
  let right = field(node, 'right');
  if (!right) {
    // annotated declaration without a value: `x: int`
    return { kind: 'annassign', range, target: targets[0] };
  }
  // chained `a = b = value`: tree-sitter nests assignments in the right-hand side
  while (right.type === 'assignment' && field(right, 'right')) {
    targets.push(convertTarget(must(right, 'left')));
    right = must(right, 'right');
  }
  if (field(node, 'type') && targets.length === 1)
    return { kind: 'annassign', range, target: targets[0], value: convertExpr(right) };
  return { kind: 'assign', range, targets, value: convertExpr(right) };
}

function convertTarget(node: Node): Expr {
  return convertExpr(node);
}

function convertFunction(node: Node, decorators: Expr[]): FunctionDef {
  const body = convertBlock(field(node, 'body'));
  const bodyNode = field(node, 'body');
  let docstring: string | undefined;
  const first = bodyNode ? named(bodyNode)[0] : undefined;
  if (first?.type === 'expression_statement' && named(first)[0]?.type === 'string') {
    const doc = convertExpr(named(first)[0]);
    if (doc.kind === 'str') docstring = doc.parts.map((p) => ('text' in p ? p.text : '')).join('');
  }
  return {
    name: must(node, 'name').text,
    params: convertParams(field(node, 'parameters')),
    body,
    decorators,
    range: rangeOf(node),
    docstring,
  };
}

function convertClass(node: Node, decorators: Expr[]): Stmt {
  const superclasses = field(node, 'superclasses');
  return {
    kind: 'class',
    range: rangeOf(node),
    name: must(node, 'name').text,
    bases: superclasses ? convertArguments(superclasses) : [],
    body: convertBlock(field(node, 'body')),
    decorators,
  };
}

function convertParams(node: Node | null): Param[] {
  if (!node) return [];
  const params: Param[] = [];
  for (const p of named(node)) {
    switch (p.type) {
      case 'identifier':
        params.push({ range: rangeOf(p), name: p.text, kind: 'normal' });
        break;
      case 'typed_parameter': {
        const inner = named(p)[0];
        if (inner.type === 'list_splat_pattern')
          params.push({ range: rangeOf(p), name: named(inner)[0].text, kind: 'varargs' });
        else if (inner.type === 'dictionary_splat_pattern')
          params.push({ range: rangeOf(p), name: named(inner)[0].text, kind: 'kwargs' });
        else params.push({ range: rangeOf(p), name: inner.text, kind: 'normal' });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter':
        params.push({
          range: rangeOf(p),
          name: must(p, 'name').text,
          kind: 'normal',
          default: convertExpr(must(p, 'value')),
        });
        break;
      case 'list_splat_pattern':
        params.push({ range: rangeOf(p), name: named(p)[0].text, kind: 'varargs' });
        break;
      case 'dictionary_splat_pattern':
        params.push({ range: rangeOf(p), name: named(p)[0].text, kind: 'kwargs' });
        break;
      case 'keyword_separator':
        params.push({ range: rangeOf(p), name: '*', kind: 'kwonly-marker' });
        break;
      case 'positional_separator':
        params.push({ range: rangeOf(p), name: '/', kind: 'posonly-marker' });
        break;
      case 'tuple_pattern':
        throw new InterpreterError('unsupported', 'unsupported: tuple parameters (Python 2)', rangeOf(p));
      default:
        throw new InterpreterError('unsupported', `unsupported: parameter ${p.type}`, rangeOf(p));
    }
  }
  return params;
}

function convertArguments(node: Node): Argument[] {
  const args: Argument[] = [];
  for (const a of named(node)) {
    if (a.type === 'keyword_argument')
      args.push({ kind: 'keyword', name: must(a, 'name').text, value: convertExpr(must(a, 'value')) });
    else if (a.type === 'list_splat') args.push({ kind: 'star', value: convertExpr(named(a)[0]) });
    else if (a.type === 'dictionary_splat') args.push({ kind: 'doublestar', value: convertExpr(named(a)[0]) });
    else args.push({ kind: 'positional', value: convertExpr(a) });
  }
  return args;
}

const STRING_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|N\{[^}]*\}|\n|.)/g, (_m, esc: string) => {
    if (esc[0] === 'x' || esc[0] === 'u') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc === '\n') return '';
    return STRING_ESCAPES[esc] ?? `\\${esc}`;
  });
}

function convertString(node: Node): StringPart[] {
  const start = node.children.find((c) => c?.type === 'string_start');
  const prefix = (start?.text ?? '').replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  const parts: StringPart[] = [];
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'string_content') parts.push({ text: raw ? child.text : unescape(child.text) });
    else if (child.type === 'escape_sequence') parts.push({ text: raw ? child.text : unescape(child.text) });
    else if (child.type === 'interpolation') {
      const expr = must(child, 'expression');
      const conversion = field(child, 'type_conversion')?.text.slice(1);
      const formatNode = field(child, 'format_specifier');
      parts.push({
        expr: convertExpr(expr),
        conversion,
        format: formatNode ? formatNode.text.replace(/^:/, '') : undefined,
      });
    } else if (child.type === '{{' || child.type === 'escape_interpolation') parts.push({ text: child.text[0] });
  }
  return parts;
}

function parseIntLiteral(text: string): bigint {
  const clean = text.replace(/_/g, '').replace(/[lL]$/, '');
  if (/^0[oO]/.test(clean)) return BigInt('0o' + clean.slice(2));
  if (/^0\d+$/.test(clean)) return BigInt('0o' + clean.slice(1)); // Python 2 octal
  return BigInt(clean);
}

function convertComprehension(node: Node, type: 'list' | 'set' | 'dict' | 'generator'): Expr {
  const range = rangeOf(node);
  const bodyNode = must(node, 'body');
  const clauses: CompClause[] = [];
  for (const child of named(node)) {
    if (child.type === 'for_in_clause')
      clauses.push({ kind: 'for', target: convertExpr(must(child, 'left')), iter: convertExpr(must(child, 'right')) });
    else if (child.type === 'if_clause') clauses.push({ kind: 'if', test: convertExpr(named(child)[0]) });
  }
  if (type === 'dict') {
    return {
      kind: 'comprehension',
      range,
      type,
      body: convertExpr(must(bodyNode, 'key')),
      valueBody: convertExpr(must(bodyNode, 'value')),
      clauses,
    };
  }
  return { kind: 'comprehension', range, type, body: convertExpr(bodyNode), clauses };
}

function convertSlice(node: Node): Expr {
  const range = rangeOf(node);
  const parts: (Expr | undefined)[] = [undefined];
  for (const child of node.children) {
    if (!child || child.isExtra) continue;
    if (child.type === ':') parts.push(undefined);
    else parts[parts.length - 1] = convertExpr(child);
  }
  return { kind: 'slice', range, start: parts[0], stop: parts[1], step: parts[2] };
}

function convertExpr(node: Node): Expr {
  const range = rangeOf(node);
  switch (node.type) {
    case 'identifier':
      return { kind: 'name', range, id: node.text };
    case 'integer':
      if (/[jJ]$/.test(node.text)) return { kind: 'unsupported', range, what: 'complex numbers' };
      return { kind: 'int', range, value: parseIntLiteral(node.text) };
    case 'float':
      if (/[jJ]$/.test(node.text)) return { kind: 'unsupported', range, what: 'complex numbers' };
      return { kind: 'float', range, value: Number(node.text.replace(/_/g, '')) };
    case 'true':
      return { kind: 'const', range, value: true };
    case 'false':
      return { kind: 'const', range, value: false };
    case 'none':
      return { kind: 'const', range, value: null };
    case 'ellipsis':
      return { kind: 'const', range, value: 'ellipsis' };
    case 'string':
      return { kind: 'str', range, parts: convertString(node) };
    case 'concatenated_string':
      return { kind: 'str', range, parts: named(node).flatMap(convertString) };
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      return inner ? convertExpr(inner) : { kind: 'tuple', range, elements: [] };
    }
    case 'binary_operator':
      return {
        kind: 'binary',
        range,
        op: must(node, 'operator').text,
        left: convertExpr(must(node, 'left')),
        right: convertExpr(must(node, 'right')),
      };
    case 'unary_operator':
      return { kind: 'unary', range, op: must(node, 'operator').text, operand: convertExpr(must(node, 'argument')) };
    case 'not_operator':
      return { kind: 'unary', range, op: 'not', operand: convertExpr(must(node, 'argument')) };
    case 'boolean_operator':
      return {
        kind: 'boolop',
        range,
        op: must(node, 'operator').text as 'and' | 'or',
        left: convertExpr(must(node, 'left')),
        right: convertExpr(must(node, 'right')),
      };
    case 'comparison_operator': {
      const operands: Expr[] = [];
      const ops: string[] = [];
      let pendingOp = '';
      for (let i = 0; i < node.childCount; i++) {
        const child = node.child(i)!;
        if (child.isExtra) continue;
        if (node.fieldNameForChild(i) === 'operators') {
          pendingOp = pendingOp ? `${pendingOp} ${child.text}` : child.text;
        } else {
          if (operands.length) ops.push(pendingOp.replace(/\s+/g, ' '));
          pendingOp = '';
          operands.push(convertExpr(child));
        }
      }
      return { kind: 'compare', range, operands, ops };
    }
    case 'call': {
      const argsNode = must(node, 'arguments');
      const args: Argument[] =
        argsNode.type === 'generator_expression'
          ? [{ kind: 'positional', value: convertComprehension(argsNode, 'generator') }]
          : convertArguments(argsNode);
      return { kind: 'call', range, func: convertExpr(must(node, 'function')), args };
    }
    case 'attribute':
      return {
        kind: 'attribute',
        range,
        object: convertExpr(must(node, 'object')),
        attr: must(node, 'attribute').text,
      };
    case 'subscript': {
      const subs = node.childrenForFieldName('subscript').filter((c): c is Node => c !== null);
      const hasComma = node.children.some((c) => c?.type === ',');
      return {
        kind: 'subscript',
        range,
        object: convertExpr(must(node, 'value')),
        indices: subs.map(convertExpr),
        isTuple: hasComma || subs.length > 1,
      };
    }
    case 'slice':
      return convertSlice(node);
    case 'list':
      return { kind: 'list', range, elements: named(node).map(convertExpr) };
    case 'tuple':
    case 'expression_list':
    case 'pattern_list':
    case 'tuple_pattern':
      return { kind: 'tuple', range, elements: named(node).map(convertExpr) };
    case 'list_pattern':
      return { kind: 'list', range, elements: named(node).map(convertExpr) };
    case 'set':
      return { kind: 'set', range, elements: named(node).map(convertExpr) };
    case 'list_splat':
    case 'list_splat_pattern':
      return { kind: 'starred', range, value: convertExpr(named(node)[0]) };
    case 'dictionary': {
      const entries: DictEntry[] = named(node).map((c) =>
        c.type === 'dictionary_splat'
          ? { splat: convertExpr(named(c)[0]) }
          : { key: convertExpr(must(c, 'key')), value: convertExpr(must(c, 'value')) },
      );
      return { kind: 'dict', range, entries };
    }
    case 'list_comprehension':
      return convertComprehension(node, 'list');
    case 'set_comprehension':
      return convertComprehension(node, 'set');
    case 'dictionary_comprehension':
      return convertComprehension(node, 'dict');
    case 'generator_expression':
      return convertComprehension(node, 'generator');
    case 'lambda':
      return {
        kind: 'lambda',
        range,
        params: convertParams(field(node, 'parameters')),
        body: convertExpr(must(node, 'body')),
      };
    case 'conditional_expression': {
      const [body, test, orelse] = named(node);
      return { kind: 'ifexp', range, body: convertExpr(body), test: convertExpr(test), orelse: convertExpr(orelse) };
    }
    case 'named_expression':
      return { kind: 'walrus', range, target: must(node, 'name').text, value: convertExpr(must(node, 'value')) };
    case 'keyword_argument':
      return { kind: 'unsupported', range, what: 'keyword argument outside a call' };
    default:
      return { kind: 'unsupported', range, what: node.type.replace(/_/g, ' ') };
  }
}
