// An op inside a helper function that runs with a default the call did not override: the helper's
// `axis=1` default applied to data whose layout needs another axis. Findings then go to the call,
// where the fix belongs, with the default as evidence.
import type { Expr, FunctionDef, Module, SourceRange } from '../../python/ast';
import { callAt, walkStatements } from '../../python/walk';
import type { TraceEntry } from '../../python/trace';

export interface HelperDefault {
  /** The helper's call that relies on the default. */
  call: SourceRange;
  helper: FunctionDef;
  param: string;
  value: number;
}

const contains = (outer: SourceRange, inner: SourceRange) =>
  (outer.line < inner.line || (outer.line === inner.line && outer.column <= inner.column)) &&
  (outer.endLine > inner.endLine || (outer.endLine === inner.endLine && outer.endColumn >= inner.endColumn));

/** The innermost function definition of the module whose body holds `range`. */
function enclosingFunction(module: Module, range: SourceRange): FunctionDef | undefined {
  let found: FunctionDef | undefined;
  walkStatements(module.body, (stmt) => {
    if (stmt.kind === 'def' && contains(stmt.def.range, range)) found = stmt.def;
  });
  return found;
}

const intLiteral = (expr: Expr | undefined): number | undefined => {
  if (expr?.kind === 'int') return Number(expr.value);
  if (expr?.kind === 'unary' && expr.op === '-' && expr.operand.kind === 'int') return -Number(expr.operand.value);
  return undefined;
};

/** Parameter names that hold an axis. */
const AXIS_PARAM = /^(axis|dim|class_axis|channel_axis|class_dim|channel_dim)$/;

/**
 * When `entry` runs in a helper called with its axis parameter's default, and that default is
 * `axis` (normalised against `rank`): the call and the default.
 */
export function helperDefault(
  module: Module,
  entry: TraceEntry,
  axis: number,
  rank: number,
): HelperDefault | undefined {
  const call = entry.callStack.length > 1 ? entry.callStack[entry.callStack.length - 1] : undefined;
  if (!call || call.file !== undefined || entry.at) return undefined;
  const helper = enclosingFunction(module, entry.range);
  if (!helper || contains(helper.range, call)) return undefined;
  const index = helper.params.findIndex(
    (p) => p.kind === 'normal' && AXIS_PARAM.test(p.name) && intLiteral(p.default) !== undefined,
  );
  if (index < 0) return undefined;
  const param = helper.params[index];
  const value = intLiteral(param.default)!;
  if ((value < 0 ? value + rank : value) !== axis) return undefined;
  const expr = callAt(module, call);
  if (!expr) return undefined;
  const positional = expr.args.filter((a) => a.kind === 'positional').length;
  const spread = expr.args.some((a) => a.kind === 'star' || a.kind === 'doublestar');
  const keyword = expr.args.some((a) => a.kind === 'keyword' && a.name === param.name);
  // A method's self is not among the call's arguments.
  const offset = helper.params[0]?.name === 'self' ? 1 : 0;
  if (spread || keyword || positional > index - offset) return undefined;
  return { call, helper, param: param.name, value };
}
