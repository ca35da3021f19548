// Losses of networks with auxiliary heads take the heads' outputs as one tuple:
// `def forward(self, *inputs): preds, target = tuple(inputs)` then `preds[0]`, `for pred in preds`.
// Such a loss is called with its prediction wrapped in a tuple, as the trainer's model hands it over:
// as many heads as the loss unpacks when it flattens them with the labels
// (`pred, aux4, aux8, target = tuple(inputs)`), else one, else (a network that returns its one
// output as it is, which such code also takes: `super().forward(preds, target)`) the prediction itself.
// A head compared with a tensor the loss builds from the labels itself (EncNet's semantic-encoding
// head `se_pred` against `self._get_batch_label_vector(target)`, (N, classes)) is no segmentation
// map: its shape is not the prediction's, and the loss is not run with a wrong one.
import type { Expr, FunctionDef, Stmt } from '../../python/ast';
import { statementExpressions, walkExpr, walkStatements } from '../../python/walk';

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

/** A head the loss compares with a tensor of its own making from the labels. */
export interface ForeignHead {
  head: string;
  /** The heads of the unpacking it comes from, and its line. */
  heads: string[];
  line: number;
  /** The tensor it is compared with, and the line that builds it. */
  other: string;
  otherLine: number;
}

export interface PredictionHeads {
  /** Head counts to try, preferred first; 0 is the prediction itself, not in a tuple. */
  counts: number[];
  foreign?: ForeignHead;
}

type Assign = Extract<Stmt, { kind: 'assign' }>;

/** Names an expression reads. */
function namesIn(expr: Expr): Set<string> {
  const names = new Set<string>();
  walkExpr(expr, (e) => {
    if (e.kind === 'name') names.add(e.id);
  });
  return names;
}

/** `f(head, other)` or `f(g(head), other)`: the other positional names a call compares `head` with. */
function comparedWith(def: FunctionDef, head: string): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  const isHead = (e: Expr): boolean =>
    (e.kind === 'name' && e.id === head) ||
    (e.kind === 'call' && e.args.length === 1 && e.args[0].kind === 'positional' && isHead(e.args[0].value));
  walkStatements(def.body, (stmt) => {
    for (const root of statementExpressions(stmt)) {
      walkExpr(root, (e) => {
        if (e.kind !== 'call') return;
        const args = e.args.flatMap((a) => (a.kind === 'positional' ? [a.value] : []));
        if (args.length !== 2 || !args.some(isHead)) return;
        for (const other of args)
          if (other.kind === 'name' && other.id !== head) found.push({ name: other.id, line: e.range.line });
      });
    }
  });
  return found;
}

/** Whether an expression builds a tensor from the labels with the loss's own helper (`self.helper(target)`). */
function ownHelperOfLabels(expr: Expr, labelNames: ReadonlySet<string>): boolean {
  let found = false;
  walkExpr(expr, (e) => {
    if (e.kind !== 'call' || e.func.kind !== 'attribute' || e.func.object.kind !== 'name') return;
    if (e.func.object.id !== 'self') return;
    if (e.args.some((a) => [...namesIn(a.value)].some((n) => labelNames.has(n)))) found = true;
  });
  return found;
}

/** The expression a name is assigned in the function (`name = expr`, the first such). */
function assignedIn(def: FunctionDef, name: string): Assign | undefined {
  let found: Assign | undefined;
  walkStatements(def.body, (stmt) => {
    if (found || stmt.kind !== 'assign' || stmt.targets.length !== 1) return;
    const [target] = stmt.targets;
    if (target.kind === 'name' && target.id === name) found = stmt;
  });
  return found;
}

/**
 * How to hand the prediction to a loss that unpacks `*inputs` into a tuple of heads and the labels
 * (`preds, target = tuple(inputs)`); undefined for any other loss.
 */
export function predictionHeads(def: FunctionDef | undefined): PredictionHeads | undefined {
  const vararg = def?.params.find((p) => p.kind === 'varargs')?.name;
  if (!def || !vararg) return undefined;
  const first = def.body.find((s) => s.kind === 'assign');
  if (first?.kind !== 'assign' || first.targets.length !== 1) return undefined;
  const [target] = first.targets;
  if (target.kind !== 'tuple' || target.elements.length !== 2) return undefined;
  const [heads, labels] = target.elements;
  if (heads.kind !== 'name' || !HEADS.test(heads.id) || !unpacked(first.value, vararg)) return undefined;
  // The heads flattened back into `inputs` with the labels and unpacked by name: all but the last are heads.
  const unpackings: { names: string[]; line: number }[] = [];
  walkStatements(def.body, (stmt) => {
    if (stmt === first || stmt.kind !== 'assign' || stmt.targets.length !== 1 || !unpacked(stmt.value, vararg)) return;
    const [names] = stmt.targets;
    if (names.kind === 'tuple' && names.elements.every((e) => e.kind === 'name'))
      unpackings.push({ names: names.elements.map((e) => (e as { id: string }).id), line: stmt.range.line });
  });
  if (!unpackings.length) return { counts: [1, 0] };
  const labelNames = new Set([
    ...unpackings.map((u) => u.names.at(-1)!),
    ...(labels.kind === 'name' ? [labels.id] : []),
  ]);
  for (const { names, line } of unpackings) {
    const headNames = names.slice(0, -1);
    for (const head of headNames) {
      for (const other of comparedWith(def, head)) {
        if (labelNames.has(other.name) || headNames.includes(other.name)) continue;
        const built = assignedIn(def, other.name);
        // a tensor built from the head itself (labels resized to it) is shaped for it
        if (!built || namesIn(built.value).has(head) || !ownHelperOfLabels(built.value, labelNames)) continue;
        const foreign = { head, heads: headNames, line, other: other.name, otherLine: built.range.line };
        return { counts: [], foreign };
      }
    }
  }
  const counts = [...new Set(unpackings.map((u) => u.names.length - 1))].sort((a, b) => b - a);
  return { counts };
}
