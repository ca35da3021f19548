// Losses written against a backend their package injects (segmentation_models' functional code
// reads `kwargs['backend']` and calls backend.sum, backend.log…): called directly, such a loss gets
// the Keras backend, as the package would hand it.
import type { Expr, FunctionDef } from '../../python/ast';
import { statementExpressions, walkExpr, walkStatements } from '../../python/walk';

const isBackendKey = (expr: Expr | undefined) =>
  expr?.kind === 'str' && expr.parts.length === 1 && 'text' in expr.parts[0] && expr.parts[0].text === 'backend';

/** Whether the function takes the backend as a parameter or reads it from its **kwargs. */
export function readsInjectedBackend(def: FunctionDef): boolean {
  const backendParam = def.params.find((p) => p.kind === 'normal' && p.name === 'backend');
  if (backendParam) return backendParam.default === undefined;
  const kwargs = def.params.find((p) => p.kind === 'kwargs')?.name;
  if (!kwargs) return false;
  let reads = false;
  const visit = (expr: Expr) =>
    walkExpr(expr, (e) => {
      if (e.kind === 'subscript' && e.object.kind === 'name' && e.object.id === kwargs && isBackendKey(e.indices[0]))
        reads = true;
      const method = e.kind === 'call' && e.func.kind === 'attribute' ? e.func : undefined;
      const onKwargs = method?.object.kind === 'name' && method.object.id === kwargs;
      if (e.kind === 'call' && onKwargs && ['get', 'pop'].includes(method!.attr)) {
        const first = e.args[0];
        if (first?.kind === 'positional' && isBackendKey(first.value)) reads = true;
      }
    });
  walkStatements(def.body, (stmt) => statementExpressions(stmt).forEach(visit));
  return reads;
}
