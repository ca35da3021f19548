// How the engine reads a project's files: sources only, never executed. The CLI and the editor's
// worker read the file system; tests may pass an in-memory host.
import { readdirSync, readFileSync, statSync } from 'node:fs';

export interface SourceHost {
  /** The text of a file, or undefined when it is not a readable regular file within the size limit. */
  readText(path: string): string | undefined;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /** The names in a folder (for the project-wide scan of call sites); a host without it scans nothing. */
  list?(folder: string): string[];
}

/** Larger files are not read: no loss module is that big, and parsing one would take seconds. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

const stats = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

export const fileSystemHost: SourceHost = {
  readText(path) {
    const info = stats(path);
    if (!info?.isFile() || info.size > MAX_SOURCE_BYTES) return undefined;
    try {
      return readFileSync(path, 'utf8');
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
};
