// A sandboxed `inspect`: the type tests loss wrappers use (inspect.isclass(loss) to instantiate a
// loss class they were given); everything that reads source or frames is refused where it runs.
import { BuiltinFunction, BoundMethod, PyClass, PyFunction, PyOpaque, type PyValue } from '../values';
import { registerModule } from './registry';

const test = (name: string, check: (value: PyValue) => boolean) =>
  new BuiltinFunction(`inspect.${name}`, (a) => check(a.positional[0] ?? null));

const isFunction = (v: PyValue) => v instanceof PyFunction || v instanceof BuiltinFunction;

registerModule(
  'inspect',
  () =>
    new Map<string, PyValue>([
      ['isclass', test('isclass', (v) => v instanceof PyClass)],
      ['isfunction', test('isfunction', (v) => v instanceof PyFunction)],
      ['ismethod', test('ismethod', (v) => v instanceof BoundMethod)],
      ['isroutine', test('isroutine', (v) => isFunction(v) || v instanceof BoundMethod)],
      ['isbuiltin', test('isbuiltin', (v) => v instanceof BuiltinFunction)],
    ]),
  (name) =>
    new PyOpaque(
      `inspect.${name}`,
      `inspect.${name} is refused: Loss Lens never reads files or the environment, runs processes or opens connections`,
    ),
);
