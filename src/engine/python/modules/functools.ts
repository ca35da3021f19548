// functools.partial (losses are often configured with it) and typing (annotations only).
import { BuiltinFunction, PyOpaque, type PyValue } from '../values';
import { registerModule } from './registry';

const partial = new BuiltinFunction('functools.partial', (args) => {
  const [func, ...bound] = args.positional;
  const boundKeywords = new Map(args.keywords);
  return new BuiltinFunction('partial', (callArgs, site) =>
    site.rt.call(
      func,
      { positional: [...bound, ...callArgs.positional], keywords: new Map([...boundKeywords, ...callArgs.keywords]) },
      site.range,
    ),
  );
});

registerModule(
  'functools',
  () =>
    new Map<string, PyValue>([
      ['partial', partial],
      ['wraps', new BuiltinFunction('functools.wraps', () => new BuiltinFunction('wraps', (a) => a.positional[0]))],
      [
        'reduce',
        new BuiltinFunction('functools.reduce', (a, site) => {
          const [func, iterable, initial] = a.positional;
          let acc: PyValue | undefined = initial;
          for (const item of iterateValues(iterable, site))
            acc =
              acc === undefined
                ? item
                : site.rt.call(func, { positional: [acc, item], keywords: new Map() }, site.range);
          return acc ?? null;
        }),
      ],
    ]),
);

// typing: annotations and their helpers never change a value. cast() returns its value; the rest
// (List, Optional, TypeVar, overload…) is tolerated wherever it appears, as an unresolved import is.
const identity = (name: string, position: number) =>
  new BuiltinFunction(`typing.${name}`, (a) => a.positional[position] ?? null);
registerModule(
  'typing',
  () =>
    new Map<string, PyValue>([
      ['cast', identity('cast', 1)],
      ['overload', identity('overload', 0)],
      ['final', identity('final', 0)],
      ['no_type_check', identity('no_type_check', 0)],
      ['TYPE_CHECKING', false],
    ]),
  (name) => new PyOpaque(`typing.${name}`, undefined, { module: 'typing', line: 0 }),
);
registerModule('__future__', () => new Map());
registerModule(
  'warnings',
  () =>
    new Map<string, PyValue>([
      ['warn', new BuiltinFunction('warnings.warn', () => null)],
      ['filterwarnings', new BuiltinFunction('warnings.filterwarnings', () => null)],
    ]),
);

import { iterate as iterateValues } from '../protocols';
