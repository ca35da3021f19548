// sign-error: a loss whose value rises as the prediction improves (random → perfect).
import type { FunctionDef, SourceRange, Stmt } from '../../python/ast';
import { type Finding, makeFinding } from '../findings';
import { complementReturn } from '../edits';
import type { LossSubject } from '../subject';

/** The last `return` of the loss's body (where the sign is decided), or the definition. */
export function returnRange(subject: LossSubject): SourceRange {
  return lastReturn(subject)?.range ?? subject.loss.range;
}

function lastReturn(subject: LossSubject): Extract<Stmt, { kind: 'return' }> | undefined {
  let found: Extract<Stmt, { kind: 'return' }> | undefined;
  const visit = (body: readonly Stmt[]) => {
    for (const stmt of body) {
      if (stmt.kind === 'return') found = stmt;
      if (stmt.kind === 'def' || stmt.kind === 'class') visit(stmt.kind === 'def' ? stmt.def.body : stmt.body);
      if (stmt.kind === 'if' || stmt.kind === 'for' || stmt.kind === 'while') visit([...stmt.body, ...stmt.orelse]);
    }
  };
  const definition = subject.program.module.body.find((s) => s.range.line === subject.loss.range.line);
  if (definition?.kind === 'def') visit(innermostLossBody(definition.def));
  else if (definition?.kind === 'class') {
    const method = definition.body.find((s) => s.kind === 'def' && ['forward', 'call', '__call__'].includes(s.def.name));
    if (method?.kind === 'def') visit(method.def.body);
  }
  return found;
}

/** For a factory, the body of the function it returns. */
function innermostLossBody(def: FunctionDef): readonly Stmt[] {
  const nested = def.body.filter((s): s is Extract<Stmt, { kind: 'def' }> => s.kind === 'def');
  const returned = def.body.find((s) => s.kind === 'return' && s.value?.kind === 'name' && nested.some((n) => n.def.name === (s.value as { id: string }).id));
  if (returned?.kind === 'return' && returned.value?.kind === 'name') {
    const id = returned.value.id;
    return nested.find((n) => n.def.name === id)!.def.body;
  }
  return def.body;
}

export function checkSignError(subject: LossSubject): Finding[] {
  if (subject.loss.role !== 'loss') return [];
  const random = subject.evaluate('random').value;
  const perfect = subject.evaluate('perfect').value;
  if (!Number.isFinite(random) || !Number.isFinite(perfect)) return [];
  // A clear rise, not float noise or a loss that barely tells the two apart (reported elsewhere).
  const scale = Math.max(Math.abs(random), Math.abs(perfect), 1e-6);
  if (perfect <= random + 0.05 * scale) return [];
  const returned = lastReturn(subject);
  return [makeFinding('sign-error', returned?.range ?? subject.loss.range, { lossRandom: random, lossPerfect: perfect }, {
    edit: complementReturn(subject.program.source, returned?.value),
  })];
}
