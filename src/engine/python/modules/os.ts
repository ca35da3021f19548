// A sandboxed `os`: what loss code uses it for is harmless and modelled (an empty environment, so
// `os.environ.get(name, default)` gives the default; the pure string functions of os.path);
// everything else (system, listdir, remove, the file tests of os.path…) is refused where it runs.
import { typeError } from '../errors';
import { str } from '../protocols';
import { BuiltinFunction, PyDict, PyOpaque, PyTuple, type PyValue } from '../values';
import { registerModule } from './registry';

const REFUSED = 'Loss Lens never reads files or the environment, runs processes or opens connections';
const refused = (name: string) => new PyOpaque(name, `${name} is refused: ${REFUSED}`);

const text = (value: PyValue | undefined, what: string): string => {
  if (typeof value !== 'string')
    throw typeError(`${what}: expected str, got ${value === undefined ? 'nothing' : str(value)}`);
  return value;
};

function join(parts: string[]): string {
  return parts.reduce(
    (acc, part) => (part.startsWith('/') || acc === '' ? part : acc.endsWith('/') ? acc + part : `${acc}/${part}`),
    '',
  );
}

function split(path: string): [string, string] {
  const cut = path.lastIndexOf('/') + 1;
  const head = path.slice(0, cut);
  return [head.length > 1 ? head.replace(/\/+$/, '') || '/' : head, path.slice(cut)];
}

function splitext(path: string): [string, string] {
  const [, tail] = split(path);
  const dot = tail.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(tail.slice(0, dot + 1))) return [path, ''];
  const cut = path.length - tail.length + dot;
  return [path.slice(0, cut), path.slice(cut)];
}

const pathFunction = (name: string, impl: (args: string[]) => PyValue) =>
  new BuiltinFunction(`os.path.${name}`, (a) =>
    impl(a.positional.map((v, i) => text(v, `os.path.${name}() arg ${i + 1}`))),
  );

const path = new Map<string, PyValue>([
  ['sep', '/'],
  ['join', pathFunction('join', join)],
  ['split', pathFunction('split', ([p]) => new PyTuple(split(p)))],
  ['basename', pathFunction('basename', ([p]) => split(p)[1])],
  ['dirname', pathFunction('dirname', ([p]) => split(p)[0])],
  ['splitext', pathFunction('splitext', ([p]) => new PyTuple(splitext(p)))],
]);

const refusedName = (prefix: string) => (name: string) => refused(`${prefix}.${name}`);

registerModule('os.path', () => path, refusedName('os.path'));
registerModule(
  'os',
  () =>
    new Map<string, PyValue>([
      ['environ', new PyDict()],
      ['getenv', new BuiltinFunction('os.getenv', (a) => a.positional[1] ?? a.keywords.get('default') ?? null)],
      ['sep', '/'],
      ['linesep', '\n'],
    ]),
  refusedName('os'),
);
