// What CPython's parser rejects in statements tree-sitter's Python grammar accepts: Python 2's print
// and exec statements, `except E, e`, `raise E, msg` and parenthesized parameters, async and await
// as names, parameters and call arguments out of order.
import type { Node } from 'web-tree-sitter';
import { type ParserProblem, isBefore, parserProblem } from './problem';
import type { Token } from './tokenizer';

export const startOf = (node: Node) => ({ line: node.startPosition.row + 1, column: node.startPosition.column + 1 });

/** The nodes, without tree-sitter's extras (comments and backslash continuations, allowed anywhere). */
const of = (nodes: (Node | null)[]): Node[] => nodes.filter((n): n is Node => n !== null && !n.isExtra);

function statementLine(node: Node): number {
  let statement: Node = node;
  while (statement.parent && !/(_statement|_definition|_clause|^block|^module)$/.test(statement.type))
    statement = statement.parent;
  return statement.startPosition.row + 1;
}

const problemAt = (message: string, node: Node) =>
  parserProblem(message, startOf(node), { anchorLine: statementLine(node) });

function legacyStatements(root: Node): ParserProblem[] {
  const problems: ParserProblem[] = [];
  for (const node of of(root.descendantsOfType(['print_statement', 'exec_statement']))) {
    // `print >>f, x` is a valid (if useless) Python 3 expression.
    if (node.type === 'print_statement' && of(node.children).some((c) => c.type === 'chevron')) continue;
    const name = node.type === 'print_statement' ? 'print' : 'exec';
    problems.push(problemAt(`Missing parentheses in call to '${name}'. Did you mean ${name}(...)?`, node));
  }
  for (const node of of(root.descendantsOfType('except_clause'))) {
    const values = of(node.childrenForFieldName('value'));
    if (values.length > 1) problems.push(problemAt('multiple exception types must be parenthesized', values[0]));
  }
  for (const node of of(root.descendantsOfType('raise_statement'))) {
    const list = of(node.namedChildren).find((c) => c.type === 'expression_list');
    const comma = list && of(list.children).find((c) => c.type === ',');
    if (comma) problems.push(problemAt('invalid syntax', comma));
  }
  for (const node of of(root.descendantsOfType('identifier')))
    if (node.text === 'async' || node.text === 'await') problems.push(problemAt('invalid syntax', node));
  return problems;
}

type ParameterKind = 'plain' | 'default' | 'star' | 'bare-star' | 'double-star' | 'slash' | 'tuple';

function parameterKind(node: Node): ParameterKind | undefined {
  switch (node.type) {
    case 'identifier':
      return 'plain';
    case 'typed_parameter': {
      const first = node.namedChildren[0];
      if (first?.type === 'list_splat_pattern') return 'star';
      if (first?.type === 'dictionary_splat_pattern') return 'double-star';
      return 'plain';
    }
    case 'default_parameter':
    case 'typed_default_parameter':
      return node.childForFieldName('name')?.type === 'tuple_pattern' ? 'tuple' : 'default';
    case 'list_splat_pattern':
      return 'star';
    case 'keyword_separator':
      return 'bare-star';
    case 'dictionary_splat_pattern':
      return 'double-star';
    case 'positional_separator':
      return 'slash';
    case 'tuple_pattern':
      return 'tuple';
    default:
      return undefined;
  }
}

function parameterOrder(list: Node): ParserProblem | undefined {
  const lambda = list.type === 'lambda_parameters';
  let seenDefault = false;
  let seenStar = false;
  let seenDoubleStar = false;
  let bareStar: Node | undefined; // a bare * still waiting for a named parameter
  for (const param of of(list.namedChildren)) {
    const kind = parameterKind(param);
    if (!kind) continue;
    if (seenDoubleStar) return problemAt('arguments cannot follow var-keyword argument', param);
    if (kind === 'tuple' && param.type !== 'tuple_pattern') return problemAt('invalid syntax', param);
    if (kind === 'tuple')
      return problemAt(
        `${lambda ? 'Lambda expression parameters' : 'Function parameters'} cannot be parenthesized`,
        param,
      );
    if (kind === 'plain' && seenDefault && !seenStar)
      return problemAt('non-default argument follows default argument', param);
    if (kind === 'default') seenDefault = true;
    if (kind === 'plain' || kind === 'default') bareStar = undefined;
    if (kind === 'star' || kind === 'bare-star') seenStar = true;
    if (kind === 'bare-star') bareStar = param;
    if (kind === 'double-star') {
      if (bareStar) return problemAt('named arguments must follow bare *', bareStar);
      seenDoubleStar = true;
    }
  }
  return bareStar && problemAt('named arguments must follow bare *', bareStar);
}

function argumentOrder(list: Node): ParserProblem | undefined {
  let keyword = false;
  let doubleStar = false;
  for (const arg of of(list.namedChildren)) {
    if (arg.type === 'keyword_argument') keyword = true;
    else if (arg.type === 'dictionary_splat') doubleStar = true;
    else if (arg.type === 'list_splat') {
      if (doubleStar) return problemAt('iterable argument unpacking follows keyword argument unpacking', arg);
    } else if (doubleStar) return problemAt('positional argument follows keyword argument unpacking', arg);
    else if (keyword) return problemAt('positional argument follows keyword argument', arg);
  }
  return undefined;
}

const ILLEGAL_AUGMENTED = { tuple_pattern: 'tuple', tuple: 'tuple', list_pattern: 'list', list: 'list' };

/** Targets tree-sitter's patterns allow and CPython does not: `(a, b) += 1`, `del f()`, `with a as f()`. */
function targetProblems(root: Node): ParserProblem[] {
  const problems: ParserProblem[] = [];
  for (const node of of(root.descendantsOfType(['augmented_assignment', 'delete_statement', 'as_pattern_target']))) {
    if (node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const kind = left && ILLEGAL_AUGMENTED[left.type as keyof typeof ILLEGAL_AUGMENTED];
      if (kind) problems.push(problemAt(`'${kind}' is an illegal expression for augmented assignment`, left));
      continue;
    }
    const targets = of(node.namedChildren).flatMap((c) => (c.type === 'expression_list' ? of(c.namedChildren) : [c]));
    const call = targets.find((t) => t.type === 'call');
    if (call)
      problems.push(
        problemAt(`cannot ${node.type === 'delete_statement' ? 'delete' : 'assign to'} function call`, call),
      );
  }
  return problems;
}

const HANDLERS = new Set(['except_clause', 'except_group_clause', 'finally_clause']);

/** A try without except or finally: CPython reports it at the first token after the try's body. */
function tryProblems(root: Node, tokens: readonly Token[]): ParserProblem[] {
  const problems: ParserProblem[] = [];
  for (const node of of(root.descendantsOfType('try_statement'))) {
    if (of(node.children).some((c) => HANDLERS.has(c.type))) continue;
    const end = { line: node.endPosition.row + 1, column: node.endPosition.column + 1 };
    const next = tokens.find((t) => t.type !== 'NEWLINE' && !isBefore(t, end));
    problems.push(
      parserProblem("expected 'except' or 'finally' block", next ?? end, {
        at: end,
        anchorLine: node.startPosition.row + 1,
      }),
    );
  }
  return problems;
}

/** `for x in a, b` in a comprehension (Python 2 allowed the tuple), or a bare generator among arguments. */
function comprehensionProblems(root: Node): ParserProblem[] {
  const problems: ParserProblem[] = [];
  for (const clause of of(root.descendantsOfType('for_in_clause'))) {
    if (clause.childrenForFieldName('right').length < 2) continue;
    const generator = clause.parent;
    if (generator?.type === 'generator_expression' && generator.parent?.type === 'call')
      problems.push(problemAt('Generator expression must be parenthesized', generator));
    else problems.push(problemAt('invalid syntax', of(clause.children).find((c) => c.type === ',') ?? clause));
  }
  return problems;
}

export function treeProblems(root: Node, tokens: readonly Token[]): ParserProblem[] {
  const problems = [
    ...legacyStatements(root),
    ...targetProblems(root),
    ...tryProblems(root, tokens),
    ...comprehensionProblems(root),
  ];
  for (const list of of(root.descendantsOfType(['parameters', 'lambda_parameters']))) {
    const problem = parameterOrder(list);
    if (problem) problems.push(problem);
  }
  for (const list of of(root.descendantsOfType('argument_list'))) {
    const problem = argumentOrder(list);
    if (problem) problems.push(problem);
  }
  return problems;
}
