// Python's format mini-language (f-strings, str.format) for the specs loss code uses in messages.
import type { SourceRange } from './ast';
import { InterpreterError, valueError } from './errors';
import { DEFAULT_LIMITS } from './limits';
import { isTensor, str, toFloat } from './protocols';
import type { PyValue } from './values';

const SPEC = /^(?:(.)?([<>^=]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

export function formatValue(value: PyValue, spec: string, range?: SourceRange): string {
  if (!spec) return str(value);
  const m = SPEC.exec(spec);
  if (!m) throw valueError(`invalid format specifier '${spec}'`, range);
  const [, fill = ' ', align, sign, , zero, width, grouping, precision, type] = m;
  let text: string;
  const numeric =
    typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || isTensor(value);
  if (type && 'eEfFgG%'.includes(type)) {
    const x = toFloat(value);
    const p = precision === undefined ? 6 : Number(precision);
    switch (type) {
      case 'e':
      case 'E':
        text = x.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
        if (type === 'E') text = text.toUpperCase();
        break;
      case 'f':
      case 'F':
        text = Number.isFinite(x) ? x.toFixed(p) : str(x);
        break;
      case '%':
        text = `${(x * 100).toFixed(p)}%`;
        break;
      default: {
        text = String(Number(x.toPrecision(p || 1)));
        if (text.includes('e')) text = text.replace(/e([+-])(\d)$/, 'e$10$2');
      }
    }
  } else if (type === 'd' || type === 'n') {
    text = BigInt(Math.trunc(toFloat(value))).toString();
  } else if (type === 'x' || type === 'X' || type === 'o' || type === 'b') {
    text = Math.trunc(toFloat(value)).toString(type === 'o' ? 8 : type === 'b' ? 2 : 16);
    if (type === 'X') text = text.toUpperCase();
  } else if (precision !== undefined && numeric && !(typeof value === 'bigint')) {
    text = String(Number(toFloat(value).toPrecision(Number(precision))));
  } else {
    text = str(value);
    if (precision !== undefined && typeof value === 'string') text = text.slice(0, Number(precision));
  }
  if (grouping) {
    const [intPart, frac] = text.split('.');
    text = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (frac !== undefined ? `.${frac}` : '');
  }
  if (sign === '+' && numeric && !text.startsWith('-')) text = `+${text}`;
  if (sign === ' ' && numeric && !text.startsWith('-')) text = ` ${text}`;
  const w = width ? Number(width) : 0;
  if (text.length >= w) return text;
  // The padding is built before any caller could check the string: a width past the string limit is refused.
  if (w > DEFAULT_LIMITS.maxStringLength)
    throw new InterpreterError('limit', `limit: a format width of ${w} characters is too large`, range);
  const padChar = zero && !align ? '0' : fill;
  const pad = padChar.repeat(w - text.length);
  const effectiveAlign = align ?? (zero ? '=' : numeric ? '>' : '<');
  switch (effectiveAlign) {
    case '<':
      return text + pad;
    case '^': {
      const left = Math.floor(pad.length / 2);
      return pad.slice(0, left) + text + pad.slice(left);
    }
    case '=':
      return /^[+-]/.test(text) ? text[0] + pad + text.slice(1) : pad + text;
    default:
      return pad + text;
  }
}
