// A loss method that overrides a documented one without a docstring of its own is described by its
// base's (as `inspect.getdoc` reads it): PyMIC documents `forward(self, loss_input_dict)` once, in
// the abstract base of another file ("prediction ... [N, C, H, W]", "ground_truth ... [N, C, H, W]").
import { relative } from 'node:path';
import type { LossProgram } from '../program';
import { CLASSMETHOD, STATICMETHOD } from '../python/attributes';
import { PyClass, PyFunction, PyInstance, type PyValue } from '../python/values';
import { CALL_METHODS } from './classModel';
import type { DiscoveredLoss } from './discover';
import type { InheritedDoc } from './queries/described';

function functionOf(value: PyValue | undefined): PyFunction | undefined {
  const fn =
    value instanceof PyInstance && (value.cls === STATICMETHOD || value.cls === CLASSMETHOD) ? value.native : value;
  return fn instanceof PyFunction && fn.body.kind === 'block' ? fn : undefined;
}

/** The docstring of the loss's call method: its base's when the method has none, else only when written elsewhere. */
export function inheritedDoc(program: LossProgram, loss: DiscoveredLoss, root?: string): InheritedDoc | undefined {
  const cls = program.globals.get(loss.owner ?? loss.name);
  if (!(cls instanceof PyClass)) return undefined;
  const method = loss.owner ? loss.name.slice(loss.owner.length + 1) : CALL_METHODS.find((m) => cls.lookup(m));
  if (!method) return undefined;
  const defs = cls
    .mro()
    .map((c) => functionOf(c.attrs.get(method)))
    .flatMap((fn) => (fn?.body.kind === 'block' ? [fn.body.def] : []));
  const documented = defs.find((def) => def.docstring !== undefined);
  // The file's own method with its own docstring is read with the loss's code already.
  if (!documented || (documented === defs[0] && !documented.range.file)) return undefined;
  const { file } = documented.range;
  const source = file === undefined ? program.source : program.sourceOf(file);
  if (source === undefined) return undefined;
  return { def: documented, source, ...(file ? { file: root ? relative(root, file) : file } : {}) };
}
