// Code edits for quick fixes, built from the AST so they touch exactly the offending expression.
// Only edits that are safe as written are offered; other fixes stay text.
import type { Expr, Module, Param, SourceRange, Stmt } from '../python/ast';
import { callAt, expressionAt, sameRange, textOf, walkStatements } from '../python/walk';
import type { CodeEdit } from '../findings/finding';

const replace = (range: SourceRange, newText: string): CodeEdit => ({
  line: range.line,
  column: range.column,
  endLine: range.endLine,
  endColumn: range.endColumn,
  newText,
});

/** `f(x)` → `x` (and `x.detach()` → `x`): removes an activation, a round or a gradient stop. */
export function unwrapCall(module: Module, source: string, range: SourceRange): CodeEdit | undefined {
  const call = callAt(module, range);
  if (!call) return undefined;
  const positional = call.args.filter((a) => a.kind === 'positional');
  const inner: Expr | undefined =
    positional.length === 1 && call.args.length === 1
      ? positional[0].value
      : call.args.length === 0 && call.func.kind === 'attribute'
        ? call.func.object
        : undefined;
  return inner ? replace(call.range, textOf(source, inner.range)) : undefined;
}

/** `x.numpy()` → `x.detach().numpy()`: PyTorch converts a tensor that requires grad only once it is detached. */
export function detachBeforeNumpy(module: Module, range: SourceRange): CodeEdit | undefined {
  const call = callAt(module, range);
  if (!call || call.func.kind !== 'attribute' || call.func.attr !== 'numpy') return undefined;
  const end = call.func.object.range;
  return {
    line: end.endLine,
    column: end.endColumn,
    endLine: end.endLine,
    endColumn: end.endColumn,
    newText: '.detach()',
  };
}

/** Swaps the first two parameters of a signature, defaults and annotations included. */
export function swapFirstParameters(source: string, params: readonly Param[]): CodeEdit | undefined {
  const [first, second] = params.filter((p) => p.kind === 'normal' && p.name !== 'self');
  if (!first?.range || !second?.range || first.range.line !== second.range.line) return undefined;
  const span = {
    line: first.range.line,
    column: first.range.column,
    endLine: second.range.endLine,
    endColumn: second.range.endColumn,
  };
  const between = textOf(source, {
    line: first.range.line,
    column: first.range.endColumn,
    endLine: second.range.line,
    endColumn: second.range.column,
  });
  return replace(span, `${textOf(source, second.range)}${between}${textOf(source, first.range)}`);
}

/** `a / b` → `(a + s) / (b + s)`: a smoothing term against 0/0. */
export function smoothDivision(
  module: Module,
  source: string,
  range: SourceRange,
  smooth = '1e-6',
): CodeEdit | undefined {
  const division = expressionAt(module, range, 'binary');
  if (!division || division.op !== '/') return undefined;
  return replace(
    division.range,
    `(${textOf(source, division.left.range)} + ${smooth}) / (${textOf(source, division.right.range)} + ${smooth})`,
  );
}

/** Sets the axis/dim argument of a softmax call to `axis`. */
export function setAxisArgument(module: Module, range: SourceRange, axis: number): CodeEdit | undefined {
  const call = callAt(module, range);
  if (!call) return undefined;
  const keyword = call.args.find((a) => a.kind === 'keyword' && (a.name === 'axis' || a.name === 'dim'));
  const positional = call.args.filter((a) => a.kind === 'positional');
  const target =
    keyword?.value ??
    (call.func.kind === 'attribute' &&
    positional.length === 1 &&
    /softmax/.test(call.func.attr) &&
    !isModuleCall(call.func.object)
      ? positional[0].value
      : positional[1]?.value);
  return target ? replace(target.range, String(axis)) : undefined;
}

/** The name a top-level `import <library> [as alias]` binds, if the file has one. */
function importedAs(module: Module, library: string): string | undefined {
  for (const stmt of module.body) {
    if (stmt.kind !== 'import') continue;
    const found = stmt.names.find((n) => n.module === library);
    if (found) return found.alias ?? library;
  }
  return undefined;
}

/** The statement `name = <expression at range>`, if the weights are assigned to a plain name. */
function assignmentOf(module: Module, range: SourceRange): Extract<Stmt, { kind: 'assign' }> | undefined {
  let found: Extract<Stmt, { kind: 'assign' }> | undefined;
  walkStatements(module.body, (stmt) => {
    if (
      !found &&
      stmt.kind === 'assign' &&
      stmt.targets.length === 1 &&
      stmt.targets[0].kind === 'name' &&
      sameRange(stmt.value.range, range)
    )
      found = stmt;
  });
  return found;
}

/**
 * Inverse-volume weights `w = E` whose absent class gets 1/0 = Inf: a line after the assignment
 * gives such classes the largest finite weight of their row, as MONAI does. (Weight 0 instead, as
 * `divide_no_nan` gives, makes the absent class's false positives free: the probe shows the flood.)
 * `classAxis` is negative (from the end). Only where the file imports the library under a usable name.
 */
export function guardInfiniteWeights(
  module: Module,
  range: SourceRange,
  framework: string,
  classAxis: number,
): CodeEdit | undefined {
  const assignment = assignmentOf(module, range);
  if (!assignment || assignment.targets[0].kind !== 'name') return undefined;
  const w = assignment.targets[0].id;
  const library = framework === 'torch' || framework === 'numpy' ? framework : 'tensorflow';
  const lib = importedAs(module, library);
  if (!lib) return undefined;
  const isInf = library === 'tensorflow' ? `${lib}.math.is_inf(${w})` : `${lib}.isinf(${w})`;
  const largestFinite =
    library === 'torch'
      ? `${lib}.nan_to_num(${w}, posinf=0.0).amax(dim=${classAxis}, keepdim=True)`
      : library === 'numpy'
        ? `${lib}.nan_to_num(${w}, posinf=0.0).max(axis=${classAxis}, keepdims=True)`
        : `${lib}.reduce_max(${lib}.where(${isInf}, ${lib}.zeros_like(${w}), ${w}), axis=${classAxis}, keepdims=True)` +
          ` * ${lib}.ones_like(${w})`;
  const guard = `${lib}.where(${isInf}, ${largestFinite}, ${w})`;
  const indent = ' '.repeat(assignment.range.column - 1);
  const end = assignment.range;
  return {
    line: end.endLine,
    column: end.endColumn,
    endLine: end.endLine,
    endColumn: end.endColumn,
    newText: `\n${indent}${w} = ${guard}  # absent classes: the largest finite weight (as MONAI)`,
  };
}

/** Whether `obj` in `obj.softmax(...)` is a module (F, tf.nn, K) rather than a tensor. */
function isModuleCall(object: Expr): boolean {
  return object.kind === 'name' ? /^(F|K|T|tf|torch|np|nn)$/.test(object.id) : object.kind === 'attribute';
}

/** `return x` → `return 1 - (x)`: turns a coefficient into a loss. */
export function complementReturn(source: string, value: Expr | undefined): CodeEdit | undefined {
  return value ? replace(value.range, `1 - (${textOf(source, value.range)})`) : undefined;
}
