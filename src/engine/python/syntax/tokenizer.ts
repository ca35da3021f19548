// CPython 3's tokenizer (Parser/tokenizer.c), for what tree-sitter forgives: indentation (tabs at 8
// columns, checked against tabs at 1), brackets, strings, numbers, characters, line continuations.
// It stops at the first error, as CPython's does, with CPython's type, message and line. f-strings
// are single STRING tokens, as in 3.11.
import type { SyntaxProblem } from './problem';

export type TokenType = 'NAME' | 'NUMBER' | 'STRING' | 'OP' | 'NEWLINE' | 'INDENT' | 'DEDENT' | 'ENDMARKER';

export interface Token {
  type: TokenType;
  text: string;
  /** 1-based line and column of the token's first character. */
  line: number;
  column: number;
  /** 1-based line and column just past the token. */
  endLine: number;
  endColumn: number;
}

/**
 * A tokenizer error. `raised` errors are the ones CPython raises from the tokenizer itself (literals,
 * strings, brackets, characters): they win over a parser error earlier in the file, because CPython
 * tokenizes the rest of the file after a parser error. The others (indentation, line continuation)
 * only count when the parser reaches them.
 */
export interface TokenizerError extends SyntaxProblem {
  raised: boolean;
}

export interface Tokenized {
  tokens: Token[];
  error?: TokenizerError;
  /** The innermost bracket still open at the end of the file (CPython: "'(' was never closed"). */
  unclosed?: { bracket: string; line: number; column: number };
}

const TAB_SIZE = 8;
const MAX_INDENT = 100;
const MAX_LEVEL = 200;
const OPERATORS_3 = new Set(['**=', '//=', '>>=', '<<=', '...']);
const OPERATORS_2 = new Set([
  ...['!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '<>', '=='],
  ...['>=', '>>', '@=', '^=', '|='],
]);
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHexDigit = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAsciiLetter = (c: string | undefined) => c !== undefined && /^[a-zA-Z]$/.test(c);
const isIdentifierStart = (c: string | undefined) =>
  c !== undefined && (isAsciiLetter(c) || c === '_' || c.codePointAt(0)! >= 128);
const isIdentifierChar = (c: string | undefined) => isIdentifierStart(c) || isDigit(c);
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const hex = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/** The source as CPython's compile() sees it: universal newlines, no BOM, a final newline. */
export function normalizedSource(source: string): string {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return text.endsWith('\n') || text === '' ? text : `${text}\n`;
}

class Scanner {
  readonly chars: string[];
  i = 0;
  line = 1;
  lineStart = 0;
  readonly tokens: Token[] = [];

  constructor(text: string) {
    this.chars = Array.from(text);
  }

  peek(offset = 0): string | undefined {
    return this.chars[this.i + offset];
  }

  column(index = this.i): number {
    return index - this.lineStart + 1;
  }

  newline(): void {
    this.line++;
    this.lineStart = this.i;
  }

  /** The line of the end-of-file tokens: CPython's last line, not the empty one after the final newline. */
  get endLine(): number {
    return this.i >= this.chars.length && this.i === this.lineStart ? Math.max(1, this.line - 1) : this.line;
  }

  push(type: TokenType, start: number, startLine: number, startColumn: number): Token {
    const token = {
      type,
      text: this.chars.slice(start, this.i).join(''),
      line: startLine,
      column: startColumn,
      endLine: this.line,
      endColumn: this.column(),
    };
    this.tokens.push(token);
    return token;
  }
}

type Raise = (message: string, line?: number, column?: number) => never;

class TokenizerStop extends Error {
  constructor(readonly error: TokenizerError) {
    super(error.message);
  }
}

export function tokenize(source: string): Tokenized {
  const s = new Scanner(normalizedSource(source));
  const indents = [0];
  const altIndents = [0];
  const brackets: { bracket: string; line: number; column: number }[] = [];
  const stop = (
    type: TokenizerError['type'],
    message: string,
    raised: boolean,
    line = s.line,
    column = s.column(),
  ): never => {
    throw new TokenizerStop({ type, message, line, column, raised });
  };
  const raise: Raise = (message, line, column) => stop('SyntaxError', message, true, line, column);
  try {
    let atLineStart = true;
    let blankLine = false;
    for (;;) {
      if (atLineStart) {
        atLineStart = false;
        blankLine = indentation(s, indents, altIndents, brackets.length > 0, stop);
      }
      // Tokens of the line, up to its newline (or a continuation).
      while (s.peek() === ' ' || s.peek() === '\t' || s.peek() === '\f') s.i++;
      let c = s.peek();
      if (c === '#') {
        while (s.peek() !== '\n' && s.peek() !== undefined) s.i++;
        c = s.peek();
      }
      if (c === undefined) {
        if (brackets.length) return { tokens: s.tokens, unclosed: brackets.at(-1) };
        s.tokens.push({
          type: 'ENDMARKER',
          text: '',
          line: s.endLine,
          column: 1,
          endLine: s.endLine,
          endColumn: 1,
        });
        return { tokens: s.tokens };
      }
      const start = s.i;
      const line = s.line;
      const column = s.column();
      if (c === '\n') {
        s.i++;
        if (!blankLine && !brackets.length) s.push('NEWLINE', start, line, column);
        s.newline();
        atLineStart = true;
        continue;
      }
      if (isIdentifierStart(c)) {
        if (nameOrString(s, raise)) s.push('STRING', start, line, column);
        else s.push('NAME', start, line, column);
        continue;
      }
      if (c === '.' && isDigit(s.peek(1))) {
        s.i++;
        number(s, raise, 'fraction');
        s.push('NUMBER', start, line, column);
        continue;
      }
      if (isDigit(c)) {
        number(s, raise, 'start');
        s.push('NUMBER', start, line, column);
        continue;
      }
      if (c === '"' || c === "'") {
        string(s, raise);
        s.push('STRING', start, line, column);
        continue;
      }
      if (c === '\\') {
        s.i++;
        if (s.peek() !== '\n') stop('SyntaxError', 'unexpected character after line continuation character', false);
        s.i++;
        s.newline();
        if (s.peek() === undefined) stop('SyntaxError', 'unexpected EOF while parsing', false, s.endLine, 1);
        continue;
      }
      const three = s.chars.slice(s.i, s.i + 3).join('');
      const two = three.slice(0, 2);
      s.i += OPERATORS_3.has(three) ? 3 : OPERATORS_2.has(two) ? 2 : 1;
      if (c === '(' || c === '[' || c === '{') {
        if (brackets.length >= MAX_LEVEL) raise('too many nested parentheses', line, column);
        brackets.push({ bracket: c, line, column });
      } else if (c in CLOSING) {
        const opening = brackets.pop();
        if (!opening) raise(`unmatched '${c}'`, line, column);
        if (opening.bracket !== CLOSING[c]) {
          const where = opening.line === line ? '' : ` on line ${opening.line}`;
          raise(`closing parenthesis '${c}' does not match opening parenthesis '${opening.bracket}'${where}`);
        }
      }
      s.push('OP', start, line, column);
    }
  } catch (error) {
    if (error instanceof TokenizerStop) return { tokens: s.tokens, error: error.error };
    throw error;
  }
}

/**
 * The indentation of a new line: INDENT and DEDENT tokens, or CPython's indentation errors. Returns
 * whether the line is blank (whitespace or a comment only), which never changes the indentation.
 */
function indentation(
  s: Scanner,
  indents: number[],
  altIndents: number[],
  inBrackets: boolean,
  stop: (type: TokenizerError['type'], message: string, raised: boolean, line?: number, column?: number) => never,
): boolean {
  let col = 0;
  let altCol = 0;
  let j = s.i;
  for (; j < s.chars.length; j++) {
    const c = s.chars[j];
    if (c === ' ') {
      col++;
      altCol++;
    } else if (c === '\t') {
      col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE;
      altCol++;
    } else if (c === '\f') col = altCol = 0;
    else break;
  }
  const first = s.chars[j];
  if (first === '#' || first === '\n') return true;
  if (inBrackets) return false;
  const atEnd = first === undefined;
  const line = atEnd ? s.endLine : s.line;
  const column = atEnd ? 1 : j - s.lineStart + 1;
  const tabError = () => stop('TabError', 'inconsistent use of tabs and spaces in indentation', false, line, column);
  const token = (type: 'INDENT' | 'DEDENT') =>
    s.tokens.push({ type, text: '', line, column, endLine: line, endColumn: column });
  if (col === indents.at(-1)) {
    if (altCol !== altIndents.at(-1)) tabError();
  } else if (col > indents.at(-1)!) {
    if (indents.length >= MAX_INDENT) stop('IndentationError', 'too many levels of indentation', false, line, column);
    if (altCol <= altIndents.at(-1)!) tabError();
    indents.push(col);
    altIndents.push(altCol);
    token('INDENT');
  } else {
    while (indents.length > 1 && col < indents.at(-1)!) {
      indents.pop();
      altIndents.pop();
      token('DEDENT');
    }
    if (col !== indents.at(-1))
      stop('IndentationError', 'unindent does not match any outer indentation level', false, line, column);
    if (altCol !== altIndents.at(-1)) tabError();
  }
  return false;
}

/**
 * A name, or a string with its prefix (b, r, u, f and their valid combinations: `ur''` is the name
 * `ur` then a string). Returns true for a string.
 */
function nameOrString(s: Scanner, raise: Raise): boolean {
  const nameStart = s.i;
  let sawB = false;
  let sawR = false;
  let sawU = false;
  let sawF = false;
  for (;;) {
    const c = s.peek()!;
    if (!(sawB || sawU || sawF) && (c === 'b' || c === 'B')) sawB = true;
    else if (!(sawB || sawU || sawR || sawF) && (c === 'u' || c === 'U')) sawU = true;
    else if (!(sawR || sawU) && (c === 'r' || c === 'R')) sawR = true;
    else if (!(sawF || sawB || sawU) && (c === 'f' || c === 'F')) sawF = true;
    else break;
    s.i++;
    if (s.peek() === '"' || s.peek() === "'") {
      string(s, raise, sawF);
      return true;
    }
  }
  while (isIdentifierChar(s.peek())) s.i++;
  const name = s.chars.slice(nameStart, s.i);
  if (name.some((c) => c.codePointAt(0)! >= 128)) {
    const invalid = name.findIndex((c, k) => !(k === 0 ? /[\p{XID_Start}_]/u : /\p{XID_Continue}/u).test(c));
    if (invalid >= 0) {
      const c = name[invalid];
      const column = nameStart + invalid - s.lineStart + 1;
      if (NON_PRINTABLE.test(c) && c !== ' ') raise(`invalid non-printable character U+${hex(c)}`, s.line, column);
      raise(`invalid character '${c}' (U+${hex(c)})`, s.line, column);
    }
  }
  return false;
}

/**
 * A string literal from its opening quote; unterminated ones are reported at their first line. An
 * f-string's replacement fields are read as Python 3.12 reads them (PEP 701): they may hold strings in
 * any quotes and span lines, so `f"{d["key"]}"` is one string.
 */
function string(s: Scanner, raise: Raise, formatted = false): void {
  const quote = s.peek()!;
  const line = s.line;
  const column = s.column();
  s.i++;
  let quoteSize = 1;
  if (s.peek() === quote) {
    if (s.peek(1) !== quote) {
      s.i++;
      return; // the empty string
    }
    quoteSize = 3;
    s.i += 2;
  }
  const unterminated = (c: string | undefined): never => {
    const detected = c === undefined ? s.endLine : s.line;
    const what = quoteSize === 3 ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
    return raise(`${what} (detected at line ${detected})`, line, column);
  };
  /** Literal text up to the closing quotes, or (`spec`) up to the `}` closing a format spec. */
  const literal = (spec: boolean): void => {
    let endQuoteSize = 0;
    while (endQuoteSize !== quoteSize) {
      const c = s.peek();
      if (c === undefined || (quoteSize === 1 && c === '\n')) unterminated(c);
      s.i++;
      if (c === '\n') s.newline();
      if (c === quote && !spec) {
        endQuoteSize++;
        continue;
      }
      endQuoteSize = 0;
      if (c === '\\') {
        const escaped = s.peek();
        // A backslash never escapes an f-string's braces (`fr'\{{'`, `f'\{x}'`).
        if (escaped !== undefined && !(formatted && (escaped === '{' || escaped === '}'))) s.i++;
        if (escaped === '\n') s.newline();
        if (formatted && escaped === 'N' && s.peek() === '{') while (s.peek() !== '}' && s.peek() !== undefined) s.i++;
      } else if (formatted && c === '{') {
        if (s.peek() === '{' && !spec) s.i++;
        else field();
      } else if (spec && c === '}') return;
    }
  };
  /** A replacement field after its `{`: the expression, then a conversion or a format spec, then `}`. */
  const field = (): void => {
    let depth = 0;
    for (;;) {
      const c = s.peek();
      if (c === undefined) unterminated(c);
      if (c === '"' || c === "'") string(s, raise);
      else if (isIdentifierStart(c)) nameOrString(s, raise);
      else if (c === '#') while (s.peek() !== '\n' && s.peek() !== undefined) s.i++;
      else {
        s.i++;
        if (c === '\n') s.newline();
        else if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']') depth--;
        else if (c === '}' && depth-- === 0) return;
        else if (c === ':' && depth === 0) return literal(true);
      }
    }
  };
  literal(false);
}

/** A number literal, with CPython's errors for Python 2 octals and longs, misplaced underscores, bad digits. */
function number(s: Scanner, raise: Raise, from: 'start' | 'fraction'): void {
  const startColumn = s.column();
  const invalid = (kind: string): never => raise(`invalid ${kind} literal`, s.line, s.column());
  /** CPython's verify_end_of_number: a letter right after a number is an error, but for `1if`, `1or`... */
  const end = (kind: string) => {
    const c = s.peek();
    const rest = s.chars.slice(s.i, s.i + 5).join('');
    const keyword = /^(and|else|for|if|in|is|or|not)/.test(rest);
    if (!keyword && isIdentifierChar(c)) invalid(kind);
  };
  const decimalTail = () => {
    for (;;) {
      while (isDigit(s.peek())) s.i++;
      if (s.peek() !== '_') return;
      s.i++;
      if (!isDigit(s.peek())) invalid('decimal');
    }
  };
  const digitsOf = (kind: string, isKindDigit: (c: string | undefined) => boolean, digitError: boolean) => {
    s.i += 2;
    do {
      if (s.peek() === '_') s.i++;
      if (!isKindDigit(s.peek())) {
        if (digitError && isDigit(s.peek())) raise(`invalid digit '${s.peek()}' in ${kind} literal`);
        invalid(kind);
      }
      while (isKindDigit(s.peek())) s.i++;
    } while (s.peek() === '_');
    if (digitError && isDigit(s.peek())) raise(`invalid digit '${s.peek()}' in ${kind} literal`);
    end(kind);
  };
  const exponentAndImaginary = () => {
    if (s.peek() === 'e' || s.peek() === 'E') {
      const afterE = s.peek(1);
      if (afterE === '+' || afterE === '-') {
        s.i += 2;
        if (!isDigit(s.peek())) invalid('decimal');
      } else if (!isDigit(afterE)) {
        end('decimal'); // `1else` is 1 then else; `1e` is an error
        return;
      } else s.i++;
      decimalTail();
    }
    if (s.peek() === 'j' || s.peek() === 'J') {
      s.i++;
      end('imaginary');
    } else end('decimal');
  };
  if (from === 'fraction') {
    decimalTail();
    exponentAndImaginary();
    return;
  }
  if (s.peek() === '0') {
    const base = s.peek(1);
    if (base === 'x' || base === 'X') return digitsOf('hexadecimal', isHexDigit, false);
    if (base === 'o' || base === 'O') return digitsOf('octal', (c) => c !== undefined && c >= '0' && c <= '7', true);
    if (base === 'b' || base === 'B') return digitsOf('binary', (c) => c === '0' || c === '1', true);
    // Zeros, then maybe an old-style octal (0777): an error unless it turns out to be a float or imaginary.
    s.i++;
    for (;;) {
      if (s.peek() === '_') {
        s.i++;
        if (!isDigit(s.peek())) invalid('decimal');
      }
      if (s.peek() !== '0') break;
      s.i++;
    }
    const zerosEnd = s.i;
    let nonzero = false;
    if (isDigit(s.peek())) {
      nonzero = true;
      decimalTail();
    }
    const c = s.peek();
    if (c === '.') {
      s.i++;
      decimalTail();
      exponentAndImaginary();
    } else if (c === 'e' || c === 'E' || c === 'j' || c === 'J') exponentAndImaginary();
    else if (nonzero) {
      s.i = zerosEnd;
      raise(
        'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
        s.line,
        startColumn,
      );
    } else end('decimal');
    return;
  }
  decimalTail();
  if (s.peek() === '.') {
    s.i++;
    if (isDigit(s.peek())) decimalTail();
  }
  exponentAndImaginary();
}
