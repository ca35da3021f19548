// Where a file's imports are looked up, as Python would: the file's own folder, the project root,
// extra paths (pyright's extraPaths) and the site-packages of a virtual environment found in the
// project. The root is given (the editor's workspace folder, --root) or, for the CLI, the nearest
// folder above the file that is not a package (holds no __init__.py).
import { basename, dirname, join, relative, sep } from 'node:path';
import type { SourceHost } from './sourceHost';

export interface ProjectOptions {
  /** The project root; default: the nearest folder above the file without an __init__.py. */
  root?: string;
  /** More folders to import from, after the root (--path, lossLens.extraPaths). */
  extraPaths?: string[];
  /** A Python interpreter or environment folder (VIRTUAL_ENV, the Python extension's selection). */
  environment?: string;
}

export interface ProjectLayout {
  root: string;
  /** In lookup order. */
  searchPaths: string[];
  /** The diagnosed file's module name and package (relative imports start from the package). */
  moduleName: string;
  package: string;
}

const isPackage = (host: SourceHost, folder: string) => host.isFile(join(folder, '__init__.py'));

/** The nearest folder above `file` that is not a package. */
export function defaultRoot(host: SourceHost, file: string): string {
  let folder = dirname(file);
  while (isPackage(host, folder) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

/** site-packages folders of an environment: a venv folder or an interpreter inside one. */
export function sitePackages(host: SourceHost, environment: string): string[] {
  let home = environment;
  // An interpreter path (…/venv/bin/python, …\Scripts\python.exe): its environment is two levels up.
  if (host.isFile(home)) home = dirname(dirname(home));
  const windows = join(home, 'Lib', 'site-packages');
  if (host.isDirectory(windows)) return [windows];
  const lib = join(home, 'lib');
  const found: string[] = [];
  for (const minor of PYTHON_MINOR_VERSIONS) {
    const candidate = join(lib, `python3.${minor}`, 'site-packages');
    if (host.isDirectory(candidate)) found.push(candidate);
  }
  return found;
}

const PYTHON_MINOR_VERSIONS = [14, 13, 12, 11, 10, 9, 8, 7, 6];

/** Environments the project holds itself (.venv, venv, env) when none is given. */
function projectEnvironments(host: SourceHost, root: string): string[] {
  return ['.venv', 'venv', 'env']
    .map((name) => join(root, name))
    .filter((path) => host.isFile(join(path, 'pyvenv.cfg')));
}

export function projectLayout(host: SourceHost, file: string, options: ProjectOptions = {}): ProjectLayout {
  const root = options.root ?? defaultRoot(host, file);
  const environments = options.environment ? [options.environment] : projectEnvironments(host, root);
  const searchPaths = unique([
    dirname(file),
    root,
    ...(options.extraPaths ?? []),
    ...environments.flatMap((env) => sitePackages(host, env)),
  ]);
  const { moduleName, package: pkg } = moduleIdentity(host, file, root);
  return { root, searchPaths, moduleName, package: pkg };
}

/** The dotted name Python gives `file` when the packages above it are imported from `root`. */
export function moduleIdentity(host: SourceHost, file: string, root: string): { moduleName: string; package: string } {
  const stem = basename(file).replace(/\.pyw?$/, '');
  // Only the packages directly above the file count (up to the root); a plain folder ends the chain.
  const packages: string[] = [];
  let folder = dirname(file);
  while (isPackage(host, folder) && relative(root, folder) !== '' && !relative(root, folder).startsWith('..')) {
    packages.unshift(basename(folder));
    folder = dirname(folder);
  }
  if (stem === '__init__') return { moduleName: packages.join('.'), package: packages.join('.') };
  return { moduleName: [...packages, stem].join('.'), package: packages.join('.') };
}

function unique(paths: string[]): string[] {
  return [...new Set(paths.map((p) => p.split(sep).join(sep)))];
}
