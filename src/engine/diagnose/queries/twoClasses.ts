// Code written for exactly two classes: it indexes the class axis only as [:, 0] and [:, 1]
// ([..., 0], [:, :, :, 1]) or weighs the classes with a pair such as [beta, 1 - beta]. The contract
// search tries two classes first for it (with three, a third channel would just be ignored).
import type { Expr, Module } from '../../python/ast';
import { statementExpressions, textOf, walkExpr, walkStatements } from '../../python/walk';
import type { DiscoveredLoss } from '../discover';
import { lossFunction } from './definition';

const isFullSlice = (e: Expr) =>
  (e.kind === 'slice' && !e.start && !e.stop && !e.step) || (e.kind === 'const' && e.value === 'ellipsis');

/** `[x, 1 - x]` (either order): one weight per class of a two-class problem. */
function complementPair(expr: Extract<Expr, { elements: Expr[] }>, source: string): boolean {
  if (expr.elements.length !== 2) return false;
  const [a, b] = expr.elements;
  const complement = (x: Expr, y: Expr) =>
    x.kind === 'binary' &&
    x.op === '-' &&
    (x.left.kind === 'int' || x.left.kind === 'float') &&
    Number(x.left.value) === 1 &&
    textOf(source, x.right.range) === textOf(source, y.range);
  return complement(a, b) || complement(b, a);
}

export function twoClassCode(module: Module, loss: DiscoveredLoss): { line: number; why: string } | undefined {
  const fn = lossFunction(module, loss);
  if (!fn) return undefined;
  const indices = new Map<number, number>();
  let pair: { line: number; why: string } | undefined;
  walkStatements(fn.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (expr) => {
        if ((expr.kind === 'list' || expr.kind === 'tuple') && complementPair(expr, module.source))
          pair ??= { line: expr.range.line, why: `one weight per class: ${textOf(module.source, expr.range)}` };
        if (expr.kind !== 'subscript' || expr.indices.length < 2) return;
        const last = expr.indices[expr.indices.length - 1];
        if (last.kind !== 'int' || !expr.indices.slice(0, -1).every(isFullSlice)) return;
        const index = Number(last.value);
        if (!indices.has(index)) indices.set(index, expr.range.line);
      });
    }
  });
  if (pair) return pair;
  if (indices.size === 2 && indices.has(0) && indices.has(1))
    return { line: indices.get(1)!, why: 'the class axis is indexed only as [..., 0] and [..., 1]' };
  return undefined;
}
