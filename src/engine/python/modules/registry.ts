// Which Python modules exist for the interpreter: framework tables register themselves here;
// dangerous modules are refused, other unknown ones are opaque (never executed).
import type { SourceRange } from '../ast';
import { InterpreterError, pyError } from '../errors';
import { PyModule, PyOpaque, type PyValue } from '../values';

type ModuleFactory = () => Map<string, PyValue>;

const factories = new Map<string, ModuleFactory>();
/** The module objects of the analysis under way, built from their factories on first use. */
const modules = new Map<string, PyModule>();
/** Other framework state of the analysis under way (see perAnalysis). */
const analysisState = new Map<string, unknown>();

/**
 * Starts a new analysis with framework modules built afresh: what one file does to their mutable
 * state (os.environ, Keras's custom objects, theano.config) never reaches the next file analysed in
 * the same process. Objects every analysis shares are read-only instead (see ../frozen.ts).
 */
export function freshModules(): void {
  modules.clear();
  analysisState.clear();
}

/** A mutable value framework code keeps outside a module's table (a registry): one per analysis. */
export function perAnalysis<T>(key: string, build: () => T): T {
  if (!analysisState.has(key)) analysisState.set(key, build());
  return analysisState.get(key) as T;
}

/**
 * Modules whose every use is refused: file, process, network, interpreter access. Importing them is
 * harmless (training scripts import os everywhere); calling into them is refused where it runs. `os`
 * itself has a sandboxed model (os.ts): an empty environment and pure path functions.
 */
const REFUSED_ROOTS = new Set([
  'sys',
  'subprocess',
  'shutil',
  'socket',
  'pickle',
  'cPickle',
  'dill',
  'ctypes',
  'builtins',
  '__builtin__',
  'io',
  'pathlib',
  'multiprocessing',
  'threading',
  'urllib',
  'urllib2',
  'requests',
  'http',
  'glob',
  'tempfile',
  'signal',
  'marshal',
  'shelve',
  'code',
  'pty',
  'runpy',
  'gc',
  'resource',
  'platform',
  'webbrowser',
  'ftplib',
  'smtplib',
  'telnetlib',
  'asyncio',
  'sqlite3',
  'h5py',
  'joblib',
  'psutil',
  'fcntl',
  'mmap',
]);

const missingNames = new Map<string, (attr: string) => PyValue | undefined>();

/**
 * `missing` answers for the names the table does not define (a sandboxed module refuses them; numpy
 * raises AttributeError for names it never had); undefined leaves the name unsupported.
 */
export function registerModule(
  name: string,
  factory: ModuleFactory,
  missing?: (attr: string) => PyValue | undefined,
): void {
  factories.set(name, factory);
  if (missing) missingNames.set(name, missing);
}

/**
 * Models of libraries a project may or may not have (cv2): unlike the framework tables, a model
 * never shadows the project. The interpreter asks for one only when nothing on the project's paths
 * (its files, extra paths, environment) provides the module.
 */
const modelFactories = new Map<string, ModuleFactory>();

export function registerModelModule(name: string, factory: ModuleFactory): void {
  modelFactories.set(name, factory);
}

/**
 * The model of a module nothing else provides, or undefined. Its table is built once per analysis;
 * `missing` answers for the names the model does not define (values that degrade as an unresolved
 * import's do, naming the module and the import's line).
 */
export function modelModule(name: string, missing: (attr: string) => PyValue): PyModule | undefined {
  const factory = modelFactories.get(name);
  if (!factory) return undefined;
  return new PyModule(name, perAnalysis(`model:${name}`, factory), missing);
}

/** Every module a framework table provides, by its dotted name. */
export const registeredModules = (): string[] => [...factories.keys()];

/** Whether a top-level name is a framework module the interpreter implements (torch, numpy…) or refuses. */
export function isBuiltinRoot(root: string): boolean {
  return REFUSED_ROOTS.has(root) || factories.has(root) || [...factories.keys()].some((k) => k.startsWith(`${root}.`));
}

export function getModule(name: string): PyModule | undefined {
  const cached = modules.get(name);
  if (cached) return cached;
  const factory = factories.get(name);
  const hasChildren = [...factories.keys()].some((k) => k.startsWith(`${name}.`));
  if (!factory && !hasChildren) return undefined;
  const missing = missingNames.get(name);
  const module = new PyModule(
    name,
    factory ? factory() : new Map(),
    (attr) => getModule(`${name}.${attr}`) ?? missing?.(attr),
  );
  modules.set(name, module);
  return module;
}

function refusal(name: string): PyOpaque {
  return new PyOpaque(
    `module ${name}`,
    `${name} is refused: Loss Lens never reads files or the environment, runs processes or opens connections`,
  );
}

function opaqueModule(name: string): PyOpaque {
  return new PyOpaque(`module ${name}`);
}

/** `import a.b.c [as x]`: the root binds `a` without alias; the leaf binds the alias. */
export function importModule(dotted: string, _range: SourceRange): { root: PyValue; leaf: PyValue } {
  const rootName = dotted.split('.')[0];
  if (REFUSED_ROOTS.has(rootName)) {
    const refused = refusal(dotted);
    return { root: refused, leaf: refused };
  }
  const leaf = getModule(dotted) ?? opaqueModule(dotted);
  const root = getModule(rootName) ?? (leaf instanceof PyModule && rootName === dotted ? leaf : opaqueModule(rootName));
  return { root, leaf };
}

/** `from module import name`: a submodule if there is one, else the module's attribute. */
export function importFrom(moduleName: string, name: string, _range: SourceRange): PyValue {
  const rootName = moduleName.split('.')[0];
  if (REFUSED_ROOTS.has(rootName)) return refusal(moduleName);
  const sub = getModule(`${moduleName}.${name}`);
  if (sub) return sub;
  const module = getModule(moduleName);
  let value: PyValue | undefined;
  try {
    value = module ? (module.attrs.has(name) ? module.attrs.get(name) : module.fallback?.(name)) : undefined;
  } catch (error) {
    // A name the module never had (numpy's ndarray methods): `from m import x` raises ImportError.
    if (error instanceof InterpreterError && error.pyType === 'AttributeError')
      throw pyError('ImportError', `cannot import name '${name}' from '${moduleName}'`);
    throw error;
  }
  if (value !== undefined) return value;
  return new PyOpaque(`${moduleName}.${name}`);
}
