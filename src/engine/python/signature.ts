// Binds native-function arguments by a Python-like signature, so every op table checks its
// arguments the way the framework would (unknown keywords and missing arguments are TypeErrors).
import { typeError } from './errors';
import { PyDict, PyTuple, type Args, type PyValue } from './values';

interface ParsedParam {
  name: string;
  kind: 'normal' | 'kwonly' | 'varargs' | 'kwargs';
  default?: PyValue;
  required: boolean;
}

const parsedSpecs = new WeakMap<readonly string[], ParsedParam[]>();

function parseDefault(text: string): PyValue {
  if (text === 'None') return null;
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (/^-?\d+$/.test(text)) return BigInt(text);
  if (/^-?[\d.]+(e-?\d+)?$/i.test(text)) return Number(text);
  if (/^'.*'$/.test(text)) return text.slice(1, -1);
  throw new Error(`bad default in signature: ${text}`);
}

function parseSpec(spec: readonly string[]): ParsedParam[] {
  let parsed = parsedSpecs.get(spec);
  if (parsed) return parsed;
  parsed = [];
  let kwOnly = false;
  for (const item of spec) {
    if (item === '*') {
      kwOnly = true;
      continue;
    }
    if (item.startsWith('**')) {
      parsed.push({ name: item.slice(2), kind: 'kwargs', required: false });
      continue;
    }
    if (item.startsWith('*')) {
      parsed.push({ name: item.slice(1), kind: 'varargs', required: false });
      kwOnly = true;
      continue;
    }
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    parsed.push({
      name,
      kind: kwOnly ? 'kwonly' : 'normal',
      required: eq < 0,
      default: eq < 0 ? undefined : parseDefault(item.slice(eq + 1)),
    });
  }
  parsedSpecs.set(spec, parsed);
  return parsed;
}

/**
 * Binds `args` to `spec` (e.g. ['input', 'dim=None', 'keepdim=False', '*', 'dtype=None']).
 * `aliases` maps alternative keyword names onto spec names (torch accepts axis= for dim=).
 */
export function bindArgs(
  fnName: string,
  args: Args,
  spec: readonly string[],
  aliases?: Record<string, string>,
): Record<string, PyValue> {
  const params = parseSpec(spec);
  const out: Record<string, PyValue> = {};
  const keywords = new Map(args.keywords);
  if (aliases) {
    for (const [alias, name] of Object.entries(aliases)) {
      if (keywords.has(alias)) {
        if (keywords.has(name)) throw typeError(`${fnName}() got both '${alias}' and '${name}'`);
        keywords.set(name, keywords.get(alias)!);
        keywords.delete(alias);
      }
    }
  }
  let position = 0;
  for (const param of params) {
    if (param.kind === 'varargs') {
      out[param.name] = new PyTuple(args.positional.slice(position));
      position = args.positional.length;
      continue;
    }
    if (param.kind === 'kwargs') {
      const dict = new PyDict();
      for (const [k, v] of keywords) dict.set(k, v);
      keywords.clear();
      out[param.name] = dict;
      continue;
    }
    if (param.kind === 'normal' && position < args.positional.length) {
      if (keywords.has(param.name)) throw typeError(`${fnName}() got multiple values for argument '${param.name}'`);
      out[param.name] = args.positional[position++];
    } else if (keywords.has(param.name)) {
      out[param.name] = keywords.get(param.name)!;
      keywords.delete(param.name);
    } else if (!param.required) {
      out[param.name] = param.default!;
    } else {
      throw typeError(`${fnName}() missing required argument: '${param.name}'`);
    }
  }
  if (position < args.positional.length) {
    const most = params.filter((p) => p.kind === 'normal').length;
    throw typeError(`${fnName}() takes at most ${most} positional arguments but ${args.positional.length} were given`);
  }
  if (keywords.size)
    throw typeError(`${fnName}() got an unexpected keyword argument '${keywords.keys().next().value}'`);
  return out;
}
