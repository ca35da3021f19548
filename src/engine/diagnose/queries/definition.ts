// The code of a discovered loss: the statement that defines it and the function that computes its
// value (the function itself, the nested function a factory returns, a class's call method, its
// own or a base's of the same file).
import type { FunctionDef, Module, Stmt } from '../../python/ast';
import { type ClassStmt, astClassView, callMethodOf } from '../classModel';
import { type DiscoveredLoss, definitionOf } from '../discover';

type DefStmt = Extract<Stmt, { kind: 'def' }>;

/** The statement that defines the loss (a def, a class, a lambda assignment, a method's def). */
export function lossDefinition(module: Module, loss: DiscoveredLoss): Stmt | undefined {
  return definitionOf(module, loss);
}

/** The method a loss class is called through: forward (PyTorch), call (Keras) or __call__, maybe inherited. */
export function callMethod(module: Module, definition: ClassStmt): FunctionDef | undefined {
  const classes = new Map(module.body.flatMap((s) => (s.kind === 'class' ? [[s.name, s] as const] : [])));
  return callMethodOf(astClassView(definition, classes))?.def;
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
  if (definition?.kind === 'def') return loss.owner ? definition.def : returnedFunction(definition.def);
  if (definition?.kind === 'class') return callMethod(module, definition);
  return undefined;
}
