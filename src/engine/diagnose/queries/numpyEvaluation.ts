// Evaluation helpers a Keras, TensorFlow or PyTorch project computes on numpy arrays: the project
// calls them on a model's predict() output (`IoU = compute_iou(y_test, model.predict(x_test))`) and
// their own code uses no framework at all, only operators and ndarray methods (`overlap.sum()`).
// They are numpy code whatever the file imports: fed framework tensors, `.sum()` would fail where
// the project never fails.
import type { FunctionDef, Module } from '../../python/ast';
import { walkExpr, walkStatements, statementExpressions } from '../../python/walk';
import type { DiscoveredLoss } from '../discover';
import type { ContextHints, Evidence } from '../hints';
import { lossFunction } from './definition';

/** The roots of the frameworks whose tensors a loss would compute on. */
const FRAMEWORK_ROOTS = new Set(['tensorflow', 'keras', 'torch', 'theano', 'lasagne', 'jax']);

/** The names the module binds to framework modules (`K`, `tf`, `torch`, `F`...). */
function frameworkNames(module: Module): Set<string> {
  const names = new Set<string>();
  walkStatements(module.body, (stmt) => {
    if (stmt.kind === 'import')
      for (const n of stmt.names)
        if (FRAMEWORK_ROOTS.has(n.module.split('.')[0])) names.add(n.alias ?? n.module.split('.')[0]);
    if (stmt.kind === 'importfrom' && FRAMEWORK_ROOTS.has((stmt.module ?? '').split('.')[0]) && stmt.names !== '*')
      for (const n of stmt.names) names.add(n.alias ?? n.name);
  });
  return names;
}

/** The evidence that the project evaluates this function on numpy arrays, if its code allows it. */
export function numpyEvaluation(
  module: Module,
  loss: DiscoveredLoss,
  hints: ContextHints,
): Evidence<'numpy'> | undefined {
  const evidence = hints.numpyInputs.get(loss.name);
  const def = loss.kind === 'function' ? lossFunction(module, loss) : undefined;
  if (!evidence || !def) return undefined;
  // A function the training also uses (compiled, minimised, fed the model's output) gets tensors there.
  const { name } = loss;
  if (hints.compiledLosses.has(name) || hints.metrics.has(name) || hints.minimised.has(name)) return undefined;
  if (hints.modelFed.has(name)) return undefined;
  return usesFramework(module, def) ? undefined : evidence;
}

/** Whether a function reads a framework module, itself or through the module's functions it calls. */
function usesFramework(module: Module, def: FunctionDef): boolean {
  const framework = frameworkNames(module);
  const functions = new Map(module.body.flatMap((s) => (s.kind === 'def' ? [[s.def.name, s.def] as const] : [])));
  const seen = new Set<FunctionDef>();
  const visit = (fn: FunctionDef): boolean => {
    if (seen.has(fn)) return false;
    seen.add(fn);
    let found = false;
    walkStatements(fn.body, (stmt) => {
      for (const root of statementExpressions(stmt))
        walkExpr(root, (e) => {
          if (e.kind !== 'name' || found) return;
          const helper = functions.get(e.id);
          found = framework.has(e.id) || (helper !== undefined && visit(helper));
        });
    });
    return found;
  };
  return visit(def);
}
