// The statement that returns the loss's value: where findings about the loss as a whole go (a sign
// error, an ignored class, a training probe's verdicts) and what a sign fix edits.
import type { Module, SourceRange, Stmt } from '../../python/ast';
import type { DiscoveredLoss } from '../discover';
import { lossFunction } from './definition';

export type ReturnStatement = Extract<Stmt, { kind: 'return' }>;

/** The last `return <value>` in a body, blocks included; nested functions and classes return their own values. */
function lastValueReturn(body: readonly Stmt[]): ReturnStatement | undefined {
  let found: ReturnStatement | undefined;
  const visit = (statements: readonly Stmt[]) => {
    for (const stmt of statements) {
      if (stmt.kind === 'return' && stmt.value) found = stmt;
      else if (stmt.kind === 'if' || stmt.kind === 'for' || stmt.kind === 'while') {
        visit([...stmt.body, ...stmt.orelse]);
      } else if (stmt.kind === 'with') visit(stmt.body);
      else if (stmt.kind === 'try') {
        visit([...stmt.body, ...stmt.handlers.flatMap((h) => h.body), ...stmt.orelse, ...stmt.finalbody]);
      }
    }
  };
  visit(body);
  return found;
}

/** The loss function's last `return <value>` (see lossFunction), if it has one. */
export function returnStatement(module: Module, loss: DiscoveredLoss): ReturnStatement | undefined {
  const fn = lossFunction(module, loss);
  return fn ? lastValueReturn(fn.body) : undefined;
}

/** The return statement's range, else the first line of the definition. */
export function returnRange(module: Module, loss: DiscoveredLoss): SourceRange {
  const { line, column } = loss.range;
  const header: SourceRange = { line, column, endLine: line, endColumn: column };
  return returnStatement(module, loss)?.range ?? header;
}
