// Class machinery the interpreter does not run: a metaclass (`class A(B, metaclass=M)`) and a base's
// `__init_subclass__`. Such classes are built as plain classes, so what the hook would add (an
// attribute, a registry entry) is missing: the file says so at the line, instead of a puzzling
// AttributeError later or a silently different loss.
import type { Expr, Module } from '../python/ast';
import { walkStatements } from '../python/walk';

/** A FileNote of kind `ignored-construct` (diagnose.ts lists it with the file's other notes). */
export interface ClassHookNote {
  kind: 'ignored-construct';
  line: number;
  column?: number;
  endColumn?: number;
  message: string;
}

const dotted = (expr: Expr): string | undefined =>
  expr.kind === 'name'
    ? expr.id
    : expr.kind === 'attribute' && dotted(expr.object)
      ? `${dotted(expr.object)}.${expr.attr}`
      : undefined;

/** Notes for the classes of a module that rely on a metaclass or define `__init_subclass__`. */
export function classHookNotes(module: Module): ClassHookNote[] {
  const notes: ClassHookNote[] = [];
  walkStatements(module.body, (stmt) => {
    if (stmt.kind !== 'class') return;
    for (const base of stmt.bases) {
      if (base.kind !== 'keyword' || base.name !== 'metaclass') continue;
      const name = dotted(base.value) ?? 'its metaclass';
      // abc's metaclass only marks abstract methods: building the class without it changes nothing.
      if (/^(abc\.)?ABCMeta$/.test(name)) continue;
      notes.push({
        kind: 'ignored-construct',
        line: base.value.range.line,
        column: base.value.range.column,
        endColumn: base.value.range.endColumn,
        message:
          `class ${stmt.name}: the metaclass ${name} is not run; Loss Lens builds ${stmt.name} as a plain class, ` +
          'without what the metaclass would add or change',
      });
    }
    for (const member of stmt.body) {
      if (member.kind !== 'def' || member.def.name !== '__init_subclass__') continue;
      notes.push({
        kind: 'ignored-construct',
        line: member.def.range.line,
        message:
          `${stmt.name}.__init_subclass__ is not run: Loss Lens builds the subclasses of ${stmt.name} without it, ` +
          'so what it sets on them is missing',
      });
    }
  });
  return notes;
}
