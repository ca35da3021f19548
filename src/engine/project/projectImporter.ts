// The project's own modules for the interpreter: a dotted name is looked up on the search paths as
// Python does (a module file, a package's __init__.py, a namespace folder), parsed, and loaded on
// demand (nothing runs until a name is used). Small well-known helpers of uninstalled libraries
// (MONAI's reduction enum, kornia's checks) come from faithful models instead (helperModels.ts).
import { join } from 'node:path';
import type { Module, SourceRange } from '../python/ast';
import { type Framework, frameworkFromImports } from '../contract';
import { InterpreterError } from '../python/errors';
import type { Interpreter } from '../python/interpreter';
import type { ModuleImporter } from '../python/moduleImporter';
import { PyModule, PyOpaque, type PyValue } from '../python/values';
import { HELPER_MODELS } from './helperModels';
import type { SourceHost } from './sourceHost';

/** More project modules than this in one diagnosis means something is wrong: the rest stay unresolved. */
const MAX_MODULES = 400;

export type ParseModule = (source: string, file: string) => Module;

export class ProjectImporter implements ModuleImporter {
  private readonly modules = new Map<string, PyModule | null>();
  /** The parsed project files, in the order they were first imported. */
  private readonly parsed: Module[] = [];
  /** The text of each project file read, by the path its ranges carry. */
  private readonly sources = new Map<string, string>();

  constructor(
    private readonly host: SourceHost,
    private readonly searchPaths: readonly string[],
    private readonly parse: ParseModule,
    private readonly interpreter: Interpreter,
  ) {}

  /** The diagnosed file's own module, so that imports of it (cycles) reach the same globals. */
  register(name: string, module: PyModule): void {
    if (name) this.modules.set(name, module);
  }

  /** The text of a project file this importer read (`SourceRange.file`). */
  sourceOf(file: string): string | undefined {
    return this.sources.get(file);
  }

  /** The framework the imported project modules use (a file that imports none gets it from its package). */
  framework(): Framework | undefined {
    for (const ast of this.parsed) {
      const framework = frameworkFromImports(ast, true);
      if (framework) return framework;
    }
    return undefined;
  }

  find(name: string, importedAt: SourceRange): PyModule | undefined {
    if (this.modules.has(name)) return this.modules.get(name) ?? undefined;
    this.modules.set(name, null); // a cycle while loading sees "not found", as a partial module would
    const module = this.modules.size > MAX_MODULES ? undefined : this.load(name, importedAt);
    this.modules.set(name, module ?? null);
    return module;
  }

  private load(name: string, importedAt: SourceRange): PyModule | undefined {
    const submodule = (attr: string) => this.find(`${name}.${attr}`, importedAt);
    const model = HELPER_MODELS.get(name);
    const located = this.locate(name);
    if (model !== undefined) {
      // The model's names first; anything else the library defines from its source, when present.
      const real = located && this.fromFile(name, located, submodule);
      const fallback = (attr: string) => (real ? memberOf(real, attr) : undefined) ?? submodule(attr);
      return this.interpreter.loadOnDemand(this.parse(model, `<model of ${name}>`), identity(name, false), fallback);
    }
    if (!located) return undefined;
    return this.fromFile(name, located, submodule);
  }

  private fromFile(name: string, located: Located, submodule: (attr: string) => PyValue | undefined): PyModule {
    if (located.kind === 'namespace') return new PyModule(name, new Map(), submodule);
    const source = this.host.readText(located.file);
    if (source === undefined) return unreadable(name, `${located.file} could not be read`);
    let ast: Module;
    try {
      ast = this.interpreter.rt.guard.excluding(() => this.parse(source, located.file));
      this.parsed.push(ast);
      this.sources.set(located.file, source);
    } catch (error) {
      const reason = error instanceof InterpreterError ? `${error.message} at line ${error.line}` : String(error);
      return unreadable(name, `${located.file}: ${reason}`);
    }
    return this.interpreter.loadOnDemand(
      ast,
      { ...identity(name, located.kind === 'package'), file: located.file },
      submodule,
    );
  }

  private locate(name: string): Located | undefined {
    const parts = name.split('.');
    for (const base of this.searchPaths) {
      const path = join(base, ...parts);
      if (this.host.isFile(join(path, '__init__.py'))) return { kind: 'package', file: join(path, '__init__.py') };
      if (this.host.isFile(`${path}.py`)) return { kind: 'module', file: `${path}.py` };
    }
    // A folder without __init__.py is a namespace package when nothing else claims the name.
    for (const base of this.searchPaths) {
      const path = join(base, ...parts);
      if (this.host.isDirectory(path)) return { kind: 'namespace', file: path };
    }
    return undefined;
  }
}

type Located = { kind: 'module' | 'package' | 'namespace'; file: string };

function identity(name: string, isPackage: boolean) {
  return { name, package: isPackage ? name : name.split('.').slice(0, -1).join('.') };
}

function memberOf(module: PyModule, attr: string): PyValue | undefined {
  return module.attrs.has(attr) ? module.attrs.get(attr) : module.fallback?.(attr);
}

/** A module whose file cannot be used: every name of it says why when the loss reaches it. */
function unreadable(name: string, reason: string): PyModule {
  return new PyModule(name, new Map(), (attr) => new PyOpaque(`${name}.${attr} (${reason})`));
}
