// Text the CLI quotes from a file or a user (source lines, file names, Python messages) made safe for
// a terminal: control characters are shown escaped (`\x1b`), so a loss file cannot clear the screen,
// retitle the window or hide a link behind OSC 8; bidirectional overrides are shown too, so a line
// reads in the order Python runs it ("Trojan Source").

/** C0 controls but tab and newline, DEL, C1 controls, bidirectional marks, embeddings and isolates. */
const HIDDEN = /(?![\t\n])[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** The same, newline and tab included: for one-line things such as file names. */
const HIDDEN_IN_LINE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const escaped = (char: string) => {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Text with newlines and tabs kept and every other control character escaped. */
export const visible = (text: string) => text.replace(HIDDEN, escaped);

/** One line: newlines and tabs escaped as well (a file name cannot start a fake line of output). */
export const visibleLine = (text: string) => text.replace(HIDDEN_IN_LINE, escaped);

/** Every string inside a value (a report), made visible; numbers and the structure are kept. */
export function visibleStrings<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) return value.map(visibleStrings) as T;
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleStrings(v)])) as T;
  return value;
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves DEL, C1 and bidirectional
 * characters raw; they are written as \u escapes (the same JSON value).
 */
export const terminalJson = (json: string) =>
  json.replace(
    /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
