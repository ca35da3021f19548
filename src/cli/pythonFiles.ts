// The Python files `loss-lens diagnose PATH` reads: PATH itself, or every .py file under the folder,
// in name order, named from PATH as the user wrote it (`./src/a.py` for `./src`, absolute for
// absolute). Symbolic links are followed once (a link back into the walk is a loop: skipped and
// said); FIFOs, sockets and devices are never opened; folders that cannot be listed are reported.
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { ioReason, notRegularFile } from '../engine';
import { UsageError } from './usageError';

export interface PythonFiles {
  /** The files to diagnose, sorted. */
  files: string[];
  /** Entries left out, and why (a FIFO, a link loop): said on stderr, not an error. */
  skipped: { path: string; reason: string }[];
  /** Folders that could not be listed (permission denied): each is an error of the run. */
  unreadable: { path: string; reason: string }[];
  /** Some PATH is a folder. */
  folder: boolean;
}

/** The Python files of every PATH, in the order given, each file once (`a.py src/` where src/ holds a.py). */
export async function pythonFilesOf(paths: readonly string[]): Promise<PythonFiles> {
  const all: PythonFiles = { files: [], skipped: [], unreadable: [], folder: false };
  const seen = new Set<string>();
  for (const path of paths) {
    const found = await pythonFiles(path);
    for (const file of found.files) {
      if (seen.has(resolve(file))) continue;
      seen.add(resolve(file));
      all.files.push(file);
    }
    all.skipped.push(...found.skipped);
    all.unreadable.push(...found.unreadable);
    all.folder ||= found.folder;
  }
  return all;
}

/** PATH's Python files; a missing PATH or one that is neither a file nor a folder is a usage error. */
export async function pythonFiles(path: string): Promise<PythonFiles> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no such file or folder: ${path}`);
    throw new UsageError(`cannot read ${path}: ${ioReason(error)}`);
  }
  const found: PythonFiles = { files: [], skipped: [], unreadable: [], folder: info.isDirectory() };
  if (info.isFile()) return { ...found, files: [path] };
  if (!info.isDirectory())
    throw new UsageError(`${path} is ${notRegularFile(info)}: diagnose takes a Python file or a folder`);
  const real = await realpath(path);
  await walk(path, found, new Set([real]), new Set([real]));
  found.files.sort();
  return found;
}

/** What a directory entry is, with symbolic links resolved: a folder, a file, or why it is skipped. */
async function entryKind(
  path: string,
  entry: Dirent,
): Promise<{ kind: 'folder'; real: string } | { kind: 'file' } | { kind: 'skip'; reason: string }> {
  if (entry.isFile()) return { kind: 'file' };
  if (entry.isDirectory()) return { kind: 'folder', real: await realpath(path).catch(() => path) };
  if (!entry.isSymbolicLink()) return { kind: 'skip', reason: notRegularFile(entryStats(entry)) ?? 'not a file' };
  try {
    const target = await stat(path);
    if (target.isDirectory()) return { kind: 'folder', real: await realpath(path) };
    if (target.isFile()) return { kind: 'file' };
    return { kind: 'skip', reason: `a symbolic link to ${notRegularFile(target)}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'skip', reason: code === 'ENOENT' ? 'a broken symbolic link' : ioReason(error) };
  }
}

/** `name` in `folder`, keeping the folder as written (path.join would drop a leading `./`). */
const inFolder = (folder: string, name: string) =>
  folder.endsWith(sep) || folder.endsWith('/') ? `${folder}${name}` : `${folder}${sep}${name}`;

/** A Dirent answers the same type questions as Stats (isFIFO, isSocket…). */
const entryStats = (entry: Dirent) => entry as unknown as Stats;

/** `onPath`: the real folders from PATH down to this one; `visited`: every real folder read so far. */
async function walk(folder: string, found: PythonFiles, onPath: Set<string>, visited: Set<string>): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    found.unreadable.push({ path: folder, reason: ioReason(error) });
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = inFolder(folder, entry.name);
    const python = entry.name.endsWith('.py');
    if (!python && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const kind = await entryKind(path, entry);
    if (kind.kind === 'file') {
      if (python) found.files.push(path);
    } else if (kind.kind === 'folder') {
      // A link to a folder the walk is inside would be read forever: a loop, said once and left.
      if (onPath.has(kind.real)) found.skipped.push({ path, reason: 'a symbolic link loop (to a folder above it)' });
      else if (visited.has(kind.real))
        found.skipped.push({ path, reason: 'a folder read already through a symbolic link' });
      else {
        visited.add(kind.real);
        await walk(path, found, new Set([...onPath, kind.real]), visited);
      }
    } else if (python) found.skipped.push({ path, reason: kind.reason });
  }
}
