// How the engine reads a project's files: sources only, never executed. The CLI and the editor's
// worker read the file system; tests may pass an in-memory host.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { MAX_SOURCE_BYTES, readSourceFile } from './sourceFile';

export { MAX_SOURCE_BYTES };

export interface SourceHost {
  /** The text of a file, or undefined when it is not a readable regular file within the size limit. */
  readText(path: string): string | undefined;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /** The names in a folder (for the project-wide scan of call sites); a host without it scans nothing. */
  list?(folder: string): string[];
  /** The path with its symbolic links resolved: the scan visits a folder linked twice (or in a loop) once. */
  realPath?(path: string): string;
}

const stats = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

export const fileSystemHost: SourceHost = {
  readText(path) {
    try {
      return readSourceFile(path); // decoded as CPython would (PEP 263); FIFOs and devices never opened
    } catch {
      return undefined;
    }
  },
  isFile: (path) => stats(path)?.isFile() ?? false,
  isDirectory: (path) => stats(path)?.isDirectory() ?? false,
  list(folder) {
    try {
      return readdirSync(folder).sort();
    } catch {
      return [];
    }
  },
  realPath(path) {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  },
};
