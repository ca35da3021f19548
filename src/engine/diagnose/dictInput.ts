// A loss whose callable takes one argument that it reads as a dict (PyMIC's
// `forward(self, loss_input_dict)`): the diagnosis calls it as its trainer does, with a plain dict
// holding the prediction and the labels under the keys the code reads them from (optional keys,
// `.get('pixel_weight', None)`, left out). The keys come from the loss's code, its helpers and its
// bases, wherever they are written (the loaded classes resolve them); without a clear pair the
// loss needs an --entry.
import { relative } from 'node:path';
import type { Expr, FunctionDef } from '../python/ast';
import { CLASSMETHOD, STATICMETHOD } from '../python/attributes';
import type { ArgumentBinding, LossProgram } from '../program';
import { PyClass, PyFunction, PyInstance, type PyValue } from '../python/values';
import { CALL_METHODS } from './classModel';
import type { ArgumentSource } from './construct';
import type { DiscoveredLoss } from './discover';
import { type DictInput, pairKeys } from './dictKeys';
import { type Callee, type Resolver, mappingReads } from './queries/dictReads';
import { lossFunction } from './queries/definition';

/** The function behind a value: a Python function, unwrapped from staticmethod / classmethod. */
function functionOf(value: PyValue | undefined): PyFunction | undefined {
  const fn =
    value instanceof PyInstance && (value.cls === STATICMETHOD || value.cls === CLASSMETHOD) ? value.native : value;
  return fn instanceof PyFunction && fn.body.kind === 'block' ? fn : undefined;
}

const isStatic = (value: PyValue | undefined) => value instanceof PyInstance && value.cls === STATICMETHOD;

/**
 * Resolves the calls of a function written in a module with `globals`, as a method of `cls` when
 * it is one: module functions, `self.method`, `super().method`, `Class.method`.
 */
function resolverFor(globals: ReadonlyMap<string, PyValue>, cls?: PyClass, owner?: PyClass): Resolver {
  const callee = (value: PyValue | undefined, bound: boolean, within?: PyClass): Callee | undefined => {
    const fn = functionOf(value);
    if (!fn || fn.body.kind !== 'block') return undefined;
    const resolve = resolverFor(fn.closure.globals.vars, within, fn.definingClass);
    return { def: fn.body.def, bound, resolve };
  };
  return (func: Expr) => {
    if (func.kind === 'name') return callee(globals.get(func.id), false);
    if (func.kind !== 'attribute') return undefined;
    const { object, attr } = func;
    if (object.kind === 'name' && object.id === 'self' && cls) {
      const value = cls.lookup(attr);
      return callee(value, !isStatic(value), cls);
    }
    // super().method / super(Class, self).method: the next class of the instance's MRO that has it.
    if (object.kind === 'call' && object.func.kind === 'name' && object.func.id === 'super' && cls) {
      const mro = cls.mro();
      const after = owner ? mro.slice(mro.indexOf(owner) + 1) : mro.slice(1);
      const value = after.find((c) => c.attrs.has(attr))?.attrs.get(attr);
      return callee(value, !isStatic(value), cls);
    }
    const named = object.kind === 'name' ? globals.get(object.id) : undefined;
    if (named instanceof PyClass) return callee(named.lookup(attr), false, named);
    return undefined;
  };
}

/** The loss's call method or function as loaded (its own, a base's in another file), with its resolver. */
function lossCallee(program: LossProgram, module: LossProgram['module'], loss: DiscoveredLoss): Callee | undefined {
  const { globals } = program;
  const holder = globals.get(loss.owner ?? loss.name);
  if (holder instanceof PyClass) {
    const method = loss.owner ? loss.name.slice(loss.owner.length + 1) : CALL_METHODS.find((m) => holder.lookup(m));
    const value = method ? holder.lookup(method) : undefined;
    const fn = functionOf(value);
    if (fn && fn.body.kind === 'block')
      return { def: fn.body.def, bound: !isStatic(value), resolve: resolverFor(globals, holder, fn.definingClass) };
  }
  const fn = functionOf(holder);
  if (fn && fn.body.kind === 'block' && loss.kind === 'function')
    return { def: fn.body.def, bound: false, resolve: resolverFor(fn.closure.globals.vars) };
  // A factory's inner function: its calls resolve in the file's module.
  const def: FunctionDef | undefined = lossFunction(module, loss);
  return def ? { def, bound: false, resolve: resolverFor(globals) } : undefined;
}

export type DictCall =
  | { loss: DiscoveredLoss; binding: NonNullable<ArgumentBinding['dictInput']>; note: ArgumentSource }
  | { error: { kind: string; message: string; line: number } };

/**
 * How to call a loss that takes its inputs in one dict; undefined for any other loss. `built` is
 * the expression of its callable (a class instantiated), for the --entry an unclear one needs.
 */
export function dictCall(
  program: LossProgram,
  loss: DiscoveredLoss,
  built: string,
  root?: string,
): DictCall | undefined {
  if (!loss.params.length || loss.caffeLayer) return undefined;
  const callee = lossCallee(program, program.module, loss);
  if (!callee) return undefined;
  // One argument: the dict; the others, if any, have defaults (`def bce_dice_loss(batch, smooth=1.0)`).
  const params = callee.def.params.filter((p) => p.kind === 'normal').slice(callee.bound ? 1 : 0);
  if (params.slice(1).some((p) => !p.default)) return undefined;
  const param = loss.params[0];
  const reads = mappingReads(callee.def, param, callee.resolve);
  if (!reads.keys.size) return undefined;
  const pairing = pairKeys(reads);
  if ('unclear' in pairing) {
    const names = [...pairing.roles.keys()];
    const keys = `key${names.length > 1 ? 's' : ''} ${names.map((k) => `'${k}'`).join(', ')}`;
    // An entropy or total-variation term: a regulariser, not a loss against labels.
    if (pairing.labelFree)
      return {
        error: {
          kind: 'unsupported',
          message:
            `${loss.name} takes no labels: it reads ${keys} of its one argument (${param}): ${pairing.unclear}; ` +
            'Loss Lens analyses losses against labels',
          line: loss.range.line,
        },
      };
    // The example fills in what the code says and leaves the rest to the user.
    const entries = [...pairing.roles].map(([key, role]) => `'${key}': ${role ?? '...'}`);
    const handed = reads.handedOn ? ` (it also hands the dict to ${reads.handedOn.to}, which may read more)` : '';
    return {
      error: {
        kind: 'unsupported',
        message:
          `${loss.name} needs arguments: it reads ${keys} of its one argument (${param})${handed}: ` +
          `${pairing.unclear} Pass --entry with a lambda that builds the dict, ` +
          `e.g. --entry "lambda prediction, labels: ${built}({${entries.join(', ')}})"`,
        line: loss.range.line,
      },
    };
  }
  const { pair } = pairing;
  const where = reads.keys.get(pair.labels)!.range;
  const file = where.file && root ? relative(root, where.file) : where.file;
  const dictInput: DictInput = { ...pair, param, line: where.line, ...(file ? { file } : {}) };
  const heads = pair.prediction.map((k) => `'${k}': prediction`).join(', ');
  const optional = pair.optional.length
    ? `; ${pair.optional.map((k) => `'${k}'`).join(', ')} left out (read with a default: ` +
      'trainers pass them only when configured)'
    : '';
  const decided =
    pair.by === 'keys'
      ? 'the keys name them'
      : pair.by === 'names'
        ? 'the names the code gives their values say which is which'
        : "guessed from what the code does with them: it activates the prediction or passes it as a loss's " +
          'input, casts the labels to integers or passes them as its target';
  const note: ArgumentSource = {
    arg: param,
    value: `{${heads}, '${pair.labels}': labels}`,
    line: loss.range.line,
    why:
      'the loss reads its inputs from one dict: called with the prediction and the labels under the keys ' +
      `it reads (${decided})${optional}`,
    ...(pair.by === 'usage' ? { guessed: true, guess: `the keys '${pair.prediction[0]}' and '${pair.labels}'` } : {}),
  };
  return {
    loss: { ...loss, params: [pair.prediction[0], pair.labels], dictInput },
    binding: { prediction: pair.prediction, labels: pair.labels },
    note,
  };
}

/** The loss's other bindings (keywords its call sites pass, …) with the dict call and its note added. */
export function withDictCall<T extends { binding?: ArgumentBinding; notes: ArgumentSource[] }>(
  bound: T,
  dict: DictCall | undefined,
): T {
  if (!dict || 'error' in dict) return bound;
  return { ...bound, binding: { ...bound.binding, dictInput: dict.binding }, notes: [...bound.notes, dict.note] };
}
