// What a call site hands a function that is a numpy array, for the evaluation helpers a project runs
// on arrays (numpyEvaluation.ts): a Keras model's predict() output, a numpy call, a tensor's .numpy().
import type { Expr } from '../../python/ast';
import { dottedName } from '../../python/walk';

/** Keras/TF models' numpy outputs. */
const PREDICT = /^(predict|predict_on_batch|predict_generator)$/;

/**
 * Whether an argument is a numpy array: a model's predict() output, a numpy call or a tensor's
 * `.numpy()` (`pred.detach().cpu().numpy()`), directly or by name.
 */
export function numpyArgument(expr: Expr, locals: ReadonlyMap<string, Expr>): boolean {
  if (expr.kind === 'name' && locals.has(expr.id)) return numpyArgument(locals.get(expr.id)!, new Map());
  if (expr.kind !== 'call') return false;
  if (expr.func.kind === 'attribute' && (expr.func.attr === 'numpy' || PREDICT.test(expr.func.attr))) return true;
  return /^(np|numpy)\.\w+$/.test(dottedName(expr.func));
}
