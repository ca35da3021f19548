// CPython's compiler refuses code nested about 3000 levels deep: "RecursionError: maximum recursion
// depth exceeded during compilation" (3.11: a 2990-term sum compiles, a 2991-term one does not).
// Measured on the interpreter's AST, whose nesting is CPython's for such chains (operators,
// attributes, calls), without recursing: the walk itself must not run out of stack.
import type { Module, SourceRange } from '../ast';

/** The deepest nesting CPython 3.11 compiles, counting the module and every statement and expression. */
export const MAX_AST_DEPTH = 2992;

/** The first node nested deeper than CPython compiles, or undefined. */
export function tooDeeplyNested(module: Module): SourceRange | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: module.body, depth: 1 }];
  while (stack.length) {
    const { value, depth } = stack.pop()!;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const node = value as { kind?: unknown; range?: SourceRange };
    const level = typeof node.kind === 'string' ? depth + 1 : depth;
    if (level > MAX_AST_DEPTH) return node.range;
    for (const [key, child] of Object.entries(node)) if (key !== 'range') stack.push({ value: child, depth: level });
  }
  return undefined;
}

export const RECURSION_IN_COMPILER = 'RecursionError: maximum recursion depth exceeded during compilation';
