// How the rest of the project uses the diagnosed file: the files that import it (a training script
// that builds and calls the loss, compiles a model with it), the project modules those import (the
// model it trains), and any file that names one of its losses (a config string, a registry). Read
// and parsed, never run; a file is parsed only when its text names a loss or is imported by a file
// that does.
import { dirname, join, resolve } from 'node:path';
import type { Framework } from '../contract';
import { LossProgram, type ProjectContext } from '../program';
import type { Module, Stmt } from '../python/ast';
import { dottedModuleName, projectConfigFiles, projectPythonFiles } from '../project/projectFiles';
import { moduleIdentity } from '../project/projectPaths';

export interface ProjectFile {
  path: string;
  source: string;
  module: Module;
}

export interface ProjectUses {
  /** Files that import the diagnosed module (or a package that re-exports it) and name one of its losses. */
  consumers: ProjectFile[];
  /** Project modules the consumers import: the model they train, its layers. */
  related: ProjectFile[];
  /** Other files that name a loss (in code or in a string): configurations, registries. */
  mentions: ProjectFile[];
  /** Build scripts and configurations that name a loss (a Makefile's --losses="[('DiceLoss', {…})]"). */
  configs?: { path: string; text: string }[];
  /** A 3-D layer somewhere in the project (Conv3d, Conv3D...): volumes are likely. */
  volumetric?: { file: string; line: number; why: string };
}

export const NO_PROJECT_USES: ProjectUses = { consumers: [], related: [], mentions: [] };

/** At most this many files that name a loss are parsed per diagnosis (a name like `dice` is everywhere). */
const MAX_PARSED = 80;

/** Parsed project files by path, reused while their text does not change. */
const parsed = new Map<string, ProjectFile | null>();
const MAX_CACHED = 1000;

async function parseFile(path: string, source: string): Promise<ProjectFile | undefined> {
  const hit = parsed.get(path);
  if (hit !== undefined && (hit === null || hit.source === source)) return hit ?? undefined;
  let file: ProjectFile | null = null;
  try {
    file = { path, source, module: await LossProgram.parse(source) };
  } catch {
    // A file that does not parse says nothing about how the loss is used.
  }
  if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
  parsed.set(path, file);
  return file ?? undefined;
}

interface ImportOf {
  module: string;
  names: string[];
}

/** The absolute modules a file imports, relative imports resolved from its package. */
function importsOf(module: Module, pkg: string): ImportOf[] {
  const found: ImportOf[] = [];
  const visit = (body: readonly Stmt[]) => {
    for (const stmt of body) {
      if (stmt.kind === 'import') for (const n of stmt.names) found.push({ module: n.module, names: [] });
      else if (stmt.kind === 'importfrom') {
        let base = stmt.module;
        if (stmt.level > 0) {
          const parts = pkg ? pkg.split('.') : [];
          const up = parts.slice(0, Math.max(parts.length - (stmt.level - 1), 0));
          base = [...up, ...(stmt.module ? [stmt.module] : [])].join('.');
        }
        found.push({ module: base, names: stmt.names === '*' ? ['*'] : stmt.names.map((n) => n.name) });
      } else if (stmt.kind === 'if' || stmt.kind === 'try' || stmt.kind === 'def' || stmt.kind === 'class') {
        // Imports inside `if __name__ == "__main__":`, try blocks and functions count too.
        if (stmt.kind === 'if') visit([...stmt.body, ...stmt.orelse]);
        else if (stmt.kind === 'try') visit([...stmt.body, ...stmt.handlers.flatMap((h) => h.body), ...stmt.orelse]);
        else if (stmt.kind === 'def') visit(stmt.def.body);
        else visit(stmt.body);
      }
    }
  };
  visit(module.body);
  return found;
}

const VOLUMETRIC = /\b(Conv3d|Conv3D|ConvTranspose3d|Conv3DTranspose|MaxPool3d|MaxPooling3D|UpSampling3D)\b/;

/**
 * Reads the project around `file` (its root from the layout): which files import it and name the
 * losses `names`, the modules those import, the files that mention a loss otherwise.
 */
export async function projectUses(
  project: ProjectContext,
  file: string,
  names: readonly string[],
): Promise<ProjectUses> {
  const { layout, host } = project;
  const self = resolve(file);
  const uses: ProjectUses = { consumers: [], related: [], mentions: [] };
  const paths = projectPythonFiles(host, layout.root).filter((p) => resolve(p) !== self);
  const sources = new Map<string, string>();
  for (const path of paths) {
    const source = host.readText(path);
    if (source === undefined) continue;
    sources.set(path, source);
    const match = VOLUMETRIC.exec(source);
    if (match && !uses.volumetric) {
      const line = source.slice(0, match.index).split('\n').length;
      uses.volumetric = { file: path, line, why: `${match[1]} in ${relativeName(layout.root, path)}` };
    }
  }
  const wordOf = names.map((n) => new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
  const targets = (importer: string) =>
    new Set([layout.moduleName, dottedModuleName(dirname(importer), self)].filter((m): m is string => !!m));
  const importedModules = new Set<string>();
  let parsedCount = 0;
  for (const [path, source] of sources) {
    if (!wordOf.some((w) => w.test(source)) || ++parsedCount > MAX_PARSED) continue;
    const parsedFile = await parseFile(path, source);
    if (!parsedFile) continue;
    const { package: pkg } = moduleIdentity(host, path, layout.root);
    const imports = importsOf(parsedFile.module, pkg);
    const wanted = targets(path);
    const importsTarget = imports.some(
      ({ module, names: imported }) =>
        wanted.has(module) ||
        imported.some((n) => wanted.has(`${module}.${n}`)) ||
        ([...wanted].some((t) => t.startsWith(`${module}.`)) && imported.some((n) => n === '*' || names.includes(n))),
    );
    if (!importsTarget) {
      uses.mentions.push(parsedFile);
      continue;
    }
    uses.consumers.push(parsedFile);
    for (const { module, names: imported } of imports) {
      importedModules.add(module);
      for (const n of imported) importedModules.add(`${module}.${n}`);
      // Sibling modules of a script in a plain folder.
      const sibling = dottedModuleName(layout.root, dirname(path));
      if (sibling) importedModules.add(`${sibling}.${module}`);
    }
  }
  for (const path of projectConfigFiles(host, layout.root)) {
    const text = host.readText(path);
    if (text !== undefined && wordOf.some((w) => w.test(text))) (uses.configs ??= []).push({ path, text });
  }
  for (const [path, source] of sources) {
    if (uses.consumers.some((c) => c.path === path)) continue;
    const name = dottedModuleName(layout.root, path);
    if (!name || !importedModules.has(name)) continue;
    const parsedFile = await parseFile(path, source);
    if (parsedFile) uses.related.push(parsedFile);
  }
  return uses;
}

function relativeName(root: string, path: string): string {
  return path.startsWith(root) ? path.slice(root.length).replace(/^[\\/]/, '') : path;
}

/** The framework a set of imports names (torch first, then Keras, TensorFlow, Theano, numpy). */
function frameworkOfImports(imports: readonly ImportOf[]): Framework | undefined {
  const names = imports.flatMap(({ module, names }) => [module, ...names.map((n) => `${module}.${n}`)]);
  const root = (r: string) => names.some((n) => n === r || n.startsWith(`${r}.`));
  if (root('torch')) return 'torch';
  if (root('keras') || root('tensorflow.keras') || root('tensorflow.python.keras')) return 'keras';
  if (root('tensorflow')) return 'tf';
  if (root('theano')) return 'theano';
  if (root('numpy')) return 'numpy';
  return undefined;
}

/**
 * A file that imports no framework itself, inside a package that picks one (its __init__.py
 * imports keras or tensorflow, maybe inside a function that selects the backend): that framework.
 */
export async function packageFramework(project: ProjectContext, file: string): Promise<Framework | undefined> {
  const { host, layout } = project;
  for (let folder = dirname(resolve(file)); host.isFile(join(folder, '__init__.py')); folder = dirname(folder)) {
    const path = join(folder, '__init__.py');
    const source = host.readText(path);
    const parsedFile = source === undefined ? undefined : await parseFile(path, source);
    if (!parsedFile) continue;
    const framework = frameworkOfImports(importsOf(parsedFile.module, moduleIdentity(host, path, layout.root).package));
    if (framework) return framework;
    if (dirname(folder) === folder) break;
  }
  return undefined;
}
