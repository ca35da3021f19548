// Reads a file the user named (a source, an eval input): a regular file only (a FIFO, device or
// socket is refused without blocking on it) and at most a given size, checked before reading.
import { type Stats, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** A file that cannot be read: missing, unreadable, not a regular file, too large. */
export class FileReadError extends Error {
  readonly kind = 'read';
}

/** What a path is when it is not a regular file ("a FIFO"), or undefined for a regular file. */
export function notRegularFile(
  info: Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>,
): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'a loop of symbolic links',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the path is too long',
  EISDIR: 'a folder',
  ENXIO: 'a socket or device, not a regular file',
};

/** Why a file system call failed, in words ("permission denied"). */
export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
}

const megabytes = (bytes: number) => `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;

/** The largest file a read takes, and what such files are called in the refusal ("source files"). */
export interface SizeLimit {
  bytes: number;
  what: string;
}

export const tooLargeError = (size: number, name: string, limit: SizeLimit) =>
  new FileReadError(
    `${name} is ${megabytes(size)}: Loss Lens reads ${limit.what} of at most ${megabytes(limit.bytes)}`,
  );

function checkedFile(info: Stats, name: string, limit: SizeLimit): void {
  const kind = notRegularFile(info);
  if (kind) throw new FileReadError(`${name} is ${kind}, not a regular file: not read`);
  if (info.size > limit.bytes) throw tooLargeError(info.size, name, limit);
}

/**
 * The bytes of a regular file within `limit`. Checked before opening (a FIFO is never opened) and
 * again on the open descriptor (the path may have changed in between); opened non-blocking, so not
 * even a FIFO swapped in between can make the read wait. `name` is how errors call the file.
 */
export function readRegularFile(path: string, name: string, limit: SizeLimit): Uint8Array {
  let fd: number | undefined;
  try {
    checkedFile(statSync(path), name, limit);
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    checkedFile(info, name, limit);
    // One byte more than the limit: a file that grew since fstat is still refused, never read whole.
    const buffer = Buffer.alloc(Math.min(info.size, limit.bytes) + 1);
    let length = 0;
    for (let read = 1; read > 0 && length < buffer.length; length += read)
      read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > limit.bytes) throw tooLargeError(length, name, limit);
    return buffer.subarray(0, length);
  } catch (error) {
    throw error instanceof FileReadError ? error : new FileReadError(`cannot read ${name}: ${ioReason(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
