// The code of a discovered loss: the statement that defines it and the function that computes its
// value (the function itself, the nested function a factory returns, a class's call method).
import type { FunctionDef, Module, Stmt } from '../../python/ast';
import type { DiscoveredLoss } from '../discover';

type ClassStmt = Extract<Stmt, { kind: 'class' }>;
type DefStmt = Extract<Stmt, { kind: 'def' }>;

/** The top-level statement that defines the loss (a def, a class, a lambda assignment). */
export function lossDefinition(module: Module, loss: DiscoveredLoss): Stmt | undefined {
  return module.body.find((s) => s.range.line === loss.range.line);
}

/** The method a loss class is called through: forward (PyTorch), call (Keras) or __call__. */
export function callMethod(definition: ClassStmt): FunctionDef | undefined {
  const method = definition.body.find((s) => s.kind === 'def' && ['forward', 'call', '__call__'].includes(s.def.name));
  return method?.kind === 'def' ? method.def : undefined;
}

/** For a factory, the nested function it returns by name; else the function itself. */
function returnedFunction(def: FunctionDef): FunctionDef {
  const nested = def.body.filter((s): s is DefStmt => s.kind === 'def');
  for (const stmt of def.body) {
    if (stmt.kind !== 'return' || stmt.value?.kind !== 'name') continue;
    const id = stmt.value.id;
    const inner = nested.find((n) => n.def.name === id);
    if (inner) return inner.def;
  }
  return def;
}

/** The function whose body computes the loss's value; undefined for a lambda assignment. */
export function lossFunction(module: Module, loss: DiscoveredLoss): FunctionDef | undefined {
  const definition = lossDefinition(module, loss);
  if (definition?.kind === 'def') return returnedFunction(definition.def);
  if (definition?.kind === 'class') return callMethod(definition);
  return undefined;
}
