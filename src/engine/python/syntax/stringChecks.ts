// String literals CPython's parser cannot decode: `"C:\Users\me"` (a truncated \U escape), `"\x1"`,
// `"\N"`, non-ASCII bytes, bytes next to str. CPython decodes a run of adjacent strings once it has
// read the token after them, and reports the error on that token's line.
import { type ParserProblem, parserProblem } from './problem';
import type { Token } from './tokenizer';

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

interface Literal {
  prefix: string;
  /** The text between the quotes. */
  body: string;
}

function literalOf(token: Token): Literal {
  const quote = token.text.search(/['"]/);
  const prefix = token.text.slice(0, quote).toLowerCase();
  const size = token.text.startsWith(token.text[quote].repeat(3), quote) ? 3 : 1;
  return { prefix, body: token.text.slice(quote + size, token.text.length - size) };
}

/** The literal parts of an f-string body (CPython 3.11 decodes each on its own). */
function fStringParts(body: string): string[][] {
  const chars = Array.from(body);
  const parts: string[][] = [[]];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && chars[i + 1] === 'N' && chars[i + 2] === '{') {
      const close = chars.indexOf('}', i);
      const end = close < 0 ? chars.length : close + 1;
      parts.at(-1)!.push(...chars.slice(i, end));
      i = end - 1;
    } else if ((c === '{' || c === '}') && chars[i + 1] === c) {
      parts.at(-1)!.push(c);
      parts.push([]);
      i++;
    } else if (c === '{') {
      let depth = 1;
      while (depth > 0 && ++i < chars.length) {
        if ('{(['.includes(chars[i])) depth++;
        else if ('})]'.includes(chars[i])) depth--;
        else if (chars[i] === "'" || chars[i] === '"') i = Math.max(i, chars.indexOf(chars[i], i + 1));
      }
      parts.push([]);
    } else parts.at(-1)!.push(c);
  }
  return parts;
}

const unicodeError = (start: number, end: number, what: string) =>
  `(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${end}: ${what}`;

/** CPython's unicode-escape decoding of one literal part; non-ASCII characters count 10 bytes (as \UXXXXXXXX). */
function escapeError(chars: string[]): string | undefined {
  let position = 0;
  const width = (c: string) => (c.codePointAt(0)! < 128 ? 1 : 10);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== '\\') {
      position += width(chars[i]);
      continue;
    }
    const start = position;
    const kind = chars[i + 1];
    if (kind === undefined) return undefined;
    const digits = { x: 2, u: 4, U: 8 }[kind as 'x' | 'u' | 'U'];
    if (digits) {
      let count = 0;
      while (count < digits && isHex(chars[i + 2 + count])) count++;
      const name = kind === 'x' ? '\\xXX' : kind === 'u' ? '\\uXXXX' : '\\UXXXXXXXX';
      if (count < digits) return unicodeError(start, start + 1 + count, `truncated ${name} escape`);
      if (kind === 'U' && parseInt(chars.slice(i + 2, i + 10).join(''), 16) > 0x10ffff)
        return unicodeError(start, start + 9, 'illegal Unicode character');
      i += 1 + digits;
      position += 2 + digits;
      continue;
    }
    if (kind === 'N') {
      if (chars[i + 2] !== '{') return unicodeError(start, start + 1, 'malformed \\N character escape');
      const close = chars.indexOf('}', i + 3);
      if (close === i + 3) return unicodeError(start, start + 2, 'malformed \\N character escape');
      if (close < 0) {
        const total = chars.slice(i).reduce((sum, c) => sum + width(c), start);
        return unicodeError(start, total - 1, 'malformed \\N character escape');
      }
      // The name itself is not checked: JavaScript has no table of Unicode character names.
      position += chars.slice(i, close + 1).reduce((sum, c) => sum + width(c), 0);
      i = close;
      continue;
    }
    position += 1 + width(kind);
    i++;
  }
  return undefined;
}

function bytesError(body: string): string | undefined {
  if (Array.from(body).some((c) => c.codePointAt(0)! > 127)) return 'bytes can only contain ASCII literal characters';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue;
    if (body[i + 1] === 'x' && !(isHex(body[i + 2]) && isHex(body[i + 3])))
      return `(value error) invalid \\x escape at position ${i}`;
    i++;
  }
  return undefined;
}

function literalError({ prefix, body }: Literal): string | undefined {
  if (prefix.includes('b')) return prefix.includes('r') ? bytesError(body.replace(/\\./g, '..')) : bytesError(body);
  if (prefix.includes('r')) return undefined;
  const parts = prefix.includes('f') ? fStringParts(body) : [Array.from(body)];
  for (const part of parts) {
    const error = escapeError(part);
    if (error) return error;
  }
  return undefined;
}

export function stringProblems(tokens: readonly Token[]): ParserProblem[] {
  const problems: ParserProblem[] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k].type !== 'STRING' || tokens[k - 1]?.type === 'STRING') continue;
    let end = k;
    while (tokens[end + 1]?.type === 'STRING') end++;
    const run = tokens.slice(k, end + 1);
    const after = tokens[end + 1] ?? tokens[end];
    const literals = run.map(literalOf);
    const bytes = literals.map((l) => l.prefix.includes('b'));
    let message = bytes.some((b) => b !== bytes[0]) ? 'cannot mix bytes and nonbytes literals' : undefined;
    for (let i = 0; i < run.length && !message; i++) {
      message = literalError(literals[i]);
      // Non-ASCII bytes are reported at the string itself.
      if (message?.startsWith('bytes can only')) {
        problems.push(parserProblem(message, run[i]));
        message = undefined;
        break;
      }
    }
    if (message)
      problems.push(
        parserProblem(message, { line: after.line, column: after.column }, { at: run[0], anchorLine: run[0].line }),
      );
    k = end;
  }
  return problems;
}
