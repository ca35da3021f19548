// Whether CPython 3 would compile a source, and if not, the error it reports first. tree-sitter is
// error-tolerant: it accepts indentation errors, Python 2 statements and more. CPython's tokenizer
// runs first and stops at its first error; its parser reports the first statement it cannot parse,
// except that an error the tokenizer raises (a bad literal, string or bracket) anywhere later in the
// file wins, and an unclosed bracket before the parser's error wins; the compiler runs only on a
// source that parses.
import type { Node } from 'web-tree-sitter';
import { compileProblem } from './compileChecks';
import { type ParserProblem, type SyntaxProblem, isBefore, parserProblem } from './problem';
import { stringProblems } from './stringChecks';
import { tokenProblems } from './tokenChecks';
import { type Token, tokenize } from './tokenizer';
import { treeProblems } from './treeChecks';

/** tree-sitter's error: where its ERROR or MISSING node starts and ends. */
export type VagueProblem = SyntaxProblem & {
  end: { line: number; column: number };
  /** tree-sitter says there is an error but shows no node for it: any precise problem wins. */
  unlocated?: boolean;
};

const HEADER = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'finally']);
const CONSTANTS = new Set(['True', 'False', 'None']);

/** CPython's words for two common errors tree-sitter only locates: a header without its colon, `None = x`. */
function vagueMessage(vague: VagueProblem, tokens: readonly Token[]): string {
  let first = tokens.findIndex((t) => t.line >= vague.line && t.type !== 'INDENT' && t.type !== 'DEDENT');
  if (first < 0 || tokens[first].line !== vague.line) return vague.message;
  while (first > 0 && !['NEWLINE', 'INDENT', 'DEDENT'].includes(tokens[first - 1].type)) first--;
  let last = first;
  while (last + 1 < tokens.length && tokens[last + 1].type !== 'NEWLINE') last++;
  const [keyword, second] = [tokens[first], tokens[first + 1]];
  const at = keyword.text === 'async' ? first + 1 : first;
  const header = tokens[at];
  const named = header?.text !== 'def' && header?.text !== 'class' ? true : tokens[at + 1]?.type === 'NAME';
  let depth = 0;
  let colon = false;
  for (const token of tokens.slice(first, last + 1)) {
    if (token.type === 'OP' && '([{'.includes(token.text)) depth++;
    else if (token.type === 'OP' && ')]}'.includes(token.text)) depth--;
    else if (token.type === 'OP' && token.text === ':' && depth === 0) colon = true;
  }
  if (keyword.type === 'NAME' && HEADER.has(header?.text ?? '') && named && !colon) return "expected ':'";
  if (CONSTANTS.has(keyword.text) && second?.text === '=') return `cannot assign to ${keyword.text}`;
  return vague.message;
}

/**
 * The error CPython reports for `source`, or undefined if it compiles. `vague` is tree-sitter's
 * first ERROR or MISSING node as a problem: where CPython's own checks find nothing more precise.
 */
export function cpythonSyntaxProblem(root: Node, source: string, vague?: VagueProblem): SyntaxProblem | undefined {
  if (source.includes('\0'))
    return { type: 'SyntaxError', message: 'source code string cannot contain null bytes', line: 1, column: 1 };
  const { tokens, error, unclosed } = tokenize(source);
  const precise = [...tokenProblems(tokens), ...stringProblems(tokens), ...treeProblems(root, tokens)].sort(
    (a, b) => a.at.line - b.at.line || a.at.column - b.at.column,
  );
  // tree-sitter gives up on deep nesting (1000 nested `if`s) without placing an error: no evidence
  // against the line where CPython's tokenizer stops ("too many levels of indentation").
  if (vague?.unlocated && error) vague = undefined;
  let parser: ParserProblem | undefined = precise[0];
  // tree-sitter's error around a bracket left open is that bracket's ("'(' was never closed").
  const bracketFault = unclosed && vague && !isBefore(vague.end, unclosed);
  if (vague && !bracketFault && (!parser || (!vague.unlocated && vague.line < parser.anchorLine)))
    parser = parserProblem(vagueMessage(vague, tokens), vague);
  if (error) {
    if (!parser) return error;
    if (error.raised) return parser.final && isBefore(parser.at, error) ? parser : error;
    return error.line <= parser.at.line ? error : parser;
  }
  if (unclosed && (!parser || (!parser.final && unclosed.line < parser.line)))
    return { type: 'SyntaxError', message: `'${unclosed.bracket}' was never closed`, ...unclosed };
  return parser ?? compileProblem(root);
}
