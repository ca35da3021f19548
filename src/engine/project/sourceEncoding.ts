// A Python file's bytes as the text CPython 3.11 reads (PEP 263): UTF-8 unless a coding declaration
// on line 1 or 2 names another codec, a UTF-8 byte-order mark, universal newlines (\r\n and a lone
// \r end a line, as CPython's tokenizer translates them). Bytes the codec cannot decode are a
// SyntaxError at their line, worded as CPython's.
import { InterpreterError } from '../python/errors';

/** CPython's coding declaration (the tokenizer's `get_coding_spec`): `# -*- coding: latin-1 -*-`. */
const CODING_DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
/** A line that lets the declaration sit on line 2: blank or a comment only. */
const BLANK_OR_COMMENT = /^[ \t\f]*(#.*)?$/;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Codecs whose WHATWG decoder (TextDecoder) decodes as Python's does; latin-1 and ascii are ours. */
const WHATWG_CODECS: Record<string, string> = {
  cp1250: 'windows-1250',
  cp1251: 'windows-1251',
  cp1253: 'windows-1253',
  cp1254: 'windows-1254',
  cp1255: 'windows-1255',
  cp1256: 'windows-1256',
  cp1257: 'windows-1257',
  cp1258: 'windows-1258',
  'iso8859-2': 'iso-8859-2',
  'iso8859-3': 'iso-8859-3',
  'iso8859-4': 'iso-8859-4',
  'iso8859-5': 'iso-8859-5',
  'iso8859-6': 'iso-8859-6',
  'iso8859-7': 'iso-8859-7',
  'iso8859-8': 'iso-8859-8',
  'iso8859-10': 'iso-8859-10',
  'iso8859-13': 'iso-8859-13',
  'iso8859-14': 'iso-8859-14',
  'iso8859-15': 'iso-8859-15',
  'iso8859-16': 'iso-8859-16',
  'koi8-r': 'koi8-r',
  'koi8-u': 'koi8-u',
  gbk: 'gbk',
  gb2312: 'gbk',
  gb18030: 'gb18030',
  big5: 'big5',
  'euc-jp': 'euc-jp',
  'shift-jis': 'shift_jis',
  'euc-kr': 'euc-kr',
};

const KNOWN_CODECS =
  'utf-8, latin-1, ascii, the cp125x and iso8859-x code pages, koi8-r, koi8-u, gbk, gb18030, big5, euc-jp, ' +
  'shift-jis and euc-kr';

/** Python's spellings of a codec (after lower-casing and `_` → `-`), as its canonical name. */
const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  u8: 'utf-8',
  utf: 'utf-8',
  cp65001: 'utf-8',
  latin1: 'latin-1',
  l1: 'latin-1',
  latin: 'latin-1',
  'iso8859-1': 'latin-1',
  'iso-8859-1': 'latin-1',
  'iso-latin-1': 'latin-1',
  '8859': 'latin-1',
  cp819: 'latin-1',
  'us-ascii': 'ascii',
  '646': 'ascii',
  us: 'ascii',
  'windows-1250': 'cp1250',
  'windows-1251': 'cp1251',
  'windows-1252': 'cp1252',
  'windows-1253': 'cp1253',
  'windows-1254': 'cp1254',
  'windows-1255': 'cp1255',
  'windows-1256': 'cp1256',
  'windows-1257': 'cp1257',
  'windows-1258': 'cp1258',
  cp936: 'gbk',
  sjis: 'shift-jis',
  'shift-jis': 'shift-jis',
  'euc-jp': 'euc-jp',
  eucjp: 'euc-jp',
  euckr: 'euc-kr',
};

/** The codec a declaration names, in Python's canonical spelling (`ISO_8859-15` → `iso8859-15`). */
function canonicalCodec(declared: string): string {
  const name = declared.toLowerCase().replace(/[_ ]/g, '-');
  // CPython's get_normal_name: "utf-8-sig", "latin-1-unix" and the like are the base codec.
  if (name === 'utf-8' || name.startsWith('utf-8-')) return 'utf-8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(name)) return 'latin-1';
  const iso = /^iso-?8859-(\d+)$/.exec(name);
  if (iso) return iso[1] === '1' ? 'latin-1' : `iso8859-${iso[1]}`;
  return ALIASES[name] ?? name;
}

const syntaxError = (message: string, line: number) =>
  new InterpreterError(
    'syntax',
    `SyntaxError: ${message}`,
    { line, column: 1, endLine: line, endColumn: 1 },
    'SyntaxError',
  );

const lineOf = (bytes: Uint8Array, offset: number) => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  return line;
};

const hexByte = (byte: number) => byte.toString(16).padStart(2, '0');

/** The first byte that is not well-formed UTF-8, and why (Python's words), or undefined. */
function utf8Fault(bytes: Uint8Array, start: number): { offset: number; reason: string } | undefined {
  for (let i = start; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (!length) return { offset: i, reason: 'invalid start byte' };
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined) return { offset: i, reason: 'unexpected end of data' };
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next < min || next > max) return { offset: i, reason: 'invalid continuation byte' };
    }
    i += length;
  }
  return undefined;
}

/** The declaration on line 1, or on line 2 after a blank or comment-only line 1. */
function declaredCodec(bytes: Uint8Array, start: number): { codec: string; line: number } | undefined {
  const head = Buffer.from(bytes.subarray(start, start + 1024)).toString('latin1');
  const [first, second] = head.split(/\r\n|\r|\n/);
  const onFirst = CODING_DECLARATION.exec(first);
  if (onFirst) return { codec: onFirst[1], line: 1 };
  const onSecond = BLANK_OR_COMMENT.test(first) && second !== undefined ? CODING_DECLARATION.exec(second) : null;
  return onSecond ? { codec: onSecond[1], line: 2 } : undefined;
}

/** Universal newlines, as CPython's tokenizer reads a file. */
const universalNewlines = (text: string) => text.replace(/\r\n?/g, '\n');

function decodeUtf8(bytes: Uint8Array, start: number, file: string, declared: boolean): string {
  const fault = utf8Fault(bytes, start);
  if (fault) {
    const line = lineOf(bytes, fault.offset);
    const byte = bytes[fault.offset];
    if (declared)
      throw syntaxError(`(unicode error) 'utf-8' codec can't decode byte 0x${hexByte(byte)}: ${fault.reason}`, line);
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    throw syntaxError(
      `Non-UTF-8 code starting with '\\x${hexByte(byte)}' in file ${file} on line ${line}, but no encoding ` +
        `declared; see https://peps.python.org/pep-0263/ for details${utf16 ? ' (the file is UTF-16)' : ''}`,
      line,
    );
  }
  return new TextDecoder('utf-8').decode(bytes.subarray(start));
}

/**
 * cp1252's bytes 0x80-0x9f (U+FFFD: undefined in Python's codec). Ours: Node 20's TextDecoder decodes
 * windows-1252 as latin-1.
 */
const CP1252_HIGH =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

function decodeCp1252(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const char = bytes[i] >= 0x80 && bytes[i] < 0xa0 ? CP1252_HIGH[bytes[i] - 0x80] : String.fromCharCode(bytes[i]);
    if (char === '\ufffd')
      throw syntaxError(
        `'charmap' codec can't decode byte 0x${hexByte(bytes[i])} in position ${i}: character maps to <undefined>`,
        lineOf(bytes, i),
      );
    text += char;
  }
  return text;
}

function decodeDeclared(bytes: Uint8Array, codec: string, line: number): string {
  if (codec === 'latin-1') return Buffer.from(bytes).toString('latin1');
  if (codec === 'cp1252') return decodeCp1252(bytes);
  if (codec === 'ascii') {
    const offset = bytes.findIndex((b) => b >= 0x80);
    if (offset >= 0)
      throw syntaxError(
        `'ascii' codec can't decode byte 0x${hexByte(bytes[offset])} in position ${offset}: ordinal not in range(128)`,
        lineOf(bytes, offset),
      );
    return Buffer.from(bytes).toString('latin1');
  }
  const label = WHATWG_CODECS[codec];
  if (!label)
    throw syntaxError(`encoding problem: ${codec} is not an encoding Loss Lens reads (it reads ${KNOWN_CODECS})`, line);
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    // Which line holds the bytes: every codec here keeps \n a single byte of its own.
    let begin = 0;
    for (let number = 1; begin <= bytes.length; number++) {
      const end = bytes.indexOf(0x0a, begin);
      const stop = end < 0 ? bytes.length : end;
      try {
        new TextDecoder(label, { fatal: true }).decode(bytes.subarray(begin, stop));
      } catch {
        throw syntaxError(`'${codec}' codec can't decode the bytes of line ${number}`, number);
      }
      begin = stop + 1;
    }
    throw syntaxError(`'${codec}' codec can't decode the file`, line);
  }
}

/**
 * The text of a Python source file, decoded per PEP 263, with universal newlines. `file` names it in
 * CPython's message for bytes that are not UTF-8. Throws a SyntaxError (InterpreterError 'syntax')
 * with the line for an unknown codec or bytes the codec cannot decode.
 */
export function decodePythonSource(bytes: Uint8Array, file: string): string {
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const start = bom ? UTF8_BOM.length : 0;
  const declaration = declaredCodec(bytes, start);
  const codec = declaration && canonicalCodec(declaration.codec);
  if (bom && codec && codec !== 'utf-8') {
    const named = codec === 'latin-1' ? 'iso-8859-1' : codec;
    throw syntaxError(`encoding problem: ${named} with BOM`, declaration!.line);
  }
  const text =
    !codec || codec === 'utf-8'
      ? decodeUtf8(bytes, start, file, codec !== undefined)
      : decodeDeclared(bytes, codec, declaration!.line);
  return universalNewlines(text);
}
