// A reason CPython refuses a source, in its words: the exception type, the message and the line.

export interface SyntaxProblem {
  type: 'SyntaxError' | 'IndentationError' | 'TabError';
  message: string;
  /** 1-based line and column where CPython reports it. */
  line: number;
  column: number;
}

/** A problem CPython's parser meets while it reads the tokens in order. */
export interface ParserProblem extends SyntaxProblem {
  /** Where the parser fails on it, to order problems: a missing block fails at its header's newline. */
  at: { line: number; column: number };
  /** The first line of the statement it is found in: tree-sitter's vaguer errors win only before it. */
  anchorLine: number;
  /** CPython raises it at once, without tokenizing the rest of the file (an unexpected indent). */
  final?: boolean;
}

export const parserProblem = (
  message: string,
  where: { line: number; column: number },
  options: Partial<Pick<ParserProblem, 'type' | 'at' | 'anchorLine' | 'final'>> = {},
): ParserProblem => ({
  type: options.type ?? 'SyntaxError',
  message,
  line: where.line,
  column: where.column,
  at: options.at ?? { line: where.line, column: where.column },
  anchorLine: options.anchorLine ?? where.line,
  final: options.final,
});

export const isBefore = (a: { line: number; column: number }, b: { line: number; column: number }) =>
  a.line < b.line || (a.line === b.line && a.column < b.column);
