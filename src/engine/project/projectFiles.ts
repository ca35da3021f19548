// The Python files of a project, for the scan that reads how the project uses a loss (call sites,
// the model it trains, constructor arguments). Sources only, never executed; bounded, so that a
// large repository or a virtual environment inside the root cannot make a diagnosis slow.
import { join, relative, sep } from 'node:path';
import type { SourceHost } from './sourceHost';

/** At most this many files are read (breadth-first from the root: top-level scripts first). */
export const MAX_PROJECT_FILES = 2000;
/** At most this many folders are listed. */
const MAX_FOLDERS = 4000;
const MAX_DEPTH = 8;

/** Folders that hold no project code: environments, caches, build output, version control. */
const SKIPPED_FOLDER = /^(\..*|__pycache__|node_modules|site-packages|dist-packages|venv|env|build|dist|.*\.egg-info)$/;

/** Files that may hold a loss's arguments outside Python: build and run scripts, configurations. */
const CONFIG_FILE = /^(Makefile|GNUmakefile|.*\.(mk|make|sh|bash|ya?ml|cfg|ini|toml|json))$/;

/** The project's .py files under `root`, breadth-first, each folder in name order. */
export function projectPythonFiles(host: SourceHost, root: string, limit = MAX_PROJECT_FILES): string[] {
  return projectFiles(host, root, (name) => name.endsWith('.py'), limit);
}

/** The project's build scripts and configuration files (Makefile, *.sh, *.yaml…), as projectPythonFiles. */
export function projectConfigFiles(host: SourceHost, root: string, limit = MAX_PROJECT_FILES): string[] {
  return projectFiles(host, root, (name) => CONFIG_FILE.test(name), limit);
}

function projectFiles(host: SourceHost, root: string, wanted: (name: string) => boolean, limit: number): string[] {
  if (!host.list) return [];
  const files: string[] = [];
  let folders = [root];
  let listed = 0;
  // A folder reached twice through symbolic links (a link to an ancestor loops) is scanned once.
  const visited = new Set<string>();
  const firstVisit = (folder: string) => {
    const real = host.realPath?.(folder) ?? folder;
    if (visited.has(real)) return false;
    visited.add(real);
    return true;
  };
  for (let depth = 0; depth <= MAX_DEPTH && folders.length && files.length < limit; depth++) {
    const next: string[] = [];
    for (const folder of folders) {
      if (++listed > MAX_FOLDERS || files.length >= limit) break;
      if (!firstVisit(folder)) continue;
      // A virtual environment under another name (pyvenv.cfg at its top).
      if (folder !== root && host.isFile(join(folder, 'pyvenv.cfg'))) continue;
      for (const name of host.list(folder)) {
        const path = join(folder, name);
        if (wanted(name)) {
          if (files.length < limit && host.isFile(path)) files.push(path);
        } else if (!SKIPPED_FOLDER.test(name) && !name.includes('.') && host.isDirectory(path)) next.push(path);
      }
    }
    folders = next;
  }
  return files;
}

/** The dotted module name of a project file relative to a folder on the import path (a/b/c.py → a.b.c). */
export function dottedModuleName(base: string, file: string): string | undefined {
  const rel = relative(base, file);
  if (!rel || rel.startsWith('..')) return undefined;
  const parts = rel.replace(/\.py$/, '').split(sep);
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.every((p) => /^[A-Za-z_]\w*$/.test(p)) ? parts.join('.') : undefined;
}
