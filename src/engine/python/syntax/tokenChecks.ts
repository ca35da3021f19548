// What CPython's parser rejects in the token stream and tree-sitter forgives: indentation where no
// block opens, a block header without its indented block, characters Python 3 has no token for
// (backticks, `<>`, `$`, `?`, a lone `!`), and string prefixes it does not know (`ur''`).
import { type ParserProblem, parserProblem } from './problem';
import type { Token } from './tokenizer';

const OPERATORS = new Set([
  ...'()[]{}:,;+-*/|&<>=.%~^@',
  ...['!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '==', '>=', '>>', '@='],
  ...['^=', '|=', '**=', '//=', '>>=', '<<=', '...'],
]);

const STATEMENTS = new Set(['if', 'elif', 'else', 'for', 'while', 'with', 'try', 'finally', 'match', 'case']);

const isName = (token: Token | undefined, name: string) => token?.type === 'NAME' && token.text === name;
const adjacent = (a: Token, b: Token) => a.endLine === b.line && a.endColumn === b.column;

/** What CPython calls the block a header opens: "after 'if' statement on line 3". */
function headerText(tokens: Token[], first: number): string {
  let k = first;
  if (isName(tokens[k], 'async')) k++;
  const keyword = tokens[k];
  if (keyword?.type !== 'NAME') return '';
  const where = ` on line ${keyword.line}`;
  if (keyword.text === 'def') return ` after function definition${where}`;
  if (keyword.text === 'class') return ` after class definition${where}`;
  if (keyword.text === 'except')
    return ` after '${tokens[k + 1]?.text === '*' ? 'except*' : 'except'}' statement${where}`;
  return STATEMENTS.has(keyword.text) ? ` after '${keyword.text}' statement${where}` : '';
}

/** Keywords that may follow a name in an expression: `print if x else y`, `exec in namespaces`. */
const CONTINUING = new Set(['if', 'else', 'in', 'is', 'and', 'or', 'for', 'as', 'from']);

/**
 * A statement opening with `print` or `exec` and an operand (`exec code in ns`, `print "x"`): Python 2.
 * tree-sitter's grammar accepts `exec` only before a name or a string; CPython's message is the same.
 */
function legacyStatement(tokens: Token[], k: number): boolean {
  const [name, next, after] = [tokens[k], tokens[k + 1], tokens[k + 2]];
  if (name.type !== 'NAME' || (name.text !== 'print' && name.text !== 'exec') || !next) return false;
  if (next.type === 'NUMBER' || next.type === 'STRING') return true;
  if (next.type === 'OP') return next.text === '{' || next.text === '~';
  if (next.type !== 'NAME') return false;
  return !CONTINUING.has(next.text) && !(next.text === 'not' && after?.text === 'in');
}

export function tokenProblems(tokens: Token[]): ParserProblem[] {
  const problems: ParserProblem[] = [];
  let lineFirst: number | undefined; // index of the first token of the current logical line
  let header: { first: number; newline: Token } | undefined; // the last logical line, if it ends with ':'
  let atLineStart = true;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    if (token.type === 'OP' && !OPERATORS.has(token.text)) problems.push(parserProblem('invalid syntax', token));
    if (token.type === 'STRING' && k > 0) {
      const before = tokens[k - 1];
      const prefixLike = before.type === 'NAME' && /^[bBrRuUfF]+$/.test(before.text) && adjacent(before, token);
      // `f"{d["ur"]}"` (Python 3.12) splits the same way: not a prefix when a string precedes it.
      const afterString = k > 1 && tokens[k - 2].type === 'STRING' && adjacent(tokens[k - 2], before);
      if (prefixLike && !afterString) problems.push(parserProblem('invalid syntax', token));
    }
    if (lineFirst === undefined && legacyStatement(tokens, k))
      problems.push(
        parserProblem(`Missing parentheses in call to '${token.text}'. Did you mean ${token.text}(...)?`, token),
      );
    if (token.type === 'NEWLINE') {
      const last = tokens[k - 1];
      header =
        lineFirst !== undefined && last?.type === 'OP' && last.text === ':'
          ? { first: lineFirst, newline: token }
          : undefined;
      lineFirst = undefined;
      atLineStart = true;
      continue;
    }
    if (atLineStart) {
      atLineStart = false;
      if (token.type === 'INDENT') {
        if (!header) {
          const indented = tokens[k + 1] ?? token;
          problems.push(parserProblem('unexpected indent', indented, { type: 'IndentationError', final: true }));
        }
        header = undefined;
        continue;
      }
      if (header) {
        const { first, newline } = header;
        problems.push(
          parserProblem(`expected an indented block${headerText(tokens, first)}`, token, {
            type: 'IndentationError',
            at: { line: newline.line, column: newline.column },
            anchorLine: tokens[first].line,
          }),
        );
        header = undefined;
      }
    }
    if (token.type !== 'DEDENT' && token.type !== 'ENDMARKER' && token.type !== 'INDENT') lineFirst ??= k;
  }
  return problems;
}
