// What CPython's compiler rejects in a source that parses: its symbol-table pass first (nonlocal at
// module level, duplicate parameters, `import *` in a function), then code generation in source order
// (return, yield and await outside a function, break and continue outside a loop, a keyword argument
// given twice, a starred assignment alone).
import type { Node } from 'web-tree-sitter';
import type { SyntaxProblem } from './problem';
import { startOf } from './treeChecks';

/** The nodes, without tree-sitter's extras (comments and backslash continuations, allowed anywhere). */
const of = (nodes: (Node | null)[]): Node[] => nodes.filter((n): n is Node => n !== null && !n.isExtra);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension']);
const SCOPES = new Set([
  'function_definition',
  'lambda',
  'class_definition',
  'generator_expression',
  ...COMPREHENSIONS,
]);

const problem = (message: string, node: Node): SyntaxProblem => ({
  type: 'SyntaxError',
  message,
  ...startOf(node),
});

/** Whether `child` (a child of the scope node `scope`) is evaluated in that scope, not around it. */
function insideScope(scope: Node, child: Node): boolean {
  if (scope.type === 'function_definition' || scope.type === 'lambda' || scope.type === 'class_definition')
    return scope.childForFieldName('body')?.id === child.id;
  // A comprehension's first iterable is evaluated outside it.
  const firstClause = of(scope.namedChildren).find((c) => c.type === 'for_in_clause');
  return !(firstClause?.id === child.id && child.childForFieldName('right') !== null);
}

/** The innermost scope a node is evaluated in, or null for the module. */
function scopeOf(node: Node): Node | null {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent)
    if (SCOPES.has(parent.type) && insideScope(parent, child)) return parent;
  return null;
}

const isAsync = (node: Node) => of(node.children).some((c) => c.type === 'async');

function symbolTableProblems(root: Node): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  for (const node of of(
    root.descendantsOfType(['nonlocal_statement', 'wildcard_import', 'parameters', 'lambda_parameters']),
  ))
    if (node.type === 'nonlocal_statement') {
      if (!scopeOf(node)) problems.push(problem('nonlocal declaration not allowed at module level', node));
    } else if (node.type === 'wildcard_import') {
      if (scopeOf(node)) problems.push(problem('import * only allowed at module level', node.parent ?? node));
    } else {
      const seen = new Set<string>();
      for (const param of of(node.namedChildren)) {
        const name = parameterName(param);
        if (name === undefined) continue;
        if (seen.has(name)) {
          problems.push(problem(`duplicate argument '${name}' in function definition`, node.parent ?? node));
          break;
        }
        seen.add(name);
      }
    }
  return problems;
}

function parameterName(param: Node): string | undefined {
  if (param.type === 'identifier') return param.text;
  const inner = param.childForFieldName('name') ?? param.namedChildren[0];
  if (!inner) return undefined;
  if (inner.type === 'identifier') return inner.text;
  if (inner.type === 'list_splat_pattern' || inner.type === 'dictionary_splat_pattern')
    return inner.namedChildren[0]?.text;
  return undefined;
}

/** A loop whose body holds the node, before any function or class boundary. */
function inLoop(node: Node): boolean {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'class_definition') return false;
    if (
      (parent.type === 'for_statement' || parent.type === 'while_statement') &&
      parent.childForFieldName('body')?.id === child.id
    )
      return true;
  }
  return false;
}

/** A comprehension made asynchronous (by `await` or `async for`) needs an async function around it. */
function asyncComprehensionProblem(comprehension: Node): SyntaxProblem | undefined {
  if (comprehension.type === 'generator_expression') return undefined;
  const outer = scopeOf(comprehension);
  if (outer?.type === 'function_definition' && isAsync(outer)) return undefined;
  if (outer && (COMPREHENSIONS.has(outer.type) || outer.type === 'generator_expression')) return undefined;
  return problem('asynchronous comprehension outside of an asynchronous function', comprehension);
}

function awaitProblem(node: Node): SyntaxProblem | undefined {
  const scope = scopeOf(node);
  if (!scope || scope.type === 'class_definition') return problem("'await' outside function", node);
  if (COMPREHENSIONS.has(scope.type) || scope.type === 'generator_expression') return asyncComprehensionProblem(scope);
  if (scope.type === 'function_definition' && isAsync(scope)) return undefined;
  return problem("'await' outside async function", node);
}

function codeProblem(node: Node): SyntaxProblem | undefined {
  switch (node.type) {
    case 'return_statement':
      return scopeOf(node)?.type === 'function_definition' ? undefined : problem("'return' outside function", node);
    case 'yield': {
      const scope = scopeOf(node);
      if (!scope || scope.type === 'class_definition') return problem("'yield' outside function", node);
      return undefined;
    }
    case 'await':
      return awaitProblem(node);
    case 'for_statement':
    case 'with_statement': {
      if (!isAsync(node)) return undefined;
      const scope = scopeOf(node);
      if (scope?.type === 'function_definition' && isAsync(scope)) return undefined;
      return problem(`'async ${node.type === 'for_statement' ? 'for' : 'with'}' outside async function`, node);
    }
    case 'for_in_clause':
      return isAsync(node) && node.parent ? asyncComprehensionProblem(node.parent) : undefined;
    case 'break_statement':
      return inLoop(node) ? undefined : problem("'break' outside loop", node);
    case 'continue_statement':
      return inLoop(node) ? undefined : problem("'continue' not properly in loop", node);
    case 'argument_list': {
      const seen = new Set<string>();
      for (const arg of of(node.namedChildren)) {
        if (arg.type !== 'keyword_argument') continue;
        const name = arg.childForFieldName('name')?.text ?? '';
        if (seen.has(name)) return problem(`keyword argument repeated: ${name}`, arg);
        seen.add(name);
      }
      return undefined;
    }
    case 'assignment': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'list_splat_pattern')
        return problem('starred assignment target must be in a list or tuple', left);
      if (right?.type === 'list_splat') return problem("can't use starred expression here", right);
      return undefined;
    }
    default:
      return undefined;
  }
}

const CODE_NODES = [
  ...['return_statement', 'yield', 'await', 'for_statement', 'with_statement', 'break_statement'],
  ...['continue_statement', 'argument_list', 'assignment', 'for_in_clause', 'future_import_statement'],
];

const FEATURES = new Set([
  ...['nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function'],
  ...['unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations'],
]);

/** The `from __future__` imports that open the module (after its docstring): the only ones allowed. */
function leadingFutureImports(root: Node): Node[] {
  const body = of(root.namedChildren);
  const docstring = body[0]?.type === 'expression_statement' && body[0].namedChildren[0]?.type === 'string' ? 1 : 0;
  const leading: Node[] = [];
  for (const statement of body.slice(docstring)) {
    if (statement.type !== 'future_import_statement') break;
    leading.push(statement);
  }
  return leading;
}

function featureProblem(leading: Node[]): SyntaxProblem | undefined {
  for (const statement of leading)
    for (const name of of(statement.childrenForFieldName('name'))) {
      const feature = (name.type === 'aliased_import' ? name.childForFieldName('name') : name)?.text ?? '';
      if (feature === 'braces') return problem('not a chance', statement);
      if (!FEATURES.has(feature)) return problem(`future feature ${feature} is not defined`, statement);
    }
  return undefined;
}

/** The first problem CPython's compiler reports in a source that parses, if any. */
export function compileProblem(root: Node): SyntaxProblem | undefined {
  const leading = leadingFutureImports(root);
  const [first] = [featureProblem(leading), ...symbolTableProblems(root)].filter((p) => p !== undefined);
  if (first) return first;
  const allowed = new Set(leading.map((n) => n.id));
  for (const node of of(root.descendantsOfType(CODE_NODES))) {
    const found =
      node.type === 'future_import_statement'
        ? allowed.has(node.id)
          ? undefined
          : problem('from __future__ imports must occur at the beginning of the file', node)
        : codeProblem(node);
    if (found) return found;
  }
  return undefined;
}
