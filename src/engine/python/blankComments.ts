// The text tree-sitter parses: the source with every comment replaced by as many spaces. In a block,
// tree-sitter-python's scanner looks past all the comment lines that follow a line to find the
// next line's indentation, then does it again after each of them: a run of n comment lines costs
// n² (160 KB of comments in a function took 90 s). Blank lines cost nothing, and comments are not
// syntax (the AST never holds them), while every other character keeps its offset, line and column.

/** Where a string that opens at `start` (a quote) ends: past its closing quote(s), or its line's end. */
function stringEnd(source: string, start: number): number {
  const quote = source[start];
  const closing = source.startsWith(quote.repeat(3), start) ? quote.repeat(3) : quote;
  const triple = closing.length === 3;
  let i = start + closing.length;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (!triple && (c === '\n' || c === '\r'))
      return i; // unterminated: the tokenizer reports it
    else if (source.startsWith(closing, i)) return i + closing.length;
    else i++;
  }
  return source.length;
}

function lineEnd(source: string, from: number): number {
  const newline = /[\r\n]/g;
  newline.lastIndex = from;
  return newline.exec(source)?.index ?? source.length;
}

/** The source with its comments blanked (same length); strings are read as CPython's tokenizer reads them. */
export function blankComments(source: string): string {
  const parts: string[] = [];
  let copiedTo = 0;
  const special = /[#'"]/g;
  for (let match = special.exec(source); match; match = special.exec(source)) {
    const at = match.index;
    if (source[at] === '#') {
      const end = lineEnd(source, at);
      parts.push(source.slice(copiedTo, at), ' '.repeat(end - at));
      copiedTo = end;
      special.lastIndex = end;
    } else special.lastIndex = stringEnd(source, at);
  }
  if (!parts.length) return source;
  parts.push(source.slice(copiedTo));
  return parts.join('');
}
