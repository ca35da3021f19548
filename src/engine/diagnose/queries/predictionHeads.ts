// Losses of networks with auxiliary heads take the heads' outputs as one tuple:
// `def forward(self, *inputs): preds, target = tuple(inputs)` then `preds[0]`, `for pred in preds`.
// Such a loss is called with its prediction wrapped in a tuple, as the trainer's model hands it over.
import type { Expr, FunctionDef } from '../../python/ast';

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

/** Whether the loss unpacks `*inputs` into a tuple of heads and the labels (`preds, target = tuple(inputs)`). */
export function takesPredictionHeads(def: FunctionDef | undefined): boolean {
  const vararg = def?.params.find((p) => p.kind === 'varargs')?.name;
  if (!def || !vararg) return false;
  const first = def.body.find((s) => s.kind === 'assign');
  if (first?.kind !== 'assign' || first.targets.length !== 1) return false;
  const [target] = first.targets;
  if (target.kind !== 'tuple' || target.elements.length !== 2) return false;
  const [heads] = target.elements;
  return heads.kind === 'name' && HEADS.test(heads.id) && unpacked(first.value, vararg);
}
