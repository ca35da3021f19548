// Losses of networks with auxiliary heads take the heads' outputs as one tuple:
// `def forward(self, *inputs): preds, target = tuple(inputs)` then `preds[0]`, `for pred in preds`.
// Such a loss is called with its prediction wrapped in a tuple, as the trainer's model hands it over:
// as many heads as the loss unpacks when it flattens them with the labels
// (`pred, aux4, aux8, target = tuple(inputs)`), else one.
import type { Expr, FunctionDef } from '../../python/ast';
import { walkStatements } from '../../python/walk';

/** The name a tuple of prediction heads goes by in such code. */
const HEADS = /^(preds|predictions|outputs|outs|heads)$/;

const unpacked = (value: Expr, vararg: string) =>
  (value.kind === 'name' && value.id === vararg) ||
  (value.kind === 'call' &&
    value.func.kind === 'name' &&
    value.func.id === 'tuple' &&
    value.args.length === 1 &&
    value.args[0].kind === 'positional' &&
    value.args[0].value.kind === 'name' &&
    value.args[0].value.id === vararg);

/**
 * How many heads a loss takes that unpacks `*inputs` into a tuple of heads and the labels
 * (`preds, target = tuple(inputs)`); undefined for any other loss.
 */
export function predictionHeadCount(def: FunctionDef | undefined): number | undefined {
  const vararg = def?.params.find((p) => p.kind === 'varargs')?.name;
  if (!def || !vararg) return undefined;
  const first = def.body.find((s) => s.kind === 'assign');
  if (first?.kind !== 'assign' || first.targets.length !== 1) return undefined;
  const [target] = first.targets;
  if (target.kind !== 'tuple' || target.elements.length !== 2) return undefined;
  const [heads] = target.elements;
  if (heads.kind !== 'name' || !HEADS.test(heads.id) || !unpacked(first.value, vararg)) return undefined;
  // The heads flattened back into `inputs` with the labels and unpacked by name: all but the last are heads.
  let count = 1;
  walkStatements(def.body, (stmt) => {
    if (stmt.kind !== 'assign' || stmt.targets.length !== 1 || !unpacked(stmt.value, vararg)) return;
    const [names] = stmt.targets;
    if (names.kind === 'tuple' && names.elements.every((e) => e.kind === 'name'))
      count = Math.max(count, names.elements.length - 1);
  });
  return count;
}
