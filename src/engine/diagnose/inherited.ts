// Loss classes the AST alone cannot see: a class of the file whose base comes from another module
// (a project file, an installed package) and gives it its forward / call / __call__. The loaded
// program knows the class's bases, so discovery completes at diagnosis time.
import type { FunctionDef, Module, SourceRange } from '../python/ast';
import { CLASSMETHOD, STATICMETHOD } from '../python/attributes';
import { PyClass, PyFunction, PyInstance, type PyValue } from '../python/values';
import {
  type ClassStmt,
  type ClassView,
  CALL_METHODS,
  abstractReason,
  baseNames,
  overriddenInFile,
} from './classModel';
import { type DiscoveredLoss, isAutogradFunction, isModuleBase, lossClass, lossClassCalledAs } from './discover';

const FUNCTION_WRAPPER = /(^|\.)LossFunctionWrapper$/;

function definitionOf(value: PyValue | undefined): FunctionDef | undefined {
  const fn =
    value instanceof PyInstance && (value.cls === STATICMETHOD || value.cls === CLASSMETHOD) ? value.native : value;
  return fn instanceof PyFunction && fn.body.kind === 'block' ? fn.body.def : undefined;
}

/** A loaded class, its methods resolved through its real bases. */
export function runtimeClassView(cls: PyClass): ClassView {
  return {
    name: cls.name,
    method: (name) => definitionOf(cls.lookup(name)),
    definedIn: (name) => cls.mro().find((c) => c.attrs.has(name))?.name,
  };
}

const qualifiedNames = (cls: PyClass) => cls.mro().map((c) => c.qualifiedName ?? c.name);

/**
 * Classes of the file that discovery left out and whose loaded class has a Python call method
 * through a base defined elsewhere: loss classes, unless abstract or autograd Functions.
 */
export function inheritedLosses(
  module: Module,
  globals: ReadonlyMap<string, PyValue>,
  discovered: readonly DiscoveredLoss[],
): DiscoveredLoss[] {
  const known = new Set(discovered.map((d) => d.owner ?? d.name));
  const classes = new Map<string, ClassStmt>();
  for (const stmt of module.body) if (stmt.kind === 'class') classes.set(stmt.name, stmt);
  const found: DiscoveredLoss[] = [];
  for (const stmt of classes.values()) {
    const cls = globals.get(stmt.name);
    const defined = cls instanceof PyClass && cls.range && !cls.range.file && cls.range.line === stmt.range.line;
    if (known.has(stmt.name) || !defined) continue;
    if (!(cls instanceof PyClass)) continue;
    if (isAutogradFunction(baseNames(stmt)) || qualifiedNames(cls).some((n) => /autograd\.Function$/.test(n))) continue;
    const view = runtimeClassView(cls);
    const moduleBase = qualifiedNames(cls).some((n) => isModuleBase(n)) || baseNames(stmt).some(isModuleBase);
    // Keras' LossFunctionWrapper calls the function its subclass hands to __init__ with (y_true, y_pred).
    if (!CALL_METHODS.some((name) => view.method(name)) && qualifiedNames(cls).some((n) => FUNCTION_WRAPPER.test(n))) {
      const call = { name: 'call', params: ['y_true', 'y_pred'], extraParams: [] };
      const loss = lossClassCalledAs(stmt.name, view, true, stmt.range, call);
      if (loss) found.push({ ...loss, inheritedFrom: 'LossFunctionWrapper' });
      continue;
    }
    // Only a call method written in Python counts: nn.Module's own __call__ is not a loss.
    if (!CALL_METHODS.some((name) => view.method(name))) continue;
    if (abstractReason(view, overriddenInFile(stmt.name, classes))) continue;
    const loss = lossClass(stmt.name, view, moduleBase, stmt.range);
    if (loss) found.push(loss);
  }
  return found;
}

/** Where a loss's inherited call method is written (another project file), if it is. */
export function inheritedMethodRange(
  globals: ReadonlyMap<string, PyValue>,
  loss: DiscoveredLoss,
): SourceRange | undefined {
  const cls = globals.get(loss.name);
  if (!loss.inheritedFrom || !(cls instanceof PyClass)) return undefined;
  for (const name of CALL_METHODS) {
    const def = definitionOf(cls.lookup(name));
    if (def) return def.range;
  }
  return undefined;
}
