// Reads a Python source file from disk as CPython would: a regular file of at most
// MAX_SOURCE_BYTES, decoded per PEP 263 with universal newlines.
import { type SizeLimit, readRegularFile, tooLargeError } from './regularFile';
import { decodePythonSource } from './sourceEncoding';

/** Larger files are refused: no loss module is that big, and parsing one would take minutes. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const SOURCE_LIMIT: SizeLimit = { bytes: MAX_SOURCE_BYTES, what: 'source files' };

/**
 * The text of a Python source file. Throws a FileReadError when it cannot be read (missing,
 * unreadable, a FIFO or device, too large) and a SyntaxError with the line for a bad encoding.
 */
export function readSourceFile(path: string, name = path): string {
  const bytes = readRegularFile(path, name, SOURCE_LIMIT);
  return decodePythonSource(bytes, name);
}

/** A source handed over as text (an editor's document) is held to the same bound as a file read from disk. */
export function checkSourceSize(source: string, name: string): void {
  // UTF-16 length first: a cheap bound that spares measuring small sources in bytes.
  if (source.length * 3 <= MAX_SOURCE_BYTES) return;
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_SOURCE_BYTES) throw tooLargeError(bytes, name, SOURCE_LIMIT);
}
